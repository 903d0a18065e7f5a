import type {
  ExchangeTransfer,
  ExposureHop,
  ExposurePath,
  ListMatch,
  OnchainTransfer,
} from '@sekimori/contracts';
import type { ScreeningContext, StructuringState } from '../context';
import { crossBorderVerdict, unknownVerdict } from '../cross-border';
import type { AddressExposure, ExposureSource } from '../fund-flows/exposure';
import type { RoutingState } from '../fund-flows/routing';
import { valueInJpy } from '../valuation';

/** Test-only builders: a valid domestic withdrawal, changed field by field by each table row. */

export type EventPatch = Partial<Omit<ExchangeTransfer, 'account' | 'counterparty'>> & {
  account?: Partial<ExchangeTransfer['account']>;
  counterparty?: Partial<ExchangeTransfer['counterparty']>;
};

export function exchangeEvent(patch: EventPatch = {}): ExchangeTransfer {
  const { account, counterparty, ...rest } = patch;
  return {
    type: 'exchange-transfer',
    eventId: 'ev-1',
    exchangeId: 'jp-exchange',
    direction: 'withdrawal',
    occurredAt: '2026-03-15T09:30:00Z',
    chain: 'bitcoin',
    asset: 'BTC',
    amount: '1',
    valueJpy: '1000000',
    address: 'bc1qexternal',
    ...rest,
    account: { id: 'acct-1', residency: 'JP', kind: 'individual', ...account },
    counterparty: { walletType: 'hosted', vaspCountry: 'JP', residency: 'JP', ...counterparty },
  };
}

export function onchainEvent(patch: Partial<OnchainTransfer> = {}): OnchainTransfer {
  return {
    type: 'onchain-transfer',
    eventId: 'oc-1',
    chain: 'ethereum',
    txHash: '0xabc',
    index: 0,
    blockTime: '2026-03-15T09:30:00Z',
    from: ['0x1111111111111111111111111111111111111111'],
    to: '0x2222222222222222222222222222222222222222',
    asset: 'ETH',
    amount: '1',
    ...patch,
  };
}

export function match(patch: Partial<ListMatch> = {}): ListMatch {
  return {
    listId: 'ofac-sdn',
    listVersion: '2026-03-01',
    entityId: '12345',
    entityName: 'LAZARUS GROUP',
    programs: ['DPRK3', 'CYBER2'],
    chain: 'ethereum',
    address: '0x2222222222222222222222222222222222222222',
    side: 'to',
    ...patch,
  };
}

/** An enriched context the way the screener builds it: verdict and valuation computed. */
export function exchangeContext(
  patch: EventPatch = {},
  extra: {
    rateJpy?: string | null;
    structuring?: StructuringState | null;
    matches?: ListMatch[];
    exposures?: AddressExposure[];
    routing?: RoutingState | null;
  } = {},
): ScreeningContext {
  const event = exchangeEvent(patch);
  return {
    routing: extra.routing ?? null,
    event,
    matches: extra.matches ?? [],
    listVersion: 'v1',
    valuation: valueInJpy(event, extra.rateJpy ?? null),
    verdict: crossBorderVerdict(event),
    structuring: extra.structuring ?? null,
    exposures: extra.exposures ?? [],
  };
}

export function onchainContext(
  patch: Partial<OnchainTransfer> = {},
  matches: ListMatch[] = [],
  exposures: AddressExposure[] = [],
): ScreeningContext {
  const event = onchainEvent(patch);
  return {
    event,
    matches,
    listVersion: 'v1',
    valuation: valueInJpy(event, null),
    verdict: unknownVerdict(),
    structuring: null,
    exposures,
  };
}

/** A withdrawal to a Singapore VASP: cross-border by the VASP test. */
export const FOREIGN: EventPatch = { counterparty: { vaspCountry: 'SG', residency: 'SG' } };
/** An unhosted wallet of unknown holder: location unknown. */
export const UNKNOWN_LOCATION: EventPatch = {
  counterparty: { walletType: 'unhosted', vaspCountry: undefined, residency: undefined },
};

/** Lazarus Group's listed ETH address, as the list matched it. */
export function exposureSource(patch: Partial<ExposureSource> = {}): ExposureSource {
  return {
    chain: 'ethereum',
    address: '0x098b716b8aaf21512996dc57eb0615e2383e2f96',
    listId: 'ofac-sdn',
    listVersion: '2026-03-01',
    entityId: '12345',
    entityName: 'LAZARUS GROUP',
    programs: ['DPRK3', 'CYBER2'],
    ...patch,
  };
}

/** Lazarus Group's address sending 1 ETH to the address being screened, a day earlier. */
export function hop(patch: Partial<ExposureHop> = {}): ExposureHop {
  return {
    eventId: 'oc-0',
    at: '2026-03-14T09:30:00Z',
    chain: 'ethereum',
    from: '0x098b716b8aaf21512996dc57eb0615e2383e2f96',
    to: '0x1111111111111111111111111111111111111111',
    asset: 'ETH',
    amount: '1',
    valueJpy: '500000',
    ...patch,
  };
}

/** A path over the given hops with everything of the last one attributed. */
export function exposurePath(
  hops: ExposureHop[] = [hop()],
  patch: Partial<ExposurePath> = {},
): ExposurePath {
  const last = hops[hops.length - 1];
  return {
    source: exposureSource(),
    hops,
    attributedAmount: last.amount,
    attributedJpy: last.valueJpy,
    share: '1',
    ...patch,
  };
}

export function exposure(
  patch: Partial<Omit<AddressExposure, 'path'>> = {},
  path: ExposurePath = exposurePath(),
): AddressExposure {
  return {
    side: 'from',
    chain: 'ethereum',
    address: '0x1111111111111111111111111111111111111111',
    path,
    ...patch,
  };
}
