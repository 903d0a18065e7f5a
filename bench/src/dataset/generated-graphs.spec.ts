import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sanctionedSpellings } from './addresses';
import { weaveExposureGraph } from './exposure-graph';
import { addListings } from './listings';
import { generateStream } from './stream';

const OFAC = join(__dirname, '..', '..', '..', 'data', 'sanctions', 'ofac');
const CSV = join(
  OFAC,
  readdirSync(OFAC)
    .filter((n) => /^digital-currency-addresses-.*\.csv$/.test(n))
    .sort()
    .reverse()[0],
);

type Event = Record<string, unknown> & { eventId: string };
const parse = (value: Buffer): Event => JSON.parse(value.toString('utf8')) as Event;

describe('new listings for the re-screen phase', () => {
  it('rewrites as many transfers as it lists fresh addresses, each touching one', () => {
    const { messages } = generateStream(3_000, 7, CSV);
    const before = messages.map((m) => m.value.toString('utf8'));
    const { entries, touching } = addListings(messages, 40, 7);
    expect(entries).toHaveLength(40);
    expect(touching.size).toBe(40);
    expect(new Set(entries.map((e) => e.key)).size).toBe(40);
    const changed = messages.filter((m, i) => m.value.toString('utf8') !== before[i]);
    expect(new Set(changed.map((m) => m.eventId))).toEqual(touching);
    for (const m of changed) {
      const text = m.value.toString('utf8');
      expect(
        entries.filter((e) => text.toLowerCase().includes(e.address.toLowerCase())),
      ).toHaveLength(1);
    }
    // No untouched message carries a new listing.
    for (const m of messages.filter((x) => !touching.has(x.eventId ?? ''))) {
      const text = m.value.toString('utf8').toLowerCase();
      expect(entries.some((e) => text.includes(e.address.toLowerCase()))).toBe(false);
    }
  });
});

describe('the generated exposure graph', () => {
  const { messages } = generateStream(6_000, 11, CSV);
  const { summary, eventIds } = weaveExposureGraph(
    messages,
    sanctionedSpellings(CSV),
    { sources: 2, fanOut: 3, depth: 5, maxHops: 3 },
    11,
  );
  const graph = messages.filter((m) => m.eventId !== undefined && eventIds.has(m.eventId));

  it('counts what the screener must raise, hop by hop', () => {
    // Per source: 3 chains of 5 hops, a deposit and a withdrawal each, 2 dust chains of 3 hops.
    expect(summary).toMatchObject({
      events: 2 * (3 * 5 + 3 * 2 + 2 * 3),
      onchainHops: 30,
      deposits: 6,
      withdrawals: 6,
      dustHops: 12,
      // Hops 2–4 of each chain, deposits at 1–3 hops and withdrawals at 2–3, one per dust chain.
      expectedIndirect: 18 + 10 + 4,
      expectedIndirectExchange: 10,
      expectedRouting: 6,
    });
    expect(graph).toHaveLength(summary.events);
  });

  it('places every hop after the one before it, on one partition key per chain', () => {
    const byKey = new Map<string, Event[]>();
    for (const m of graph.filter((x) => x.kind === 'onchain')) {
      byKey.set(m.key, [...(byKey.get(m.key) ?? []), parse(m.value)]);
    }
    expect(byKey.size).toBe(2 * (3 + 2));
    for (const hops of byKey.values()) {
      for (let i = 1; i < hops.length; i++) {
        expect(Date.parse(hops[i].blockTime as string)).toBeGreaterThan(
          Date.parse(hops[i - 1].blockTime as string),
        );
        expect((hops[i].from as string[])[0]).toBe(hops[i - 1].to);
      }
    }
  });

  it('deposits from a hop recipient and withdraws to a Singapore VASP after the deposit', () => {
    const recipients = new Set(
      graph.filter((m) => m.kind === 'onchain').map((m) => parse(m.value).to as string),
    );
    const exchange = graph.filter((m) => m.kind === 'exchange').map((m) => parse(m.value));
    for (const deposit of exchange.filter((e) => e.direction === 'deposit')) {
      expect(recipients.has(deposit.address as string)).toBe(true);
      const account = (deposit.account as { id: string }).id;
      const withdrawal = exchange.find(
        (e) => e.direction === 'withdrawal' && (e.account as { id: string }).id === account,
      );
      expect(withdrawal?.counterparty).toMatchObject({ vaspCountry: 'SG' });
      expect(Date.parse(withdrawal?.occurredAt as string)).toBeGreaterThan(
        Date.parse(deposit.occurredAt as string),
      );
    }
  });
});
