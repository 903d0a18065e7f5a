import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '@sekimori/config';
import type { StreamMessage } from './dataset/stream';
import { endOffsets, groupProgress, inputTopics, preProduce, topicsFor } from './kafka-io';
import { type RunContext, prepare } from './measure';
import { CpuShares, type CpuSharesResult, peakRssMB, rssMB } from './proc';
import { READY_LINE, type StartOptions, startVariant } from './variants';

export interface ApiLoadOptions {
  seconds: number;
  /** Connections of the closed-loop run (the most requests/s). */
  connections: number;
  /** Offered requests/s of the fixed-rate run. */
  rate: number;
}

export interface ApiRun {
  connections: number;
  /** Offered requests/s; null for the closed loop. */
  offeredPerSec: number | null;
  seconds: number;
  requests: number;
  /** 2xx responses per second over the run. */
  requestsPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  /** Who used the CPUs during the run, in cores. */
  cpu: CpuSharesResult;
}

/** A key that floods the API beside one that does not. */
export interface NeighbourRun {
  /** API_RATE_LIMIT_PER_SECOND of the screener. */
  limitPerSec: number;
  /** The flooding key: a closed loop; most of its answers are 429s. */
  flood: ApiRun;
  /** The other key, at a fixed rate well under the limit: none of its answers may be a 429. */
  neighbour: ApiRun;
}

/**
 * The fixed-rate run again, while the screener's consumer drains a backlog of the stream: the API
 * and the stream share one event loop (issue 19).
 */
export interface DrainingRun {
  /** Events produced to the screener's inputs just before the run. */
  backlog: number;
  /** Of them, not yet committed when the run ended: above 0, the whole run saw the drain. */
  leftAtEnd: number;
  run: ApiRun;
}

export interface ApiResult {
  bodies: number;
  /** Bodies of each kind in the mix. */
  kinds: Record<string, number>;
  /** The decisions of the first bodies, each sent once before the load (what the mix asks of it). */
  decisions: Record<string, number>;
  checkedBodies: number;
  /** API_RATE_LIMIT_PER_SECOND the screener ran with; keys the first two runs spread over. */
  limitPerSec?: number;
  keys?: number;
  max: ApiRun;
  fixed: ApiRun;
  /** The third run: one key floods, another is served beside it (absent from older results). */
  flooding?: NeighbourRun;
  /** The last: the fixed rate while the stream drains (absent from older results). */
  draining?: DrainingRun;
  /** VmHWM of the screener, from its start to the end of the phase. */
  peakRssMB: number;
  /** Its VmRSS once started, before the first request: what the load added is the difference. */
  startedRssMB: number;
  /**
   * Every response of the first two runs was a 200, and in the third every answer to the
   * neighbour and every one to the flooder a 200 or a 429: a run with errors is not a result.
   */
  clean: boolean;
}

const SCREEN_PATH = '/v1/screen';
/** Issue 19's backlog: the API's fixed rate is measured while the stream drains this many events. */
export const DRAIN_BACKLOG = 150_000;
const STARTED_LINE = '"msg":"sekimori screener started"';
const CHECKED_BODIES = 500;
/**
 * The limiter is on in every run, at its default rate a key. The first two runs spread their requests
 * over KEYS keys so that they measure its cost, not its refusals; the third floods with one key.
 */
const RATE_LIMIT_PER_SEC = loadConfig({}).api.rateLimitPerSecond;
const KEYS = 64;
/** The neighbour's offered rate beside the flood: a client well within its limit. */
const NEIGHBOUR_RATE = 50;

/** The request bodies: every transfer of the stream that the screener accepts. */
export function apiBodies(messages: readonly StreamMessage[], max = 20_000): StreamMessage[] {
  return messages.filter((m) => m.kind !== 'rates' && !m.malformed).slice(0, max);
}

function portFromLog(log: string): number {
  const line = log.split('\n').find((l) => l.includes(STARTED_LINE));
  const port = line ? (JSON.parse(line) as { httpPort?: unknown }).httpPort : undefined;
  if (typeof port !== 'number')
    throw new Error('the screener did not say which port it listens on');
  return port;
}

/** One load run: autocannon's settings and who to watch the CPU of. */
interface LoadSpec {
  url: string;
  tokens: readonly string[];
  bodies: readonly Buffer[];
  connections: number;
  seconds: number;
  rate: number | null;
  pids: Record<string, number | null>;
}

/**
 * One load run in a process of its own. The neighbour beside a flood is another client: measured
 * on the flooder's event loop, its latency would include the time that loop spends sending the
 * flood and reading its answers, which is the harness's delay, not the screener's. (Not a worker
 * thread: inside one, autocannon takes itself for one of its own workers and hands back raw
 * histograms instead of its results.)
 */
async function loadInOwnProcess(spec: LoadSpec, dir: string): Promise<ApiRun> {
  const file = join(dir, `api-load-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ ...spec, bodies: spec.bodies.map((b) => b.toString('base64')) }),
  );
  const child = spawn(process.execPath, [process.argv[1], API_LOAD_ROLE, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the API load process exited with ${code}`);
  return JSON.parse(out) as ApiRun;
}

/** Seconds a load process sends before the run it reports. */
const LOAD_PROCESS_WARMUP_S = 2;

/** The harness's role argument that makes it run one load from a spec file and print its result. */
export const API_LOAD_ROLE = 'worker:api-load';

/** The load process's body (main.ts dispatches API_LOAD_ROLE here). */
export async function runApiLoadProcess(file: string): Promise<void> {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Omit<LoadSpec, 'bodies'> & {
    bodies: string[];
  };
  const bodies = spec.bodies.map((b) => Buffer.from(b, 'base64'));
  // A fresh process's first requests wait for its JIT and its connections: warmed, not reported.
  await load({ ...spec, bodies, seconds: LOAD_PROCESS_WARMUP_S });
  const run = await load({ ...spec, bodies });
  process.stdout.write(JSON.stringify(run));
}

async function load(spec: LoadSpec): Promise<ApiRun> {
  const { url, tokens, bodies, connections, seconds, rate, pids } = spec;
  let next = 0;
  const shares = new CpuShares(pids);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(rate === null ? {} : { overallRate: rate }),
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: SCREEN_PATH,
        // A different event on every request, in the stream's order, shared by all connections;
        // the keys in turn.
        setupRequest: (request) => {
          const i = next++;
          return {
            ...request,
            headers: { ...request.headers, authorization: `Bearer ${tokens[i % tokens.length]}` },
            body: bodies[i % bodies.length],
          };
        },
      },
    ],
  });
  const cpu = shares.finish();
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = stat.count ?? 0;
  }
  return {
    connections,
    offeredPerSec: rate,
    seconds: result.duration,
    requests: result.requests.total,
    requestsPerSec: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes,
    cpu,
  };
}

/**
 * Produces a backlog of the stream to the screener's own inputs, then offers the fixed rate
 * while its consumer drains it; says how much of the backlog was still left when the run ended.
 */
async function fixedRateWhileDraining(
  ctx: RunContext,
  screener: StartOptions,
  messages: readonly StreamMessage[],
  spec: LoadSpec,
): Promise<DrainingRun> {
  const backlog = messages.slice(0, DRAIN_BACKLOG);
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await preProduce(producer, screener.topics, backlog);
  } finally {
    await producer.disconnect();
  }
  const ends = await endOffsets(ctx.admin, inputTopics(screener.topics));
  const run = await load(spec);
  const { remaining } = await groupProgress(ctx.admin, screener.groupId, ends);
  return { backlog: backlog.length, leftAtEnd: Number(remaining), run };
}

/**
 * The screening API under load: a screener as shipped (its lists cloned from the loader's, the
 * stream's opening rates, a key generated for the run) answers `POST /v1/screen` with the
 * stream's transfers as bodies. autocannon runs in the harness, on the same CPUs: first a
 * closed loop (each connection sends its next request when the answer comes: the most
 * requests/s), then a fixed offered rate (latency corrected for coordinated omission).
 */
export async function measureApi(
  ctx: RunContext,
  messages: readonly StreamMessage[],
  options: ApiLoadOptions,
): Promise<ApiResult> {
  const bodies = apiBodies(messages);
  if (bodies.length === 0) throw new Error('no transfer in the stream to send to the API');
  const tokens = Array.from({ length: KEYS + 1 }, () => randomBytes(24).toString('base64url'));
  const [token, flooder] = tokens;
  const digests = tokens.map((t) => createHash('sha256').update(t).digest('hex'));
  const start = await prepare(ctx, 'screener', 'api', topicsFor(ctx.runId, 'api'), true);
  const proc = startVariant('screener', {
    ...start,
    extraEnv: {
      SCREENING_API_KEYS: digests.join(','),
      API_RATE_LIMIT_PER_SECOND: String(RATE_LIMIT_PER_SEC),
    },
  });
  try {
    await proc.waitForLine(READY_LINE, 120_000);
    await proc.waitForLine(STARTED_LINE, 60_000);
    const url = `http://127.0.0.1:${portFromLog(proc.log())}`;
    const startedRssMB = rssMB(proc.pid) ?? Number.NaN;

    const kinds: Record<string, number> = {};
    for (const m of bodies) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
    // Each of the first bodies once, one at a time: the answers must be 200s, and their
    // decisions say what the mix asks of the screener.
    const decisions: Record<string, number> = {};
    // The keys in turn, so that a fast machine does not run one key past the rate limit.
    const checked = bodies.slice(0, CHECKED_BODIES);
    for (const [i, m] of checked.entries()) {
      const res = await fetch(`${url}${SCREEN_PATH}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens[i % KEYS]}`,
          'content-type': 'application/json',
        },
        body: m.value,
      });
      const answer = (await res.json()) as { decision?: { decision?: string } };
      const key = res.status === 200 ? (answer.decision?.decision ?? '?') : `HTTP ${res.status}`;
      decisions[key] = (decisions[key] ?? 0) + 1;
    }

    const values = bodies.map((m) => m.value);
    const pids = { variant: proc.pid, ...ctx.tenantPids };
    // Every key but the flooder's, for the runs that measure the limiter's cost.
    const spread = tokens.slice(0, KEYS);
    // JIT and connection pools warm up; not reported.
    const closedLoop: LoadSpec = {
      url,
      tokens: spread,
      bodies: values,
      connections: options.connections,
      seconds: options.seconds,
      rate: null,
      pids,
    };
    await load({ ...closedLoop, seconds: 2 });
    const max = await load(closedLoop);
    ctx.log(
      `api: closed loop, ${options.connections} connections: ${max.requestsPerSec.toFixed(0)} requests/s, ` +
        `p50 ${max.p50Ms} ms, p99 ${max.p99Ms} ms, ${max.non2xx} non-2xx, ${max.errors} errors`,
    );
    const fixedConnections = Math.max(8, Math.min(64, Math.ceil(options.rate / 50)));
    const fixed = await load({
      ...closedLoop,
      connections: fixedConnections,
      rate: options.rate,
    });
    ctx.log(
      `api: ${options.rate} requests/s offered: ${fixed.requestsPerSec.toFixed(0)} answered/s, ` +
        `p50 ${fixed.p50Ms} ms, p99 ${fixed.p99Ms} ms, ${fixed.non2xx} non-2xx, ${fixed.errors} errors`,
    );
    // Both at once, each with its own key: the flooder's closed loop, the neighbour's fixed rate
    // from a process of its own (another client); the flood lasts through the neighbour's warm-up.
    const [flood, neighbour] = await Promise.all([
      load({
        ...closedLoop,
        tokens: [flooder],
        seconds: options.seconds + LOAD_PROCESS_WARMUP_S,
      }),
      loadInOwnProcess(
        { ...closedLoop, tokens: [token], connections: 4, rate: NEIGHBOUR_RATE },
        ctx.runDir,
      ),
    ]);
    const flooding: NeighbourRun = { limitPerSec: RATE_LIMIT_PER_SEC, flood, neighbour };
    ctx.log(
      `api: beside a key flooding with ${options.connections} connections (${flood.requestsPerSec.toFixed(0)} 2xx/s, ` +
        `${flood.statusCodes['429'] ?? 0} 429s), another key at ${NEIGHBOUR_RATE}/s: ` +
        `p50 ${neighbour.p50Ms} ms, p99 ${neighbour.p99Ms} ms, ${neighbour.non2xx} non-2xx, ${neighbour.errors} errors`,
    );
    const draining = await fixedRateWhileDraining(ctx, start, messages, {
      ...closedLoop,
      connections: fixedConnections,
      rate: options.rate,
    });
    ctx.log(
      `api: ${options.rate} requests/s offered while the stream drains ${draining.backlog} events ` +
        `(${draining.leftAtEnd} left at the end): p50 ${draining.run.p50Ms} ms, p99 ${draining.run.p99Ms} ms, ` +
        `${draining.run.non2xx} non-2xx, ${draining.run.errors} errors`,
    );
    const rss = peakRssMB(proc.pid) ?? Number.NaN;
    const floodOther = Object.entries(flood.statusCodes)
      .filter(([code]) => code !== '200' && code !== '429')
      .reduce((n, [, count]) => n + count, 0);
    const checkedOk = Object.keys(decisions).every((k) => !k.startsWith('HTTP'));
    return {
      bodies: bodies.length,
      kinds,
      decisions,
      checkedBodies: checked.length,
      limitPerSec: RATE_LIMIT_PER_SEC,
      keys: KEYS,
      max,
      fixed,
      flooding,
      draining,
      peakRssMB: rss,
      startedRssMB,
      clean:
        checkedOk &&
        max.non2xx + max.errors + fixed.non2xx + fixed.errors === 0 &&
        max.requests > 0 &&
        neighbour.non2xx + neighbour.errors + flood.errors + floodOther === 0 &&
        neighbour.requests > 0 &&
        draining.run.non2xx + draining.run.errors === 0 &&
        draining.run.requests > 0,
    };
  } catch (error) {
    ctx.log(`api: screener log tail:\n${proc.tail()}`);
    throw error;
  } finally {
    await proc.stop();
  }
}
