// Reading an output topic whole with the reference Java consumer at read_committed, for exactly-once
// verdicts (ReadCommitted.java says why kafkajs is not enough there; test/support/kafka.ts's
// TopicCollector reads with kafkajs).
import { join } from 'node:path';
import { runJavaClient } from './java-client';
import type { Collected } from './kafka';
import { ROOT } from './screener-process';

/** A record as read whole from a topic (TopicCollector's messages carry the same fields). */
export type CollectedRecord = Pick<Collected, 'partition' | 'offset' | 'value' | 'headers'>;

const JAVA_READER = join(ROOT, 'test', 'faults', 'read-committed', 'ReadCommitted.java');

/**
 * Reads a topic with the reference Java consumer at read_committed (see ReadCommitted.java for
 * why not kafkajs), from the broker `env` names (KAFKA_BROKERS and its security settings). Uses
 * the Kafka jars the local stack already cached; null when Java cannot run it (a JRE without the
 * compiler module cannot launch a source file).
 */
export async function readCommittedWithJava(
  env: Record<string, string>,
  topic: string,
): Promise<CollectedRecord[] | null> {
  try {
    const stdout = await runJavaClient(JAVA_READER, [env.KAFKA_BROKERS, topic], env);
    return stdout
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => {
        const [partition, offset, ...value] = line.split(' ');
        return {
          partition: Number(partition),
          offset,
          value: Buffer.from(value.join(' ')),
          headers: {},
        };
      });
  } catch {
    return null;
  }
}
