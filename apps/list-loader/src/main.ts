import { loadConfig, redactConfig } from '@sekimori/config';
import { redisSecurityOptions } from '@sekimori/redis';
import { ListParseError, SanctionsListStore } from '@sekimori/sanctions';
import { Redis } from 'ioredis';
import pino from 'pino';
import { parseArgs } from './cli-args';
import { loadList } from './load-list';

/**
 * `node dist/apps/list-loader/main.js [--if-empty] [--list-id ofac-sdn] <file>`
 * Exit 0: published, unchanged or skipped. Exit 1: the file was rejected or Redis failed; the
 * current version is untouched. Exit 2: bad command line or configuration.
 */
async function main(): Promise<number> {
  let args;
  let config;
  try {
    args = parseArgs(process.argv.slice(2));
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const log = pino({ level: config.log.level, base: { app: 'list-loader' } });
  const redis = new Redis(config.redis.url, {
    ...redisSecurityOptions(config.redis.security),
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    connectTimeout: 5_000,
  });
  // Failures surface on the command that needed the connection; keep the cause for the message.
  let lastRedisError: Error | undefined;
  redis.on('error', (error: Error) => (lastRedisError = error));
  try {
    await redis.connect().catch((error: Error) => {
      const url = redactConfig(config).redis.url;
      throw new Error(`cannot reach Redis at ${url}: ${lastRedisError?.message ?? error.message}`, {
        cause: error,
      });
    });
    await loadList(args, new SanctionsListStore(redis, config.redis.keyPrefix), log);
    return 0;
  } catch (error) {
    const rejected = error instanceof ListParseError;
    log.error(
      {
        file: args.file,
        listId: args.listId,
        error: { name: (error as Error).name, message: (error as Error).message },
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

void main().then((code) => {
  process.exitCode = code;
});
