import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { registerKafkaCodecs } from '@sekimori/kafka';

/**
 * Variant (a), the ceiling: a bare kafkajs consume → parse → produce pipe with the screener's
 * own delivery discipline (eachBatch, idempotent producer with acks=all, offsets committed only
 * after the output is acknowledged) and no screening. One output message per input.
 *
 * Environment: BENCH_BROKERS, BENCH_GROUP, BENCH_INPUT_TOPICS (comma-separated),
 * BENCH_OUTPUT_TOPIC, BENCH_CONCURRENCY (partitions consumed concurrently, as the screener's
 * KAFKA_PARTITIONS_CONCURRENTLY).
 */
export async function runBaselinePipe(): Promise<void> {
  const env = process.env;
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`${name} is required`);
    return v;
  };
  registerKafkaCodecs();
  const kafka = new Kafka({
    clientId: 'bench-baseline',
    brokers: need('BENCH_BROKERS').split(','),
    logLevel: logLevel.WARN,
  });
  const output = need('BENCH_OUTPUT_TOPIC');
  const consumer = kafka.consumer({
    groupId: need('BENCH_GROUP'),
    sessionTimeout: 30_000,
    readUncommitted: false,
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  await consumer.connect();
  consumer.on(consumer.events.GROUP_JOIN, () => {
    process.stdout.write(`${JSON.stringify({ msg: 'joined consumer group' })}\n`);
  });
  await consumer.subscribe({ topics: need('BENCH_INPUT_TOPICS').split(','), fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: Number(env.BENCH_CONCURRENCY ?? '3'),
    eachBatch: async ({ batch, resolveOffset }) => {
      if (batch.messages.length === 0) return;
      const messages = batch.messages.map((m) => {
        let eventId: unknown = null;
        try {
          eventId = (JSON.parse(m.value?.toString('utf8') ?? 'null') as { eventId?: unknown })
            ?.eventId;
        } catch {
          eventId = null;
        }
        return { key: m.key, value: JSON.stringify({ type: 'passed', eventId, offset: m.offset }) };
      });
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [{ topic: output, messages }],
      });
      const last = batch.lastOffset();
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
      ]);
      resolveOffset(last);
    },
  });
  const stop = (): void => {
    void consumer
      .disconnect()
      .then(() => producer.disconnect())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
