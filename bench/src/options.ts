import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  UsageError,
  booleanFlag,
  integerFlag,
  parseCommandLine,
  stringFlag,
  stringFlags,
} from '@sekimori/config';
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
  /** Offered load for the latency phase; default half the baseline's measured rate. */
  rate: number | null;
  /** Throughput phases, each of every variant; the report gives the median and the spread. */
  runs: number;
  /** The screening API phase (null: skipped). */
  api: { seconds: number; connections: number; rate: number } | null;
  loader: boolean;
  profile: boolean;
  /** Extra node flags for the variant processes (investigation: --trace-gc, --max-semi-space-size). */
  nodeFlags: string[];
  outDir: string;
  /** Rewrite the table in docs/performance.md (default: only for a full-size run). */
  updateDocs: boolean | null;
}

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
      'api-seconds': { type: 'string' },
      'api-connections': { type: 'string' },
      'api-rate': { type: 'string' },
      'no-api': { type: 'boolean' },
      'no-loader': { type: 'boolean' },
      profile: { type: 'boolean' },
      'node-flag': { type: 'string', multiple: true },
      out: { type: 'string' },
      docs: { type: 'boolean' },
      'no-docs': { type: 'boolean' },
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
    api: booleanFlag(line, 'no-api')
      ? null
      : {
          seconds: apiSeconds,
          connections: integerFlag(line, 'api-connections', 32, 1),
          rate: integerFlag(line, 'api-rate', 1_000, 1),
        },
    loader: !booleanFlag(line, 'no-loader'),
    profile: booleanFlag(line, 'profile'),
    nodeFlags: stringFlags(line, 'node-flag'),
    outDir: stringFlag(line, 'out') ?? 'bench/results',
    updateDocs: booleanFlag(line, 'docs') ? true : booleanFlag(line, 'no-docs') ? false : null,
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
