import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** Resident set size now (VmRSS) of a live process, in MB. */
export function rssMB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
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

/** Jiffies the whole machine has spent busy and in total, over all CPUs (the `cpu` line of /proc/stat). */
export function machineJiffies(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { busy: total - idle - iowait, total };
  } catch {
    return null;
  }
}

/**
 * Who used the CPUs over a stretch of time: the machine as a whole (busy share of every CPU) and
 * named processes, in cores (CPU seconds per wall second).
 */
export class CpuShares {
  private readonly machine0 = machineJiffies();
  private readonly started = performance.now();
  private readonly own0 = process.cpuUsage();
  private readonly procs0: Map<string, number | null>;

  constructor(private readonly pids: Record<string, number | null>) {
    this.procs0 = new Map(
      Object.entries(pids).map(([name, pid]) => [name, pid === null ? null : cpuSeconds(pid)]),
    );
  }

  finish(): CpuSharesResult {
    const seconds = (performance.now() - this.started) / 1000;
    const machine1 = machineJiffies();
    const own = process.cpuUsage(this.own0);
    const cores: Record<string, number | null> = {
      harness: (own.user + own.system) / 1e6 / seconds,
    };
    for (const [name, pid] of Object.entries(this.pids)) {
      const before = this.procs0.get(name) ?? null;
      const after = pid === null ? null : cpuSeconds(pid);
      cores[name] = before === null || after === null ? null : (after - before) / seconds;
    }
    const machineBusyPct =
      this.machine0 && machine1 && machine1.total > this.machine0.total
        ? (100 * (machine1.busy - this.machine0.busy)) / (machine1.total - this.machine0.total)
        : null;
    return { seconds, machineBusyPct, cores };
  }
}

export interface CpuSharesResult {
  seconds: number;
  /** Busy share of all the machine's CPUs together, 0–100. */
  machineBusyPct: number | null;
  /** CPU seconds per wall second of each process over the stretch (null when unknown). */
  cores: Record<string, number | null>;
}

/** The pid of a local process, when `pid` is alive and its command line mentions `expected`. */
function localPid(pid: number, expected: string): number | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(expected) ? pid : null;
  } catch {
    return null;
  }
}

/** The local stack's Kafka broker (scripts/stack writes its pid), or null when it is not here. */
export function localBrokerPid(root: string): number | null {
  const stackDir = process.env.STACK_DIR ?? join(root, '.stack');
  try {
    const pid = Number(readFileSync(join(stackDir, 'kafka.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? localPid(pid, 'kafka') : null;
  } catch {
    return null;
  }
}

/** The Redis server's pid from its `INFO server` text, when that server runs on this machine. */
export function localRedisPid(info: string): number | null {
  const match = /^process_id:(\d+)/m.exec(info);
  return match ? localPid(Number(match[1]), 'redis') : null;
}
