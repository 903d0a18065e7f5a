import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Kafka } from 'kafkajs';
import { messageOf, withTimeout } from './with-timeout';

/** The kafkajs client the screener consumes and produces with. */
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

const PROBE_TIMEOUT_MS = 2_000;
// Prometheus and an orchestrator may probe within the same second; one metadata round trip
// serves them all.
const REUSE_MS = 2_000;

interface BrokerProbe {
  at: number;
  ok: boolean;
  brokers?: number;
  controller?: number | null;
  clusterId?: string;
  error?: string;
}

/**
 * The cluster answers a metadata request from this process. The consumer's own connection is
 * not exposed by kafkajs (and a consumer waiting for records looks the same whether the broker
 * is there or not), so a short-lived admin client asks instead: connect, describe the cluster,
 * disconnect. A fresh connection each time avoids reporting a stale idle connection, which
 * the broker closes after connections.max.idle.ms, as an outage.
 */
@Injectable()
export class BrokerHealthIndicator {
  private last: BrokerProbe | null = null;
  private inFlight: Promise<BrokerProbe> | null = null;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'kafka') {
    const session = this.indicators.check(key);
    const probe = await this.probe();
    if (probe.ok) {
      return session.up({
        brokers: probe.brokers,
        controller: probe.controller,
        clusterId: probe.clusterId,
      });
    }
    return session.down({ message: `Kafka is unreachable: ${probe.error}` });
  }

  private probe(): Promise<BrokerProbe> {
    if (this.last && Date.now() - this.last.at < REUSE_MS) return Promise.resolve(this.last);
    this.inFlight ??= this.describe().then((result) => {
      this.last = result;
      this.inFlight = null;
      return result;
    });
    return this.inFlight;
  }

  private async describe(): Promise<BrokerProbe> {
    // No retries: the probe answers now; the screener's own clients keep retrying on their own.
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    try {
      const cluster = await withTimeout(
        admin.connect().then(() => admin.describeCluster()),
        PROBE_TIMEOUT_MS,
        'Kafka metadata request',
      );
      return {
        at: Date.now(),
        ok: true,
        brokers: cluster.brokers.length,
        controller: cluster.controller,
        clusterId: cluster.clusterId,
      };
    } catch (error) {
      return { at: Date.now(), ok: false, error: messageOf(error) };
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }
}
