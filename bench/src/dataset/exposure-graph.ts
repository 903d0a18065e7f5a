import type { ChainId } from '@sekimori/contracts';
import { addressPools, ASSETS_BY_CHAIN, type SanctionedSpelling } from './addresses';
import { Rng } from './rng';
import { BASE_TIME, EVENT_SPACING_MS, PRICES_JPY, type StreamMessage } from './stream';

export interface GraphOptions {
  /** Listed addresses that start the graph. */
  sources: number;
  /** Fresh addresses each source pays (hop 1). */
  fanOut: number;
  /** On-chain hops each fanned-out chain goes on for (past EXPOSURE_MAX_HOPS on purpose). */
  depth: number;
  /** EXPOSURE_MAX_HOPS of the screener under test, to count what it must raise. */
  maxHops: number;
}

export interface GraphSummary {
  events: number;
  onchainHops: number;
  dustHops: number;
  deposits: number;
  withdrawals: number;
  /** Addresses and accounts the graph reaches with a path the screener keeps. */
  exposedNodes: number;
  /** Graph events the screener should raise INDIRECT_EXPOSURE on (sender exposed within the hop limit). */
  expectedIndirect: number;
  /** Of those, the deposits and withdrawals: their order against the on-chain hops crosses topics. */
  expectedIndirectExchange: number;
  /** Withdrawals abroad after an inflow from a listed or exposed address. */
  expectedRouting: number;
}

const CHAINS: readonly ChainId[] = ['ethereum', 'tron', 'bitcoin'];
const THIRD_COUNTRY_VASP = { vaspId: 'sg-vasp-1', vaspName: 'Lion Exchange', vaspCountry: 'SG' };
const HOUR_MS = 3_600_000;

function decimal(value: number): string {
  const s = value.toFixed(8);
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Weaves an exposure graph into a stream (issue 11): each listed source fans out to fresh
 * addresses, each of which starts a chain of on-chain hops deeper than EXPOSURE_MAX_HOPS; one
 * address of each chain deposits into an exchange account, which withdraws most of it to a
 * Singapore VASP hours later; each source also sends dust that must not pass exposure on.
 * Graph events replace ordinary transfers at positions far enough apart (hundreds of events)
 * that a hop is screened after the one before it, whatever the partition.
 */
export function weaveExposureGraph(
  messages: StreamMessage[],
  listed: readonly SanctionedSpelling[],
  o: GraphOptions,
  seed: number,
): { summary: GraphSummary; eventIds: Map<string, 'onchain' | 'exchange'> } {
  const rng = new Rng(seed ^ 0x6a7b);
  const sources = listed.filter((s) => CHAINS.includes(s.chain));
  if (sources.length === 0) throw new Error('no listed address on a graph chain');
  // Fresh addresses: another seed than the stream's pools.
  const perChain = o.sources * (o.fanOut * (o.depth + 2) + 8) + 16;
  const pools = addressPools(rng, Math.ceil(perChain / 2));
  const next = new Map<ChainId, number>();
  const fresh = (chain: ChainId): string => {
    const pool = pools.get(chain) ?? [];
    const i = next.get(chain) ?? 0;
    next.set(chain, i + 1);
    if (i >= pool.length) throw new Error(`graph: ran out of ${chain} addresses`);
    return pool[i];
  };
  // Steps of a chain are this many stream positions apart; the whole graph fits the stream.
  const gap = Math.max(40, Math.floor((messages.length * 0.6) / (o.depth + 3)));
  const taken = new Set<number>();
  const summary: GraphSummary = {
    events: 0,
    onchainHops: 0,
    dustHops: 0,
    deposits: 0,
    withdrawals: 0,
    exposedNodes: 0,
    expectedIndirect: 0,
    expectedIndirectExchange: 0,
    expectedRouting: 0,
  };
  const eventIds = new Map<string, 'onchain' | 'exchange'>();
  let n = 0;
  /** Puts a graph event at the first free transfer position from `at`; returns its time. */
  const place = (at: number, make: (time: string, eventId: string) => StreamMessage): number => {
    let i = Math.min(at, messages.length - 1);
    while (i < messages.length && (taken.has(i) || messages[i].kind === 'rates')) i += 1;
    if (i >= messages.length) throw new Error('graph: the stream is too short for the graph');
    taken.add(i);
    const eventId = `gx-${seed}-${n++}`;
    messages[i] = make(new Date(BASE_TIME + i * EVENT_SPACING_MS).toISOString(), eventId);
    eventIds.set(eventId, messages[i].kind === 'onchain' ? 'onchain' : 'exchange');
    summary.events += 1;
    return i;
  };
  // One key per chain of hops: its on-chain events share a partition, so they are screened in order.
  const onchain = (key: string, chain: ChainId, from: string, to: string, jpy: number) => {
    const asset = ASSETS_BY_CHAIN[chain][0];
    return (time: string, eventId: string): StreamMessage => {
      const txHash = chain === 'bitcoin' ? rng.hex(64) : `0x${rng.hex(64)}`;
      const value = {
        type: 'onchain-transfer',
        eventId,
        chain,
        txHash,
        index: 0,
        blockTime: time,
        from: [from],
        to,
        asset,
        amount: decimal(jpy / (PRICES_JPY[asset] ?? 1000)),
        valueJpy: String(Math.round(jpy)),
      };
      return { kind: 'onchain', key, value: Buffer.from(JSON.stringify(value)), eventId };
    };
  };
  const exchange = (
    chain: ChainId,
    direction: 'deposit' | 'withdrawal',
    account: string,
    address: string,
    jpy: number,
    counterparty: Record<string, string>,
  ) => {
    const asset = ASSETS_BY_CHAIN[chain][0];
    return (time: string, eventId: string): StreamMessage => {
      const value = {
        type: 'exchange-transfer',
        eventId,
        exchangeId: 'jp-exchange-1',
        direction,
        occurredAt: time,
        account: { id: account, residency: 'JP', kind: 'individual' },
        chain,
        asset,
        amount: decimal(jpy / (PRICES_JPY[asset] ?? 1000)),
        valueJpy: String(Math.round(jpy)),
        address,
        counterparty,
      };
      return { kind: 'exchange', key: account, value: Buffer.from(JSON.stringify(value)), eventId };
    };
  };
  // A sender this many hops from its source raises INDIRECT_EXPOSURE when 1 ≤ hops ≤ maxHops.
  const exposedAt = (hops: number): boolean => hops >= 1 && hops <= o.maxHops;

  for (let s = 0; s < o.sources; s++) {
    const source = sources[(s * 7919) % sources.length];
    const chain = source.chain;
    const start = Math.floor((s * messages.length * 0.3) / o.sources);
    for (let f = 0; f < o.fanOut; f++) {
      let from = source.address;
      let jpy = 2_000_000 + rng.int(8_000_000);
      let at = start + f;
      // The address that deposits: 1 to maxHops + 1 hops out, the last one beyond the limit.
      const depositAt = 1 + (f % (o.maxHops + 1));
      for (let hop = 1; hop <= o.depth; hop++) {
        const to = fresh(chain);
        at = place(at + gap, onchain(`graph-${seed}-${s}-${f}`, chain, from, to, jpy));
        summary.onchainHops += 1;
        if (exposedAt(hop - 1)) summary.expectedIndirect += 1;
        if (hop <= o.maxHops) summary.exposedNodes += 1;
        from = to;
        jpy *= 0.9;
        if (hop === depositAt) {
          const account = `acct-graph-${s}-${f}`;
          const deposited = jpy * 0.8;
          const d = place(
            // Two steps after the hop into the depositing address: the deposit is on another
            // topic, read at its own pace from a pre-produced backlog.
            at + 2 * gap,
            exchange(chain, 'deposit', account, from, deposited, { walletType: 'unhosted' }),
          );
          summary.deposits += 1;
          if (exposedAt(hop)) summary.expectedIndirect += 1;
          if (exposedAt(hop)) summary.expectedIndirectExchange += 1;
          if (hop + 1 <= o.maxHops) summary.exposedNodes += 1;
          // Most of it leaves for a third country within hours (ROUTING_WINDOW_HOURS is 72).
          const hours = Math.floor((3 * HOUR_MS) / EVENT_SPACING_MS);
          place(
            d + Math.min(hours, Math.floor(gap / 3)),
            exchange(chain, 'withdrawal', account, fresh(chain), deposited * 0.9, {
              walletType: 'hosted',
              ...THIRD_COUNTRY_VASP,
            }),
          );
          summary.withdrawals += 1;
          if (exposedAt(hop + 1)) summary.expectedIndirect += 1;
          if (exposedAt(hop + 1)) summary.expectedIndirectExchange += 1;
          if (exposedAt(hop)) summary.expectedRouting += 1;
        }
      }
    }
    // Dust: exposes its direct recipient (one alert when that address moves it on), no further.
    for (let k = 0; k < 2; k++) {
      const z1 = fresh(chain);
      const z2 = fresh(chain);
      const z3 = fresh(chain);
      const key = `graph-${seed}-${s}-dust-${k}`;
      let at = place(start + o.fanOut + k, onchain(key, chain, source.address, z1, 100));
      at = place(at + gap, onchain(key, chain, z1, z2, 90));
      place(at + gap, onchain(key, chain, z2, z3, 80));
      summary.dustHops += 3;
      summary.expectedIndirect += 1;
      summary.exposedNodes += 1;
    }
  }
  return { summary, eventIds };
}
