import type { Consumer, Kafka } from 'kafkajs';
import { AtLeastOnceDelivery } from './at-least-once-delivery';
import type { BatchPosition } from './delivery';

type Commit = { topic: string; partition: number; offset: string };

/** A consumer whose commits answer when the test says so. */
function scriptedConsumer() {
  const calls: Array<{ offsets: Commit[]; ok: () => void; fail: (e: Error) => void }> = [];
  const consumer = {
    commitOffsets: (offsets: Commit[]) =>
      new Promise<void>((ok, fail) => calls.push({ offsets, ok, fail })),
  } as unknown as Consumer;
  return { consumer, calls };
}

const at = (partition: number, nextOffset: string): BatchPosition => ({
  topic: 't',
  partition,
  nextOffset,
});
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// Batches without records: the producer is never touched, so no Kafka is needed.
const noKafka = {} as Kafka;

describe('AtLeastOnceDelivery offset commits', () => {
  it('returns before the commit and commits the acknowledged offset', async () => {
    const { consumer, calls } = scriptedConsumer();
    const delivery = new AtLeastOnceDelivery(noKafka, consumer);
    await delivery.deliver(at(0, '10'), []);
    expect(calls.map((c) => c.offsets)).toEqual([[{ topic: 't', partition: 0, offset: '10' }]]);
  });

  it("holds a partition's next batch until the previous commit is answered, never overtaking it", async () => {
    const { consumer, calls } = scriptedConsumer();
    const delivery = new AtLeastOnceDelivery(noKafka, consumer);
    await delivery.deliver(at(0, '10'), []);
    let second = false;
    const next = delivery.deliver(at(0, '20'), []).then(() => (second = true));
    // Another partition does not wait for partition 0.
    await delivery.deliver(at(1, '5'), []);
    await tick();
    expect(second).toBe(false);
    expect(calls.map((c) => c.offsets[0].offset)).toEqual(['10', '5']);
    calls[0].ok();
    await next;
    expect(calls.map((c) => c.offsets[0].offset)).toEqual(['10', '5', '20']);
  });

  it('throws the failure to the next batch of the partition and retries the commit in the background', async () => {
    const { consumer, calls } = scriptedConsumer();
    const delivery = new AtLeastOnceDelivery(noKafka, consumer, { initialMs: 2, maxMs: 4 });
    await delivery.deliver(at(0, '10'), []);
    calls[0].fail(new Error('coordinator away'));
    await expect(delivery.deliver(at(0, '20'), [])).rejects.toThrow('coordinator away');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toHaveLength(2);
    expect(calls[1].offsets[0].offset).toBe('10');
    calls[1].ok();
    await tick();
    await delivery.deliver(at(0, '20'), []);
    expect(calls.map((c) => c.offsets[0].offset)).toEqual(['10', '10', '20']);
  });

  it('flush waits for the commits in flight and reports what it could not commit', async () => {
    const { consumer, calls } = scriptedConsumer();
    const delivery = new AtLeastOnceDelivery(noKafka, consumer, { initialMs: 1_000, maxMs: 1_000 });
    await delivery.deliver(at(0, '10'), []);
    await delivery.deliver(at(1, '7'), []);
    const flushed = delivery.flush();
    calls[0].ok();
    calls[1].fail(new Error('gone'));
    await tick();
    // One last attempt for the failed one.
    expect(calls).toHaveLength(3);
    calls[2].fail(new Error('still gone'));
    await expect(flushed).resolves.toEqual([at(1, '7')]);
  });

  it('forgets the old generation after a rebalance', async () => {
    const { consumer, calls } = scriptedConsumer();
    const delivery = new AtLeastOnceDelivery(noKafka, consumer);
    await delivery.deliver(at(0, '10'), []);
    calls[0].fail(new Error('ILLEGAL_GENERATION'));
    await delivery.assigned();
    await delivery.deliver(at(0, '4'), []);
    expect(calls.map((c) => c.offsets[0].offset)).toEqual(['10', '4']);
  });

  it('sends no commit of a partition before one abandoned at a rebalance has settled', async () => {
    const { consumer, calls } = scriptedConsumer();
    const delivery = new AtLeastOnceDelivery(noKafka, consumer);
    await delivery.deliver(at(0, '30'), []);
    // Still in flight (kafkajs retrying it inside the call) when the group rebalances.
    await delivery.assigned();
    // Read again from the committed offset, in a smaller batch: its commit waits for '30'.
    await delivery.deliver(at(0, '20'), []);
    await delivery.deliver(at(1, '5'), []);
    await tick();
    expect(calls.map((c) => c.offsets[0].offset)).toEqual(['30', '5']);
    calls[0].ok();
    await tick();
    calls[2].ok();
    await delivery.deliver(at(0, '40'), []);
    // The last commit sent is the last to land: the group ends at '40', not at a late '30'.
    expect(calls.map((c) => c.offsets[0].offset)).toEqual(['30', '5', '20', '40']);
  });
});
