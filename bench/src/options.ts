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
  --runs N              repeat the throughput phase N times; median and min–max per variant (default 1)
  --api-seconds N       length of each API load run (default 10; 3 when --events < 20000)
  --api-connections N   connections of the API's closed-loop run (default 32)
  --api-rate N          offered requests/s of the API's fixed-rate run (default 1000)
  --no-api              skip the screening API phase
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
    runs: 1,
    api: { seconds: 0, connections: 32, rate: 1_000 },
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
  let apiSeconds: number | null = null;
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
      case '--runs':
        o.runs = int(flag, value(), 1);
        break;
      case '--api-seconds':
        apiSeconds = int(flag, value(), 1);
        break;
      case '--api-connections':
        if (o.api) o.api.connections = int(flag, value(), 1);
        break;
      case '--api-rate':
        if (o.api) o.api.rate = int(flag, value(), 1);
        break;
      case '--no-api':
        o.api = null;
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
  // CI's small run keeps the API phase short; a measuring run gives each load run 10 s.
  if (o.api) o.api.seconds = apiSeconds ?? (o.events < 20_000 ? 3 : 10);
  return o;
}
