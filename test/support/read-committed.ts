// Reading an output topic whole with the reference Java consumer at read_committed, for exactly-once
// verdicts (ReadCommitted.java says why kafkajs is not enough there; test/support/kafka.ts's
// TopicCollector reads with kafkajs).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Collected } from './kafka';
import { ROOT } from './screener-process';

const run = promisify(execFile);

/** A record as read whole from a topic (TopicCollector's messages carry the same fields). */
export type CollectedRecord = Pick<Collected, 'partition' | 'offset' | 'value' | 'headers'>;

const JAVA_READER = join(ROOT, 'test', 'faults', 'read-committed', 'ReadCommitted.java');

/**
 * Reads a topic with the reference Java consumer at read_committed (see ReadCommitted.java for
 * why not kafkajs). Uses the Kafka jars the local stack already cached; null when Java cannot
 * run it (a JRE without the compiler module cannot launch a source file).
 */
export async function readCommittedWithJava(
  brokers: string[],
  topic: string,
): Promise<CollectedRecord[] | null> {
  const libs = join(
    process.env.SEKIMORI_CACHE ?? join(process.env.HOME ?? '', '.cache', 'sekimori'),
    'kafka-4.1.1',
    'libs',
  );
  try {
    const { stdout } = await run(
      'java',
      ['-Xmx128m', '-cp', `${libs}/*`, JAVA_READER, brokers.join(','), topic],
      { maxBuffer: 256 << 20, timeout: 120_000 },
    );
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
