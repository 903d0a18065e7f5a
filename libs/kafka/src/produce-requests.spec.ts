import {
  MAX_PRODUCE_REQUEST_BYTES,
  produceRequests,
  recordBytes,
  toTopicMessages,
} from './produce-requests';
import type { OutboundRecord } from './records';

const record = (topic: string, n: number, valueBytes: number): OutboundRecord => ({
  topic,
  key: `k${n % 3}`,
  value: `${n}:`.padEnd(valueBytes, 'x'),
});

/** The records of each request back in send order, per topic (the order a partition sees). */
const flatten = (requests: ReturnType<typeof produceRequests>): string[] =>
  requests.flatMap((r) => r.flatMap((t) => t.messages.map((m) => `${t.topic}/${String(m.value)}`)));

describe('produceRequests', () => {
  it('keeps a batch under the bound in one request, grouped by topic', () => {
    const records = [record('alerts', 1, 100), record('decisions', 2, 50), record('alerts', 3, 80)];
    const requests = produceRequests(records);
    expect(requests).toEqual([toTopicMessages(records)]);
    expect(requests[0].map((t) => [t.topic, t.messages.length])).toEqual([
      ['alerts', 2],
      ['decisions', 1],
    ]);
  });

  it('splits a batch over the bound into requests each within it, every record once and in order', () => {
    const topics = ['alerts', 'decisions', 'dlq'];
    const records = Array.from({ length: 3_000 }, (_, n) =>
      record(topics[n % 3], n, 200 + ((n * 37) % 900)),
    );
    const total = records.reduce((sum, r) => sum + recordBytes(r), 0);
    expect(total).toBeGreaterThan(2 * MAX_PRODUCE_REQUEST_BYTES);

    const requests = produceRequests(records);
    expect(requests.length).toBeGreaterThanOrEqual(Math.ceil(total / MAX_PRODUCE_REQUEST_BYTES));
    for (const request of requests) {
      const bytes = request
        .flatMap((t) =>
          t.messages.map((m) =>
            recordBytes({ topic: t.topic, key: m.key ?? null, value: m.value ?? '' }),
          ),
        )
        .reduce((a, b) => a + b, 0);
      expect(bytes).toBeLessThanOrEqual(MAX_PRODUCE_REQUEST_BYTES);
    }
    for (const topic of topics) {
      const sent = flatten(requests).filter((v) => v.startsWith(`${topic}/`));
      const expected = records.filter((r) => r.topic === topic).map((r) => `${topic}/${r.value}`);
      expect(sent).toEqual(expected);
    }
  });

  it('sends a record larger than the bound alone, between its neighbours', () => {
    const records = [record('a', 1, 10), record('a', 2, 5_000), record('a', 3, 10)];
    const requests = produceRequests(records, 1_000);
    expect(requests.map((r) => r[0].messages.map((m) => String(m.value).split(':')[0]))).toEqual([
      ['1'],
      ['2'],
      ['3'],
    ]);
  });

  it('makes no request for no records', () => {
    expect(produceRequests([])).toEqual([]);
  });

  it('counts keys, values and headers in bytes, not characters', () => {
    const plain = recordBytes({ topic: 't', key: null, value: 'ab' });
    expect(recordBytes({ topic: 't', key: null, value: 'あい' })).toBe(plain + 4);
    expect(
      recordBytes({ topic: 't', key: 'k', value: 'ab', headers: { h: Buffer.alloc(10) } }),
    ).toBeGreaterThan(plain + 11);
  });
});
