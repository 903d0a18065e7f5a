// Producing with the reference Java client (ProduceRecords.java), as producers other than
// kafkajs write: any compression.type, null keys, tombstones, binary header values.
import { join } from 'node:path';
import { runJavaClient } from './java-client';
import { ROOT } from './screener-process';

const JAVA_PRODUCER = join(ROOT, 'test', 'support', 'java', 'ProduceRecords.java');

export interface JavaRecord {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  /** An array sends the header once per value, in order (a repeated header). */
  headers?: Record<string, Buffer | string | Array<Buffer | string>>;
}

export type JavaCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

const field = (bytes: Buffer | string | null): string =>
  bytes === null ? '-' : Buffer.from(bytes).toString('base64') || '-';

/**
 * Sends `records` in one producer session, batched together, with `compression`; resolves to
 * each record's partition and offset once the broker has acknowledged them all (acks=all).
 * `maxRequestSize` raises the producer's own limit, as a producer sending larger records does.
 */
export async function produceWithJava(
  env: Record<string, string>,
  records: JavaRecord[],
  options: { compression: JavaCompression; maxRequestSize?: number },
): Promise<{ partition: number; offset: string }[]> {
  const input = records
    .map(({ topic, key, value, headers = {} }) => {
      if (value !== null && Buffer.from(value).length === 0) {
        throw new Error('produceWithJava: an empty value cannot be told from null; use null');
      }
      const pairs = Object.entries(headers).flatMap(([name, v]) =>
        (Array.isArray(v) ? v : [v]).map((one) => `${field(name)}:${field(one)}`),
      );
      return [topic, field(key), field(value), ...pairs].join(' ');
    })
    .join('\n');
  const stdout = await runJavaClient(
    JAVA_PRODUCER,
    [env.KAFKA_BROKERS, options.compression, String(options.maxRequestSize ?? 1 << 20)],
    env,
    { input: `${input}\n` },
  );
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [partition, offset] = line.split(' ');
      return { partition: Number(partition), offset };
    });
}
