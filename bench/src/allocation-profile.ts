import { existsSync, readFileSync } from 'node:fs';
import { bundlesOf, moduleLocator, type Stage, STAGES, stageOfStack } from './cpu-profile';

/** The parts of a sampling heap profile (`HeapProfiler.stopSampling`) the attribution reads. */
export interface HeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  /** Bytes of the samples taken in this frame itself (each sample stands for its interval). */
  selfSize: number;
  children?: HeapProfileNode[];
}

export interface HeapProfile {
  head: HeapProfileNode;
}

/** `allocated`: every byte, collected objects included; `survivors`: what outlived a scavenge. */
export type AllocationSampling = 'allocated' | 'survivors';

export interface AllocationBreakdown {
  /** Events the window processed; bytes per event divide by it. */
  events: number;
  /** What the profile kept of the window's allocations. */
  sampled: AllocationSampling;
  /** Bytes sampled over the window. */
  bytes: number;
  /** Bytes allocated per event, by stage (every stage present, zero when none). */
  perEventBytes: Record<string, number>;
  /** Whether bundle lines could be mapped to modules (a pathinfo build). */
  bundleMapped: boolean;
  /** The ten functions that allocate most themselves. */
  topSites: { name: string; where: string; stage: Stage; perEventBytes: number }[];
}

/**
 * Every sampled byte given to a stage by the same rule as CPU samples (the nearest frame on its
 * stack that tells), so that a stage's CPU and its garbage are read side by side. A stack with
 * no project or known library frame counts as 'Node.js runtime, other libraries'.
 */
export function attributeAllocations(
  profile: HeapProfile,
  options: { events: number; sampled?: AllocationSampling; bundles?: Record<string, string> },
): AllocationBreakdown {
  const { locate, mapped } = moduleLocator(options.bundles ?? {});
  const totals = new Map<Stage, number>();
  const sites = new Map<string, { name: string; where: string; stage: Stage; bytes: number }>();
  const stack: string[] = [];
  let bytes = 0;
  const visit = (node: HeapProfileNode): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    stack.push(locate(url, lineNumber));
    if (node.selfSize > 0) {
      const stage =
        stageOfStack(functionName, function* () {
          for (let i = stack.length - 1; i >= 0; i--) yield stack[i];
        }) ?? 'Node.js runtime, other libraries';
      totals.set(stage, (totals.get(stage) ?? 0) + node.selfSize);
      bytes += node.selfSize;
      const where = stack[stack.length - 1].replace(/^.*node_modules\//, '');
      const name = functionName || '(anonymous)';
      const key = `${name}@${where}`;
      const site = sites.get(key) ?? { name, where, stage, bytes: 0 };
      site.bytes += node.selfSize;
      sites.set(key, site);
    }
    for (const child of node.children ?? []) visit(child);
    stack.pop();
  };
  visit(profile.head);
  const events = Math.max(1, options.events);
  const perEventBytes: Record<string, number> = {};
  for (const s of STAGES) perEventBytes[s] = (totals.get(s) ?? 0) / events;
  const topSites = [...sites.values()]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 10)
    .map(({ name, where, stage, bytes: b }) => ({ name, where, stage, perEventBytes: b / events }));
  return {
    events: options.events,
    sampled: options.sampled ?? 'allocated',
    bytes,
    perEventBytes,
    bundleMapped: mapped,
    topSites,
  };
}

/** The profile the preload wrote at `path`, attributed; null when there is none. */
export function attributeAllocationFile(
  path: string,
  events: number,
  sampled: AllocationSampling = 'allocated',
): AllocationBreakdown | null {
  if (!existsSync(path)) return null;
  const profile = JSON.parse(readFileSync(path, 'utf8')) as HeapProfile;
  const urls: string[] = [];
  const collect = (node: HeapProfileNode): void => {
    urls.push(node.callFrame.url);
    for (const child of node.children ?? []) collect(child);
  };
  collect(profile.head);
  return attributeAllocations(profile, { events, sampled, bundles: bundlesOf(new Set(urls)) });
}
