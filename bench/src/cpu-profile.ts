import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 `.cpuprofile` (the `--cpu-prof` output) the attribution reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  /** µs on the monotonic clock, the same one `process.hrtime` reads. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The stages of issue 19, in table order; `idle` is not CPU and stays out of the total. */
export const STAGES = [
  'decode and validation',
  'address normalisation',
  'list lookup',
  'names',
  'exposure and routing',
  'rules',
  'alert and decision records',
  'screening orchestration',
  'produce and commit',
  'compression (zlib, Kafka in or out)',
  'Kafka client (network, fetch loop)',
  'Redis client (replies, all stores)',
  'metrics and logging',
  'other project code',
  'Node.js runtime, other libraries',
  'GC',
  'program (V8, native, outside JS)',
] as const;
export type Stage = (typeof STAGES)[number] | 'idle';

// Project modules by path, first match wins: a frame in one of these decides its sample's stage.
const PROJECT_STAGES: [RegExp, Stage][] = [
  [/libs\/screening\/src\/screen-transfers\/transfer-decoder/, 'decode and validation'],
  [/libs\/contracts\//, 'decode and validation'],
  [/libs\/kafka\/src\/codecs/, 'compression (zlib, Kafka in or out)'],
  [/libs\/kafka\/src\/(crc32c|records|undecodable-batch|batch-consumer)/, 'decode and validation'],
  [/libs\/kafka\//, 'produce and commit'],
  [/libs\/chains\//, 'address normalisation'],
  [/libs\/list-store\//, 'list lookup'],
  [/libs\/(name-matching|identifiers)\//, 'names'],
  [/libs\/rules\/src\/rules\/name-match/, 'names'],
  [
    /libs\/rules\/src\/(fund-flows\/|rules\/(indirect-exposure|third-country-routing))/,
    'exposure and routing',
  ],
  [/libs\/screening-redis\/src\/(exposure|routing)\.store/, 'exposure and routing'],
  [/libs\/rules\//, 'rules'],
  [/libs\/screening-redis\/src\/(structuring-window|rates)\.store/, 'rules'],
  [
    /libs\/screening\/src\/screen-transfers\/(alert-factory|decision)/,
    'alert and decision records',
  ],
  [/libs\/(screening|screening-kafka|screening-redis)\//, 'screening orchestration'],
  [/apps\/screener\/src\/(consume|retro)\//, 'screening orchestration'],
  [/libs\/logging\/|apps\/screener\/src\/observability\//, 'metrics and logging'],
  [/^\.?\/?(libs|apps|bench)\//, 'other project code'],
];

// Project modules every store goes through: they pass the sample on to their caller.
const PASS_THROUGH: [RegExp, Stage][] = [[/libs\/redis\//, 'Redis client (replies, all stores)']];

// Library frames decide only when no project frame is on the stack (a socket's data callback).
const LIBRARY_STAGES: [RegExp, Stage][] = [
  ...PASS_THROUGH,
  [/^node:zlib$/, 'compression (zlib, Kafka in or out)'],
  [
    /kafkajs\/src\/protocol\/(requests\/fetch|recordBatch|messageSet|decoder)/,
    'decode and validation',
  ],
  [
    /kafkajs\/src\/(producer|protocol\/(requests\/(produce|offsetCommit|addOffsetsToTxn|txnOffsetCommit|endTxn)|encoder))/,
    'produce and commit',
  ],
  [/kafkajs\//, 'Kafka client (network, fetch loop)'],
  [/\/(class-validator|class-transformer|validator)\//, 'decode and validation'],
  [
    /\/(ioredis|redis-parser|redis-errors|denque|cluster-key-slot|standard-as-callback)\//,
    'Redis client (replies, all stores)',
  ],
  [/\/(pino|pino-std-serializers|sonic-boom|thread-stream|prom-client)\//, 'metrics and logging'],
];

/**
 * Where each line of a webpack bundle comes from, read from the `!*** ./path ***!` banners that
 * `output.pathinfo` writes (bench/webpack.profile.js); empty for a bundle built without them.
 */
export function bundleModules(source: string): { line: number; path: string }[] {
  const out: { line: number; path: string }[] = [];
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*!\*{3} (.+) \*{3}!$/.exec(lines[i]);
    if (m) out.push({ line: i, path: m[1] });
  }
  return out;
}

/** The module a 0-based line of a bundle belongs to (the last banner at or above it). */
function moduleAt(modules: readonly { line: number; path: string }[], line: number): string | null {
  let lo = 0;
  let hi = modules.length - 1;
  let found: string | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (modules[mid].line <= line) {
      found = modules[mid].path;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The stage of one stack, given its leaf's function name and its frames' modules leaf first:
 * V8's own pseudo-frames by name, else the nearest project frame, else the nearest known
 * library frame (a socket callback with no project code above it). Null when nothing tells.
 */
export function stageOfStack(leafName: string, frames: () => Iterable<string>): Stage | null {
  if (leafName === '(garbage collector)') return 'GC';
  if (leafName === '(program)') return 'program (V8, native, outside JS)';
  if (leafName === '(idle)') return 'idle';
  let library: Stage | null = null;
  for (const where of frames()) {
    const project = PASS_THROUGH.some(([re]) => re.test(where))
      ? undefined
      : PROJECT_STAGES.find(([re]) => re.test(where));
    if (project && !where.includes('node_modules')) return project[1];
    library ??= LIBRARY_STAGES.find(([re]) => re.test(where))?.[1] ?? null;
  }
  return library;
}

/**
 * Where a profiled frame's code lives: its source module when the url is a bundle built with
 * module banners, else the url itself.
 */
export function moduleLocator(bundles: Record<string, string>): {
  locate(url: string, line: number): string;
  mapped: boolean;
} {
  const modules = new Map<string, { line: number; path: string }[]>();
  for (const [url, text] of Object.entries(bundles)) modules.set(url, bundleModules(text));
  return {
    mapped: [...modules.values()].some((m) => m.length > 0),
    locate(url, line) {
      const mods = modules.get(url);
      if (mods && mods.length > 0) return moduleAt(mods, line) ?? url;
      return url;
    },
  };
}

export interface StageBreakdown {
  /** Events the window processed; µs per event divide by it. */
  events: number;
  /** Profiled CPU of the window (samples other than idle), µs. */
  cpuUs: number;
  /** Of it, samples whose stack reached no project or known library frame. */
  unattributedUs: number;
  /** µs of CPU per event, by stage (every stage present, zero when none). */
  perEventUs: Record<string, number>;
  idleUs: number;
  samples: number;
  /** Whether bundle lines could be mapped to modules (a pathinfo build). */
  bundleMapped: boolean;
  /** The ten heaviest functions by self time, for a first look without DevTools. */
  topFunctions: { name: string; where: string; stage: Stage; perEventUs: number }[];
}

export interface AttributeOptions {
  events: number;
  /** Only samples inside [fromUs, toUs] on the profile's clock (the measured window). */
  fromUs?: number;
  toUs?: number;
  /** The bundle's text by url (file://...), for mapping its lines to modules. */
  bundles?: Record<string, string>;
}

/** Self time of every sample, attributed to a stage by the nearest frame on its stack that tells. */
export function attributeProfile(profile: CpuProfile, options: AttributeOptions): StageBreakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const { locate, mapped: bundleMapped } = moduleLocator(options.bundles ?? {});
  const location = (id: number): string => {
    const f = byId.get(id)?.callFrame;
    return f ? locate(f.url, f.lineNumber) : '';
  };
  const stageCache = new Map<number, Stage | null>();
  const stageOf = (leaf: number): Stage | null => {
    const cached = stageCache.get(leaf);
    if (cached !== undefined) return cached;
    const stage = stageOfStack(byId.get(leaf)?.callFrame.functionName ?? '', function* () {
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        yield location(id);
      }
    });
    stageCache.set(leaf, stage);
    return stage;
  };

  const totals = new Map<Stage, number>();
  const selfByNode = new Map<number, number>();
  let unattributedUs = 0;
  let samples = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (options.fromUs !== undefined && t < options.fromUs) continue;
    if (options.toUs !== undefined && t > options.toUs) break;
    // A sample stands for the time until the next one.
    const next =
      i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : profile.endTime - t;
    const us = Math.max(0, next);
    const node = profile.samples[i];
    samples += 1;
    let stage = stageOf(node);
    if (stage === null) {
      unattributedUs += us;
      stage = 'Node.js runtime, other libraries';
    }
    totals.set(stage, (totals.get(stage) ?? 0) + us);
    selfByNode.set(node, (selfByNode.get(node) ?? 0) + us);
  }
  const events = Math.max(1, options.events);
  const perEventUs: Record<string, number> = {};
  let cpuUs = 0;
  for (const s of STAGES) {
    const us = totals.get(s) ?? 0;
    perEventUs[s] = us / events;
    cpuUs += us;
  }
  const byFunction = new Map<string, { name: string; where: string; stage: Stage; us: number }>();
  for (const [node, us] of selfByNode) {
    const f = byId.get(node)?.callFrame;
    const where = location(node).replace(/^.*node_modules\//, '');
    const name = f?.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const entry = byFunction.get(key) ?? {
      name,
      where,
      stage: stageOf(node) ?? 'Node.js runtime, other libraries',
      us: 0,
    };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const topFunctions = [...byFunction.values()]
    .filter((f) => f.stage !== 'idle')
    .sort((a, b) => b.us - a.us)
    .slice(0, 10)
    .map(({ name, where, stage, us }) => ({ name, where, stage, perEventUs: us / events }));
  return {
    events: options.events,
    cpuUs,
    unattributedUs,
    perEventUs,
    idleUs: totals.get('idle') ?? 0,
    samples,
    bundleMapped,
    topFunctions,
  };
}

/**
 * Attributes the profile a variant wrote into `dir` (one process, one file) over the measured
 * window; the bundles it ran are read from disk to map their lines to modules. Null when the
 * process wrote no profile (killed before its exit hook).
 */
export function attributeProfileDir(
  dir: string,
  options: Omit<AttributeOptions, 'bundles'>,
): StageBreakdown | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return null;
  const profile = JSON.parse(readFileSync(join(dir, files.sort()[0]), 'utf8')) as CpuProfile;
  const bundles = bundlesOf(profile.nodes.map((n) => n.callFrame.url));
  return attributeProfile(profile, { ...options, bundles });
}

/** The project bundles (dist/.../main.js) among a profile's scripts, read from disk. */
export function bundlesOf(urls: Iterable<string>): Record<string, string> {
  const bundles: Record<string, string> = {};
  for (const url of urls) {
    // CPU profiles name scripts by file:// url, heap profiles by path.
    const isFile = url.startsWith('file://') || url.startsWith('/');
    if (!isFile || url in bundles || url.includes('node_modules')) continue;
    const path = url.startsWith('/') ? url : decodeURIComponent(url.slice('file://'.length));
    if (/\/dist\/.*main\.js$/.test(path) && existsSync(path)) {
      bundles[url] = readFileSync(path, 'utf8');
    }
  }
  return bundles;
}
