import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from './config-error';
import { type Env, oneOf, str } from './env-readers';
import { pemFile, secret } from './secrets';

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];
export const SASL_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/**
 * TLS as a client: the CA to trust (null: the system trust store), an optional client
 * certificate and key (mutual TLS), and the name to check the server's certificate against.
 */
export interface TlsSettings {
  caFile: string | null;
  certFile: string | null;
  keyFile: string | null;
  serverName: string | null;
}

export interface SaslSettings {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export interface KafkaSecurity {
  protocol: KafkaSecurityProtocol;
  tls: TlsSettings | null;
  sasl: SaslSettings | null;
}

const SASL_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'];
const KAFKA_TLS_VARIABLES = [
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_SSL_SERVER_NAME',
];

function isSet(env: Env, name: string): boolean {
  return (env[name] ?? '') !== '' || (env[`${name}_FILE`] ?? '') !== '';
}

/**
 * KAFKA_SECURITY_PROTOCOL and its companions, named as Kafka's own clients name them. A setting
 * the protocol would ignore is refused: a CA file with PLAINTEXT means the operator expected TLS.
 */
export function kafkaSecurity(env: Env): KafkaSecurity {
  const protocol = oneOf<KafkaSecurityProtocol>(
    env,
    'KAFKA_SECURITY_PROTOCOL',
    'PLAINTEXT',
    KAFKA_SECURITY_PROTOCOLS,
  );
  const usesTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const usesSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const stray = [...(usesTls ? [] : KAFKA_TLS_VARIABLES), ...(usesSasl ? [] : SASL_VARIABLES)].find(
    (name) => isSet(env, name),
  );
  if (stray !== undefined) {
    throw new ConfigError(
      stray,
      `is set, but KAFKA_SECURITY_PROTOCOL=${protocol} does not use it (SSL and SASL_SSL use TLS; SASL_PLAINTEXT and SASL_SSL use SASL)`,
    );
  }
  return {
    protocol,
    tls: usesTls ? tlsSettings(env, 'KAFKA_SSL') : null,
    sasl: usesSasl ? saslSettings(env, protocol) : null,
  };
}

function saslSettings(env: Env, protocol: KafkaSecurityProtocol): SaslSettings {
  const missing = SASL_VARIABLES.find((name) => !isSet(env, name));
  if (missing !== undefined) {
    throw new ConfigError(missing, `is required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
  }
  const mechanism = oneOf<SaslMechanism>(
    env,
    'KAFKA_SASL_MECHANISM',
    'SCRAM-SHA-512',
    SASL_MECHANISMS,
  );
  const password = secret(env, 'KAFKA_SASL_PASSWORD') ?? '';
  // PLAIN sends the password as it is; over a plain TCP connection anyone on the path reads it.
  if (mechanism === 'PLAIN' && protocol === 'SASL_PLAINTEXT') {
    throw new ConfigError(
      'KAFKA_SASL_MECHANISM',
      'PLAIN over SASL_PLAINTEXT sends the password in clear; use SASL_SSL or a SCRAM mechanism',
    );
  }
  return { mechanism, username: secret(env, 'KAFKA_SASL_USERNAME') ?? '', password };
}

/**
 * `<prefix>_CA_FILE`, `_CERT_FILE`, `_KEY_FILE`, `_SERVER_NAME`. A client certificate needs its
 * key and the other way round; each file must exist and hold PEM.
 */
export function tlsSettings(env: Env, prefix: string): TlsSettings {
  const certFile = pemFile(env, `${prefix}_CERT_FILE`, 'CERTIFICATE');
  const keyFile = pemFile(env, `${prefix}_KEY_FILE`, 'PRIVATE KEY');
  if ((certFile === null) !== (keyFile === null)) {
    const missing = certFile === null ? `${prefix}_CERT_FILE` : `${prefix}_KEY_FILE`;
    throw new ConfigError(
      missing,
      `is required with ${certFile === null ? `${prefix}_KEY_FILE` : `${prefix}_CERT_FILE`}: a client certificate needs its key`,
    );
  }
  const serverName = str(env, `${prefix}_SERVER_NAME`, '');
  return {
    caFile: pemFile(env, `${prefix}_CA_FILE`, 'CERTIFICATE'),
    certFile,
    keyFile,
    serverName: serverName === '' ? null : serverName,
  };
}

export interface RedisSecurity {
  /** Set for rediss:// URLs; null for redis://. */
  tls: TlsSettings | null;
  /** REDIS_USERNAME / REDIS_PASSWORD(_FILE); null: what the URL carries, if anything. */
  username: string | null;
  password: string | null;
}

const REDIS_TLS_VARIABLES = [
  'REDIS_TLS_CA_FILE',
  'REDIS_TLS_CERT_FILE',
  'REDIS_TLS_KEY_FILE',
  'REDIS_TLS_SERVER_NAME',
];

/** TLS follows the URL's scheme, so that one REDIS_URL says where and how, as ioredis reads it. */
export function redisSecurity(env: Env, url: string): RedisSecurity {
  const parsed = new URL(url);
  const usesTls = parsed.protocol === 'rediss:';
  const stray = usesTls ? undefined : REDIS_TLS_VARIABLES.find((name) => isSet(env, name));
  if (stray !== undefined) {
    throw new ConfigError(stray, 'is set, but REDIS_URL is not a rediss:// (TLS) URL');
  }
  const username = str(env, 'REDIS_USERNAME', '');
  const password = secret(env, 'REDIS_PASSWORD');
  if (username !== '' && password === null) {
    throw new ConfigError('REDIS_PASSWORD', 'is required with REDIS_USERNAME');
  }
  // Two sources for one credential would leave the operator guessing which one is used.
  if (password !== null && (parsed.password !== '' || parsed.username !== '')) {
    throw new ConfigError(
      'REDIS_PASSWORD',
      'REDIS_URL already carries credentials; set them in one place',
    );
  }
  return {
    tls: usesTls ? tlsSettings(env, 'REDIS_TLS') : null,
    username: username === '' ? null : username,
    password,
  };
}

/** Node's TLS client options for these settings; with no CA file, Node's trust store decides. */
export function tlsConnectionOptions(tls: TlsSettings): ConnectionOptions {
  return {
    rejectUnauthorized: true,
    ...(tls.caFile === null ? {} : { ca: [readFileSync(tls.caFile)] }),
    ...(tls.certFile === null ? {} : { cert: readFileSync(tls.certFile) }),
    ...(tls.keyFile === null ? {} : { key: readFileSync(tls.keyFile) }),
    ...(tls.serverName === null ? {} : { servername: tls.serverName }),
  };
}
