import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { redisEnv, securityEnv, testBrokers, uniqueSuffix, waitFor } from './env';

export const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'screener', 'main.js');

export type LogLine = Record<string, unknown> & { msg?: string; level?: number | string };

/**
 * The screener as operators run it: the built artifact in its own process, configured by
 * environment, its JSON log lines collected for the test to wait on.
 */
export class ScreenerProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  constructor(readonly env: Record<string, string>) {}

  static async start(env: Record<string, string>): Promise<ScreenerProcess> {
    const screener = new ScreenerProcess(env);
    screener.spawn();
    await screener.waitForLog(
      'consumer joined the group',
      (l) => l.msg === 'joined consumer group',
      60_000,
    );
    return screener;
  }

  spawn(): void {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    this.exitCode = null;
    this.exitSignal = null;
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        KAFKA_BROKERS: testBrokers().join(','),
        // A test that gives its own REDIS_URL gives a private single Redis (faults, outages).
        ...(this.env.REDIS_URL === undefined ? redisEnv() : {}),
        KAFKA_GROUP_ID: `screener-${uniqueSuffix()}`,
        KAFKA_CREATE_TOPICS: 'false',
        HTTP_PORT: '0',
        THROUGHPUT_LOG_INTERVAL_MS: '5000',
        RETRY_INITIAL_MS: '50',
        RETRY_MAX_MS: '500',
        // Most tests load the OFAC excerpt alone; those that need other lists say so.
        REQUIRED_LISTS: 'ofac-sdn',
        ...securityEnv(),
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.stderr.push(line);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve(code);
      }),
    );
  }

  get running(): boolean {
    return this.child !== null && this.exitCode === null && this.exitSignal === null;
  }

  async waitForLog(
    what: string,
    match: (line: LogLine) => boolean,
    timeoutMs = 30_000,
    from = 0,
  ): Promise<LogLine> {
    return waitFor(
      `${what} in the screener log${this.running ? '' : ` (the screener exited: ${this.exitCode ?? this.exitSignal}; stderr: ${this.stderr.join('').slice(-2000)})`}`,
      () => this.logs.slice(from).find(match),
      timeoutMs,
    );
  }

  logsWith(msg: string): LogLine[] {
    return this.logs.filter((l) => l.msg === msg);
  }

  /** Sends a signal and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number | null> {
    if (!this.running) return this.exitCode;
    this.child?.kill(signal);
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), timeoutMs).unref(),
    );
    const result = await Promise.race([this.exited, timer]);
    if (result === 'timeout') {
      this.child?.kill('SIGKILL');
      await this.exited;
      throw new Error(`screener did not exit within ${timeoutMs} ms of ${signal}`);
    }
    return this.exitCode;
  }
}
