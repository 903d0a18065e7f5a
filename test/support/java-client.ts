// Running a single-file Java program on the reference Kafka client (the jars the local stack
// caches), for tests that need a client other than kafkajs: ReadCommitted.java reads, and
// ProduceRecords.java writes as other producers do.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSecurity } from '@sekimori/config';

/** The Kafka jars the local stack downloaded (scripts/stack/up.sh). */
export function kafkaJars(): string {
  const cache = process.env.SEKIMORI_CACHE ?? join(process.env.HOME ?? '', '.cache', 'sekimori');
  return join(cache, 'kafka-4.1.1', 'libs');
}

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
    throw new Error('java client: client certificates and server names are not mapped');
  }
  if (security.sasl) {
    const module = security.sasl.mechanism.startsWith('SCRAM')
      ? 'org.apache.kafka.common.security.scram.ScramLoginModule'
      : 'org.apache.kafka.common.security.plain.PlainLoginModule';
    // Properties-file escaping: a backslash or a quote in the password would need more.
    if (/["\\\n]/.test(security.sasl.username + security.sasl.password)) {
      throw new Error('java client: SASL credentials with quotes are not mapped');
    }
    properties.push(
      `sasl.mechanism=${security.sasl.mechanism}`,
      `sasl.jaas.config=${module} required username="${security.sasl.username}" password="${security.sasl.password}";`,
    );
  }
  return properties;
}

/**
 * Runs `source` (a single-file Java program, compiled by the launcher) with `args`, then the
 * path of a client properties file when `env` names a secured broker, and returns its standard
 * output. The password goes in a file only this user reads, not on the command line.
 */
export async function runJavaClient(
  source: string,
  args: string[],
  env: Record<string, string>,
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const properties = javaSecurityProperties(env);
  const dir = properties.length > 0 ? mkdtempSync(join(tmpdir(), 'sekimori-java-client-')) : null;
  const propertiesFile = dir === null ? null : join(dir, 'client.properties');
  if (propertiesFile !== null) {
    writeFileSync(propertiesFile, `${properties.join('\n')}\n`, { mode: 0o600 });
  }
  const argv = [
    ...['-Xmx128m', '-cp', `${kafkaJars()}/*`, source, ...args],
    ...(propertiesFile === null ? [] : [propertiesFile]),
  ];
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn('java', argv, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
        else {
          const why = Buffer.concat(err).toString('utf8').slice(-2000);
          reject(new Error(`java ${source} exited ${code ?? signal}: ${why}`));
        }
      });
      // A program that fails early closes its input; its exit status says why, not EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}
