import { normalizeAddress } from '@sekimori/chains';
import { type ChainId, EVM_CHAINS } from '@sekimori/contracts';
import type { ListEntry } from '@sekimori/list-sources';
import { addressPools } from './addresses';
import { Rng } from './rng';
import type { StreamMessage } from './stream';

/** The currency tag a list would give an address of the chain (OFAC's tags). */
const TAGS: Readonly<Record<string, string>> = {
  bitcoin: 'XBT',
  litecoin: 'LTC',
  'bitcoin-cash': 'BCH',
  tron: 'TRX',
  solana: 'SOL',
  ripple: 'XRP',
};

export interface NewListings {
  /** Entries a new list version adds: fresh addresses, none in the stream before. */
  entries: ListEntry[];
  /** The transfers rewritten to touch one of them: each must be raised retroactively, once. */
  touching: Set<string>;
}

/**
 * Makes `count` addresses that no list holds yet and rewrites `count` transfers of the stream,
 * spread evenly over it, to touch one each (either side): the past transfers a list update
 * reaches back to. The rewritten messages keep their eventId, time and partition key.
 */
export function addListings(messages: StreamMessage[], count: number, seed: number): NewListings {
  const rng = new Rng(seed ^ 0x11572d);
  // Fresh pools from another seed: the stream's own addresses are never among them.
  const pools = addressPools(rng, Math.ceil(count / 4) + 8);
  const used = new Map<ChainId, number>();
  const entries: ListEntry[] = [];
  const touching = new Set<string>();
  const stride = Math.max(1, Math.floor(messages.length / Math.max(1, count)));
  for (let i = rng.int(stride); i < messages.length && touching.size < count; i += stride) {
    let j = i;
    // The next transfer from here that can carry an address: not a rate, not cut short, not internal.
    for (; j < messages.length && j < i + stride; j++) {
      const m = messages[j];
      if (m.kind === 'rates' || m.malformed || m.eventId === undefined) continue;
      const event = JSON.parse(m.value.toString('utf8')) as Record<string, unknown>;
      if (event.type === 'exchange-transfer' && event.direction === 'internal') continue;
      const chain = event.chain as ChainId;
      const pool = pools.get(chain) ?? [];
      const n = used.get(chain) ?? 0;
      if (n >= pool.length) continue;
      used.set(chain, n + 1);
      const address = pool[n];
      const normalized = normalizeAddress(chain, address);
      if (!normalized.ok) throw new Error(`generated ${chain} address ${address} is invalid`);
      if (event.type === 'onchain-transfer') {
        if (rng.chance(0.3)) (event.from as string[])[0] = address;
        else event.to = address;
      } else {
        event.address = address;
      }
      messages[j] = { ...m, value: Buffer.from(JSON.stringify(event)) };
      touching.add(m.eventId);
      entries.push({
        key: normalized.key,
        // EVM chains share one address space: a list names it once, as Ethereum.
        chain: (EVM_CHAINS as readonly string[]).includes(chain) ? 'ethereum' : chain,
        address: normalized.canonical,
        entityId: `bench-${900_000 + entries.length}`,
        entityName: `BENCH DESIGNATION ${entries.length + 1}`,
        programs: ['CYBER2'],
        tag: TAGS[chain] ?? 'ETH',
      });
      break;
    }
  }
  if (touching.size < count) {
    throw new Error(`only ${touching.size} of ${count} transfers could touch a new listing`);
  }
  return { entries, touching };
}
