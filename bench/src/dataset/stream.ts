import type { ChainId, Rate } from '@sekimori/contracts';
import { addressPools, ASSETS_BY_CHAIN, sanctionedSpellings, TRAFFIC_CHAINS } from './addresses';
import { counterpartyName, customerName } from './names';
import { travelRuleRecord } from './travel-rule';
import { Rng } from './rng';

export type InputKind = 'onchain' | 'exchange' | 'rates';

/** One message of the stream, ready to produce. */
export interface StreamMessage {
  kind: InputKind;
  key: string;
  value: Buffer;
  /** Transfers only; links an alert back to the moment its event was produced. */
  eventId?: string;
  /** Cut short: not JSON, so the screener dead-letters it without a readable eventId (no decision). */
  malformed?: true;
}

export interface StreamSummary {
  events: number;
  seed: number;
  byKind: Record<InputKind, number>;
  sanctioned: number;
  sanctionedBySpelling: Record<string, number>;
  crossBorder: number;
  highValue: number;
  restrictedCountry: number;
  withoutValueJpy: number;
  /** Exchange transfers to or from another VASP, which carry a travel-rule record. */
  travelRule: number;
  malformed: number;
  avgBytes: number;
  avgBytesByKind: Record<InputKind, number>;
}

export interface GeneratedStream {
  messages: StreamMessage[];
  summary: StreamSummary;
  /** A rate per asset, to seed each variant's Redis so valuations do not depend on topic order. */
  initialRates: Rate[];
}

/** Yen per unit, roughly as of early 2026; the stream moves them a little. */
export const PRICES_JPY: Readonly<Record<string, number>> = {
  BTC: 15_000_000,
  ETH: 520_000,
  USDT: 150,
  USDC: 150,
  TRX: 45,
  BNB: 95_000,
  POL: 60,
  LTC: 14_000,
  BCH: 70_000,
  SOL: 28_000,
  XRP: 330,
};

const FOREIGN = ['US', 'SG', 'KR', 'HK', 'GB', 'DE', 'AU', 'TH', 'VN', 'PH'] as const;
const RESTRICTED = ['RU', 'KP', 'IR', 'BY'] as const;
const VASPS = [
  ['jp-bitflyer', 'bitFlyer', 'JP'],
  ['jp-coincheck', 'Coincheck', 'JP'],
  ['jp-bitbank', 'bitbank', 'JP'],
  ['jp-gmo', 'GMO Coin', 'JP'],
  ['sg-vasp-1', 'Lion Exchange', 'SG'],
  ['us-vasp-1', 'Eagle Markets', 'US'],
  ['kr-vasp-1', 'Han Digital', 'KR'],
  ['hk-vasp-1', 'Harbour Crypto', 'HK'],
  ['ru-vasp-1', 'Volga Exchange', 'RU'],
] as const;
export const BASE_TIME = Date.parse('2026-03-14T00:00:00Z');
/** Event time between two consecutive messages of the stream. */
export const EVENT_SPACING_MS = 900;

function decimal(value: number, places: number): string {
  const s = value.toFixed(places);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

interface Account {
  id: string;
  residency: string;
  kind: 'individual' | 'corporate';
  /** As the exchange holds it: kanji, katakana (full or half width) or Latin. */
  name: string;
}

/**
 * The benchmark's input: a seeded, realistic mix of on-chain and exchange transfers and rates.
 * About 1% of transfers touch an address of the shipped OFAC list (in its legal spellings),
 * about 8% of exchange transfers are cross-border, a few are over the FEFTA report threshold or
 * come from a restricted country, and one in two thousand messages is malformed (dead letter).
 */
export function generateStream(count: number, seed: number, ofacCsv: string): GeneratedStream {
  const rng = new Rng(seed);
  // Travel-rule records draw from their own generator: the rest of the stream stays as it was
  // for a seed, so runs before and after records were added compare event for event.
  const recordRng = new Rng(seed ^ 0x5a17);
  // Counterparty addresses recur about as often as in an exchange's traffic: a pool of a few
  // thousand made every address come back tens of times, and multi-hop exposure then spread from
  // the 1% of listed senders through the whole pool (6.6% of events alerted in a 100k run).
  const pools = addressPools(rng, Math.min(50_000, Math.max(2_000, Math.ceil(count / 4))));
  const listed = sanctionedSpellings(ofacCsv);
  if (listed.length === 0) throw new Error(`no supported-chain address in ${ofacCsv}`);
  const accounts: Account[] = [];
  for (let i = 0; i < Math.max(50, Math.min(20_000, Math.floor(count / 20))); i++) {
    const r = rng.next();
    const kind = rng.chance(0.9) ? 'individual' : 'corporate';
    accounts.push({
      id: `acct-${(100_000 + i).toString(36)}`,
      residency: r < 0.93 ? 'JP' : rng.pick(FOREIGN),
      kind,
      name: customerName(rng, kind === 'corporate'),
    });
  }
  const prices = new Map(Object.entries(PRICES_JPY));
  const summary: StreamSummary = {
    events: count,
    seed,
    byKind: { onchain: 0, exchange: 0, rates: 0 },
    sanctioned: 0,
    sanctionedBySpelling: {},
    crossBorder: 0,
    highValue: 0,
    restrictedCountry: 0,
    withoutValueJpy: 0,
    travelRule: 0,
    malformed: 0,
    avgBytes: 0,
    avgBytesByKind: { onchain: 0, exchange: 0, rates: 0 },
  };
  const bytesByKind: Record<InputKind, number> = { onchain: 0, exchange: 0, rates: 0 };
  const messages: StreamMessage[] = [];

  const pickChain = (): ChainId => rng.weighted(TRAFFIC_CHAINS);
  const sanctioned = (): { chain: ChainId; address: string } => {
    const s = rng.pick(listed);
    summary.sanctioned += 1;
    summary.sanctionedBySpelling[s.spelling] = (summary.sanctionedBySpelling[s.spelling] ?? 0) + 1;
    return s;
  };
  const amountFor = (asset: string, jpy: number): string => {
    const price = prices.get(asset) ?? 1000;
    return decimal(Math.max(jpy / price, 1e-8), 8);
  };
  // Mostly small retail payments, a long tail of large ones.
  const valueJpy = (): number => {
    const r = rng.next();
    if (r < 0.7) return 1_000 + rng.int(300_000);
    if (r < 0.95) return 300_000 + rng.int(5_000_000);
    if (r < 0.985) return 5_000_000 + rng.int(25_000_000);
    summary.highValue += 1;
    return 30_000_001 + rng.int(200_000_000);
  };

  for (let i = 0; i < count; i++) {
    const time = new Date(BASE_TIME + i * EVENT_SPACING_MS).toISOString();
    const r = rng.next();
    let message: StreamMessage;
    if (r < 0.01) {
      const asset = rng.pick([...prices.keys()]);
      const price = (prices.get(asset) ?? 1) * (0.99 + rng.next() * 0.02);
      prices.set(asset, price);
      const value = { type: 'rate', asset, jpy: decimal(price, 2), at: time };
      message = { kind: 'rates', key: asset, value: Buffer.from(JSON.stringify(value)) };
    } else if (r < 0.56) {
      const hit = rng.chance(0.01) ? sanctioned() : null;
      const chain = hit?.chain ?? pickChain();
      const pool = pools.get(chain) ?? [];
      const asset = rng.pick(ASSETS_BY_CHAIN[chain]);
      const utxo = chain === 'bitcoin' || chain === 'litecoin' || chain === 'bitcoin-cash';
      const from = Array.from({ length: utxo ? 1 + rng.int(3) : 1 }, () => rng.pick(pool));
      let to = rng.pick(pool);
      if (hit) {
        if (rng.chance(0.3)) from[0] = hit.address;
        else to = hit.address;
      }
      const jpy = valueJpy();
      const eventId = `oc-${seed}-${i}`;
      const value: Record<string, unknown> = {
        type: 'onchain-transfer',
        eventId,
        chain,
        txHash: chain.startsWith('bitcoin') || utxo ? rng.hex(64) : `0x${rng.hex(64)}`,
        index: rng.int(4),
        blockTime: time,
        from,
        to,
        asset,
        amount: amountFor(asset, jpy),
      };
      if (rng.chance(0.75)) value.valueJpy = String(jpy);
      else summary.withoutValueJpy += 1;
      if (rng.chance(0.35)) {
        value.observer = {
          exchangeId: 'jp-exchange-1',
          side: rng.chance(0.5) ? 'sender' : 'receiver',
        };
      }
      message = {
        kind: 'onchain',
        key: value.txHash as string,
        value: Buffer.from(JSON.stringify(value)),
        eventId,
      };
    } else {
      const hit = rng.chance(0.01) ? sanctioned() : null;
      const chain = hit?.chain ?? pickChain();
      const asset = rng.pick(ASSETS_BY_CHAIN[chain]);
      const account = rng.pick(accounts);
      const direction = hit
        ? 'withdrawal'
        : rng.weighted([
            ['withdrawal', 55],
            ['deposit', 40],
            ['internal', 5],
          ] as const);
      const walletType = rng.weighted([
        ['hosted', 60],
        ['unhosted', 30],
        ['unknown', 10],
      ] as const);
      // Names on every exchange event (NAME_MATCH screens both): the holder's, and a counterparty's.
      const counterparty: Record<string, string> = { walletType, name: counterpartyName(rng) };
      let crossBorder = account.residency !== 'JP';
      if (walletType === 'hosted') {
        const foreign = rng.chance(0.06);
        const vasp = foreign ? rng.pick(VASPS.slice(4)) : rng.pick(VASPS.slice(0, 4));
        counterparty.vaspId = vasp[0];
        counterparty.vaspName = vasp[1];
        counterparty.vaspCountry = vasp[2];
        crossBorder ||= vasp[2] !== 'JP';
      }
      if (rng.chance(0.5)) {
        const res = rng.chance(0.95) ? 'JP' : rng.pick(FOREIGN);
        counterparty.residency = res;
        crossBorder ||= res !== account.residency;
      }
      if (crossBorder) summary.crossBorder += 1;
      const jpy = valueJpy();
      const eventId = `ex-${seed}-${i}`;
      const value: Record<string, unknown> = {
        type: 'exchange-transfer',
        eventId,
        exchangeId: 'jp-exchange-1',
        direction,
        occurredAt: time,
        account: {
          id: account.id,
          residency: account.residency,
          kind: account.kind,
          name: account.name,
        },
        chain,
        asset,
        amount: amountFor(asset, jpy),
      };
      if (rng.chance(0.8)) value.valueJpy = String(jpy);
      else summary.withoutValueJpy += 1;
      if (direction !== 'internal')
        value.address = hit?.address ?? rng.pick(pools.get(chain) ?? []);
      value.counterparty = counterparty;
      // Transfers to or from another VASP carry the IVMS101 record (Japan, since June 2023).
      if (walletType === 'hosted' && direction !== 'internal' && counterparty.vaspId) {
        const vasp = VASPS.find((v) => v[0] === counterparty.vaspId) ?? VASPS[0];
        value.travelRule = travelRuleRecord(recordRng, direction, account.residency, vasp);
        summary.travelRule += 1;
      }
      if (rng.chance(0.6)) {
        const restricted = rng.chance(0.002);
        if (restricted) summary.restrictedCountry += 1;
        value.ipCountry = restricted
          ? rng.pick(RESTRICTED)
          : rng.chance(0.97)
            ? 'JP'
            : rng.pick(FOREIGN);
      }
      message = {
        kind: 'exchange',
        key: account.id,
        value: Buffer.from(JSON.stringify(value)),
        eventId,
      };
    }
    // A few poison messages: the screener must dead-letter them without slowing down.
    if (message.kind !== 'rates' && rng.chance(0.0005)) {
      summary.malformed += 1;
      message = {
        ...message,
        value: Buffer.from(message.value.toString('utf8').slice(0, 40)),
        malformed: true,
      };
    }
    summary.byKind[message.kind] += 1;
    bytesByKind[message.kind] += message.value.length;
    messages.push(message);
  }
  let total = 0;
  for (const kind of ['onchain', 'exchange', 'rates'] as const) {
    total += bytesByKind[kind];
    summary.avgBytesByKind[kind] = Math.round(
      bytesByKind[kind] / Math.max(1, summary.byKind[kind]),
    );
  }
  summary.avgBytes = Math.round(total / Math.max(1, count));
  const initialRates: Rate[] = Object.entries(PRICES_JPY).map(([asset, jpy]) => ({
    type: 'rate',
    asset,
    jpy: String(jpy),
    at: new Date(BASE_TIME - 60_000).toISOString(),
  }));
  return { messages, summary, initialRates };
}

/** The events that must each get a decision: every transfer whose eventId the screener can read. */
export function decidedEventIds(messages: readonly StreamMessage[]): Set<string> {
  const ids = new Set<string>();
  for (const m of messages) if (m.eventId !== undefined && !m.malformed) ids.add(m.eventId);
  return ids;
}
