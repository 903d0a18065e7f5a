import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { AppConfig } from '@sekimori/config';
import { APP_CONFIG } from '@sekimori/screening-nest';
import { ListStatusService } from '../observability/list-status.service';
import { messageOf, withTimeout } from './with-timeout';

const READ_TIMEOUT_MS = 1_500;
// The list status is one Lua call; re-reading it at most this often keeps probes cheap while a
// newly loaded or switched list shows within seconds.
const REUSE_MS = 2_000;

const hours = (h: number | null): number | null =>
  h === null || !Number.isFinite(h) ? null : Math.round(h * 100) / 100;

/**
 * A sanctions list is loaded (without one nothing can be screened: not ready) and its source was
 * checked within LIST_MAX_AGE_HOURS. A stale list is reported `up` with `stale: true`; the controller
 * turns that into an overall `degraded`. Screening against yesterday's list beats screening
 * nothing: an old list must alert an operator, not stop the screener.
 */
@Injectable()
export class SanctionsListHealthIndicator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lists: ListStatusService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'sanctionsList') {
    const session = this.indicators.check(key);
    let status;
    try {
      status = await withTimeout(this.lists.fresh(REUSE_MS), READ_TIMEOUT_MS, 'list status read');
    } catch (error) {
      return session.down({
        message: `cannot read the sanctions list status: ${messageOf(error)}`,
      });
    }
    const details = {
      lists: status.versions.map((v) => ({
        listId: v.listId,
        version: v.version,
        issuedAt: v.issuedAt,
        loadedAt: v.loadedAt,
        checkedAt: v.checkedAt,
        ageHours: hours((Date.now() - Date.parse(v.checkedAt)) / 3_600_000),
        addresses: v.counts.distinctAddresses,
      })),
      oldestAgeHours: hours(status.oldestAgeHours),
      maxAgeHours: this.config.lists.maxAgeHours,
      stale: status.stale,
      readAt: status.readAt,
    };
    if (status.error) {
      return session.down({
        message: `cannot read the sanctions list status: ${status.error}`,
        ...details,
      });
    }
    if (status.versions.length === 0) {
      return session.down({
        message: `no sanctions list is loaded under the Redis key prefix "${this.config.redis.keyPrefix}": load one (npm run lists:load)`,
        ...details,
      });
    }
    const loaded = new Set(status.versions.map((v) => v.listId));
    const missing = this.config.lists.required.filter((id) => !loaded.has(id));
    if (missing.length > 0) {
      // The lookup holds every batch until they are loaded (fail closed): not ready.
      return session.down({
        message: `required sanctions list not loaded: ${missing.join(', ')} (REQUIRED_LISTS); load it (npm run lists:load)`,
        ...details,
      });
    }
    return session.up(details);
  }
}
