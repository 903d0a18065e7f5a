import { join } from 'node:path';
import type { TopicNames } from '@sekimori/contracts';
import { MeasuredProcess } from './child';

export const VARIANT_IDS = ['baseline', 'screener', 'screener-eos', 'nest-stock'] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

/**
 * The bare pipe copies each input to the alerts topic: one output per input, no decisions, no
 * lists read. Every other variant screens: a decision per event, against the lists.
 */
export function isBarePipe(id: VariantId): boolean {
  return id === 'baseline';
}

export const VARIANT_LABELS: Record<VariantId, string> = {
  baseline: '(a) baseline: bare kafkajs pipe',
  screener: '(b) sekimori screener, at-least-once',
  'screener-eos': '(b) sekimori screener, exactly-once',
  'nest-stock': '(c) stock Nest Kafka transport',
};

/** Every variant prints this once its consumer is in the group. */
export const READY_LINE = '"msg":"joined consumer group"';

export interface StartOptions {
  root: string;
  benchMain: string;
  brokers: string;
  redisUrl: string;
  topics: TopicNames;
  groupId: string;
  redisPrefix: string;
  logFile: string;
  /** Extra node flags, e.g. `--cpu-prof --cpu-prof-dir=...` for the screener variants. */
  nodeFlags: string[];
  partitionsConcurrently: number;
  /** More environment for the screener (the API phase's key). */
  extraEnv?: Record<string, string>;
  /** KAFKA_COMPRESSION of the screener variants; their default when absent. */
  compression?: string;
}

/**
 * glibc's malloc arenas for the screener, as the image and `npm start` set them: each thread
 * that allocates gets an arena of its own, kept after the work is done. Measured while the gzip
 * codec still ran on libuv's threads: 301-304 MB peak RSS against 319-330 MB with glibc's
 * default (8 per core), CPU within the runs' noise (docs/performance.md).
 */
export const SCREENER_MALLOC_ARENA_MAX = '2';

function screenerEnv(o: StartOptions, exactlyOnce: boolean): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    KAFKA_BROKERS: o.brokers,
    REDIS_URL: o.redisUrl,
    REDIS_KEY_PREFIX: o.redisPrefix,
    // The bench loads the OFAC list alone (loader.ts).
    REQUIRED_LISTS: 'ofac-sdn',
    KAFKA_GROUP_ID: o.groupId,
    KAFKA_CREATE_TOPICS: 'false',
    KAFKA_PARTITIONS_CONCURRENTLY: String(o.partitionsConcurrently),
    HTTP_PORT: '0',
    TOPIC_ONCHAIN: o.topics.onchain,
    TOPIC_EXCHANGE: o.topics.exchange,
    TOPIC_RATES: o.topics.rates,
    TOPIC_ALERTS: o.topics.alerts,
    TOPIC_DECISIONS: o.topics.decisions,
    TOPIC_LISTS: o.topics.lists,
    TOPIC_DLQ: o.topics.deadLetters,
    TOPIC_REVIEWS: o.topics.reviews,
    TOPIC_REVIEW_EFFECTS: o.topics.reviewEffects,
    DELIVERY_MODE: exactlyOnce ? 'exactly-once' : 'at-least-once',
    KAFKA_TRANSACTIONAL_ID_PREFIX: `${o.groupId}.tx`,
    ...(o.compression ? { KAFKA_COMPRESSION: o.compression } : {}),
    ...o.extraEnv,
    // As the image and `npm start` run it (docker/Dockerfile, scripts/start.sh).
    MALLOC_ARENA_MAX: SCREENER_MALLOC_ARENA_MAX,
  };
}

export function startVariant(id: VariantId, o: StartOptions): MeasuredProcess {
  switch (id) {
    case 'baseline':
      return new MeasuredProcess(
        id,
        o.logFile,
        [...o.nodeFlags, o.benchMain, 'worker:baseline'],
        {
          PATH: process.env.PATH ?? '',
          BENCH_BROKERS: o.brokers,
          BENCH_GROUP: o.groupId,
          BENCH_INPUT_TOPICS: [o.topics.onchain, o.topics.exchange, o.topics.rates].join(','),
          BENCH_OUTPUT_TOPIC: o.topics.alerts,
          BENCH_CONCURRENCY: String(o.partitionsConcurrently),
        },
        o.root,
      );
    case 'screener':
    case 'screener-eos':
      return new MeasuredProcess(
        id,
        o.logFile,
        [...o.nodeFlags, join(o.root, 'dist', 'apps', 'screener', 'main.js')],
        screenerEnv(o, id === 'screener-eos'),
        o.root,
      );
    case 'nest-stock':
      return new MeasuredProcess(
        id,
        o.logFile,
        [...o.nodeFlags, o.benchMain, 'worker:nest-stock'],
        screenerEnv(o, false),
        o.root,
      );
  }
}
