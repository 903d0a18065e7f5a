import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, redactConfig } from './app-config';
import { ConfigError } from './config-error';

const dir = mkdtempSync(join(tmpdir(), 'sekimori-config-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const CA = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const KEY = file('key.pem', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
const NOT_PEM = file('notes.txt', 'hello');
const PASSWORD_FILE = file('password', 's3cret-from-file\n');

const SASL_SSL = {
  KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
  KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
  KAFKA_SASL_USERNAME: 'screener',
  KAFKA_SASL_PASSWORD: 'p4ss',
  KAFKA_SSL_CA_FILE: CA,
};

describe('Kafka security settings', () => {
  it('is plain TCP without settings', () => {
    expect(loadConfig({}).kafka.security).toEqual({ protocol: 'PLAINTEXT', tls: null, sasl: null });
  });

  it('reads SASL_SSL with SCRAM and a CA file', () => {
    expect(loadConfig(SASL_SSL).kafka.security).toEqual({
      protocol: 'SASL_SSL',
      tls: { caFile: CA, certFile: null, keyFile: null, serverName: null },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'screener', password: 'p4ss' },
    });
  });

  it('trusts the system store when SSL has no CA file, and reads a client certificate', () => {
    const security = loadConfig({
      KAFKA_SECURITY_PROTOCOL: 'SSL',
      KAFKA_SSL_CERT_FILE: CA,
      KAFKA_SSL_KEY_FILE: KEY,
      KAFKA_SSL_SERVER_NAME: 'kafka.internal',
    }).kafka.security;
    expect(security.tls).toEqual({
      caFile: null,
      certFile: CA,
      keyFile: KEY,
      serverName: 'kafka.internal',
    });
    expect(security.sasl).toBeNull();
  });

  it('reads the password from a mounted file, without its trailing newline', () => {
    const { KAFKA_SASL_PASSWORD: _, ...rest } = SASL_SSL;
    const config = loadConfig({ ...rest, KAFKA_SASL_PASSWORD_FILE: PASSWORD_FILE });
    expect(config.kafka.security.sasl?.password).toBe('s3cret-from-file');
  });

  it.each<[string, Record<string, string>]>([
    ['KAFKA_SECURITY_PROTOCOL', { KAFKA_SECURITY_PROTOCOL: 'TLS' }],
    ['KAFKA_SASL_MECHANISM', { ...SASL_SSL, KAFKA_SASL_MECHANISM: 'GSSAPI' }],
    ['KAFKA_SASL_PASSWORD', { ...SASL_SSL, KAFKA_SASL_PASSWORD: '' }],
    ['KAFKA_SASL_USERNAME', { ...SASL_SSL, KAFKA_SASL_USERNAME: '' }],
    ['KAFKA_SASL_PASSWORD', { ...SASL_SSL, KAFKA_SASL_PASSWORD_FILE: PASSWORD_FILE }],
    [
      'KAFKA_SASL_PASSWORD_FILE',
      { ...SASL_SSL, KAFKA_SASL_PASSWORD: '', KAFKA_SASL_PASSWORD_FILE: join(dir, 'none') },
    ],
    ['KAFKA_SSL_CA_FILE', { ...SASL_SSL, KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') }],
    ['KAFKA_SSL_CA_FILE', { ...SASL_SSL, KAFKA_SSL_CA_FILE: NOT_PEM }],
    ['KAFKA_SSL_KEY_FILE', { ...SASL_SSL, KAFKA_SSL_CERT_FILE: CA }],
    ['KAFKA_SSL_CA_FILE', { KAFKA_SSL_CA_FILE: CA }],
    ['KAFKA_SASL_MECHANISM', { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SASL_MECHANISM: 'PLAIN' }],
    [
      'KAFKA_SASL_MECHANISM',
      {
        ...SASL_SSL,
        KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
        KAFKA_SSL_CA_FILE: '',
        KAFKA_SASL_MECHANISM: 'PLAIN',
      },
    ],
  ])('names %s when the combination is wrong', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${name}:`));
  });
});

describe('Redis security settings', () => {
  it('takes TLS from a rediss:// URL, with a CA file', () => {
    const config = loadConfig({ REDIS_URL: 'rediss://redis.internal:6380', REDIS_TLS_CA_FILE: CA });
    expect(config.redis.security).toEqual({
      tls: { caFile: CA, certFile: null, keyFile: null, serverName: null },
      username: null,
      password: null,
    });
  });

  it('reads an ACL user and a password file', () => {
    const config = loadConfig({ REDIS_USERNAME: 'sekimori', REDIS_PASSWORD_FILE: PASSWORD_FILE });
    expect(config.redis.security).toMatchObject({
      username: 'sekimori',
      password: 's3cret-from-file',
    });
  });

  it.each<[string, Record<string, string>]>([
    ['REDIS_TLS_CA_FILE', { REDIS_TLS_CA_FILE: CA }],
    ['REDIS_PASSWORD', { REDIS_USERNAME: 'sekimori' }],
    ['REDIS_PASSWORD', { REDIS_URL: 'redis://u:p@h:1', REDIS_PASSWORD: 'q' }],
    ['REDIS_TLS_CERT_FILE', { REDIS_URL: 'rediss://h:1', REDIS_TLS_KEY_FILE: KEY }],
  ])('names %s when the combination is wrong', (name, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${name}:`));
  });
});

describe('redactConfig', () => {
  it('hides every password and keeps where the secrets are', () => {
    const config = loadConfig({
      ...SASL_SSL,
      REDIS_URL: 'rediss://sekimori:url-secret@redis.internal:6380',
      REDIS_TLS_CA_FILE: CA,
    });
    const logged = JSON.stringify(redactConfig(config));
    expect(logged).not.toContain('p4ss');
    expect(logged).not.toContain('url-secret');
    expect(logged).toContain(CA);
    const withPassword = loadConfig({ REDIS_USERNAME: 'u', REDIS_PASSWORD: 'env-secret' });
    expect(JSON.stringify(redactConfig(withPassword))).not.toContain('env-secret');
  });
});
