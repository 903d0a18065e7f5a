import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert, Decision } from '@sekimori/contracts';
import { produce } from '../support/kafka';
import { json, onchainTransfer } from '../support/fixtures';
import { screenerFixture } from '../support/screener-fixture';
import { ROOT } from '../support/screener-process';

jest.setTimeout(240_000);

// The broker's default message.max.bytes (1,048,588): one partition's records in one produce
// request must stay under it, whatever a batch yields.
const BROKER_LIMIT_BYTES = 1_048_588;
const EVENTS = 120;

/** Every distinct Ethereum address of the shipped OFAC list, lower case (valid without EIP-55). */
function listedEthereumAddresses(): string[] {
  const dir = join(ROOT, 'data', 'sanctions', 'ofac');
  const csv = readdirSync(dir)
    .filter((n) => /^digital-currency-addresses-.*\.csv$/.test(n))
    .sort()
    .pop();
  if (!csv) throw new Error(`no OFAC address CSV in ${dir}`);
  const found = readFileSync(join(dir, csv), 'utf8').match(/^0x[0-9a-fA-F]{40}/gm) ?? [];
  return [...new Set(found.map((a) => a.toLowerCase()))];
}

describe('a batch whose output exceeds what the broker accepts in one request', () => {
  const world = screenerFixture();
  let prefix: string;

  beforeAll(async () => {
    prefix = await world.prefixWithList();
  });

  it.each(['at-least-once', 'exactly-once'])(
    '%s: is delivered in several requests, every alert and decision once',
    async (mode) => {
      // Up to 100 senders per event, every one listed: one SANCTIONS_ADDRESS_MATCH alert with a
      // match and a reason per sender, tens of kilobytes from an event of a few.
      const senders = listedEthereumAddresses().slice(0, 100);
      expect(senders.length).toBeGreaterThanOrEqual(60);
      const to = '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae';
      const events = Array.from({ length: EVENTS }, () => onchainTransfer({ from: senders, to }));
      // One request with one key: one record batch on one partition, which the screener reads
      // as one batch; every alert is keyed by the same subject, so lands on one partition too.
      await produce(
        world.topics.onchain,
        events.map((e) => ({ key: 'one-partition', value: json(e) })),
      );

      const alerts = await world.collect(world.topics.alerts);
      const decisions = await world.collect(world.topics.decisions);
      const screener = await world.start(prefix, {
        DELIVERY_MODE: mode,
        KAFKA_TRANSACTIONAL_ID_PREFIX: `large-output-${mode}`,
      });

      await decisions.waitForCount(EVENTS, 120_000);
      const byEvent = new Map(decisions.json<Decision>().map((d) => [d.eventId, d]));
      expect(byEvent.size).toBe(EVENTS);
      for (const e of events) expect(byEvent.get(e.eventId as string)?.decision).toBe('block');

      await alerts.waitForCount(EVENTS, 60_000);
      const matched = alerts.json<Alert>().filter((a) => a.ruleId === 'SANCTIONS_ADDRESS_MATCH');
      expect(new Set(matched.map((a) => a.eventId)).size).toBe(EVENTS);
      expect(matched).toHaveLength(EVENTS);
      expect(matched[0].matches?.length).toBe(senders.length);
      const alertPartitions = new Set(alerts.messages.map((m) => m.partition));
      expect(alertPartitions.size).toBe(1);
      const alertBytes = alerts.messages.reduce((sum, m) => sum + (m.value?.length ?? 0), 0);
      expect(alertBytes).toBeGreaterThan(2 * BROKER_LIMIT_BYTES);
      // Nothing was refused and retried: the batch went through on its first attempt.
      expect(screener.logs.filter((l) => l.level === 'error' || l.level === 50)).toEqual([]);
    },
  );
});
