import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type Decision,
  DEFAULT_TOPICS,
  DLQ_HEADERS,
  ScreeningUnavailableError,
} from '@sekimori/contracts';
import type { ConsumedBatch } from '@sekimori/kafka';
import { defaultRules, RuleEngine, validateRulesConfig } from '@sekimori/rules';
import { ScreenTransfers } from '@sekimori/screening';
// The use case's in-memory fakes: this adapter is tested on the real use case without Redis.
import { InMemoryStores } from '../../screening/src/__fixtures__/in-memory-stores';
import { type BatchOutputs, TransferAndRateStream } from './transfer-and-rate-stream';

const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';

function onchain(eventId: string, to = '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae') {
  return {
    type: 'onchain-transfer',
    eventId,
    chain: 'ethereum',
    txHash: '0xabc',
    index: 0,
    blockTime: '2026-03-15T09:30:00Z',
    from: ['0x00000000219ab540356cbb839cbe05303d7705fa'],
    to,
    asset: 'ETH',
    amount: '1',
  };
}

function batch(topic: string, values: Array<unknown>): ConsumedBatch {
  return {
    topic,
    partition: 2,
    messages: values.map((value, i) => ({
      offset: String(100 + i),
      key: Buffer.from(`k${i}`),
      value:
        value === null
          ? null
          : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
      headers: {},
      timestamp: '0',
    })),
  };
}

function setUp() {
  const stores = new InMemoryStores();
  const key = `evm:${GARANTEX_ETH.toLowerCase()}`;
  stores.listed.set(key, [
    {
      key,
      chain: 'ethereum',
      address: GARANTEX_ETH.toLowerCase(),
      entityId: '36025',
      entityName: 'GARANTEX EUROPE OU',
      programs: ['CYBER4'],
      tag: 'ETH',
      listId: 'ofac-sdn',
      listVersion: 'v1',
    },
  ]);
  const reported: BatchOutputs[] = [];
  const engine = new RuleEngine(defaultRules(), validateRulesConfig({}));
  const stream = new TransferAndRateStream(
    new ScreenTransfers(stores.asStores(), engine),
    { putMany: async (rates) => rates.length },
    {
      topics: { ...DEFAULT_TOPICS },
      maxMessageBytes: 65_536,
      reporter: { delivered: (_batch, outputs) => reported.push(outputs) },
    },
  );
  return { stores, stream, reported };
}

describe('TransferAndRateStream (the Kafka adapter of the use case)', () => {
  it('puts out an alert per finding, a decision per event, and a dead letter (with a hold when the eventId reads) per bad input', async () => {
    const { stream, reported } = setUp();
    const outcome = await stream.handle(
      batch(DEFAULT_TOPICS.onchain, [
        onchain('e-listed', GARANTEX_ETH),
        onchain('e-clean'),
        'not json',
        { ...onchain('e-bad-address'), to: '0x123' },
        { ...onchain('e-bad-time'), blockTime: '2026-02-30T00:00:00Z' },
      ]),
    );
    const byTopic = (topic: string) => outcome.records.filter((r) => r.topic === topic);
    const decisions = byTopic(DEFAULT_TOPICS.decisions).map(
      (r) => JSON.parse(String(r.value)) as Decision,
    );
    expect(decisions.map((d) => [d.eventId, d.decision, d.unscreenable])).toEqual([
      ['e-bad-address', 'hold', 'INVALID_ADDRESS'],
      ['e-bad-time', 'hold', 'SCHEMA_VIOLATION'],
      ['e-listed', 'block', undefined],
      ['e-clean', 'pass', undefined],
    ]);
    expect(byTopic(DEFAULT_TOPICS.decisions).map((r) => r.key)).toEqual(
      decisions.map((d) => d.eventId),
    );
    expect(byTopic(DEFAULT_TOPICS.alerts)).toHaveLength(1);
    const dlq = byTopic(DEFAULT_TOPICS.deadLetters);
    expect(dlq.map((r) => r.headers?.[DLQ_HEADERS.code])).toEqual([
      'INVALID_JSON',
      'INVALID_ADDRESS',
      'SCHEMA_VIOLATION',
    ]);
    expect(dlq.map((r) => r.headers?.[DLQ_HEADERS.sourceOffset])).toEqual(['102', '103', '104']);
    // Reported once, when delivered, not when screened.
    expect(reported).toHaveLength(0);
    outcome.delivered?.();
    expect(reported[0].decisions).toHaveLength(4);
    expect(reported[0].deadLetters.map((d) => d.decision?.eventId ?? null)).toEqual([
      null,
      'e-bad-address',
      'e-bad-time',
    ]);
  });

  it('records rates and dead-letters a bad rate without a decision', async () => {
    const { stream } = setUp();
    const outcome = await stream.handle(
      batch(DEFAULT_TOPICS.rates, [
        { type: 'rate', asset: 'BTC', jpy: '15000000', at: '2026-03-15T09:00:00Z' },
        { type: 'rate', asset: 'BTC', jpy: '-1', at: '2026-03-15T09:00:00Z', eventId: 'r-1' },
      ]),
    );
    expect(outcome.records.map((r) => r.topic)).toEqual([DEFAULT_TOPICS.deadLetters]);
  });

  it('holds the whole batch (throws) while a store is away: no partial output', async () => {
    const { stores, stream } = setUp();
    stores.down = true;
    await expect(
      stream.handle(batch(DEFAULT_TOPICS.onchain, [onchain('e-1'), 'not json'])),
    ).rejects.toBeInstanceOf(ScreeningUnavailableError);
  });
});

describe('what a batch keeps while its review records are written', () => {
  // A full collection on demand: V8's own `gc`, reached without starting jest with --expose-gc.
  const collect = (): void => {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  };

  it('lets the parsed events and what the rules saw go before that round trip ends', async () => {
    const stores = new InMemoryStores();
    const engine = new RuleEngine(defaultRules(), validateRulesConfig({}));
    const screening = new ScreenTransfers(stores.asStores(), engine);
    const seen: Array<WeakRef<object>> = [];
    const screen = screening.screen.bind(screening);
    screening.screen = async (transfers, mode, reviewsAt) => {
      const screened = await screen(transfers, mode, reviewsAt);
      for (const s of screened) seen.push(new WeakRef(s.transfer.event), new WeakRef(s.context));
      return screened;
    };
    let written: () => void = () => undefined;
    const stream = new TransferAndRateStream(
      screening,
      { putMany: async (rates) => rates.length },
      {
        topics: { ...DEFAULT_TOPICS },
        maxMessageBytes: 65_536,
        held: {
          recordScreened: () =>
            new Promise<Set<string>>((resolve) => {
              written = () => resolve(new Set());
            }),
        },
      },
    );
    const outcome = stream.handle(batch(DEFAULT_TOPICS.onchain, [onchain('e-1'), onchain('e-2')]));
    // The batch is now waiting on the review records; a WeakRef's target lives to the end of
    // the job that made or read it, so the collection comes a task later.
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(4);
    collect();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    written();
    expect(
      (await outcome).records.filter((r) => r.topic === DEFAULT_TOPICS.decisions),
    ).toHaveLength(2);
  });
});
