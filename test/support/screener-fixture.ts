import type { TopicNames } from '@sekimori/contracts';
import { loadListWithCli, OFAC_FILE } from './fixtures';
import {
  createTopics,
  deleteTopics,
  disconnectProducer,
  freshTopics,
  TopicCollector,
  topicEnv,
} from './kafka';
import { dropPrefix, freshPrefix, redisClient } from './redis';
import { ScreenerProcess } from './screener-process';

export interface ScreenerFixtureOptions {
  /** Partitions of every fresh topic (3 unless told). */
  partitions?: number;
  /**
   * `each`: fresh topics for every test, the screener and collectors stopped after it (the
   * default). `all`: one set of topics for the describe, everything stopped at its end.
   */
  per?: 'each' | 'all';
}

/**
 * The world of a test that runs the screener process on the shared broker and Redis: fresh
 * topics, Redis prefixes, and the screener and topic collectors the test starts, all cleaned up
 * by jest hooks. Call it once in the body of a `describe`: it registers those hooks there.
 */
export function screenerFixture(options: ScreenerFixtureOptions = {}): ScreenerFixture {
  const fixture = new ScreenerFixture(options.partitions);
  const [setUp, cleanUp] = options.per === 'all' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  setUp(() => fixture.createTopics());
  cleanUp(() => fixture.stopAndDeleteTopics());
  afterAll(() => fixture.end());
  return fixture;
}

export class ScreenerFixture {
  readonly redis = redisClient();
  /** This test's topics (this describe's with `per: 'all'`), fresh from the fixture's first hook. */
  topics!: TopicNames;
  /** The screener `start` started last, until the fixture stops it. */
  screener: ScreenerProcess | null = null;
  private readonly prefixes: string[] = [];
  private readonly collectors: TopicCollector[] = [];

  constructor(private readonly partitions?: number) {}

  /** A fresh Redis prefix, dropped at the end of the describe. */
  prefix(): string {
    const prefix = freshPrefix();
    this.prefixes.push(prefix);
    return prefix;
  }

  /** A fresh prefix with a list file loaded by the built loader (the shipped OFAC list). */
  async prefixWithList(file = OFAC_FILE): Promise<string> {
    const prefix = this.prefix();
    await loadListWithCli(prefix, file);
    return prefix;
  }

  /** Reads `topic` from its start until the fixture stops it. */
  collect(topic: string): Promise<TopicCollector> {
    const collector = new TopicCollector(topic);
    this.collectors.push(collector);
    return collector.start();
  }

  /** Starts the screener on the fixture's topics and `prefix`, waiting until it joined its group. */
  async start(prefix: string, env: Record<string, string> = {}): Promise<ScreenerProcess> {
    this.screener = await ScreenerProcess.start({
      ...topicEnv(this.topics),
      REDIS_KEY_PREFIX: prefix,
      ...env,
    });
    return this.screener;
  }

  async createTopics(): Promise<void> {
    this.topics = freshTopics();
    await createTopics(this.topics, this.partitions);
  }

  /** Stops the screener and the collectors, and deletes the topics. */
  async stopAndDeleteTopics(): Promise<void> {
    await this.screener?.stop('SIGTERM');
    this.screener = null;
    await Promise.all(this.collectors.splice(0).map((c) => c.stop()));
    await deleteTopics(this.topics);
  }

  /** The end of the describe: drops every prefix handed out, disconnects from the broker and Redis. */
  async end(): Promise<void> {
    await disconnectProducer();
    for (const prefix of this.prefixes.splice(0)) await dropPrefix(this.redis, prefix);
    this.redis.disconnect();
  }
}
