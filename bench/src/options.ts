import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  KAFKA_COMPRESSIONS,
  type KafkaCompression,
  UsageError,
  booleanFlag,
  integerFlag,
  parseCommandLine,
  stringFlag,
  stringFlags,
} from '@sekimori/config';
import type { AllocationSampling } from './allocation-profile';
import { VARIANT_IDS, type VariantId } from './variants';

export interface BenchOptions {
  events: number;
  seed: number;
  partitions: number;
  partitionsConcurrently: number;
  variants: VariantId[];
  latencySeconds: number;
  /** Produced at the offered rate before sampling starts. */
  warmupSeconds: number;
  /** One fixed offered load for the latency phase; null: the knee search. */
  rate: number | null;
  /** The latency knee's search: at most `steps` steps and `minutes` per variant. */
  knee: { steps: number; minutes: number };
  /** Throughput phases, each of every variant; the report gives the median and the spread. */
  runs: number;
  /** The screening API phase (null: skipped). */
  api: { seconds: number; connections: number; rate: number } | null;
  loader: boolean;
  profile: boolean;
  /** What --alloc-profile (every byte allocated) or --alloc-survivors samples; null: neither. */
  allocProfile: AllocationSampling | null;
  /** Extra node flags for the variant processes (investigation: --trace-gc, --max-semi-space-size). */
  nodeFlags: string[];
  /**
   * Compression of the input stream and the screener's output (KAFKA_COMPRESSION); null: input
   * uncompressed and the screener's default output.
   */
  compression: KafkaCompression | null;
  outDir: string;
  /** Rewrite the table in docs/performance.md (default: only for a full-size run). */
  updateDocs: boolean | null;
  /** The re-screen phase (issue 10); null: skipped. */
  retro: { events: number; added: number; live: number } | null;
  /** The exposure-graph phase (issue 11); null: skipped. */
  exposureGraph: { events: number; sources: number; fanOut: number; depth: number } | null;
  /** The scale-out phase (issue 12); null: skipped. */
  scaleOut: { events: number; partitions: number } | null;
  /**
   * Issue 18: the percentage of the stream's named accounts (holder's name matches a listed
   * entry) that hold a clearance in the "with clearances" screener runs; 0: no such runs.
   */
  clearances: number;
  /** Issue 18: reviews of the review-throughput pass; 0: skipped. */
  reviews: number;
}

/** A run this size measures for the docs: the phases of issues 10–12 are on unless turned off. */
const FULL_RUN_EVENTS = 200_000;

// Plain text beside the harness, so that scripts/bench.sh prints it before building anything.
// __dirname is bench/src under jest and dist/bench once built: the repository is two levels up.
export const USAGE = readFileSync(
  resolve(__dirname, '..', '..', 'bench', 'usage.txt'),
  'utf8',
).trimEnd();

/** The options of a run, or null when --help asked for the usage. */
export function parseOptions(argv: readonly string[]): BenchOptions | null {
  const line = parseCommandLine(argv, {
    flags: {
      events: { type: 'string' },
      seed: { type: 'string' },
      partitions: { type: 'string' },
      concurrency: { type: 'string' },
      variants: { type: 'string' },
      'latency-seconds': { type: 'string' },
      'warmup-seconds': { type: 'string' },
      rate: { type: 'string' },
      runs: { type: 'string' },
      'knee-steps': { type: 'string' },
      'knee-minutes': { type: 'string' },
      'api-seconds': { type: 'string' },
      'api-connections': { type: 'string' },
      'api-rate': { type: 'string' },
      'no-api': { type: 'boolean' },
      'no-loader': { type: 'boolean' },
      profile: { type: 'boolean' },
      'alloc-profile': { type: 'boolean' },
      'alloc-survivors': { type: 'boolean' },
      'node-flag': { type: 'string', multiple: true },
      compression: { type: 'string' },
      out: { type: 'string' },
      docs: { type: 'boolean' },
      'no-docs': { type: 'boolean' },
      retro: { type: 'string' },
      'retro-added': { type: 'string' },
      'retro-live': { type: 'string' },
      'no-retro': { type: 'boolean' },
      'exposure-graph': { type: 'boolean' },
      'no-exposure-graph': { type: 'boolean' },
      'graph-events': { type: 'string' },
      'graph-sources': { type: 'string' },
      'graph-fan-out': { type: 'string' },
      'graph-depth': { type: 'string' },
      'scale-out': { type: 'boolean' },
      'no-scale-out': { type: 'boolean' },
      'scale-out-events': { type: 'string' },
      'scale-out-partitions': { type: 'string' },
      clearances: { type: 'string' },
      reviews: { type: 'string' },
    },
    operands: { min: 0, max: 0, name: 'argument' },
  });
  if (line.help) return null;
  const rate = stringFlag(line, 'rate');
  const events = integerFlag(line, 'events', 200_000, 100);
  // CI's small run keeps the API phase short; a measuring run gives each load run 10 s.
  const apiSeconds = integerFlag(line, 'api-seconds', events < 20_000 ? 3 : 10, 1);
  return {
    events,
    seed: integerFlag(line, 'seed', 42, 0),
    partitions: integerFlag(line, 'partitions', 4, 1),
    partitionsConcurrently: integerFlag(line, 'concurrency', 3, 1),
    variants: variantsOf(stringFlag(line, 'variants')),
    latencySeconds: integerFlag(line, 'latency-seconds', 10, 1),
    warmupSeconds: integerFlag(line, 'warmup-seconds', 3, 0),
    rate: rate === undefined ? null : integerFlag(line, 'rate', 0, 1),
    runs: integerFlag(line, 'runs', 1, 1),
    // CI's small run measures one rate, as long as before; a measuring run searches to 10 %.
    knee: {
      steps: integerFlag(line, 'knee-steps', events < 20_000 ? 1 : 8, 1),
      minutes: integerFlag(line, 'knee-minutes', 6, 1),
    },
    api: booleanFlag(line, 'no-api')
      ? null
      : {
          seconds: apiSeconds,
          connections: integerFlag(line, 'api-connections', 32, 1),
          rate: integerFlag(line, 'api-rate', 1_000, 1),
        },
    loader: !booleanFlag(line, 'no-loader'),
    profile: booleanFlag(line, 'profile'),
    allocProfile: booleanFlag(line, 'alloc-survivors')
      ? 'survivors'
      : booleanFlag(line, 'alloc-profile')
        ? 'allocated'
        : null,
    nodeFlags: stringFlags(line, 'node-flag'),
    compression: compressionOf(stringFlag(line, 'compression')),
    outDir: stringFlag(line, 'out') ?? 'bench/results',
    updateDocs: booleanFlag(line, 'docs') ? true : booleanFlag(line, 'no-docs') ? false : null,
    ...phaseOptions(line, events),
    // Issue 18's figures are part of a full run; a small run measures them when asked.
    clearances: percentFlag(
      stringFlag(line, 'clearances'),
      events >= FULL_RUN_EVENTS ? 2 : 0,
      'clearances',
    ),
    reviews: integerFlag(line, 'reviews', events >= FULL_RUN_EVENTS ? 5_000 : 0, 0),
  };
}

/** A percentage in [0, 100] (decimals allowed), or the default when absent. */
export function percentFlag(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 100)) {
    throw new UsageError(`--${name}: a percentage from 0 to 100, got ${value}`);
  }
  return n;
}

type Line = ReturnType<typeof parseCommandLine>;

function compressionOf(value: string | undefined): KafkaCompression | null {
  if (value === undefined) return null;
  if (!(KAFKA_COMPRESSIONS as readonly string[]).includes(value)) {
    throw new UsageError(`--compression: one of ${KAFKA_COMPRESSIONS.join(', ')}, got ${value}`);
  }
  return value as KafkaCompression;
}

/** Whether a phase runs: asked for, turned off, or by default only in a full-size run. */
function wanted(line: Line, name: string, asked: boolean, events: number): boolean {
  if (booleanFlag(line, `no-${name}`)) {
    if (asked) throw new UsageError(`--${name} and --no-${name} together`);
    return false;
  }
  return asked || events >= FULL_RUN_EVENTS;
}

function phaseOptions(
  line: Line,
  events: number,
): Pick<BenchOptions, 'retro' | 'exposureGraph' | 'scaleOut'> {
  const retroOn = wanted(line, 'retro', stringFlag(line, 'retro') !== undefined, events);
  const retroEvents = integerFlag(line, 'retro', 1_000_000, 1_000);
  const graphOn = wanted(line, 'exposure-graph', booleanFlag(line, 'exposure-graph'), events);
  const graphEvents = integerFlag(line, 'graph-events', events, 1_000);
  const scaleOn = wanted(line, 'scale-out', booleanFlag(line, 'scale-out'), events);
  return {
    retro: retroOn
      ? {
          events: retroEvents,
          added: integerFlag(line, 'retro-added', 300, 1),
          live: integerFlag(line, 'retro-live', 20_000, 100),
        }
      : null,
    exposureGraph: graphOn
      ? {
          events: graphEvents,
          sources: integerFlag(
            line,
            'graph-sources',
            Math.max(5, Math.round(graphEvents / 5_000)),
            1,
          ),
          fanOut: integerFlag(line, 'graph-fan-out', 5, 1),
          depth: integerFlag(line, 'graph-depth', 5, 1),
        }
      : null,
    scaleOut: scaleOn
      ? {
          events: integerFlag(line, 'scale-out-events', Math.min(events, FULL_RUN_EVENTS), 1_000),
          partitions: integerFlag(line, 'scale-out-partitions', 12, 3),
        }
      : null,
  };
}

function variantsOf(value: string | undefined): VariantId[] {
  if (value === undefined) return [...VARIANT_IDS];
  const list = value.split(',').filter(Boolean);
  for (const v of list) {
    if (!(VARIANT_IDS as readonly string[]).includes(v)) {
      throw new UsageError(`unknown variant ${v} (one of ${VARIANT_IDS.join(', ')})`);
    }
  }
  return VARIANT_IDS.filter((v) => list.includes(v));
}
