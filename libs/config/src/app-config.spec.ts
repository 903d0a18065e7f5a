import { ConfigError } from './config-error';
import { loadConfig, redactConfig } from './app-config';

describe('loadConfig', () => {
  it('gives the contract defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config.kafka.brokers).toEqual(['localhost:9092']);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.topics).toEqual({
      onchain: 'transfers.onchain.v1',
      exchange: 'transfers.exchange.v1',
      rates: 'rates.v1',
      alerts: 'alerts.v1',
      decisions: 'decisions.v1',
      lists: 'lists.v1',
      deadLetters: 'transfers.dlq.v1',
      reviews: 'reviews.v1',
      reviewEffects: 'reviews.effects.v1',
    });
    expect(config.reviews).toEqual({ keyDigests: [], windowDays: 180, clearanceTtlDays: 365 });
    expect(config.kafka.deliveryMode).toBe('at-least-once');
    expect(config.kafka.compression).toBe('gzip');
    expect(config.screener.httpHost).toBe('127.0.0.1');
    expect(config.api.keyDigests).toEqual([]);
    expect(config.api).toMatchObject({
      rateLimitPerSecond: 200,
      refusalDelayMs: 1_000,
      maxInFlightPerKey: 2,
      bodyTimeoutMs: 5_000,
      maxConnections: 1_024,
    });
  });

  it('reads the review settings and refuses a reviewer token given in clear', () => {
    const digest = 'ab'.repeat(32);
    const config = loadConfig({
      REVIEW_API_KEYS: digest.toUpperCase(),
      REVIEW_WINDOW_DAYS: '30',
      CLEARANCE_TTL_DAYS: '90',
      TOPIC_REVIEWS: 'my.reviews',
    });
    expect(config.reviews).toEqual({ keyDigests: [digest], windowDays: 30, clearanceTtlDays: 90 });
    expect(config.topics.reviews).toBe('my.reviews');
    expect(() => loadConfig({ REVIEW_API_KEYS: 'secret-token' })).toThrow(/REVIEW_API_KEYS/);
  });

  it('reads the API limits, 0 turning the rate limit off', () => {
    const config = loadConfig({
      API_RATE_LIMIT_PER_SECOND: '0',
      API_REFUSAL_DELAY_MS: '0',
      API_MAX_IN_FLIGHT_PER_KEY: '0',
      API_BODY_TIMEOUT_MS: '250',
      API_MAX_CONNECTIONS: '8',
    });
    expect(config.api).toMatchObject({
      rateLimitPerSecond: 0,
      refusalDelayMs: 0,
      maxInFlightPerKey: 0,
      bodyTimeoutMs: 250,
      maxConnections: 8,
    });
  });

  it('reads the API key digests, lower-cased, without repeats', () => {
    const digest = 'AB'.repeat(32);
    const config = loadConfig({ SCREENING_API_KEYS: `${digest}, ${digest.toLowerCase()}` });
    expect(config.api.keyDigests).toEqual(['ab'.repeat(32)]);
  });

  it('reads every topic name and the broker list from the environment', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'a:1, b:2',
      TOPIC_ALERTS: 'alerts.test',
      DELIVERY_MODE: 'exactly-once',
    });
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.topics.alerts).toBe('alerts.test');
    expect(config.kafka.deliveryMode).toBe('exactly-once');
  });

  it.each([
    ['KAFKA_BROKERS', 'no-port'],
    ['REDIS_URL', 'http://x'],
    ['TOPIC_DLQ', 'bad topic'],
    ['DELIVERY_MODE', 'at-most-once'],
    ['MAX_MESSAGE_BYTES', '12.5'],
    ['HTTP_PORT', '70000'],
    ['KAFKA_CREATE_TOPICS', 'maybe'],
    ['KAFKA_COMPRESSION', 'brotli'],
    ['KAFKA_COMPRESSION', 'LZ4'],
    ['SCREENING_API_KEYS', 'a-plain-token'],
    ['API_RATE_LIMIT_PER_SECOND', '-1'],
    ['API_REFUSAL_DELAY_MS', '-1'],
    ['API_MAX_IN_FLIGHT_PER_KEY', '2.5'],
    ['API_BODY_TIMEOUT_MS', '5s'],
    ['API_MAX_CONNECTIONS', '0'],
    ['SCREENING_API_KEYS', `${'a'.repeat(64)},${'b'.repeat(63)}`],
  ])('rejects a bad %s and names it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}:`));
  });

  it('reads the output compression', () => {
    expect(loadConfig({ KAFKA_COMPRESSION: 'zstd' }).kafka.compression).toBe('zstd');
    expect(loadConfig({ KAFKA_COMPRESSION: 'none' }).kafka.compression).toBe('none');
  });

  it('refuses an empty restricted set instead of silently turning the rule off', () => {
    expect(() => loadConfig({ RESTRICTED_COUNTRIES: ',' })).toThrow(/^RESTRICTED_COUNTRIES:/);
    expect(
      loadConfig({ RESTRICTED_COUNTRIES: 'RU, KP' }).rules.overrides.restrictedCountries,
    ).toEqual(['RU', 'KP']);
  });

  it('reads EXPOSURE_MAX_HOPS and ROUTING_WINDOW_HOURS as rule overrides, within their bounds', () => {
    const overrides = loadConfig({ EXPOSURE_MAX_HOPS: '5', ROUTING_WINDOW_HOURS: '48' }).rules
      .overrides;
    expect(overrides).toMatchObject({ exposureMaxHops: 5, routingWindowHours: 48 });
    expect(() => loadConfig({ EXPOSURE_MAX_HOPS: '10' })).toThrow(/^EXPOSURE_MAX_HOPS:/);
    expect(() => loadConfig({ ROUTING_WINDOW_HOURS: '0' })).toThrow(/^ROUTING_WINDOW_HOURS:/);
  });

  it('requires the MOF and OFAC SDN lists by default and reads REQUIRED_LISTS', () => {
    expect(loadConfig({}).lists.required).toEqual(['jp-mof', 'ofac-sdn']);
    expect(loadConfig({ REQUIRED_LISTS: 'ofac-sdn, un-consolidated' }).lists.required).toEqual([
      'ofac-sdn',
      'un-consolidated',
    ]);
    expect(() => loadConfig({ REQUIRED_LISTS: ',' })).toThrow(/^REQUIRED_LISTS: must name/);
    expect(() => loadConfig({ REQUIRED_LISTS: 'OFAC SDN' })).toThrow(/^REQUIRED_LISTS:/);
  });

  it('reads the NAME_MATCH thresholds per list kind, 0.5 to 1', () => {
    expect(loadConfig({}).lists.nameThresholds).toEqual({ person: 0.9, entity: 0.94 });
    expect(
      loadConfig({ NAME_MATCH_THRESHOLD_PERSON: '0.92', NAME_MATCH_THRESHOLD_ENTITY: '1' }).lists
        .nameThresholds,
    ).toEqual({ person: 0.92, entity: 1 });
    expect(() => loadConfig({ NAME_MATCH_THRESHOLD_PERSON: '0.4' })).toThrow(
      /^NAME_MATCH_THRESHOLD_PERSON: must be a number from 0.5 to 1/,
    );
    expect(() => loadConfig({ NAME_MATCH_THRESHOLD_ENTITY: '90%' })).toThrow(
      /^NAME_MATCH_THRESHOLD_ENTITY:/,
    );
  });

  it('reads the NAME_MATCH evidence amounts, 0 to 1, and the circa years', () => {
    expect(loadConfig({}).lists.nameEvidence).toEqual({
      birthDateDiffers: 0.15,
      birthDateAgrees: 0.05,
      countryDiffers: 0.05,
      approximateYears: 1,
      idMinNameScore: 0.7,
    });
    const set = loadConfig({
      NAME_EVIDENCE_BIRTH_DATE_DIFFERS: '0.2',
      NAME_EVIDENCE_CIRCA_YEARS: '3',
    }).lists.nameEvidence;
    expect([set.birthDateDiffers, set.approximateYears]).toEqual([0.2, 3]);
    expect(() => loadConfig({ NAME_EVIDENCE_BIRTH_DATE_DIFFERS: '1.5' })).toThrow(
      /^NAME_EVIDENCE_BIRTH_DATE_DIFFERS: must be a number from 0 to 1/,
    );
    expect(() => loadConfig({ NAME_EVIDENCE_COUNTRY_DIFFERS: '-0.1' })).toThrow(
      /^NAME_EVIDENCE_COUNTRY_DIFFERS:/,
    );
  });

  it('reads REDIS_CLUSTER, and refuses a database other than 0 on a cluster', () => {
    expect(loadConfig({}).redis.cluster).toBe(false);
    expect(loadConfig({ REDIS_CLUSTER: 'true' }).redis.cluster).toBe(true);
    expect(loadConfig({ REDIS_CLUSTER: '1', REDIS_URL: 'redis://h:7000/0' }).redis.cluster).toBe(
      true,
    );
    expect(() => loadConfig({ REDIS_CLUSTER: 'maybe' })).toThrow(/^REDIS_CLUSTER:/);
    expect(() => loadConfig({ REDIS_CLUSTER: 'true', REDIS_URL: 'redis://h:7000/2' })).toThrow(
      /^REDIS_URL: selects database 2/,
    );
    expect(loadConfig({ REDIS_URL: 'redis://h:6379/2' }).redis.cluster).toBe(false);
  });

  it('never logs the Redis password', () => {
    const config = loadConfig({ REDIS_URL: 'redis://user:secret@host:6379' });
    expect(JSON.stringify(redactConfig(config))).not.toContain('secret');
  });
});
