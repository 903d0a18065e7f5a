import { join } from 'node:path';
import { MeasuredProcess, writeExitHook } from './child';
import { PeakRssSampler } from './proc';

export interface LoaderResult {
  file: string;
  seconds: number;
  peakRssMB: number;
  cpuSeconds: number | null;
  /** The loader's own split (parse, publish), from its log line. */
  durationsMs: Record<string, number> | null;
  entries: number | null;
  version: string | null;
}

/**
 * The list loader as operators run it: the built CLI on the full OFAC SDN Advanced file into a
 * fresh prefix, timed from spawn to exit (Node start-up included). Peak RSS is the process's
 * own (`process.resourceUsage().maxRSS` at exit); the system `bzip2` it pipes from is a separate
 * process and not counted.
 */
export async function measureLoader(
  root: string,
  runDir: string,
  file: string,
  redisUrl: string,
  prefix: string,
): Promise<LoaderResult> {
  const hook = writeExitHook(runDir);
  const proc = new MeasuredProcess(
    'list-loader',
    join(runDir, 'list-loader.log'),
    ['-r', hook, join(root, 'dist', 'apps', 'list-loader', 'main.js'), file],
    { PATH: process.env.PATH ?? '', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix },
    root,
  );
  const sampler = new PeakRssSampler(proc.pid);
  await proc.waitForExit(300_000);
  const seconds = (performance.now() - proc.startedAt) / 1000;
  const sampled = sampler.stop();
  if (proc.exitCode !== 0) {
    throw new Error(`list loader failed (${proc.exitCode ?? proc.exitSignal}):\n${proc.tail()}`);
  }
  const report = proc.exitReport();
  let durationsMs: Record<string, number> | null = null;
  let entries: number | null = null;
  let version: string | null = null;
  for (const line of proc.log().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as {
        durationsMs?: Record<string, number>;
        counts?: { entries?: number };
        listVersion?: string;
      };
      if (parsed.durationsMs) {
        durationsMs = parsed.durationsMs;
        entries = parsed.counts?.entries ?? null;
        version = parsed.listVersion ?? null;
      }
    } catch {
      // not a log line
    }
  }
  return {
    file,
    seconds,
    peakRssMB: report ? (report.maxRssKb * 1024) / 1e6 : sampled,
    cpuSeconds: report ? (report.userUs + report.systemUs) / 1e6 : null,
    durationsMs,
    entries,
    version,
  };
}
