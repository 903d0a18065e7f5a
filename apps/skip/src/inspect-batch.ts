import type { Kafka } from 'kafkajs';
import {
  isolateUndecodableBatches,
  undecodableBatchOf,
  type UndecodableBatch,
} from '@sekimori/kafka';

export type Inspection = { decodes: true } | ({ decodes: false } & UndecodableBatch);

/**
 * Fetches the partition at `offset` with the screener's isolating decoders and says whether the
 * batch there decodes. kafkajs has no manual assignment: a throwaway group reads it, commits
 * nothing, and is deleted.
 */
export async function inspectBatch(
  kafka: Kafka,
  where: { topic: string; partition: number; offset: string },
  groupId: string,
  timeoutMs = 60_000,
): Promise<Inspection> {
  isolateUndecodableBatches();
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: where.topic, fromBeginning: false });
    const found = new Promise<Inspection>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      timer = setTimeout(
        () => reject(new Error(`no batch read at offset ${where.offset} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch }) => {
          if (batch.partition !== where.partition || batch.messages.length === 0) return;
          const first = BigInt(batch.messages[0].offset);
          const marked = undecodableBatchOf(batch.messages[0]);
          // Before the seek took effect kafkajs reads from the end: only a fetch at the offset counts.
          const fetched = (batch as unknown as { fetchedOffset?: string }).fetchedOffset;
          if (fetched !== where.offset) return;
          if (marked) resolve({ decodes: false, ...marked });
          else if (first >= BigInt(where.offset)) resolve({ decodes: true });
        },
      });
    });
    consumer.seek({ topic: where.topic, partition: where.partition, offset: where.offset });
    return await found;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
