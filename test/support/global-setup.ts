// Jest globalSetup of the `integration` project: make sure the local Kafka and Redis are up before any
// test file runs, and hand their addresses to the tests through process.env (jest starts its workers
// after this returns, and they inherit the environment).
//
// scripts/stack/up.sh is idempotent and takes about a second when the stack is already up, so running
// it every time is cheaper than guessing. Addresses the caller set (KAFKA_BROKERS, REDIS_URL) win over
// the stack's. STACK_SKIP=1 skips the stack entirely (for a Kafka and Redis provided some other way).
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseEnvFile, saslSslClientEnv } from './env';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '..', '..');

export default async function globalSetup(): Promise<void> {
  if (process.env.STACK_SKIP === '1') {
    return;
  }
  const stackDir = resolve(repoRoot, process.env.STACK_DIR ?? '.stack');
  try {
    const { stdout } = await run('bash', [join(repoRoot, 'scripts', 'stack', 'up.sh')], {
      cwd: repoRoot,
      env: { ...process.env, STACK_DIR: stackDir, STACK_QUIET: '1' },
      // A cold start may download Kafka (seconds) and start the broker (tens of seconds on 2 cores).
      timeout: 300_000,
      maxBuffer: 4 * 1024 * 1024,
    });
    if (stdout.trim() !== '') {
      process.stderr.write(`\n${stdout.trim()}\n`);
    }
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(
      `integration tests need Kafka and Redis, and scripts/stack/up.sh failed:\n${stdout ?? ''}${stderr ?? ''}`,
      { cause: err },
    );
  }

  const stack = parseEnvFile(join(stackDir, 'env'));
  for (const [key, value] of Object.entries(stack)) {
    if (process.env[key] === undefined || process.env[key] === '') {
      process.env[key] = value;
    }
  }
  if (process.env.STACK_SECURE === '1' && process.env.REDIS_CLUSTER_TEST === '1') {
    throw new Error(
      'STACK_SECURE=1 and REDIS_CLUSTER_TEST=1 cannot be combined (the local cluster has no TLS)',
    );
  }
  if (process.env.STACK_SECURE === '1') await useSecuredStack(stackDir, stack);
  if (process.env.REDIS_CLUSTER_TEST === '1') await useRedisCluster(stackDir);
}

/**
 * REDIS_CLUSTER_TEST=1: the whole run (its stores and the screeners and loaders it starts) uses
 * the stack's local three-master Redis Cluster instead of the single Redis.
 */
async function useRedisCluster(stackDir: string): Promise<void> {
  await run('bash', [join(repoRoot, 'scripts', 'stack', 'redis-cluster.sh'), 'start'], {
    cwd: repoRoot,
    env: { ...process.env, STACK_DIR: stackDir, STACK_QUIET: '1' },
    timeout: 90_000,
  });
  const cluster = parseEnvFile(join(stackDir, 'redis-cluster.env'));
  Object.assign(process.env, { REDIS_URL: cluster.STACK_REDIS_CLUSTER_URL, REDIS_CLUSTER: 'true' });
  process.stderr.write(
    `\nREDIS_CLUSTER_TEST=1: Redis Cluster at ${cluster.STACK_REDIS_CLUSTER_NODES}\n`,
  );
}

/**
 * STACK_SECURE=1: the whole run talks to the broker's SASL_SSL listener (SCRAM-SHA-512, the
 * stack's CA) and to a TLS-only Redis as its ACL user, as an exchange's deployment would.
 */
async function useSecuredStack(stackDir: string, stack: Record<string, string>): Promise<void> {
  if (!stack.STACK_SASL_SSL_BROKERS) {
    throw new Error(
      `STACK_SECURE=1: the broker of ${stackDir} has no SASL_SSL listener (it was started before it had one); restart it: npm run stack:down && npm run stack:up`,
    );
  }
  await run('bash', [join(repoRoot, 'scripts', 'stack', 'redis-tls.sh'), 'start'], {
    cwd: repoRoot,
    env: { ...process.env, STACK_DIR: stackDir, STACK_QUIET: '1' },
    timeout: 60_000,
  });
  const redis = parseEnvFile(join(stackDir, 'redis-tls.env'));
  Object.assign(process.env, {
    ...saslSslClientEnv(stack),
    REDIS_URL: redis.STACK_REDIS_TLS_URL,
    REDIS_TLS_CA_FILE: redis.STACK_REDIS_TLS_CA_FILE,
    REDIS_USERNAME: redis.STACK_REDIS_TLS_USERNAME,
    REDIS_PASSWORD_FILE: redis.STACK_REDIS_TLS_PASSWORD_FILE,
    STACK_REDIS_TLS_ADMIN_PASSWORD_FILE: redis.STACK_REDIS_TLS_ADMIN_PASSWORD_FILE,
    // Where redis-tls.sh keeps its certificates (tls/) and ACL (users.acl): a test's private
    // Redis (test/support/isolated.ts) is started with the same ones.
    STACK_REDIS_TLS_DIR: join(stackDir, 'redis-tls'),
  });
  process.stderr.write(
    `\nSTACK_SECURE=1: Kafka SASL_SSL at ${process.env.KAFKA_BROKERS}, Redis TLS at ${process.env.REDIS_URL}\n`,
  );
}
