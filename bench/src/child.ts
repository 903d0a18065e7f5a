import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Preloaded into children that exit on their own (the list loader): reports the process's own
 * peak RSS and CPU time as its last stderr line, which /proc can no longer tell after the exit.
 */
const EXIT_REPORT_HOOK = `process.on('exit', () => {
  try {
    const u = process.resourceUsage();
    require('fs').writeSync(2, '\\n@@bench-exit ' + JSON.stringify({ maxRssKb: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }) + '\\n');
  } catch {}
});
`;

export function writeExitHook(dir: string): string {
  const path = join(dir, 'exit-report.js');
  writeFileSync(path, EXIT_REPORT_HOOK);
  return path;
}

export interface ExitReport {
  maxRssKb: number;
  userUs: number;
  systemUs: number;
}

/**
 * A process under measurement. Its output goes to a file, not a pipe: reading a pipe would cost
 * the harness CPU on the same two cores and a full pipe would stall the child.
 */
export class MeasuredProcess {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly logFile: string,
    args: string[],
    env: Record<string, string>,
    cwd: string,
  ) {
    const fd = openSync(logFile, 'w');
    this.child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      }),
    );
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} did not start`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null;
  }

  /** Why it is no longer running, or null while it runs. */
  deadReason(): string | null {
    return this.running ? null : `${this.name} exited (${this.exitCode ?? this.exitSignal})`;
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  tail(chars = 3000): string {
    return this.log().slice(-chars);
  }

  /** Waits for a log line containing `needle`; returns performance.now() when it was seen. */
  async waitForLine(needle: string, timeoutMs: number): Promise<number> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      if (this.log().includes(needle)) return performance.now();
      if (!this.running) {
        throw new Error(`${this.name} exited before "${needle}":\n${this.tail()}`);
      }
      if (performance.now() > until) {
        throw new Error(`${this.name}: no "${needle}" within ${timeoutMs} ms:\n${this.tail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async waitForExit(timeoutMs: number): Promise<void> {
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), timeoutMs).unref(),
    );
    if ((await Promise.race([this.exited, timer])) === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
      throw new Error(`${this.name} did not exit within ${timeoutMs} ms`);
    }
  }

  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    await this.waitForExit(timeoutMs);
  }

  exitReport(): ExitReport | null {
    const match = /@@bench-exit (\{.*\})/.exec(this.log());
    return match ? (JSON.parse(match[1]) as ExitReport) : null;
  }
}
