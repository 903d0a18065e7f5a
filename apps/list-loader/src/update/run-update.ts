import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConfigError,
  loadAnnounceConfig,
  loadUpdaterConfig,
  redactRedisUrl,
} from '@sekimori/config';
import { ListSourceStore, SanctionsListStore } from '@sekimori/list-store';
import { createServiceLogger, logFatal } from '@sekimori/logging';
import { announce } from '../announce';
import { toolRedis } from '../tool-redis';
import { isSuccess, UpdateMetrics } from './update-metrics';
import { parseUpdateArgs, UPDATE_USAGE, UsageError } from './update-args';
import { redactUrl, runPass } from './update-pass';

const SERVICE = 'sekimori-list-updater';

/**
 * `list-loader update [--watch]` (npm run lists:update). One pass: exit 0 when every source
 * succeeded, 1 otherwise. --watch: a pass now and every LIST_CHECK_INTERVAL_MINUTES until
 * SIGTERM or SIGINT; a failed pass is logged and counted, and the next one tries again.
 */
export async function runUpdate(argv: readonly string[]): Promise<number> {
  let args;
  let config;
  let announceConfig;
  try {
    args = parseUpdateArgs(argv);
    if (args === null) {
      process.stdout.write(`${UPDATE_USAGE}\n`);
      return 0;
    }
    if (args.listMetrics) {
      const metrics = await new UpdateMetrics().registry.getMetricsAsJSON();
      process.stdout.write(metrics.map((m) => `${m.name} ${m.type}\n`).join(''));
      return 0;
    }
    config = loadUpdaterConfig();
    // Validated up front: a pass may publish, and a version must then be announced.
    announceConfig = loadAnnounceConfig();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`list-loader update: ${error.message}\n${UPDATE_USAGE}\n`);
      return 2;
    }
    if (!(error instanceof ConfigError)) throw error;
    logFatal(SERVICE, `invalid configuration: ${error.message}`);
    return 2;
  }
  const { watch } = args;
  const settings = config.update;
  const log = createServiceLogger({ service: SERVICE, level: config.log.level });
  // One pass fails fast on a Redis it cannot reach; --watch keeps reconnecting between passes.
  const { redis, lastError } = toolRedis(config.redis, !watch);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const metrics = new UpdateMetrics();
  let server: Server | undefined;
  try {
    if (!watch) {
      await redis.connect().catch((error: Error) => {
        const url = redactRedisUrl(config.redis.url);
        throw new Error(`cannot reach Redis at ${url}: ${lastError()?.message ?? error.message}`);
      });
    }
    if (watch && settings.metrics) {
      server = await metrics.listen(settings.metrics.host, settings.metrics.port);
    }
    const address = server?.address();
    log.info(
      {
        sources: settings.sources.map((s) => ({ listId: s.listId, url: redactUrl(s.url) })),
        watch,
        ...(watch ? { intervalMinutes: settings.checkIntervalMs / 60_000 } : {}),
        ...(address && typeof address === 'object' ? { metricsPort: address.port } : {}),
      },
      'list updater started',
    );
    const deps = {
      store: new SanctionsListStore(redis, config.redis.keyPrefix),
      sources: new ListSourceStore(redis, config.redis.keyPrefix),
      settings,
      retainVersions: config.lists.retainVersions,
      log,
      announce: (result: Parameters<typeof announce>[0]) =>
        announce(result, deps.store, announceConfig, log),
      stop: stop.signal,
    };
    for (;;) {
      const started = Date.now();
      const reports = await runPass(settings.sources, deps, metrics, log);
      if (!watch) return reports.every((r) => isSuccess(r.outcome)) ? 0 : 1;
      const wait = settings.checkIntervalMs - (Date.now() - started);
      await sleep(Math.max(0, wait), undefined, { signal: stop.signal }).catch(() => undefined);
      if (stop.signal.aborted) {
        log.info({}, 'list updater stopped');
        return 0;
      }
    }
  } catch (error) {
    log.error({ err: error }, `list update failed: ${(error as Error).message}`);
    return 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else if (redis.status !== 'end') redis.disconnect();
  }
}
