// Reading an output topic whole with the reference Java consumer at read_committed, for exactly-once
// verdicts (ReadCommitted.java says why kafkajs is not enough there; test/support/kafka.ts's
// TopicCollector reads with kafkajs).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kafkaSecurity } from '@sekimori/config';
import type { Collected } from './kafka';
import { ROOT } from './screener-process';

const run = promisify(execFile);

/** A record as read whole from a topic (TopicCollector's messages carry the same fields). */
export type CollectedRecord = Pick<Collected, 'partition' | 'offset' | 'value' | 'headers'>;

const JAVA_READER = join(ROOT, 'test', 'faults', 'read-committed', 'ReadCommitted.java');

/**
 * The Java client's security properties for the settings in `env` (KAFKA_SECURITY_PROTOCOL and
 * its companions, as the services read them); none for PLAINTEXT.
 */
function javaSecurityProperties(env: Record<string, string>): string[] {
  const security = kafkaSecurity(env);
  if (security.protocol === 'PLAINTEXT') return [];
  const properties = [`security.protocol=${security.protocol}`];
  if (security.tls?.caFile) {
    properties.push('ssl.truststore.type=PEM', `ssl.truststore.location=${security.tls.caFile}`);
  }
  if (security.tls?.certFile || security.tls?.serverName) {
    throw new Error('readCommittedWithJava: client certificates and server names are not mapped');
  }
  if (security.sasl) {
    const module = security.sasl.mechanism.startsWith('SCRAM')
      ? 'org.apache.kafka.common.security.scram.ScramLoginModule'
      : 'org.apache.kafka.common.security.plain.PlainLoginModule';
    // Properties-file escaping: a backslash or a quote in the password would need more.
    if (/["\\\n]/.test(security.sasl.username + security.sasl.password)) {
      throw new Error('readCommittedWithJava: SASL credentials with quotes are not mapped');
    }
    properties.push(
      `sasl.mechanism=${security.sasl.mechanism}`,
      `sasl.jaas.config=${module} required username="${security.sasl.username}" password="${security.sasl.password}";`,
    );
  }
  return properties;
}

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
  const properties = javaSecurityProperties(env);
  // The password goes in a file only this user reads, not on the command line.
  const dir = properties.length > 0 ? mkdtempSync(join(tmpdir(), 'sekimori-java-reader-')) : null;
  const propertiesFile = dir === null ? null : join(dir, 'client.properties');
  if (propertiesFile !== null) {
    writeFileSync(propertiesFile, `${properties.join('\n')}\n`, { mode: 0o600 });
  }
  const libs = join(
    process.env.SEKIMORI_CACHE ?? join(process.env.HOME ?? '', '.cache', 'sekimori'),
    'kafka-4.1.1',
    'libs',
  );
  try {
    const { stdout } = await run(
      'java',
      [
        ...['-Xmx128m', '-cp', `${libs}/*`, JAVA_READER, env.KAFKA_BROKERS, topic],
        ...(propertiesFile === null ? [] : [propertiesFile]),
      ],
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
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}
