import type { ListMatch, ListSide, OnchainTransfer } from '@sekimori/contracts';
import type { AddressExposure, ExposureSource } from '@sekimori/rules';
import { EnrichmentKeys } from './enrichment-keys';
import { type ExposureItem, trackExposures } from './exposure.store';

const LAZARUS = 'evm:0x098b716b8aaf21512996dc57eb0615e2383e2f96';

let seq = 0;

/** An on-chain transfer whose addresses are their keys; `listed` are the keys on a list. */
function item(from: string[], to: string, listed: string[] = []): ExposureItem {
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
  return { transfer: { chain: 'ethereum', event, addresses }, matches };
}

const described = (found: AddressExposure[]): string[] =>
  found.map((x) => `${x.side}:${x.address}<-${x.source.eventId}`);

describe('trackExposures', () => {
  it('an exposure created earlier in the batch counts for later events only; the creator and clean events see none', () => {
    const before = item(['evm:a'], 'evm:b');
    const funding = item([LAZARUS], 'evm:a', [LAZARUS]);
    const onward = item(['evm:a'], 'evm:b');
    const clean = item(['evm:c'], 'evm:d');
    const { exposures, created } = trackExposures([before, funding, onward, clean], new Map());
    expect(exposures.map(described)).toEqual([
      [],
      [],
      [`from:evm:a<-${funding.transfer.event.eventId}`],
      [],
    ]);
    expect([...created.keys()]).toEqual(['evm:a']);
    expect(created.get('evm:a')).toMatchObject({
      eventId: funding.transfer.event.eventId,
      seenAt: (funding.transfer.event as OnchainTransfer).blockTime,
      address: LAZARUS,
      entityName: 'LAZARUS GROUP',
    });
  });

  it('a stored exposure is kept as the source, also when the batch exposes the address again', () => {
    const stored: ExposureSource = {
      eventId: 'old',
      seenAt: '2026-01-01T00:00:00Z',
      chain: 'ethereum',
      address: LAZARUS,
      listId: 'ofac-sdn',
      listVersion: 'v0',
      entityId: '1',
      entityName: 'LAZARUS GROUP',
      programs: [],
    };
    const again = item([LAZARUS], 'evm:a', [LAZARUS]);
    const onward = item(['evm:x', 'evm:a'], 'evm:b');
    const { exposures, created } = trackExposures([again, onward], new Map([['evm:a', stored]]));
    // The repeat is passed on so that the store renews the TTL; its source stays the first.
    expect(created.get('evm:a')).toBe(stored);
    expect(exposures.map(described)).toEqual([['to:evm:a<-old'], ['from:evm:a<-old']]);
  });

  it('a listed recipient is not recorded as exposed', () => {
    const { created } = trackExposures([item([LAZARUS], 'evm:z', [LAZARUS, 'evm:z'])], new Map());
    expect(created.size).toBe(0);
  });

  it('exposure keys live under their own hash tag, by lookup key', () => {
    expect(new EnrichmentKeys('sekimori').exposure('evm:0xab')).toBe(
      '{sekimori:exposure}:a:v1:evm:0xab',
    );
  });
});
