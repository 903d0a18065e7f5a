import {
  ConfigError,
  loadAnnounceConfig,
  loadLoaderConfig,
  redactRedisUrl,
} from '@sekimori/config';
import { ListParseError } from '@sekimori/list-sources';
import { OlderListError, SanctionsListStore } from '@sekimori/list-store';
import { createServiceLogger, logFatal } from '@sekimori/logging';
import { USAGE, UsageError, parseArgs } from './cli-args';
import { announce } from './announce';
import { loadList } from './load-list';
import { runUpdate } from './update/run-update';
import { toolRedis } from './tool-redis';

const SERVICE = 'sekimori-list-loader';

/**
 * `node dist/apps/list-loader/main.js [--if-empty] [--list-id ofac-sdn] <file>`
 * Exit 0: published (and announced on lists.v1), unchanged or skipped. Exit 1: the file was
 * rejected, is older than the current version, or Redis or the announcement failed. Exit 2: bad
 * command line or configuration.
 *
 * `node dist/apps/list-loader/main.js update [--watch]` (npm run lists:update): download every
 * configured source, then load each the same way (update/run-update.ts).
 */
async function main(): Promise<number> {
  // One program, one bundle: the updater is a download in front of this same load.
  if (process.argv[2] === 'update') return runUpdate(process.argv.slice(3));
  let args;
  let config;
  try {
    args = parseArgs(process.argv.slice(2));
    if (args === null) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    config = loadLoaderConfig();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`list-loader: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (!(error instanceof ConfigError)) throw error;
    logFatal(SERVICE, `invalid configuration: ${error.message}`);
    return 2;
  }
  const log = createServiceLogger({ service: SERVICE, level: config.log.level });
  const { redis, lastError } = toolRedis(config.redis, true);
  try {
    await redis.connect().catch((error: Error) => {
      const url = redactRedisUrl(config.redis.url);
      throw new Error(`cannot reach Redis at ${url}: ${lastError()?.message ?? error.message}`, {
        cause: error,
      });
    });
    const store = new SanctionsListStore(redis, config.redis.keyPrefix);
    const outcome = await loadList(args, store, log, config.lists);
    if (outcome.status === 'published') {
      await announce(outcome, store, loadAnnounceConfig(), log);
    }
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error({ file: args.file }, `load done, but ${error.message}`);
      return 2;
    }
    const rejected = error instanceof ListParseError || error instanceof OlderListError;
    log.error(
      {
        file: args.file,
        listId: args.listId,
        err: error,
      },
      rejected
        ? `list file rejected, current version untouched: ${(error as Error).message}`
        : `load failed: ${(error as Error).message}`,
    );
    return 1;
  } finally {
    // disconnect() on a connection that already ended keeps the process alive (ioredis 5).
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else if (redis.status !== 'end') redis.disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    logFatal(SERVICE, 'list-loader failed', error);
    process.exitCode = 1;
  },
);
