// Private broker and Redis processes that a test may stop and start without touching the shared
// stack (the fault tests, the screening API's outage test).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onSecuredStack, parseEnvFile, saslSslClientEnv, waitFor } from './env';
import { redisClientFor } from './redis';
import { ROOT } from './screener-process';

const run = promisify(execFile);

/** A TCP port nobody listens on right now (the kernel picks it; a race is unlikely on 127.0.0.1). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A broker of its own, for a test that stops and restarts it: scripts/stack/kafka.sh with a
 * private STACK_DIR under /tmp and free ports, so the shared broker on 9092 (used by other tests
 * at the same time) is never touched. On a secured run (STACK_SECURE=1) clients reach it on its
 * own SASL_SSL listener (its own CA and SCRAM password, made by kafka.sh), as they reach the
 * shared one; otherwise it has no SASL_SSL listener.
 */
export class IsolatedBroker {
  private saslSsl: Record<string, string> | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly controllerPort: number,
    /** null: no SASL_SSL listener (a plain run). */
    readonly saslSslPort: number | null,
  ) {}

  static async create(): Promise<IsolatedBroker> {
    const dir = mkdtempSync(join(tmpdir(), 'sekimori-fault-kafka-'));
    const ports = new Set<number>();
    while (ports.size < (onSecuredStack() ? 3 : 2)) ports.add(await freePort());
    const [port, controllerPort, saslSslPort] = [...ports];
    return new IsolatedBroker(dir, port, controllerPort, saslSslPort ?? null);
  }

  /**
   * How clients reach it (KAFKA_BROKERS and its security settings), for a screener's environment
   * and the test's own clients (kafkaClient). Known once it has started.
   */
  kafkaEnv(): Record<string, string> {
    if (this.saslSslPort === null) return { KAFKA_BROKERS: `127.0.0.1:${this.port}` };
    if (!this.saslSsl) throw new Error('IsolatedBroker.kafkaEnv(): start it first');
    return this.saslSsl;
  }

  private async script(command: 'start' | 'stop'): Promise<void> {
    await run('bash', [join(ROOT, 'scripts', 'stack', 'kafka.sh'), command], {
      cwd: ROOT,
      env: {
        ...process.env,
        STACK_DIR: this.dir,
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(this.controllerPort),
        // Without a port of its own, no SASL_SSL listener: its default (KAFKA_PORT + 2) is not
        // known to be free.
        KAFKA_SASL_SSL_PORT: this.saslSslPort === null ? 'off' : String(this.saslSslPort),
        // A small heap: the shared broker and the screener run beside it on 2 cores.
        KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
        STACK_QUIET: '1',
      },
      timeout: 180_000,
    });
  }

  async start(): Promise<void> {
    await this.script('start');
    if (this.saslSslPort !== null) {
      this.saslSsl ??= saslSslClientEnv(parseEnvFile(join(this.dir, 'kafka', 'sasl-ssl.env')));
    }
  }

  stop(): Promise<void> {
    return this.script('stop');
  }

  /** SIGKILL to the broker this object started (its pid file): an outage with no warning. */
  async kill(): Promise<void> {
    const pid = Number(readFileSync(join(this.dir, 'kafka.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    await waitFor(
      `broker pid ${pid} to exit`,
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      30_000,
    );
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A redis-server of its own on a spare port, without persistence: stopping it is an outage, and
 * starting it again gives an empty Redis (no sanctions list), as after losing a node. On a
 * secured run (STACK_SECURE=1) it speaks only TLS, with the certificates and the ACL of the
 * stack's TLS Redis (scripts/stack/redis-tls.sh), so the run's Redis settings reach it too.
 */
export class IsolatedRedis {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly tlsDir = onSecuredStack() ? (process.env.STACK_REDIS_TLS_DIR ?? '') : null;

  private constructor(readonly port: number) {
    if (this.tlsDir === '') throw new Error('STACK_SECURE=1 without STACK_REDIS_TLS_DIR');
  }

  static async start(): Promise<IsolatedRedis> {
    const redis = new IsolatedRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `${this.tlsDir === null ? 'redis' : 'rediss'}://127.0.0.1:${this.port}`;
  }

  private listenArguments(): string[] {
    if (this.tlsDir === null) return ['--port', String(this.port)];
    const tls = join(this.tlsDir, 'tls');
    return [
      ...['--port', '0', '--tls-port', String(this.port)],
      ...['--tls-cert-file', join(tls, 'server.pem'), '--tls-key-file', join(tls, 'server.key')],
      ...['--tls-ca-cert-file', join(tls, 'ca.pem'), '--tls-auth-clients', 'optional'],
      ...['--aclfile', join(this.tlsDir, 'users.acl')],
    ];
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [...this.listenArguments(), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const probe = redisClientFor(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await waitFor(
        `redis-server on port ${this.port}`,
        async () => (await probe.ping().catch(() => null)) === 'PONG',
        10_000,
        50,
      );
    } finally {
      probe.disconnect();
    }
  }

  /** SIGKILL: the outage a crashed or partitioned node looks like to its clients. */
  async stop(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }
}
