import 'reflect-metadata';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import {
  API_LOAD_ROLE,
  DRAIN_BACKLOG,
  measureApi,
  runApiLoadProcess,
  type ApiResult,
} from './api-load';
import { NAMED_ACCOUNT_SHARE, nameAccounts } from './dataset/listed-holders';
import { decidedEventIds, generateStream, type StreamMessage } from './dataset/stream';
import {
  benchKafka,
  createTopics,
  deleteBenchTopics,
  endOffsets,
  inputCompression,
  inputTopics,
  preProduce,
  topicsFor,
} from './kafka-io';
import { measureLoader, type LoaderResult } from './loader';
import { attributeProfileDir } from './cpu-profile';
import { attributeAllocationFile } from './allocation-profile';
import { KNEE_P99_MS, searchKnee } from './knee';
import { allocationTable, stageTable } from './stage-report';
import {
  type LatencyResult,
  measureLatency,
  measureThroughput,
  type RunContext,
  type ThroughputResult,
} from './measure';
import { type BenchOptions, USAGE, parseOptions } from './options';
import { UsageError } from '@sekimori/config';
import { localBrokerPid, localRedisPid } from './proc';
import { dropNamespace as dropPrefix } from '@sekimori/redis';
import {
  type BenchResult,
  judgeTargets,
  markdownReport,
  markdownTable,
  outputFailures,
  summariseRuns,
  svgChart,
  type VariantResult,
} from './report';
import { VARIANT_LABELS, type VariantId } from './variants';
import { runBaselinePipe } from './workers/baseline-pipe';
import { runStockNest } from './workers/stock-nest';
import { measureExposureGraph } from './phases/exposure-graph';
import type { PhaseResults } from './phases/phase-report';
import { measureRetro } from './phases/retro';
import { measureScaleOut } from './phases/scale-out';
import {
  type ClearanceSeed,
  measureReviewThroughput,
  ownEffectsTopic,
  type ReviewThroughputResult,
  seedClearances,
} from './phases/reviews';
import type { EffectRecord } from './phases/reviews-plan';
import { reviewsResult } from './phases/reviews-report';

// dist/bench/main.js → the repository root.
const ROOT = resolve(__dirname, '..', '..');
const DOCS_START = '<!-- bench:latest:start -->';
const DOCS_END = '<!-- bench:latest:end -->';

function log(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function newest(dir: string, pattern: RegExp): string {
  const names = readdirSync(dir)
    .filter((n) => pattern.test(n))
    .sort();
  if (names.length === 0) throw new Error(`no file matching ${pattern} in ${dir}`);
  return join(dir, names[names.length - 1]);
}

async function redisVersion(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
}

function kafkaVersion(): string {
  const script = readFileSync(join(ROOT, 'scripts', 'stack', 'kafka.sh'), 'utf8');
  return /KAFKA_VERSION=(\S+)/.exec(script)?.[1] ?? 'unknown';
}

async function run(options: BenchOptions): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAvgAtStart = loadavg();
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const benchMain = join(ROOT, 'dist', 'bench', 'main.js');
  for (const artifact of [
    join(ROOT, 'dist', 'apps', 'screener', 'main.js'),
    join(ROOT, 'dist', 'apps', 'list-loader', 'main.js'),
    benchMain,
  ]) {
    if (!existsSync(artifact)) throw new Error(`${artifact} is missing: run npm run build first`);
  }
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const runDir = mkdtempSync(join(tmpdir(), `sekimori-bench-${runId}-`));
  log(
    `run ${runId}: ${options.events} events, variants ${options.variants.join(', ')}; logs in ${runDir}`,
  );

  const ofacDir = join(ROOT, 'data', 'sanctions', 'ofac');
  const csv = newest(ofacDir, /^digital-currency-addresses-.*\.csv$/);
  const xml = newest(ofacDir, /^sdn_advanced-.*\.xml(\.bz2)?$/);
  let t = performance.now();
  const stream = generateStream(options.events, options.seed, csv);
  // Issue 18: clearances need accounts whose holder's name matches a listed entry.
  const namedAccounts =
    options.clearances > 0
      ? nameAccounts(stream.messages, NAMED_ACCOUNT_SHARE, options.seed)
      : null;
  if (namedAccounts) stream.messages = namedAccounts.messages;
  log(
    `generated ${stream.messages.length} messages in ${((performance.now() - t) / 1000).toFixed(1)} s ` +
      `(${stream.summary.avgBytes} B average; ${stream.summary.sanctioned} to sanctioned addresses` +
      `${namedAccounts ? `; ${namedAccounts.named.length} accounts with a listed holder name` : ''})`,
  );

  const kafka = benchKafka(brokers.split(','));
  const admin = kafka.admin();
  await admin.connect();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const listPrefix = `bench-${runId}-lists`;
  try {
    let loader: LoaderResult | null = null;
    log(`list loader: ${xml}`);
    const measured = await measureLoader(ROOT, runDir, xml, redisUrl, listPrefix);
    if (options.loader) loader = measured;
    log(
      `list loader: ${measured.seconds.toFixed(1)} s, peak RSS ${measured.peakRssMB.toFixed(0)} MB`,
    );

    const inputs = topicsFor(runId, 'in');
    await createTopics(admin, inputTopics(inputs), options.partitions);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    t = performance.now();
    await preProduce(producer, inputs, stream.messages, inputCompression(options.compression));
    await producer.disconnect();
    const ends = await endOffsets(admin, inputTopics(inputs));
    log(
      `pre-produced ${stream.messages.length} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const ctx: RunContext = {
      runId,
      runDir,
      root: ROOT,
      benchMain,
      brokers,
      redisUrl,
      kafka,
      admin,
      redis,
      partitions: options.partitions,
      partitionsConcurrently: options.partitionsConcurrently,
      listPrefix,
      initialRates: stream.initialRates,
      profile: options.profile,
      allocProfile: options.allocProfile,
      nodeFlags: options.nodeFlags,
      compression: options.compression,
      tenantPids: {
        broker: localBrokerPid(ROOT),
        redis: localRedisPid(await redis.info('server')),
      },
      log,
    };

    // Issue 18: the clearances of the "with clearances" screener runs, made by real reviews.
    const seed =
      options.clearances > 0 && options.variants.includes('screener')
        ? await seedClearancesLogged(ctx, stream.messages, options)
        : null;

    // Runs alternate the variants (a, b, c, a, b, c, ...): each run's ratio to the baseline
    // compares two measurements minutes apart, under the same tenants.
    const expected = decidedEventIds(stream.messages);
    const runs = new Map<VariantId, ThroughputResult[]>(options.variants.map((id) => [id, []]));
    const clearedRuns: ThroughputResult[] = [];
    for (let run = 1; run <= options.runs; run++) {
      const of = options.runs > 1 ? ` (run ${run} of ${options.runs})` : '';
      const measure = async (
        id: VariantId,
        phase: string,
        label: string,
        effects?: EffectRecord[],
      ): Promise<ThroughputResult> => {
        log(`throughput: ${label}${of} ...`);
        const t = await measureThroughput(
          ctx,
          id,
          inputs,
          ends,
          stream.messages.length,
          expected,
          run,
          phase,
          effects ? (topic) => ownEffectsTopic(ctx, topic, effects) : undefined,
        );
        log(
          `throughput: ${label}${of}: ${t.eventsPerSec.toFixed(0)} events/s, ` +
            `${t.cpuSecondsPer100k.toFixed(1)} CPU s/100k, peak RSS ${t.peakRssMB.toFixed(0)} MB, ` +
            `${t.alerts} alerts, ${t.decisions ?? '–'} decisions` +
            `${t.suppressed ? ` (${t.suppressed} with suppressed matches)` : ''}, ${t.deadLetters} dead letters; ` +
            `${t.output.ok ? '' : 'OUTPUT CHECK FAILED: '}${t.output.detail}`,
        );
        return t;
      };
      for (const id of options.variants) {
        if (id !== 'screener' || seed === null) {
          runs.get(id)?.push(await measure(id, 'tput', id));
          continue;
        }
        // Without and with clearances, each on its own fresh review effects topic (empty, or the
        // clearance pass's copy); which goes first alternates run by run, so that neither is
        // always the one measured right after another variant.
        const plain = (): Promise<ThroughputResult> => measure(id, 'tput', id, []);
        const cleared = (): Promise<ThroughputResult> =>
          measure(id, 'tputc', `${id} with clearances`, seed.effects);
        if (run % 2 === 1) {
          runs.get(id)?.push(await plain());
          clearedRuns.push(await cleared());
        } else {
          clearedRuns.push(await cleared());
          runs.get(id)?.push(await plain());
        }
      }
    }
    const results: VariantResult[] = options.variants.map((id) =>
      summariseRuns(id, VARIANT_LABELS[id], runs.get(id) ?? [], runs.get('baseline') ?? null),
    );
    const clearanceRuns =
      seed === null
        ? null
        : {
            seed,
            without: runs.get('screener') ?? [],
            withoutRatio: results.find((r) => r.id === 'screener')?.ratio ?? null,
            withClearances: summariseRuns(
              'screener',
              `${VARIANT_LABELS.screener}, ${options.clearances} % of named accounts cleared`,
              clearedRuns,
              runs.get('baseline') ?? null,
            ),
          };
    const baseline = results.find((r) => r.id === 'baseline');

    // The latency knee: per variant, the highest offered rate whose p99 stays within 50 ms
    // (--rate: one fixed point instead). Each step is a fresh process on fresh topics.
    let step = 0;
    const stepAt = (id: VariantId, rate: number): Promise<LatencyResult> => {
      step += 1;
      const warmupEvents = Math.min(
        Math.round(rate * options.warmupSeconds),
        Math.floor(stream.messages.length * 0.3),
      );
      const latencyEvents = stream.messages.slice(
        0,
        Math.min(stream.messages.length, warmupEvents + Math.round(rate * options.latencySeconds)),
      );
      log(
        `latency: ${id} at ${rate} events/s, ${latencyEvents.length} events (${warmupEvents} warm-up) ...`,
      );
      return measureLatency(ctx, id, latencyEvents, rate, warmupEvents, `lat${step}`).then((l) => {
        log(
          `latency: ${id} at ${rate} events/s: p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms, ` +
            `max ${l.maxMs.toFixed(0)} ms over ${l.samples} outputs` +
            (l.keptUp
              ? ''
              : ` (did not keep up: drained ${l.drainAfterLastMs.toFixed(0)} ms after the last event)`),
        );
        return l;
      });
    };
    const fixedRate = options.rate;
    for (const r of results) {
      if (fixedRate !== null) {
        r.latency = await stepAt(r.id, fixedRate);
        continue;
      }
      r.knee = await searchKnee((rate) => stepAt(r.id, rate), {
        startPerSec: baseline ? baseline.throughput.eventsPerSec / 4 : 2_000,
        maxSteps: options.knee.steps,
        budgetMs: options.knee.minutes * 60_000,
        precision: 0.1,
        floorPerSec: 50,
      });
      r.latency = r.knee.atKnee;
      log(
        `latency knee: ${r.id}: ${r.knee.kneePerSec ?? 'none'} events/s with p99 <= ${KNEE_P99_MS} ms` +
          ` (failed at ${r.knee.failedAtPerSec ?? '–'}; ${r.knee.steps.length} steps, stopped by ${r.knee.stoppedBy})`,
      );
    }

    let api: ApiResult | null = null;
    if (options.api) {
      log(
        `api: POST /v1/screen, ${options.api.seconds} s closed loop with ${options.api.connections} connections, ` +
          `then ${options.api.seconds} s at ${options.api.rate} requests/s, then ${options.api.seconds} s of one key flooding beside another, then the fixed rate while the stream drains ...`,
      );
      api = await measureApi(ctx, stream.messages, options.api);
      log(`api: screener peak RSS ${api.peakRssMB.toFixed(0)} MB${api.clean ? '' : '; NOT CLEAN'}`);
    }

    const phases = await runPhases(ctx, options, { csv, xml });
    if (clearanceRuns !== null || options.reviews > 0) {
      phases.loadAvgAtPhase = { ...phases.loadAvgAtPhase, 'review throughput': loadavg()[0] };
      const throughput =
        options.reviews > 0
          ? await measureReviewsLogged(ctx, stream.messages, options.reviews)
          : null;
      phases.reviews = reviewsResult(clearanceRuns, throughput);
    }

    const result: BenchResult = {
      ...phases,
      runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: {
        nproc: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGB: totalmem() / 1e9,
        node: process.version,
        kafka: kafkaVersion(),
        redis: await redisVersion(redis),
        os: `${osType()} ${release()}`,
        loadAvgAtStart,
        note:
          'Kafka, Redis, the load generator and the variant under test share these CPUs; ' +
          'a 1-minute load average above the CPU count at start means other work was running too.',
      },
      settings: {
        events: options.events,
        seed: options.seed,
        partitions: options.partitions,
        'partitions consumed concurrently': options.partitionsConcurrently,
        acks: 'all (-1) for the stream, the outputs of every variant and the latency producer',
        'output producer': `baseline and screener: idempotent, maxInFlightRequests 1; compression: baseline none, screener ${options.compression ?? 'its default (KAFKA_COMPRESSION)'}; stock Nest: the transport’s default producer`,
        'input compression': options.compression ?? 'none',
        'consumer fetch':
          'screener (both modes): maxBytes 512 KiB, maxBytesPerPartition 128 KiB (libs/kafka BatchConsumer); baseline and stock Nest: kafkajs defaults (maxBytes 10 MiB, maxBytesPerPartition 1 MiB); all: minBytes 1, maxWaitTimeInMs 5000',
        'offset commit':
          'baseline and screener: after each batch’s output is acknowledged (exactly-once: in the batch’s transaction); stock Nest: kafkajs auto-commit',
        'latency phase': `${options.rate === null ? `knee search (at most ${options.knee.steps} steps and ${options.knee.minutes} min per variant, doubling from a quarter of the baseline's events/s, then bisecting to 10 %)` : `one fixed rate, ${options.rate} events/s`}; each step ${options.warmupSeconds} s warm-up (not sampled), then ${options.latencySeconds} s at the offered rate; fresh topics and process; outputs read with read_committed, every event sampled (the baseline's outputs, a screener's decisions)`,
        'throughput runs': `${options.runs} (variants alternating; median and min–max reported)`,
        'API phase': options.api
          ? `screener (at-least-once) with its own empty topics; autocannon ${options.api.seconds} s closed loop with ${options.api.connections} connections after 2 s of warm-up, then ${options.api.seconds} s at ${options.api.rate} requests/s (latency corrected for coordinated omission), then ${options.api.seconds} s of one key flooding (closed loop, ${options.api.connections} connections) beside another at a fixed rate, then ${options.api.seconds} s at ${options.api.rate} requests/s again while the screener drains a backlog of the stream (${DRAIN_BACKLOG.toLocaleString('en-US')} events, or the whole stream when shorter) produced to its inputs just before; the rate limit on throughout; bodies: the stream's transfers in order`
          : 'skipped',
        'message size': `${stream.summary.avgBytes} B average (on-chain ${stream.summary.avgBytesByKind.onchain} B, exchange ${stream.summary.avgBytesByKind.exchange} B, rate ${stream.summary.avgBytesByKind.rates} B)`,
      },
      stream: stream.summary,
      loader,
      runs: options.runs,
      variants: results,
      api,
      targets: judgeTargets(results, loader, api),
    };
    writeResults(result, options.outDir, options.updateDocs ?? options.events >= 200_000);
    const failed = outputFailures(result);
    if (failed.length > 0) throw new Error(`the run is not a result: ${failed.join('; ')}`);
  } finally {
    await deleteBenchTopics(admin, runId).catch(() => undefined);
    await dropPrefix(redis, `bench-${runId}-`).catch(() => undefined);
    await admin.disconnect();
    redis.disconnect();
  }
}

async function seedClearancesLogged(
  ctx: RunContext,
  messages: StreamMessage[],
  options: BenchOptions,
): Promise<ClearanceSeed> {
  log(
    `clearances: screening the exchange events, then clearing ${options.clearances} % of named accounts ...`,
  );
  const seed = await seedClearances(ctx, messages, options.clearances, options.seed);
  log(
    `clearances: ${seed.namedAccounts} accounts with a NAME_MATCH alert in ${seed.eventsScreened} events; ` +
      `${seed.clearedAccounts} cleared by a review (${seed.clearances} clearance records, ` +
      `${seed.effects.length} effect records copied into each run)`,
  );
  return seed;
}

async function measureReviewsLogged(
  ctx: RunContext,
  messages: StreamMessage[],
  max: number,
): Promise<ReviewThroughputResult> {
  log(`review throughput: screening the stream, then up to ${max} reviews ...`);
  const r = await measureReviewThroughput(ctx, messages, max);
  log(
    `review throughput: ${r.reviews} reviews of ${r.events} held events (of ${r.heldEvents}; ` +
      `${r.copies} copies of the stream's held events screened) in ` +
      `${r.seconds.toFixed(1)} s: ${r.reviewsPerSec.toFixed(0)} reviews/s, hold-to-final p50 ` +
      `${r.holdToFinalP50Ms.toFixed(0)} ms, p99 ${r.holdToFinalP99Ms.toFixed(0)} ms; ` +
      `${r.ok ? 'checks passed' : `CHECKS FAILED (${r.missing} missing, ${r.unexpected} unexpected, ${r.deadLetters} dead letters)`}`,
  );
  return r;
}

/** The phases of issues 10–12, in the order cheapest first, each only when asked for. */
async function runPhases(
  ctx: RunContext,
  options: BenchOptions,
  files: { csv: string; xml: string },
): Promise<PhaseResults> {
  const out: PhaseResults = { loadAvgAtPhase: {} };
  const at = (phase: string): void => {
    if (out.loadAvgAtPhase) out.loadAvgAtPhase[phase] = loadavg()[0];
  };
  if (options.exposureGraph) {
    at('exposure graph');
    log(`exposure graph: ${options.exposureGraph.events} events ...`);
    out.exposureGraph = await measureExposureGraph(
      ctx,
      { ...options.exposureGraph, runs: options.runs, seed: options.seed },
      files.csv,
    );
  }
  if (options.scaleOut) {
    at('scale-out');
    out.scaleOut = await measureScaleOut(
      ctx,
      { ...options.scaleOut, instances: [1, 2, 3], seed: options.seed },
      files.csv,
    );
  }
  if (options.retro) {
    at('re-screen');
    log(
      `re-screen: ${options.retro.events} past transfers, ${options.retro.added} new listings ...`,
    );
    out.retro = await measureRetro(ctx, { ...options.retro, seed: options.seed }, files);
    const r = out.retro;
    log(
      `re-screen: ${r.eventsPerSec.toFixed(0)} events/s (${r.scanned} scanned, ${r.matched} matched in ${r.seconds.toFixed(1)} s), ` +
        `peak RSS ${r.peakRssMB.toFixed(0)} MB; live ${r.liveDuring.eventsPerSec.toFixed(0)} events/s during, ` +
        `${r.liveAfter.eventsPerSec.toFixed(0)} after; ${r.ok ? 'checks passed' : 'CHECKS FAILED'}`,
    );
  }
  return out;
}

function writeResults(result: BenchResult, outDir: string, updateDocs: boolean): void {
  const dir = resolve(ROOT, outDir);
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `bench-${result.stream.events}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdownReport(result));
  writeFileSync(`${base}.svg`, `${svgChart(result)}\n`);
  log(`results: ${base}.json, .md, .svg`);
  process.stdout.write(`\n${markdownTable(result)}\n\n`);
  if (!updateDocs) return;
  const docs = join(ROOT, 'docs', 'performance.md');
  const text = existsSync(docs) ? readFileSync(docs, 'utf8') : '';
  const start = text.indexOf(DOCS_START);
  const end = text.indexOf(DOCS_END);
  if (start < 0 || end < start) {
    log(`docs/performance.md has no ${DOCS_START} … ${DOCS_END} markers: not updated`);
    return;
  }
  const m = result.machine;
  const block = [
    DOCS_START,
    `Run \`${result.runId}\`, ${result.finishedAt.slice(0, 16).replace('T', ' ')} UTC, on ${m.nproc} CPUs (${m.cpuModel}), ` +
      `${m.memoryGB.toFixed(1)} GB, Node ${m.node}, Kafka ${m.kafka}, Redis ${m.redis}; ` +
      `load average at start ${m.loadAvgAtStart.map((v) => v.toFixed(2)).join(' / ')}.`,
    '',
    markdownTable(result),
    '',
    `![throughput and p99 latency per variant](../bench/results/bench-${result.stream.events}.svg)`,
    DOCS_END,
  ].join('\n');
  writeFileSync(docs, text.slice(0, start) + block + text.slice(end + DOCS_END.length));
  log('docs/performance.md: table updated');
}

async function main(): Promise<void> {
  const [role, ...rest] = process.argv.slice(2);
  if (role === 'worker:baseline') return runBaselinePipe();
  if (role === 'worker:nest-stock') return runStockNest();
  if (role === API_LOAD_ROLE) return runApiLoadProcess(rest[0]);
  if (role === 'stages') {
    // A profile written outside the harness: its CPU per event by stage, the whole profile.
    const [dir, events] = rest;
    const b = attributeProfileDir(resolve(dir ?? '.'), { events: Number(events) || 1 });
    if (!b) throw new Error(`no .cpuprofile in ${dir}`);
    // No process CPU to scale to: the column is the profile's own (main-thread) time.
    const profiled = { stages: b } as ThroughputResult;
    const table = stageTable([{ id: 'screener', label: dir ?? '.', throughput: profiled }]);
    process.stdout.write(`${table.join('\n')}\n`);
    return;
  }
  if (role === 'allocations') {
    // Allocation profiles kept from runs (allocations-*.heapprofile), side by side; a file whose
    // name says baseline is the pipe's column.
    const events = Number(rest[0]) || 1;
    const variants = rest.slice(1).map((file) => {
      const allocations = attributeAllocationFile(resolve(file), events);
      if (!allocations) throw new Error(`no allocation profile at ${file}`);
      const id: VariantId = /baseline/.test(file) ? 'baseline' : 'screener';
      return { id, label: file, throughput: { allocations } as ThroughputResult };
    });
    process.stdout.write(`${allocationTable(variants).join('\n')}\n`);
    return;
  }
  if (role === 'render') {
    // Re-renders the Markdown, SVG and docs table of a result file (after a report change).
    const [file, ...flags] = rest;
    const result = JSON.parse(readFileSync(resolve(file), 'utf8')) as BenchResult;
    result.targets = judgeTargets(result.variants, result.loader, result.api ?? null);
    writeResults(result, 'bench/results', flags.includes('--docs'));
    return;
  }
  let options: BenchOptions | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  await run(options);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
