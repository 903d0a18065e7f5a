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
  loader: boolean;
  profile: boolean;
  /** Extra node flags for the variant processes (investigation: --trace-gc, --max-semi-space-size). */
  nodeFlags: string[];
  outDir: string;
  /** Rewrite the table in docs/performance.md (default: only for a full-size run). */
  updateDocs: boolean | null;
}

export const USAGE = `npm run bench -- [options]
node dist/bench/main.js render bench/results/bench-N.json [--docs]   re-render a result file
  --events N            events in the stream (default 200000)
  --seed N              stream seed (default 42)
  --partitions N        partitions per topic (default 4)
  --concurrency N       partitions consumed concurrently by baseline and screener (default 3)
  --variants a,b,...    of ${VARIANT_IDS.join(', ')} (default all)
  --latency-seconds N   length of the fixed-load phase (default 10)
  --warmup-seconds N    produced at the offered rate before sampling starts (default 3; at most 30% of the events)
  --rate N              offered load of the latency phase (default: half the baseline's events/s)
  --no-loader           skip timing the list loader (it still loads the list once)
  --profile             run the screener variants with --cpu-prof (profiles in the run directory)
  --node-flag FLAG      an extra node flag for every variant process (repeatable)
  --out DIR             where results go (default bench/results)
  --docs / --no-docs    rewrite the table in docs/performance.md (default: only when --events >= 200000)`;

export function parseOptions(argv: string[]): BenchOptions {
  const o: BenchOptions = {
    events: 200_000,
    seed: 42,
    partitions: 4,
    partitionsConcurrently: 3,
    variants: [...VARIANT_IDS],
    latencySeconds: 10,
    warmupSeconds: 3,
    rate: null,
    loader: true,
    profile: false,
    nodeFlags: [],
    outDir: 'bench/results',
    updateDocs: null,
  };
  const int = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--events':
        o.events = int(flag, value(), 100);
        break;
      case '--seed':
        o.seed = int(flag, value(), 0);
        break;
      case '--partitions':
        o.partitions = int(flag, value(), 1);
        break;
      case '--concurrency':
        o.partitionsConcurrently = int(flag, value(), 1);
        break;
      case '--latency-seconds':
        o.latencySeconds = int(flag, value(), 1);
        break;
      case '--warmup-seconds':
        o.warmupSeconds = int(flag, value(), 0);
        break;
      case '--rate':
        o.rate = int(flag, value(), 1);
        break;
      case '--variants': {
        const list = (value() ?? '').split(',').filter(Boolean);
        for (const v of list) {
          if (!(VARIANT_IDS as readonly string[]).includes(v))
            throw new Error(`unknown variant ${v}`);
        }
        o.variants = VARIANT_IDS.filter((v) => list.includes(v));
        break;
      }
      case '--no-loader':
        o.loader = false;
        break;
      case '--profile':
        o.profile = true;
        break;
      case '--node-flag':
        o.nodeFlags.push(value() ?? '');
        break;
      case '--out':
        o.outDir = value() ?? o.outDir;
        break;
      case '--docs':
        o.updateDocs = true;
        break;
      case '--no-docs':
        o.updateDocs = false;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  return o;
}
