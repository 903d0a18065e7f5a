import {
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSSASLAuthenticationError,
} from 'kafkajs';
import { kafkaAccessFailure, kafkaSecurityOptions } from './kafka-security';

describe('kafkaAccessFailure', () => {
  it('is authentication for a SASL failure, also inside kafkajs retry errors', () => {
    // kafkajs' type declarations give this error no constructor arguments; its code passes one.
    const SaslError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;
    const sasl = new SaslError(
      'SASL SCRAM SHA512 authentication failed: Invalid username or password',
    );
    expect(kafkaAccessFailure(sasl)).toBe('authentication');
    const wrapped = new KafkaJSNumberOfRetriesExceeded(sasl, { retryCount: 0, retryTime: 10 });
    expect(kafkaAccessFailure(wrapped)).toBe('authentication');
  });

  it.each([
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ])('is certificate for the TLS error %s', (code) => {
    const error = new KafkaJSConnectionError('Connection error: self-signed certificate', {
      broker: 'b:9094',
      code,
    });
    expect(kafkaAccessFailure(error)).toBe('certificate');
  });

  it.each<[string, unknown]>([
    [
      'a refused connection',
      new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', {
        code: 'ECONNREFUSED',
      }),
    ],
    ['a timeout', new KafkaJSConnectionError('Connection timeout')],
    ['a string', 'not an error'],
  ])('is nothing for %s: retrying may cure it', (_what, error) => {
    expect(kafkaAccessFailure(error)).toBeNull();
  });
});

describe('kafkaSecurityOptions', () => {
  it('maps the mechanism names to kafkajs ones and leaves plain TCP alone', () => {
    expect(kafkaSecurityOptions({ protocol: 'PLAINTEXT', tls: null, sasl: null })).toEqual({
      ssl: undefined,
      sasl: undefined,
    });
    const options = kafkaSecurityOptions({
      protocol: 'SASL_SSL',
      tls: { caFile: null, certFile: null, keyFile: null, serverName: 'kafka.internal' },
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' },
    });
    expect(options.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: 'p' });
    expect(options.ssl).toEqual({ rejectUnauthorized: true, servername: 'kafka.internal' });
  });
});
