import type { ExchangeTransfer, ListMatch, ListSide, OnchainTransfer } from '@sekimori/contracts';
import type { RulesConfig } from '../rules-config';
import {
  type AddressExposure,
  type ExposurePath,
  exposureStep,
  type Flow,
  flowOf,
  mergePaths,
} from './exposure';

/** What the batch pass needs of a transfer: its addresses, list matches and yen value. */
export interface ExposureItem {
  transfer: {
    event: OnchainTransfer | ExchangeTransfer;
    addresses: ReadonlyArray<{ side: ListSide; canonical: string; key: string }>;
  };
  matches: ListMatch[];
  valueJpy: string | null;
}

export interface TrackedExposures {
  /** Per item, in batch order: its nodes with a path that predates it. */
  exposures: AddressExposure[][];
  /** The paths the batch adds, per node, to be recorded. */
  created: Map<string, ExposurePath[]>;
}

const NO_PATHS: readonly ExposurePath[] = [];

/** The flow of each transfer: which node keys to read before the batch is tracked. */
export function flowsOf(transfers: ReadonlyArray<ExposureItem['transfer']>): Flow[] {
  return transfers.map((transfer) => flowOf(transfer.event, transfer.addresses));
}

/** Every node key the flows touch, once. */
export function nodeKeysOf(flows: readonly Flow[]): string[] {
  const keys = new Set<string>();
  for (const flow of flows) {
    for (const node of flow.senders) keys.add(node.key);
    if (flow.recipient) keys.add(flow.recipient.key);
  }
  return [...keys];
}

/**
 * Each item's exposures, in batch order, from the stored paths and from the paths earlier
 * items of the same batch add (events of one partition are screened in order, so a transfer
 * out of an address right after the transfer into it is caught even in one batch).
 */
export function trackExposures(
  items: readonly ExposureItem[],
  flows: readonly Flow[],
  stored: ReadonlyMap<string, ExposurePath[]>,
  config: RulesConfig,
): TrackedExposures {
  const known = new Map(stored);
  const created = new Map<string, ExposurePath[]>();
  const cap = config.exposureMaxPathsPerAddress;
  const exposures = items.map((item, i) => {
    const flow = flows[i];
    const step = exposureStep(
      { event: item.transfer.event, matches: item.matches, valueJpy: item.valueJpy },
      flow,
      (key) => known.get(key) ?? NO_PATHS,
      config,
    );
    if (flow.recipient !== null && step.created.length > 0) {
      const key = flow.recipient.key;
      known.set(key, mergePaths(known.get(key) ?? [], step.created, cap));
      created.set(key, mergePaths(created.get(key) ?? [], step.created, cap));
    }
    return step.seen;
  });
  return { exposures, created };
}
