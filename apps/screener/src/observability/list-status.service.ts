import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import { SanctionsListStore, type VersionMeta } from '@sekimori/sanctions';
import { APP_CONFIG, LOGGER } from '../infrastructure/tokens';
import { ScreeningMetrics } from './screening-metrics';

export interface ListStatus {
  versions: VersionMeta[];
  oldestAgeHours: number | null;
  stale: boolean;
  checkedAt: string;
  error?: string;
}

const CHECK_EVERY_MS = 30_000;

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
    checkedAt: new Date(0).toISOString(),
  };
  private timer: NodeJS.Timeout | null = null;
  private lastSeen = '';

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

  async refresh(): Promise<ListStatus> {
    const now = Date.now();
    try {
      const versions = await this.lists.currentVersions();
      const ages = versions.map((v) => (now - Date.parse(v.loadedAt)) / 3_600_000);
      const oldest = ages.length > 0 ? Math.max(...ages) : null;
      for (const v of versions) {
        this.metrics.listAge.set(
          { list: v.listId },
          Math.max(0, (now - Date.parse(v.loadedAt)) / 1000),
        );
      }
      const stale = oldest === null || oldest > this.config.lists.maxAgeHours;
      this.status = {
        versions,
        oldestAgeHours: oldest,
        stale,
        checkedAt: new Date(now).toISOString(),
      };
      const seen = versions.map((v) => `${v.listId}:${v.version}`).join(',');
      if (seen !== this.lastSeen) {
        this.log.info(
          { lists: versions },
          seen ? 'sanctions list versions in use' : 'no sanctions list loaded',
        );
        this.lastSeen = seen;
      }
      if (stale && oldest !== null) {
        this.log.warn(
          { oldestAgeHours: Math.round(oldest), maxAgeHours: this.config.lists.maxAgeHours },
          'sanctions list is older than allowed: load a fresh one (npm run lists:load)',
        );
      }
    } catch (error) {
      this.status = {
        ...this.status,
        stale: true,
        checkedAt: new Date(now).toISOString(),
        error: (error as Error).message,
      };
    }
    return this.status;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
