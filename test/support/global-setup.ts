// Jest globalSetup of the `integration` project: make sure the local Kafka and Redis are up before any
// test file runs, and hand their addresses to the tests through process.env (jest starts its workers
// after this returns, and they inherit the environment).
//
// scripts/stack/up.sh is idempotent and takes about a second when the stack is already up, so running
// it every time is cheaper than guessing. Addresses the caller set (KAFKA_BROKERS, REDIS_URL) win over
// the stack's. STACK_SKIP=1 skips the stack entirely (for a Kafka and Redis provided some other way).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

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

  for (const [key, value] of Object.entries(parseEnvFile(join(stackDir, 'env')))) {
    if (process.env[key] === undefined || process.env[key] === '') {
      process.env[key] = value;
    }
  }
}

// $STACK_DIR/env holds plain KEY=value lines written by up.sh (no quoting, no expansion).
function parseEnvFile(path: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) {
      entries[match[1]] = match[2];
    }
  }
  return entries;
}
