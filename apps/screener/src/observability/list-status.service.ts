import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import { SanctionsListStore, type VersionMeta } from '@sekimori/list-store';
import { APP_CONFIG, LOGGER } from '@sekimori/screening-nest';
import { ScreeningMetrics } from './screening-metrics';

export interface ListStatus {
  versions: VersionMeta[];
  oldestAgeHours: number | null;
  stale: boolean;
  /** When this status was read from Redis. */
  readAt: string;
  error?: string;
}

const CHECK_EVERY_MS = 30_000;
// A stale list is said at once and then repeated at this pace, not on every check: health
// probes read the status too, and a warning per probe would bury everything else in the log.
const STALE_WARN_EVERY_MS = 10 * 60_000;

/**
 * Watches the loaded list versions: their age feeds the health check and a metric, and the
 * log says when a list is older than allowed or a new version has been switched in.
 */
@Injectable()
export class ListStatusService implements OnApplicationShutdown {
  private status: ListStatus = {
    versions: [],
    oldestAgeHours: null,
    stale: true,
    readAt: new Date(0).toISOString(),
  };
  private timer: NodeJS.Timeout | null = null;
  private lastSeen: string | null = null;
  private staleWarnedAt = 0;
  private inFlight: Promise<ListStatus> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly lists: SanctionsListStore,
    private readonly metrics: ScreeningMetrics,
  ) {}

  get current(): ListStatus {
    return this.status;
  }

  start(): void {
    this.timer = setInterval(() => void this.refresh(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** The status, read again from Redis when the last read is older than `maxAgeMs`. */
  async fresh(maxAgeMs: number): Promise<ListStatus> {
    const age = Date.now() - Date.parse(this.status.readAt);
    if (age <= maxAgeMs && this.status.error === undefined) return this.status;
    return this.refresh();
  }

  /** Reads the current versions from Redis; concurrent callers share one read. */
  refresh(): Promise<ListStatus> {
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async read(): Promise<ListStatus> {
    const now = Date.now();
    try {
      const versions = await this.lists.currentVersions();
      // Age is since the list's source was last checked (a reload of an unchanged file is a
      // check); an unreadable time counts as infinitely old: a list of unknown age is not fresh.
      const ages = versions.map((v) => (now - Date.parse(v.checkedAt)) / 3_600_000);
      const oldest =
        ages.length > 0 ? Math.max(...ages.map((a) => (Number.isNaN(a) ? Infinity : a))) : null;
      const stale = oldest === null || oldest > this.config.lists.maxAgeHours;
      this.metrics.listVersions(versions, stale);
      this.status = {
        versions,
        oldestAgeHours: oldest,
        stale,
        readAt: new Date(now).toISOString(),
      };
      const seen = versions.map((v) => `${v.listId}:${v.version}`).join(',');
      if (seen !== this.lastSeen) {
        this.log.info(
          { lists: versions },
          seen ? 'sanctions list versions in use' : 'no sanctions list loaded',
        );
        this.lastSeen = seen;
        const nameless = versions.filter((v) => v.counts.names === undefined);
        if (nameless.length > 0) {
          // Versions published before the name index existed (or by a parser that reads no
          // names): NAME_MATCH is silent on them, which an operator must know.
          this.log.warn(
            { lists: nameless.map((v) => ({ listId: v.listId, version: v.version })) },
            'sanctions list version has no name index: NAME_MATCH raises nothing from it until the list is loaded again (npm run lists:load)',
          );
        }
      }
      if (!stale || oldest === null) {
        this.staleWarnedAt = 0;
      } else if (now - this.staleWarnedAt >= STALE_WARN_EVERY_MS) {
        this.staleWarnedAt = now;
        this.log.warn(
          {
            oldestAgeHours: Number.isFinite(oldest) ? Math.round(oldest) : null,
            maxAgeHours: this.config.lists.maxAgeHours,
            lists: versions.map((v) => ({
              listId: v.listId,
              version: v.version,
              issuedAt: v.issuedAt,
              checkedAt: v.checkedAt,
            })),
          },
          'sanctions list source not checked within LIST_MAX_AGE_HOURS: check it (npm run lists:update or lists:load)',
        );
      }
    } catch (error) {
      this.status = {
        ...this.status,
        stale: true,
        readAt: new Date(now).toISOString(),
        error: (error as Error).message,
      };
    }
    return this.status;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
