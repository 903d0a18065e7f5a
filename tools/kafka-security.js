'use strict';
// kafkajs `ssl` and `sasl` options from the same variables the screener reads (libs/config,
// transport-security.ts): KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*. The tools are plain
// JS and cannot import the TypeScript libraries; the screener's validation is the thorough one.
const { readFileSync } = require('node:fs');

const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISMS = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' };

function fail(name, message) {
  throw new Error(`${name}: ${message}`);
}

function readFile(env, name) {
  const path = env[name];
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    return fail(name, `${path} cannot be read (${error.code})`);
  }
}

// NAME or NAME_FILE (a mounted secret, its trailing newline dropped).
function secret(env, name) {
  if (env[name] && env[`${name}_FILE`]) fail(name, `set either ${name} or ${name}_FILE, not both`);
  if (env[name]) return env[name];
  const file = readFile(env, `${name}_FILE`);
  return file === undefined ? undefined : file.toString('utf8').replace(/\r?\n$/, '');
}

function kafkaSecurityOptions(env = process.env) {
  const protocol = env.KAFKA_SECURITY_PROTOCOL || 'PLAINTEXT';
  if (!PROTOCOLS.includes(protocol)) {
    fail('KAFKA_SECURITY_PROTOCOL', `must be one of ${PROTOCOLS.join(', ')}, got "${protocol}"`);
  }
  const options = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const ca = readFile(env, 'KAFKA_SSL_CA_FILE');
    const cert = readFile(env, 'KAFKA_SSL_CERT_FILE');
    const key = readFile(env, 'KAFKA_SSL_KEY_FILE');
    options.ssl = {
      rejectUnauthorized: true,
      ...(ca ? { ca: [ca] } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(env.KAFKA_SSL_SERVER_NAME ? { servername: env.KAFKA_SSL_SERVER_NAME } : {}),
    };
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = MECHANISMS[env.KAFKA_SASL_MECHANISM];
    if (!mechanism) fail('KAFKA_SASL_MECHANISM', `must be one of ${Object.keys(MECHANISMS).join(', ')}`);
    const username = secret(env, 'KAFKA_SASL_USERNAME');
    const password = secret(env, 'KAFKA_SASL_PASSWORD');
    if (!username) fail('KAFKA_SASL_USERNAME', `is required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
    if (!password) fail('KAFKA_SASL_PASSWORD', `is required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
    options.sasl = { mechanism, username, password };
  }
  return options;
}

module.exports = { kafkaSecurityOptions };
