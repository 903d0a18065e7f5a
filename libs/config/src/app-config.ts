import {
  DEFAULT_TOPICS,
  type DeliveryMode,
  type TopicNames,
  DEFAULT_MAX_MESSAGE_BYTES,
} from '@sekimori/contracts';
import { ConfigError } from './config-error';
import { bool, brokers, type Env, int, oneOf, redisUrl, str, topic } from './env-readers';
import {
  kafkaSecurity,
  type KafkaSecurity,
  redisSecurity,
  type RedisSecurity,
} from './transport-security';

export type { DeliveryMode } from '@sekimori/contracts';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** The compressions the screener can write its output in (KAFKA_COMPRESSION). */
export const KAFKA_COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];

export interface AppConfig {
  kafka: {
    brokers: string[];
    clientId: string;
    groupId: string;
    deliveryMode: DeliveryMode;
    /** Prefix of the transactional ids (exactly-once); one id per input partition is derived from it. */
    transactionalIdPrefix: string;
    sessionTimeoutMs: number;
    /** Create the contract topics at start when they are missing (local stack, first run). */
    createTopics: boolean;
    topicPartitions: number;
    partitionsConsumedConcurrently: number;
    /**
     * Compression of every record the screener produces: alerts, decisions, dead letters. gzip by
     * default: the bench's cheapest codec for its ratio, and the one any kafkajs consumer reads
     * without codecs of its own (docs/operations.md).
     */
    compression: KafkaCompression;
    /** TLS and SASL towards the brokers (KAFKA_SECURITY_PROTOCOL and companions). */
    security: KafkaSecurity;
  };
  redis: {
    url: string;
    keyPrefix: string;
    security: RedisSecurity;
    /** REDIS_CLUSTER: REDIS_URL names one node of a Redis Cluster; the client finds the rest. */
    cluster: boolean;
  };
  topics: TopicNames;
  screener: {
    maxMessageBytes: number;
    /** Where the HTTP server (health, metrics, screening API) listens. */
    httpHost: string;
    httpPort: number;
    /** Back-off while screening is unavailable (Redis down, no list): first and longest wait. */
    retryInitialMs: number;
    retryMaxMs: number;
    shutdownTimeoutMs: number;
    throughputLogIntervalMs: number;
  };
  api: {
    /**
     * SHA-256 digests (lower-case hex) of the accepted screening API tokens. Empty: every API
     * request is refused (401); health and metrics stay open.
     */
    keyDigests: string[];
    /**
     * Requests a second one key may make (a token bucket per key, refilled at this rate and
     * holding as many); past it, 429 with Retry-After. 0 turns the limit off.
     */
    rateLimitPerSecond: number;
    /**
     * A 429 is answered after this pause (at most its Retry-After): a client that retries at once
     * on each refusal then asks a few times a second instead of as fast as the CPU answers.
     */
    refusalDelayMs: number;
    /** Requests of one key in progress at once; its further ones wait their turn. 0: no cap. */
    maxInFlightPerKey: number;
    /** A request body must arrive whole within this, from when it is first read; else 408. */
    bodyTimeoutMs: number;
    /** Open connections the HTTP server accepts at once (health and metrics included). */
    maxConnections: number;
  };
  /** Review outcomes (docs/reviews.md). */
  reviews: {
    /** SHA-256 digests of the reviewer tokens (REVIEW_API_KEYS); a screening key cannot review. */
    keyDigests: string[];
    /** How long an alert can be reviewed after it was raised (its record is kept as long). */
    windowDays: number;
    /** How long a clearance lasts when its review gives no expiresAt. */
    clearanceTtlDays: number;
  };
  /** Re-screening past transfers when a list version adds addresses or names. */
  retro: {
    enabled: boolean;
    /** Transfers whose event time is older than this are left alone. */
    lookbackDays: number;
    /** How often the screener looks for a list version it has not re-screened for. */
    checkIntervalMs: number;
  };
  lists: {
    /** Versions kept per list besides the current one's (audit replay). */
    retainVersions: number;
    maxAgeHours: number;
    /**
     * Lists that must be loaded for screening to go on (fail closed): with any of them missing,
     * batches are held as with no list at all, even when other lists are loaded.
     */
    required: string[];
    /**
     * NAME_MATCH: the lowest score (0.5 to 1) that matches a listed person's, resp. a listed
     * entity's name (NAME_MATCH_THRESHOLD_PERSON, NAME_MATCH_THRESHOLD_ENTITY; docs/rules.md).
     */
    nameThresholds: { person: number; entity: number };
    /**
     * NAME_MATCH evidence from travel-rule data (NAME_EVIDENCE_*; docs/rules.md): how much a
     * differing or agreeing birth date and a differing country move a name's score, the years a
     * "circa" birth date stretches, and the least name score an agreeing id number needs.
     */
    nameEvidence: {
      birthDateDiffers: number;
      birthDateAgrees: number;
      countryDiffers: number;
      approximateYears: number;
      idMinNameScore: number;
    };
  };
  /**
   * Rules configuration: an optional JSON file (RULES_CONFIG) and one variable per threshold,
   * which wins over the file. The rules library validates the merged result.
   */
  rules: {
    configFile: string | null;
    overrides: {
      reportThresholdJpy?: string;
      structuringWindowDays?: number;
      exposureMaxHops?: number;
      routingWindowHours?: number;
      restrictedCountries?: string[];
      homeCountry?: string;
    };
  };
  log: { level: LogLevel };
}

/**
 * The one place that reads the environment. Every value is checked here, at boot, so a bad
 * value stops the process with a message naming the variable instead of failing mid-stream.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const brokersVar = brokers(env, 'KAFKA_BROKERS', 'localhost:9092');
  return {
    kafka: {
      brokers: brokersVar,
      clientId: str(env, 'KAFKA_CLIENT_ID', 'sekimori-screener'),
      groupId: str(env, 'KAFKA_GROUP_ID', 'sekimori-screener'),
      deliveryMode: oneOf<DeliveryMode>(env, 'DELIVERY_MODE', 'at-least-once', [
        'at-least-once',
        'exactly-once',
      ]),
      transactionalIdPrefix: str(env, 'KAFKA_TRANSACTIONAL_ID_PREFIX', 'sekimori-screener'),
      sessionTimeoutMs: int(env, 'KAFKA_SESSION_TIMEOUT_MS', 30_000, 6_000, 300_000),
      createTopics: bool(env, 'KAFKA_CREATE_TOPICS', true),
      topicPartitions: int(env, 'KAFKA_TOPIC_PARTITIONS', 3, 1, 1000),
      partitionsConsumedConcurrently: int(env, 'KAFKA_PARTITIONS_CONCURRENTLY', 3, 1, 64),
      compression: oneOf(env, 'KAFKA_COMPRESSION', 'gzip', KAFKA_COMPRESSIONS),
      security: kafkaSecurity(env),
    },
    redis: redisSettings(env),
    topics: {
      onchain: topic(env, 'TOPIC_ONCHAIN', DEFAULT_TOPICS.onchain),
      exchange: topic(env, 'TOPIC_EXCHANGE', DEFAULT_TOPICS.exchange),
      rates: topic(env, 'TOPIC_RATES', DEFAULT_TOPICS.rates),
      alerts: topic(env, 'TOPIC_ALERTS', DEFAULT_TOPICS.alerts),
      decisions: topic(env, 'TOPIC_DECISIONS', DEFAULT_TOPICS.decisions),
      lists: topic(env, 'TOPIC_LISTS', DEFAULT_TOPICS.lists),
      deadLetters: topic(env, 'TOPIC_DLQ', DEFAULT_TOPICS.deadLetters),
      reviews: topic(env, 'TOPIC_REVIEWS', DEFAULT_TOPICS.reviews),
      reviewEffects: topic(env, 'TOPIC_REVIEW_EFFECTS', DEFAULT_TOPICS.reviewEffects),
    },
    screener: {
      maxMessageBytes: int(
        env,
        'MAX_MESSAGE_BYTES',
        DEFAULT_MAX_MESSAGE_BYTES,
        1024,
        16 * 1024 * 1024,
      ),
      httpHost: str(env, 'HTTP_HOST', '127.0.0.1'),
      httpPort: int(env, 'HTTP_PORT', 3000, 0, 65535),
      retryInitialMs: int(env, 'RETRY_INITIAL_MS', 200, 10, 60_000),
      retryMaxMs: int(env, 'RETRY_MAX_MS', 5_000, 10, 300_000),
      shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 15_000, 1_000, 300_000),
      throughputLogIntervalMs: int(env, 'THROUGHPUT_LOG_INTERVAL_MS', 30_000, 1_000, 3_600_000),
    },
    api: {
      keyDigests: keyDigests(env, 'SCREENING_API_KEYS'),
      rateLimitPerSecond: int(env, 'API_RATE_LIMIT_PER_SECOND', 200, 0, 1_000_000),
      refusalDelayMs: int(env, 'API_REFUSAL_DELAY_MS', 1_000, 0, 60_000),
      maxInFlightPerKey: int(env, 'API_MAX_IN_FLIGHT_PER_KEY', 2, 0, 100_000),
      bodyTimeoutMs: int(env, 'API_BODY_TIMEOUT_MS', 5_000, 100, 300_000),
      maxConnections: int(env, 'API_MAX_CONNECTIONS', 1_024, 1, 1_000_000),
    },
    reviews: {
      keyDigests: keyDigests(env, 'REVIEW_API_KEYS'),
      windowDays: int(env, 'REVIEW_WINDOW_DAYS', 180, 1, 3650),
      clearanceTtlDays: int(env, 'CLEARANCE_TTL_DAYS', 365, 1, 3650),
    },
    retro: {
      enabled: bool(env, 'RETRO_SCREENING', true),
      lookbackDays: int(env, 'RETRO_LOOKBACK_DAYS', 365, 1, 3650),
      checkIntervalMs: int(env, 'RETRO_CHECK_INTERVAL_MS', 10_000, 100, 3_600_000),
    },
    lists: {
      retainVersions: int(env, 'LIST_RETAIN_VERSIONS', 30, 1, 1000),
      maxAgeHours: int(env, 'LIST_MAX_AGE_HOURS', 72, 1, 24 * 365),
      required: requiredLists(env),
      nameThresholds: {
        person: fraction(env, 'NAME_MATCH_THRESHOLD_PERSON', 0.9),
        entity: fraction(env, 'NAME_MATCH_THRESHOLD_ENTITY', 0.94),
      },
      nameEvidence: {
        birthDateDiffers: amount(env, 'NAME_EVIDENCE_BIRTH_DATE_DIFFERS', 0.15),
        birthDateAgrees: amount(env, 'NAME_EVIDENCE_BIRTH_DATE_AGREES', 0.05),
        countryDiffers: amount(env, 'NAME_EVIDENCE_COUNTRY_DIFFERS', 0.05),
        approximateYears: int(env, 'NAME_EVIDENCE_CIRCA_YEARS', 1, 0, 20),
        idMinNameScore: amount(env, 'NAME_EVIDENCE_ID_MIN_NAME_SCORE', 0.7),
      },
    },
    rules: {
      configFile: env.RULES_CONFIG ? str(env, 'RULES_CONFIG', '') : null,
      overrides: ruleOverrides(env),
    },
    log: logSettings(env),
  };
}

/** A score threshold between 0.5 (near anything matches) and 1 (only the same words). */
function fraction(env: Env, name: string, fallback: number): number {
  const raw = str(env, name, '');
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d(\.\d+)?$/.test(raw) || value < 0.5 || value > 1) {
    throw new ConfigError(name, `must be a number from 0.5 to 1, got "${raw}"`);
  }
  return value;
}

/** A score amount from 0 to 1 (NAME_EVIDENCE_*). */
function amount(env: Env, name: string, fallback: number): number {
  const raw = str(env, name, '');
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d(\.\d+)?$/.test(raw) || value > 1) {
    throw new ConfigError(name, `must be a number from 0 to 1, got "${raw}"`);
  }
  return value;
}

/** Shared with the list loader's narrower configuration (loader-config.ts). */
export function redisSettings(env: Env): AppConfig['redis'] {
  const url = redisUrl(env, 'REDIS_URL', 'redis://127.0.0.1:6379');
  const cluster = bool(env, 'REDIS_CLUSTER', false);
  const database = new URL(url).pathname.replace(/^\//, '');
  if (cluster && database !== '' && database !== '0') {
    // A cluster node refuses SELECT: every key lives in database 0.
    throw new ConfigError(
      'REDIS_URL',
      `selects database ${database}, but a Redis Cluster has only database 0`,
    );
  }
  return {
    url,
    keyPrefix: str(env, 'REDIS_KEY_PREFIX', 'sekimori'),
    security: redisSecurity(env, url),
    cluster,
  };
}

export function logSettings(env: Env): AppConfig['log'] {
  return {
    level: oneOf<LogLevel>(env, 'LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
    ]),
  };
}

/**
 * REQUIRED_LISTS: comma-separated list ids, never none. By default Japan's own list (the one
 * FEFTA binds a Japanese exchange to) and OFAC's, the one that lists the most crypto addresses.
 */
function requiredLists(env: Env): string[] {
  const ids = str(env, 'REQUIRED_LISTS', 'jp-mof,ofac-sdn')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  const bad = ids.find((id) => !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(id));
  if (bad !== undefined) {
    throw new ConfigError(
      'REQUIRED_LISTS',
      `"${bad}" is not a list id (lower-case letters, digits, '.', '_', '-')`,
    );
  }
  // Screening against whatever happens to be loaded is not failing closed.
  if (ids.length === 0) throw new ConfigError('REQUIRED_LISTS', 'must name at least one list');
  return [...new Set(ids)];
}

/**
 * SCREENING_API_KEYS, REVIEW_API_KEYS: comma-separated SHA-256 digests of the tokens, never the
 * tokens themselves, so that the configuration (and a log of it) gives nobody a usable key.
 */
function keyDigests(env: Env, name: string): string[] {
  const digests = str(env, name, '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d.length > 0);
  const bad = digests.find((d) => !/^[0-9a-f]{64}$/.test(d));
  if (bad !== undefined) {
    throw new ConfigError(
      name,
      'must hold SHA-256 digests (64 hex characters each) of the tokens, not the tokens',
    );
  }
  return [...new Set(digests)];
}

function ruleOverrides(env: Env): AppConfig['rules']['overrides'] {
  const overrides: AppConfig['rules']['overrides'] = {};
  if (env.FEFTA_REPORT_THRESHOLD_JPY) {
    overrides.reportThresholdJpy = str(env, 'FEFTA_REPORT_THRESHOLD_JPY', '');
  }
  if (env.STRUCTURING_WINDOW_DAYS) {
    overrides.structuringWindowDays = int(env, 'STRUCTURING_WINDOW_DAYS', 7, 1, 366);
  }
  if (env.EXPOSURE_MAX_HOPS) {
    overrides.exposureMaxHops = int(env, 'EXPOSURE_MAX_HOPS', 3, 1, 9);
  }
  if (env.ROUTING_WINDOW_HOURS) {
    overrides.routingWindowHours = int(env, 'ROUTING_WINDOW_HOURS', 72, 1, 8760);
  }
  if (env.RESTRICTED_COUNTRIES !== undefined) {
    const countries = str(env, 'RESTRICTED_COUNTRIES', '')
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c.length > 0);
    // An empty set would switch RESTRICTED_JURISDICTION off without a word; that has to be said
    // on purpose, in the rules file (rules.RESTRICTED_JURISDICTION.enabled = false).
    if (countries.length === 0) {
      throw new ConfigError(
        'RESTRICTED_COUNTRIES',
        'must list at least one country; to turn the rule off, disable RESTRICTED_JURISDICTION in RULES_CONFIG',
      );
    }
    overrides.restrictedCountries = countries;
  }
  if (env.HOME_COUNTRY) overrides.homeCountry = str(env, 'HOME_COUNTRY', 'JP');
  return overrides;
}

const HIDDEN = '***';

/**
 * The configuration as it may be logged: every password replaced, the Redis URL's included.
 * File paths stay: they say where a secret is, not what it is.
 */
export function redactConfig(config: AppConfig): AppConfig {
  const { sasl } = config.kafka.security;
  const { password } = config.redis.security;
  return {
    ...config,
    kafka: {
      ...config.kafka,
      security: {
        ...config.kafka.security,
        sasl: sasl === null ? null : { ...sasl, password: HIDDEN },
      },
    },
    redis: {
      ...config.redis,
      url: redactRedisUrl(config.redis.url),
      security: { ...config.redis.security, password: password === null ? null : HIDDEN },
    },
  };
}

export function redactRedisUrl(redisUrl: string): string {
  const url = new URL(redisUrl);
  if (url.password) url.password = HIDDEN;
  return url.toString();
}
