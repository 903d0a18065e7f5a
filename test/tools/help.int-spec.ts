import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '..', '..');
const LOADER = join(ROOT, 'dist', 'apps', 'list-loader', 'main.js');
const REPLAY = join(ROOT, 'dist', 'apps', 'replay', 'main.js');
const SCREENER = join(ROOT, 'dist', 'apps', 'screener', 'main.js');
const SKIP = join(ROOT, 'dist', 'apps', 'skip', 'main.js');

// Every operator command, as npm runs it. The stack scripts are included: --help must not start,
// stop or even look at the stack.
const COMMANDS: Array<[name: string, argv: string[]]> = [
  ['screener', [process.execPath, SCREENER]],
  ['npm run sample', [process.execPath, 'tools/produce-sample.js']],
  ['npm run alerts:tail', [process.execPath, 'tools/tail-topic.js']],
  ['list loader', [process.execPath, LOADER]],
  ['npm run lists:load', ['bash', 'scripts/lists-load.sh']],
  ['replay', [process.execPath, REPLAY]],
  ['npm run replay', ['bash', 'scripts/replay.sh']],
  ['skip', [process.execPath, SKIP]],
  ['npm run skip', ['bash', 'scripts/skip.sh']],
  ['list updater', [process.execPath, LOADER, 'update']],
  ['npm run lists:update', ['bash', 'scripts/lists-update.sh']],
  ['npm run bench', ['bash', 'scripts/bench.sh']],
  ['npm start', ['bash', 'scripts/start.sh']],
  ['npm run stack:up', ['bash', 'scripts/stack/up.sh']],
  ['npm run stack:down', ['bash', 'scripts/stack/down.sh']],
  ['scripts/stack/kafka.sh', ['bash', 'scripts/stack/kafka.sh']],
  ['scripts/stack/redis.sh', ['bash', 'scripts/stack/redis.sh']],
];

describe('--help and unknown flags, without touching the stack', () => {
  let scratch: string;
  let runs = 0;
  // Nothing answers at these addresses, and each run gets a stack directory that does not exist:
  // a command that tried to reach or start anything would fail, hang or create the directory.
  const run = (argv: string[]) => {
    const stackDir = join(scratch, `stack-${runs++}`);
    const result = spawnSync(argv[0], argv.slice(1), {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        ...process.env,
        STACK_DIR: stackDir,
        KAFKA_BROKERS: '127.0.0.1:1',
        REDIS_URL: 'redis://127.0.0.1:1',
      },
    });
    return { ...result, touchedStack: existsSync(stackDir) };
  };

  beforeAll(() => {
    if (!existsSync(LOADER)) throw new Error(`${LOADER} is missing: run npm run build first`);
    scratch = mkdtempSync(join(tmpdir(), 'sekimori-help-'));
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(COMMANDS)('%s --help prints its usage and exits 0', (_name, argv) => {
    const result = run([...argv, '--help']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(100);
    expect(result.touchedStack).toBe(false);
  });

  it.each(COMMANDS)('%s --no-such-flag is refused with the usage, exit 2', (name, argv) => {
    const result = run([...argv, '--no-such-flag']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--no-such-flag');
    expect(result.stderr.split('\n').length).toBeGreaterThan(3);
    // lists:load and lists:update hand their flags to the loader, after reading the stack's
    // REDIS_URL if any.
    if (!name.startsWith('npm run lists:')) expect(result.touchedStack).toBe(false);
  });

  it('names the samples when a sample name is mistyped', () => {
    const result = run([process.execPath, 'tools/produce-sample.js', 'garantx']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("no sample named 'garantx'");
    expect(result.stderr).toContain('garantex, clean, withdrawal');
  });
});
