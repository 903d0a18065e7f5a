import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { Logger } from 'pino';
import { LOGGER } from '@sekimori/screening-nest';
import { BrokerHealthIndicator } from './broker.health';
import { ConsumerHealthIndicator } from './consumer.health';
import { RedisHealthIndicator } from './redis.health';
import { SanctionsListHealthIndicator } from './sanctions-list.health';

/**
 * `ok`: screening. `degraded`: screening, but something needs an operator (a stale list); still
 * HTTP 200. `error`: not screening or unable to (HTTP 503). `shutting_down`: stopping (503).
 */
export type ReadinessStatus = 'ok' | 'degraded' | 'error' | 'shutting_down';

export interface ReadinessReport {
  status: ReadinessStatus;
  /** One sentence per failing or degraded check; empty when `ok`. */
  reasons: string[];
  /** Per check: `{ status: 'up' | 'down', ...fields }`; `info` the up ones, `error` the down ones. */
  info: Partial<HealthIndicatorResult>;
  error: Partial<HealthIndicatorResult>;
  details: HealthIndicatorResult;
}

interface IndicatorDetail {
  status: 'up' | 'down';
  message?: string;
  stale?: boolean;
  oldestAgeHours?: number | null;
  maxAgeHours?: number;
}

/**
 * Liveness and readiness for an orchestrator and for operators. Readiness is what the service
 * is for: consuming, with a broker, Redis and a sanctions list to screen against.
 */
@Controller('health')
export class HealthController {
  private lastStatus: ReadinessStatus | null = null;
  private lastReasons = '';

  constructor(
    private readonly health: HealthCheckService,
    private readonly broker: BrokerHealthIndicator,
    private readonly consumer: ConsumerHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly lists: SanctionsListHealthIndicator,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * The process is up and its event loop answers. Nothing else: restarting the process cures
   * none of the dependency outages readiness reports, and the screener recovers from those
   * by itself.
   */
  @Get('live')
  live(): { status: 'ok'; pid: number; uptimeSeconds: number } {
    return { status: 'ok', pid: process.pid, uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get(['', 'ready'])
  async ready(): Promise<ReadinessReport> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.broker.check(),
        () => this.consumer.check(),
        () => this.redis.check(),
        () => this.lists.check(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const report = this.report(result);
    this.logTransition(report);
    if (report.status === 'ok' || report.status === 'degraded') return report;
    throw new ServiceUnavailableException(report);
  }

  private report(result: HealthCheckResult): ReadinessReport {
    const reasons: string[] = [];
    let degraded = false;
    for (const [key, raw] of Object.entries(result.details)) {
      const detail = raw as IndicatorDetail;
      if (detail.status === 'down') {
        reasons.push(`${key}: ${detail.message ?? 'down'}`);
      } else if (detail.stale === true) {
        degraded = true;
        reasons.push(
          `${key}: a list's source was last checked ${detail.oldestAgeHours ?? '?'} hours ago, more than LIST_MAX_AGE_HOURS=${detail.maxAgeHours}; check it (npm run lists:update or lists:load)`,
        );
      }
    }
    const status: ReadinessStatus =
      result.status === 'ok' ? (degraded ? 'degraded' : 'ok') : result.status;
    return {
      status,
      reasons,
      info: result.info ?? {},
      error: result.error ?? {},
      details: result.details,
    };
  }

  /** Says when readiness changes, and why; not on every probe. */
  private logTransition(report: ReadinessReport): void {
    const reasons = report.reasons.join('; ');
    if (report.status === this.lastStatus && reasons === this.lastReasons) return;
    const first = this.lastStatus === null;
    this.lastStatus = report.status;
    this.lastReasons = reasons;
    if (first && report.status === 'ok') return;
    const level = report.status === 'ok' ? 'info' : report.status === 'degraded' ? 'warn' : 'error';
    this.log[level]({ health: report.status, reasons: report.reasons }, `health: ${report.status}`);
  }
}
