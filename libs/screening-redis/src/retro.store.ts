import { guardRedis, type RedisClient } from '@sekimori/redis';
import { EnrichmentKeys } from './enrichment-keys';

const DAY_MS = 86_400_000;

/** A re-screen of past transfers after a list version became current. */
export interface RetroJob {
  listId: string;
  version: string;
  /** The version it replaced (null: the list's first version). */
  previousVersion: string | null;
  issuedAt: string;
  /** When the version became current. */
  switchedAt: string;
  createdAt: string;
  /** Transfers whose event time is before this are left alone (RETRO_LOOKBACK_DAYS). */
  lookbackFrom: string;
  /** Per `topic:partition`, the offset the re-screen stops at: what was on the topic then. */
  ends: Record<string, string>;
  state: 'running' | 'done';
  scanned: number;
  matched: number;
  finishedAt?: string;
}

/**
 * Re-screen jobs, and the address and name alerts already raised (live or retroactive), in
 * Redis: a job survives restarts and is shared by every screener instance; an alert is raised
 * once whoever raises it first.
 */
export class RetroStore {
  private readonly keys: EnrichmentKeys;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
    private readonly lookbackDays: number,
  ) {
    this.keys = new EnrichmentKeys(keyPrefix);
  }

  /** How long a raised mark is kept: past transfers older than the lookback are not re-screened. */
  private get markTtlMs(): number {
    return (this.lookbackDays + 2) * DAY_MS;
  }

  /** Marks alerts as raised (one round trip; a repeat only renews the mark). */
  async markRaised(alertIds: readonly string[]): Promise<void> {
    if (alertIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of alertIds) pipeline.set(this.keys.raised(id), '1', 'PX', this.markTtlMs);
    await guardRedis('raised marks', async () => {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
    });
  }

  /** The ids among `alertIds` that were never raised. */
  async notRaised(alertIds: readonly string[]): Promise<Set<string>> {
    if (alertIds.length === 0) return new Set();
    const found = await guardRedis('raised marks', () =>
      this.redis.mget(alertIds.map((id) => this.keys.raised(id))),
    );
    return new Set(alertIds.filter((_, i) => found[i] === null));
  }

  /** Creates the job unless one exists for that version; true when this call created it. */
  async create(job: RetroJob): Promise<boolean> {
    const key = this.keys.retroJob(job.listId, job.version);
    const created = await guardRedis('retro job', () =>
      this.redis.hsetnx(key, 'job', JSON.stringify(job)),
    );
    if (created === 1) {
      await guardRedis('retro job', () =>
        this.redis.zadd(
          this.keys.retroJobs(),
          String(Date.parse(job.createdAt)),
          `${job.listId}:${job.version}`,
        ),
      );
    }
    return created === 1;
  }

  async get(listId: string, version: string): Promise<RetroJob | null> {
    const key = this.keys.retroJob(listId, version);
    const [stored, counts] = await guardRedis('retro job', () =>
      Promise.all([this.redis.hget(key, 'job'), this.redis.hmget(key, 'scanned', 'matched')]),
    );
    if (stored === null) return null;
    const job = JSON.parse(stored) as RetroJob;
    return { ...job, scanned: Number(counts[0] ?? 0), matched: Number(counts[1] ?? 0) };
  }

  /** Every job, oldest first. */
  async all(): Promise<RetroJob[]> {
    const ids = await guardRedis('retro job', () =>
      this.redis.zrange(this.keys.retroJobs(), 0, -1),
    );
    const jobs: RetroJob[] = [];
    for (const id of ids) {
      const at = id.lastIndexOf(':');
      const job = await this.get(id.slice(0, at), id.slice(at + 1));
      if (job) jobs.push(job);
    }
    return jobs;
  }

  /** Adds to a job's counts (after a delivered batch). */
  async count(job: RetroJob, scanned: number, matched: number): Promise<void> {
    const key = this.keys.retroJob(job.listId, job.version);
    await guardRedis('retro job', async () => {
      await this.redis
        .multi()
        .hincrby(key, 'scanned', scanned)
        .hincrby(key, 'matched', matched)
        .exec();
    });
  }

  async finish(job: RetroJob, finishedAt: string): Promise<void> {
    const key = this.keys.retroJob(job.listId, job.version);
    const stored = await guardRedis('retro job', () => this.redis.hget(key, 'job'));
    if (stored === null) return;
    const done: RetroJob = { ...(JSON.parse(stored) as RetroJob), state: 'done', finishedAt };
    await guardRedis('retro job', () => this.redis.hset(key, 'job', JSON.stringify(done)));
  }
}
