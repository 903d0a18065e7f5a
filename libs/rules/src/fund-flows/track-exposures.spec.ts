import type { ListMatch, ListSide, OnchainTransfer } from '@sekimori/contracts';
import type { AddressExposure, ExposurePath, ValuedTransfer } from './exposure';
import { RulesConfig } from '../rules-config';
import { type FlowSource, flowsOf, nodeKeysOf, trackExposures } from './track-exposures';

const LAZARUS = 'evm:0x098b716b8aaf21512996dc57eb0615e2383e2f96';

let seq = 0;

type Item = ValuedTransfer & FlowSource;

/** An on-chain transfer whose addresses are their keys; `listed` are the keys on a list. */
function item(from: string[], to: string, listed: string[] = []): Item {
  seq += 1;
  const addresses = [
    ...from.map((key) => ({ side: 'from' as ListSide, canonical: key, key })),
    { side: 'to' as ListSide, canonical: to, key: to },
  ];
  const matches: ListMatch[] = addresses
    .filter((a) => listed.includes(a.key))
    .map((a) => ({
      listId: 'ofac-sdn',
      listVersion: 'v1',
      entityId: '1',
      entityName: 'LAZARUS GROUP',
      programs: ['DPRK3'],
      chain: 'ethereum',
      address: a.canonical,
      side: a.side,
    }));
  const event: OnchainTransfer = {
    type: 'onchain-transfer',
    eventId: `e${seq}`,
    chain: 'ethereum',
    txHash: '0x1',
    index: 0,
    blockTime: `2026-03-15T09:${String(seq).padStart(2, '0')}:00Z`,
    from,
    to,
    asset: 'ETH',
    amount: '1',
  };
  return { event, addresses, matches, valueJpy: '1000000' };
}

const described = (found: AddressExposure[]): string[] =>
  found.map((x) => `${x.side}:${x.address}<-${x.path.hops.map((h) => h.eventId).join('>')}`);

function track(items: Item[], stored = new Map<string, ExposurePath[]>()) {
  return trackExposures(items, flowsOf(items), stored, new RulesConfig());
}

describe('trackExposures', () => {
  it('paths created earlier in the batch count for later events only, over several hops', () => {
    const before = item(['evm:a'], 'evm:b');
    const funding = item([LAZARUS], 'evm:a', [LAZARUS]);
    const onward = item(['evm:a'], 'evm:b');
    const further = item(['evm:b'], 'evm:c');
    const clean = item(['evm:x'], 'evm:d');
    const { exposures, created } = track([before, funding, onward, further, clean]);
    const [, f, o] = [before, funding, onward].map((i) => i.event.eventId);
    expect(exposures.map(described)).toEqual([
      [],
      [],
      [`from:evm:a<-${f}`],
      [`from:evm:b<-${f}>${o}`],
      [],
    ]);
    expect([...created.keys()]).toEqual(['evm:a', 'evm:b', 'evm:c']);
    expect(created.get('evm:a')?.[0]).toMatchObject({
      source: { address: LAZARUS, entityName: 'LAZARUS GROUP' },
      share: '1',
    });
  });

  it('a stored path is held against the next transfer and extended by it', () => {
    const stored = exposurePathFor('evm:a');
    const onward = item(['evm:x', 'evm:a'], 'evm:b');
    const { exposures, created } = track([onward], new Map([['evm:a', [stored]]]));
    expect(exposures.map(described)).toEqual([['from:evm:a<-old']]);
    expect(created.get('evm:b')?.[0].hops.map((h) => h.eventId)).toEqual([
      'old',
      onward.event.eventId,
    ]);
  });

  it('a listed recipient is not recorded as exposed', () => {
    const { created } = track([item([LAZARUS], 'evm:z', [LAZARUS, 'evm:z'])]);
    expect(created.size).toBe(0);
  });

  it('node keys cover the addresses and the exchange accounts, once', () => {
    const items = [item(['evm:a'], 'evm:b'), item(['evm:b'], 'evm:a')];
    expect(nodeKeysOf(flowsOf(items))).toEqual(['evm:a', 'evm:b']);
  });
});

function exposurePathFor(to: string): ExposurePath {
  return {
    source: {
      chain: 'ethereum',
      address: LAZARUS,
      listId: 'ofac-sdn',
      listVersion: 'v0',
      entityId: '1',
      entityName: 'LAZARUS GROUP',
      programs: [],
    },
    hops: [
      {
        eventId: 'old',
        at: '2026-01-01T00:00:00Z',
        chain: 'ethereum',
        from: LAZARUS,
        to,
        asset: 'ETH',
        amount: '1',
        valueJpy: '500000',
      },
    ],
    attributedAmount: '1',
    attributedJpy: '500000',
    share: '1',
  };
}
