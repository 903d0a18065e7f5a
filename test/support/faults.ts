// Support for the fault tests (test/faults): private broker and Redis processes that a test may
// stop and start without touching the shared stack, a fixed event stream with known outcomes,
// and a ledger that checks every event against what reached the output topics.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { classifyListedAddress } from '@sekimori/chains';
import type { Alert, Decision, DeliveryMode, TopicNames } from '@sekimori/contracts';
import { createTopicsAndWait } from '@sekimori/kafka';
import { type ParsedList, parseOfacSdnAdvanced, SanctionsListStore } from '@sekimori/sanctions';
import { onRedisCluster, testBrokers, testRedisUrl, uniqueSuffix, waitFor } from './env';
import { freshTopics, topicEnv } from './kafka';
import { dropPrefix, freshPrefix, redisClient } from './redis';
import { ROOT, ScreenerProcess } from './screener-process';

const run = promisify(execFile);

export type { DeliveryMode } from '@sekimori/contracts';

/** A TCP port nobody listens on right now (the kernel picks it; a race is unlikely on 127.0.0.1). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A broker of its own, for a test that stops and restarts it: scripts/stack/kafka.sh with a
 * private STACK_DIR under /tmp and free ports, so the shared broker on 9092 (used by other tests
 * at the same time) is never touched.
 */
export class IsolatedBroker {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly controllerPort: number,
  ) {}

  static async create(): Promise<IsolatedBroker> {
    const dir = mkdtempSync(join(tmpdir(), 'sekimori-fault-kafka-'));
    const port = await freePort();
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    return new IsolatedBroker(dir, port, controllerPort);
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  private async script(command: 'start' | 'stop'): Promise<void> {
    await run('bash', [join(ROOT, 'scripts', 'stack', 'kafka.sh'), command], {
      cwd: ROOT,
      env: {
        ...process.env,
        STACK_DIR: this.dir,
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(this.controllerPort),
        // No SASL_SSL listener: its default port (KAFKA_PORT + 2) is not known to be free.
        KAFKA_SASL_SSL_PORT: 'off',
        // A small heap: the shared broker and the screener run beside it on 2 cores.
        KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
        STACK_QUIET: '1',
      },
      timeout: 180_000,
    });
  }

  start(): Promise<void> {
    return this.script('start');
  }

  stop(): Promise<void> {
    return this.script('stop');
  }

  /** SIGKILL to the broker this object started (its pid file): an outage with no warning. */
  async kill(): Promise<void> {
    const pid = Number(readFileSync(join(this.dir, 'kafka.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    await waitFor(
      `broker pid ${pid} to exit`,
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      30_000,
    );
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A redis-server of its own on a spare port, without persistence: stopping it is an outage, and
 * starting it again gives an empty Redis (no sanctions list), as after losing a node.
 */
export class IsolatedRedis {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  private constructor(readonly port: number) {}

  static async start(): Promise<IsolatedRedis> {
    const redis = new IsolatedRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await waitFor(
        `redis-server on port ${this.port}`,
        async () => (await probe.ping().catch(() => null)) === 'PONG',
        10_000,
        50,
      );
    } finally {
      probe.disconnect();
    }
  }

  /** SIGKILL: the outage a crashed or partitioned node looks like to its clients. */
  async stop(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }
}

let excerpt: Promise<ParsedList> | null = null;

/** The real OFAC excerpt of test/fixtures/lists (8 parties, Garantex and Grinex among them). */
export function excerptList(): Promise<ParsedList> {
  excerpt ??= parseOfacSdnAdvanced(
    join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml'),
  );
  return excerpt;
}

/**
 * Publishes a list into any Redis (loadListWithCli only knows the default one), through the
 * same store the list-loader uses: a complete version beside the old one, then an atomic switch.
 */
export async function publishList(
  redisUrl: string,
  prefix: string,
  list: ParsedList,
): Promise<string> {
  const redis =
    onRedisCluster() && redisUrl === testRedisUrl()
      ? redisClient()
      : new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    return (await new SanctionsListStore(redis, prefix).publish(list)).version;
  } finally {
    redis.disconnect();
  }
}

/** The excerpt with one more (made-up) entry: another version that still holds every address. */
export async function excerptListWithAddition(tag: string): Promise<ParsedList> {
  const list = await excerptList();
  const listed = classifyListedAddress(
    `0x${Buffer.from(tag).toString('hex').padEnd(40, '0').slice(0, 40)}`,
    'ETH',
  );
  if (!listed) throw new Error('the made-up address does not classify as an ETH address');
  return {
    ...list,
    entries: [
      ...list.entries,
      {
        key: listed.key,
        chain: listed.chain,
        address: listed.canonical,
        entityId: '99999',
        entityName: 'FAULT TEST ADDITION',
        programs: ['CYBER2'],
        tag: 'ETH',
      },
    ],
  };
}

export const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';

export interface StreamEvent {
  eventId: string;
  key: string;
  value: Buffer;
  outcome: 'alert' | 'dead-letter' | 'clean';
}

/**
 * A fixed stream whose outcome is known event by event: every `sanctionedEvery`-th transfer
 * goes to Garantex's listed Ethereum address (one SANCTIONS_ADDRESS_MATCH alert each), every
 * `badEvery`-th message is not JSON (one dead letter each), the rest are clean on-chain
 * transfers between unlisted addresses (no alert: on-chain events without a valuation rule
 * only meet the address rules).
 */
export function faultStream(
  count: number,
  { sanctionedEvery = 10, badEvery = 97 }: { sanctionedEvery?: number; badEvery?: number } = {},
): StreamEvent[] {
  const tag = uniqueSuffix();
  const events: StreamEvent[] = [];
  for (let i = 1; i <= count; i += 1) {
    const eventId = `fault-${tag}-${i}`;
    if (i % badEvery === 0) {
      events.push({
        eventId,
        key: eventId,
        value: Buffer.from(`{"not json" ${i}`),
        outcome: 'dead-letter',
      });
      continue;
    }
    const sanctioned = i % sanctionedEvery === 0;
    const hex = i.toString(16).padStart(8, '0');
    const transfer = {
      type: 'onchain-transfer',
      eventId,
      chain: 'ethereum',
      txHash: `0x${hex.padStart(64, 'c')}`,
      index: 0,
      blockTime: '2026-03-15T09:30:00Z',
      from: [`0x${hex.padStart(40, 'a')}`],
      to: sanctioned ? GARANTEX_ETH : `0x${hex.padStart(40, 'b')}`,
      asset: 'ETH',
      amount: '1.5',
    };
    events.push({
      eventId,
      key: eventId,
      value: Buffer.from(JSON.stringify(transfer)),
      outcome: sanctioned ? 'alert' : 'clean',
    });
  }
  return events;
}

export interface CollectedRecord {
  partition: number;
  offset: string;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reads a topic from its start (read_committed by default) into memory. */
export class Collector {
  readonly records: CollectedRecord[] = [];
  private consumer: Consumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
    private readonly readCommitted = true,
  ) {}

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({
      groupId: `fault-collector-${uniqueSuffix()}`,
      readUncommitted: !this.readCommitted,
      maxWaitTimeInMs: 200,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
        }
        this.records.push({ partition, offset: message.offset, value: message.value, headers });
      },
    });
    return this;
  }

  json<T>(): T[] {
    return this.records.map((r) => JSON.parse(r.value?.toString('utf8') ?? 'null') as T);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }
}

const JAVA_READER = join(ROOT, 'test', 'faults', 'read-committed', 'ReadCommitted.java');

/**
 * Reads a topic with the reference Java consumer at read_committed (see ReadCommitted.java for
 * why not kafkajs). Uses the Kafka jars the local stack already cached; null when Java cannot
 * run it (a JRE without the compiler module cannot launch a source file).
 */
export async function readCommittedWithJava(
  brokers: string[],
  topic: string,
): Promise<CollectedRecord[] | null> {
  const libs = join(
    process.env.SEKIMORI_CACHE ?? join(process.env.HOME ?? '', '.cache', 'sekimori'),
    'kafka-4.1.1',
    'libs',
  );
  try {
    const { stdout } = await run(
      'java',
      ['-Xmx128m', '-cp', `${libs}/*`, JAVA_READER, brokers.join(','), topic],
      { maxBuffer: 256 << 20, timeout: 120_000 },
    );
    return stdout
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => {
        const [partition, offset, ...value] = line.split(' ');
        return {
          partition: Number(partition),
          offset,
          value: Buffer.from(value.join(' ')),
          headers: {},
        };
      });
  } catch {
    return null;
  }
}

/** One line of the table in docs/reliability.md. */
export interface ReliabilityRow {
  scenario: string;
  mode: DeliveryMode;
  eventsIn: number;
  expectedAlerts: number;
  alertsOut: number;
  uniqueAlerts: number;
  duplicates: number;
  lost: number;
  /** Alerts for events that should have raised none. */
  unexpected: number;
  expectedDeadLetters: number;
  deadLettersOut: number;
  /** Decisions read (copies included), events without one, extra copies, and wrong answers. */
  decisionsOut: number;
  decisionsLost: number;
  decisionDuplicates: number;
  decisionsWrong: number;
  /** The group's committed offsets reached the end of every input partition. */
  allCommitted: boolean;
  /** Who read the alerts: the Java client at read_committed, or kafkajs. */
  alertsReadBy: 'java read_committed' | 'kafkajs read_committed';
  /** Duplicates as a kafkajs read_committed consumer saw them (its aborted-record filter leaks). */
  kafkajsDuplicates: number;
  durationSeconds: number;
  notes: string;
  ranAt: string;
}

export const RESULTS_DIR = join(ROOT, 'test', 'faults', '.results');

export function recordRow(row: ReliabilityRow): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${row.scenario.replace(/[^a-z0-9]+/gi, '-')}.${row.mode}.json`);
  writeFileSync(file, `${JSON.stringify(row, null, 2)}\n`);
}

export interface FaultRunOptions {
  scenario: string;
  mode: DeliveryMode;
  events?: number;
  brokers?: string[];
  redisUrl?: string;
  partitions?: number;
  /** Publish the excerpt list before the run (default true). */
  loadList?: boolean;
}

/**
 * One scenario: fresh topics and key prefix, a fixed stream, the screeners it starts, and the
 * check at the end. The group id and transactional id prefix are fixed for the run, so a
 * restarted screener takes over the same group and the same transactional ids.
 */
export class FaultRun {
  readonly topics: TopicNames = freshTopics();
  readonly prefix = freshPrefix();
  readonly groupId = `fault-screener-${uniqueSuffix()}`;
  readonly kafka: Kafka;
  readonly stream: StreamEvent[];
  readonly screeners: ScreenerProcess[] = [];
  readonly alerts: Collector;
  readonly decisions: Collector;
  readonly deadLetters: Collector;
  readonly brokers: string[];
  readonly redisUrl: string;
  readonly notes: string[] = [];
  /** The list version published by setUp. */
  listVersion = '';
  private produced = 0;
  private producer: Producer | null = null;
  private admin: Admin | null = null;
  private readonly started = Date.now();

  constructor(readonly options: FaultRunOptions) {
    this.brokers = options.brokers ?? testBrokers();
    this.redisUrl = options.redisUrl ?? testRedisUrl();
    this.kafka = new Kafka({
      clientId: 'sekimori-fault-tests',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 12, initialRetryTime: 200, maxRetryTime: 3_000 },
    });
    this.stream = faultStream(options.events ?? 2_000);
    this.alerts = new Collector(this.kafka, this.topics.alerts);
    this.decisions = new Collector(this.kafka, this.topics.decisions);
    this.deadLetters = new Collector(this.kafka, this.topics.deadLetters);
  }

  get mode(): DeliveryMode {
    return this.options.mode;
  }

  get expectedAlerts(): StreamEvent[] {
    return this.stream.filter((e) => e.outcome === 'alert');
  }

  get producedCount(): number {
    return this.produced;
  }

  async setUp(): Promise<this> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await createTopicsAndWait(this.admin, Object.values(this.topics), this.options.partitions ?? 3);
    if (this.options.loadList ?? true) {
      this.listVersion = await publishList(this.redisUrl, this.prefix, await excerptList());
    }
    await this.alerts.start();
    await this.decisions.start();
    await this.deadLetters.start();
    return this;
  }

  screenerEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...topicEnv(this.topics),
      KAFKA_BROKERS: this.brokers.join(','),
      REDIS_URL: this.redisUrl,
      REDIS_KEY_PREFIX: this.prefix,
      KAFKA_GROUP_ID: this.groupId,
      KAFKA_TRANSACTIONAL_ID_PREFIX: this.groupId,
      DELIVERY_MODE: this.mode,
      // The broker's minimum: a killed member's partitions move after 6 s, not 30.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      THROUGHPUT_LOG_INTERVAL_MS: '1000',
      LOG_LEVEL: 'info',
      ...extra,
    };
  }

  async startScreener(extra: Record<string, string> = {}): Promise<ScreenerProcess> {
    const screener = await ScreenerProcess.start(this.screenerEnv(extra));
    this.screeners.push(screener);
    return screener;
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    return this.producer;
  }

  /** Produces the next events of the stream, up to `until` (exclusive), in chunks. */
  async produceUntil(until: number, chunk = 50, pauseMs = 10): Promise<void> {
    const producer = await this.connectedProducer();
    while (this.produced < Math.min(until, this.stream.length)) {
      const next = this.stream.slice(this.produced, Math.min(until, this.produced + chunk));
      await producer.send({
        topic: this.topics.onchain,
        acks: -1,
        messages: next.map((e) => ({ key: e.key, value: e.value })),
      });
      this.produced += next.length;
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  produceRest(chunk = 50, pauseMs = 10): Promise<void> {
    return this.produceUntil(this.stream.length, chunk, pauseMs);
  }

  /** Alerts seen so far, for events of this run. */
  alertedEventIds(): Set<string> {
    return new Set(this.alerts.json<Alert>().map((a) => a.eventId));
  }

  /**
   * Sends `signal` to a screener while it has a batch in hand: as soon as it logs an alert (alerts
   * are logged while a batch is screened, before its output is delivered and its offsets move).
   * With a backlog on the input the screener is inside some batch at almost any moment anyway.
   */
  async interrupt(
    screener: ScreenerProcess,
    signal: NodeJS.Signals,
    timeoutMs = 30_000,
  ): Promise<{ exitMs: number; code: number | null; onAlertLog: boolean }> {
    const from = screener.logs.length;
    const until = Date.now() + 10_000;
    let onAlertLog = false;
    while (Date.now() < until) {
      if (screener.logs.slice(from).some((l) => l.msg === 'alert')) {
        onAlertLog = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const started = Date.now();
    const code = await screener.stop(signal, timeoutMs);
    return { exitMs: Date.now() - started, code, onAlertLog };
  }

  /**
   * Kills (or stops) whichever of the screeners logs an alert first: the one that has a batch
   * of the transfer topic in hand.
   */
  async interruptBusiest(
    screeners: ScreenerProcess[],
    signal: NodeJS.Signals,
  ): Promise<{ victim: ScreenerProcess; onAlertLog: boolean }> {
    const from = screeners.map((s) => s.logs.length);
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      const busy = screeners.findIndex((s, i) =>
        s.logs.slice(from[i]).some((l) => l.msg === 'alert'),
      );
      if (busy >= 0) {
        await screeners[busy].stop(signal, 30_000);
        return { victim: screeners[busy], onAlertLog: true };
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await screeners[0].stop(signal, 30_000);
    return { victim: screeners[0], onAlertLog: false };
  }

  /** Sum of the group's committed offsets over the input partitions (how far it has got). */
  async committedTotal(): Promise<bigint> {
    const [committed] = await (this.admin as Admin).fetchOffsets({
      groupId: this.groupId,
      topics: [this.topics.onchain],
    });
    return (committed?.partitions ?? []).reduce(
      (sum, p) => sum + (BigInt(p.offset) > 0n ? BigInt(p.offset) : 0n),
      0n,
    );
  }

  /** Waits until every alert expected from the events produced so far is out. */
  async waitForAlertsOfProduced(timeoutMs = 60_000): Promise<void> {
    const expected = this.stream
      .slice(0, this.produced)
      .filter((e) => e.outcome === 'alert')
      .map((e) => e.eventId);
    await waitFor(
      `the alerts of the ${this.produced} events produced so far`,
      () => {
        const seen = this.alertedEventIds();
        return expected.every((id) => seen.has(id));
      },
      timeoutMs,
      50,
    );
  }

  async waitForAlertCount(count: number, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      `${count} alerts on ${this.topics.alerts}`,
      () => this.alertedEventIds().size >= count,
      timeoutMs,
      20,
    );
  }

  async waitForAllAlerts(timeoutMs = 90_000): Promise<void> {
    const expected = this.expectedAlerts.map((e) => e.eventId);
    await waitFor(
      `every expected alert on ${this.topics.alerts}`,
      () => {
        const seen = this.alertedEventIds();
        return expected.every((id) => seen.has(id));
      },
      timeoutMs,
      100,
    ).catch((error: Error) => {
      const seen = this.alertedEventIds();
      const missing = expected.filter((id) => !seen.has(id)).length;
      throw new Error(`${error.message}: ${missing} of ${expected.length} missing`);
    });
  }

  /** The group's committed offsets (transactional ones included) at the end of every input partition. */
  async allCommitted(): Promise<boolean> {
    return (await this.commitGaps()).length === 0;
  }

  /** The input partitions whose committed offset is short of their end, as `p<n> committed/end`. */
  async commitGaps(): Promise<string[]> {
    const admin = this.admin as Admin;
    const ends = await admin.fetchTopicOffsets(this.topics.onchain);
    const [committed] = await admin.fetchOffsets({
      groupId: this.groupId,
      topics: [this.topics.onchain],
    });
    return ends.flatMap((end) => {
      const offset = committed?.partitions.find((p) => p.partition === end.partition)?.offset;
      return offset !== undefined && BigInt(offset) >= BigInt(end.high)
        ? []
        : [`p${end.partition} ${offset ?? 'none'}/${end.high}`];
    });
  }

  /**
   * Waits until the run is over: every expected alert out, every input offset committed, and
   * the collectors quiet (no late duplicate still on its way).
   */
  async waitForCompletion(timeoutMs = 90_000): Promise<void> {
    await this.waitForAllAlerts(timeoutMs);
    await waitFor(
      'the group committing every input offset',
      () => this.allCommitted(),
      timeoutMs,
      200,
    );
    const expectedDlq = this.stream.filter((e) => e.outcome === 'dead-letter').length;
    await waitFor(
      `${expectedDlq} dead letters`,
      () => this.deadLetterSources().size >= expectedDlq,
      timeoutMs,
      100,
    );
    // Every event with an eventId gets a decision; the stream's bad events are not JSON.
    const expectedDecisions = this.stream.filter((e) => e.outcome !== 'dead-letter');
    await waitFor(
      `${expectedDecisions.length} decisions`,
      () => {
        const decided = this.decidedEventIds();
        return expectedDecisions.every((e) => decided.has(e.eventId));
      },
      timeoutMs,
      100,
    );
    let last = -1;
    await waitFor(
      'the alert, decision and dead-letter collectors to settle',
      () => {
        const now =
          this.alerts.records.length +
          this.decisions.records.length +
          this.deadLetters.records.length;
        const settled = now === last;
        last = now;
        return settled;
      },
      30_000,
      1_500,
    );
  }

  /** Events with a decision so far. */
  decidedEventIds(): Set<string> {
    return new Set(this.decisions.json<Decision>().map((d) => d.eventId));
  }

  /** The input positions (partition:offset) that dead letters came from. */
  deadLetterSources(): Set<string> {
    return new Set(
      this.deadLetters.records.map(
        (r) => `${r.headers['dlq-source-partition']}:${r.headers['dlq-source-offset']}`,
      ),
    );
  }

  /** Counts what came out against what the stream says should have, and records the row. */
  verdict(
    records: CollectedRecord[] | null = null,
    decisionRecords: CollectedRecord[] | null = null,
  ): ReliabilityRow {
    const byEvent = new Map(this.stream.map((e) => [e.eventId, e]));
    const fromKafkajs = this.alerts.json<Alert>();
    const alerts =
      records?.map((r) => JSON.parse(r.value?.toString('utf8') ?? 'null') as Alert) ?? fromKafkajs;
    const ids = new Set(alerts.map((a) => a.alertId));
    const alerted = new Set(alerts.map((a) => a.eventId));
    const expected = this.expectedAlerts;
    const lost = expected.filter((e) => !alerted.has(e.eventId)).length;
    const unexpected = alerts.filter(
      (a) => byEvent.get(a.eventId)?.outcome !== 'alert' || a.ruleId !== 'SANCTIONS_ADDRESS_MATCH',
    ).length;
    const dlqOffsets = [...this.deadLetterSources()];
    const decisions = (decisionRecords ?? this.decisions.records).map(
      (r) => JSON.parse(r.value?.toString('utf8') ?? 'null') as Decision,
    );
    const decidedAs = new Map(decisions.map((d) => [d.eventId, d.decision]));
    const decidable = this.stream.filter((e) => e.outcome !== 'dead-letter');
    return {
      scenario: this.options.scenario,
      mode: this.mode,
      eventsIn: this.stream.length,
      expectedAlerts: expected.length,
      alertsOut: alerts.length,
      uniqueAlerts: ids.size,
      duplicates: alerts.length - ids.size,
      lost,
      unexpected,
      expectedDeadLetters: this.stream.filter((e) => e.outcome === 'dead-letter').length,
      deadLettersOut: new Set(dlqOffsets).size,
      decisionsOut: decisions.length,
      decisionsLost: decidable.filter((e) => !decidedAs.has(e.eventId)).length,
      decisionDuplicates: decisions.length - decidedAs.size,
      decisionsWrong: decidable.filter(
        (e) =>
          decidedAs.has(e.eventId) &&
          decidedAs.get(e.eventId) !== (e.outcome === 'alert' ? 'block' : 'pass'),
      ).length,
      allCommitted: false,
      alertsReadBy: records ? 'java read_committed' : 'kafkajs read_committed',
      kafkajsDuplicates: fromKafkajs.length - new Set(fromKafkajs.map((a) => a.alertId)).size,
      durationSeconds: Math.round((Date.now() - this.started) / 100) / 10,
      notes: this.notes.join('; '),
      ranAt: new Date().toISOString(),
    };
  }

  /** Alerts that came out more than once, with the positions of each copy (for diagnosis). */
  duplicateCopies(): Array<{ eventId: string; copies: string[] }> {
    const seen = new Map<string, string[]>();
    for (const r of this.alerts.records) {
      const alert = JSON.parse(r.value?.toString('utf8') ?? 'null') as Alert;
      const at = `${r.partition}:${r.offset}@${alert.detectedAt}`;
      seen.set(alert.alertId, [...(seen.get(alert.alertId) ?? []), `${alert.eventId} ${at}`]);
    }
    return [...seen.values()]
      .filter((copies) => copies.length > 1)
      .map((copies) => ({ eventId: copies[0].split(' ')[0], copies }));
  }

  /**
   * The verdict, recorded. Exactly-once runs are judged on what the reference Java consumer
   * reads at read_committed; at-least-once output has no transactions, so kafkajs reads it right.
   */
  async finish(): Promise<ReliabilityRow> {
    const exactlyOnce = this.mode === 'exactly-once';
    const records = exactlyOnce
      ? await readCommittedWithJava(this.brokers, this.topics.alerts)
      : null;
    const decisionRecords = exactlyOnce
      ? await readCommittedWithJava(this.brokers, this.topics.decisions)
      : null;
    if (this.mode === 'exactly-once' && records === null) {
      this.notes.push('Java reader unavailable: alerts read with kafkajs');
    }
    const gaps = await this.commitGaps();
    if (gaps.length > 0) this.notes.push(`offsets not committed to the end: ${gaps.join(', ')}`);
    const row = { ...this.verdict(records, decisionRecords), allCommitted: gaps.length === 0 };
    recordRow(row);
    return row;
  }

  async tearDown(): Promise<void> {
    for (const screener of this.screeners) {
      if (screener.running) await screener.stop('SIGKILL', 10_000).catch(() => undefined);
    }
    // The screeners' logs, for a post-mortem of a failed or surprising run (gitignored).
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(
      join(RESULTS_DIR, `${this.options.scenario.replace(/[^a-z0-9]+/gi, '-')}.${this.mode}.log`),
      this.screeners
        .map((s, i) =>
          [`# screener ${i}`, ...s.logs.map((l) => JSON.stringify(l)), ...s.stderr].join('\n'),
        )
        .join('\n'),
    );
    await this.alerts.stop();
    await this.decisions.stop();
    await this.deadLetters.stop();
    await this.producer?.disconnect().catch(() => undefined);
    if (this.admin) {
      await this.admin.deleteTopics({ topics: Object.values(this.topics) }).catch(() => undefined);
      await this.admin.disconnect().catch(() => undefined);
    }
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    await dropPrefix(redis, this.prefix).catch(() => undefined);
    redis.disconnect();
  }
}
