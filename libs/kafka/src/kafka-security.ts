import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';
import { type KafkaSecurity, type SaslSettings, tlsConnectionOptions } from '@sekimori/config';

/** The kafkajs `ssl` and `sasl` options for a validated KAFKA_SECURITY_PROTOCOL setting. */
export function kafkaSecurityOptions(security: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return {
    ssl: security.tls === null ? undefined : tlsConnectionOptions(security.tls),
    sasl: security.sasl === null ? undefined : saslOptions(security.sasl),
  };
}

function saslOptions(sasl: SaslSettings): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username, password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

export type KafkaAccessFailure = 'authentication' | 'certificate';

/** Node's certificate verification codes and OpenSSL handshake failures (node:tls, `err.code`). */
const TLS_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_|^ERR_SSL_|^ERR_TLS_/;

/**
 * Whether an error from kafkajs is a credential or certificate problem, which no retry will
 * cure, rather than a broker that is not there yet. Walks the `cause` chain: kafkajs wraps the
 * first error in its retry errors.
 */
export function kafkaAccessFailure(error: unknown): KafkaAccessFailure | null {
  // Structural, not instanceof: socket errors may come from another realm (a test sandbox).
  for (
    let e: unknown = error, depth = 0;
    typeof e === 'object' && e !== null && depth < 10;
    depth++
  ) {
    const { name, message, code, cause } = e as Record<string, unknown>;
    if (name === 'KafkaJSSASLAuthenticationError') return 'authentication';
    if (typeof message === 'string' && /\bSASL\b/.test(message)) return 'authentication';
    if (typeof code === 'string' && TLS_FAILURE.test(code)) return 'certificate';
    e = cause;
  }
  return null;
}

/** The brokers refused our credentials or we refused their certificate: fatal at start. */
export class KafkaAccessError extends Error {
  constructor(
    readonly failure: KafkaAccessFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KafkaAccessError';
  }
}

/**
 * One metadata round trip before anything else talks to Kafka. kafkajs retries connection
 * errors, and a consumer would go on retrying a wrong password or an untrusted certificate in
 * its background loop; here those fail at once, by name. A broker that merely does not answer
 * yet is retried until `timeoutMs` and then left to the clients' own retries (returns false).
 * Its own client: kafkajs applies the client's retries to the first connection, not the admin's.
 */
export async function verifyKafkaAccess(
  options: { brokers: string[]; clientId: string; security: KafkaSecurity },
  timeoutMs = 15_000,
): Promise<boolean> {
  const { brokers, clientId, security } = options;
  const kafka = new Kafka({
    brokers,
    clientId,
    ...kafkaSecurityOptions(security),
    connectionTimeout: 3_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const until = Date.now() + timeoutMs;
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch (error) {
      const failure = kafkaAccessFailure(error);
      if (failure !== null) {
        throw new KafkaAccessError(failure, describeFailure(failure, security, error), {
          cause: error,
        });
      }
      if (Date.now() > until) return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function describeFailure(
  failure: KafkaAccessFailure,
  security: KafkaSecurity,
  error: unknown,
): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (failure === 'authentication') {
    const sasl = security.sasl;
    const who = sasl === null ? 'no SASL credentials' : `${sasl.mechanism} user "${sasl.username}"`;
    return `Kafka SASL authentication failed for ${who} (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD): ${detail}`;
  }
  const ca = security.tls?.caFile ?? 'the system trust store';
  return `Kafka TLS certificate verification failed, trusting ${ca} (KAFKA_SSL_CA_FILE, KAFKA_SSL_SERVER_NAME, KAFKA_SSL_CERT_FILE): ${detail}`;
}
