import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux; proc(5) reports utime/stime in these ticks.

/** CPU seconds (user + system) a live process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Peak resident set size (VmHWM) of a live process, in MB (10^6 bytes, as the targets are stated). */
export function peakRssMB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? (Number(match[1]) * 1024) / 1e6 : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the last VmHWM seen while the process lives: a process that exits on its own (the list
 * loader) cannot be asked afterwards.
 */
export class PeakRssSampler {
  peakMB = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 50,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    const v = peakRssMB(this.pid);
    if (v !== null && v > this.peakMB) this.peakMB = v;
  }

  stop(): number {
    this.sample();
    clearInterval(this.timer);
    return this.peakMB;
  }
}
