// The world of the review tests: a screener in exactly-once mode on the OFAC excerpt, collectors
// on its outputs, and helpers to produce reviews and read what became of them.
import { classifyListedAddress } from '@sekimori/chains';
import type { Alert, Decision, Review, TopicNames } from '@sekimori/contracts';
import type { PublishableList } from '@sekimori/list-store';
import { testRedisUrl, uniqueSuffix, waitFor } from '../support/env';
import { json, withdrawalToName } from '../support/fixtures';
import { produce, type TopicCollector, waitForGroupCommitted } from '../support/kafka';
import { excerptList, publishList } from '../support/lists';
import type { ScreenerFixture } from '../support/screener-fixture';

/** OFAC UID 25308, YAN Xiaobing, as an exchange's customer might write the name. */
export const LISTED_PERSON = 'Xiaobing Yan';

/** An exchange account whose holder's name is the listed person's. */
export function listedPersonAccount(id: string) {
  return { id, residency: 'JP', kind: 'individual', name: LISTED_PERSON };
}

/** A domestic withdrawal whose counterparty bears `name` (only NAME_MATCH can fire), made now. */
export function withdrawalTo(name: string, patch: Record<string, unknown> = {}) {
  return withdrawalToName(name, { occurredAt: new Date().toISOString(), ...patch });
}

export function review(alertId: string, outcome: Review['outcome'], patch: Partial<Review> = {}) {
  return {
    type: 'review',
    reviewId: `rv-${uniqueSuffix()}`,
    alertId,
    outcome,
    reviewer: 'officer-7',
    reason: 'compared date of birth and nationality with the listed entry',
    reviewedAt: new Date().toISOString(),
    ...patch,
  };
}

export interface ReviewWorld {
  alerts: TopicCollector;
  decisions: TopicCollector;
  deadLetters: TopicCollector;
}

/** The excerpt with made-up name entries added: another version of ofac-sdn. */
export async function excerptWithNames(
  names: Array<{ entityId: string; name: string; nameType?: 'primary' | 'aka' }>,
): Promise<PublishableList> {
  const list = await excerptList();
  return {
    ...list,
    issuedAt: new Date().toISOString().slice(0, 10),
    names: [
      ...(list.names ?? []),
      ...names.map((n) => ({
        entityId: n.entityId,
        entityName: n.name.toUpperCase(),
        partyKind: 'individual' as const,
        name: n.name,
        nameType: n.nameType ?? ('primary' as const),
        lowQuality: false,
        programs: ['TEST-PROGRAM'],
      })),
    ],
  };
}

/** The excerpt with one more listed ETH address for an entry already on it: the entry changed. */
export async function excerptWithAddress(
  entityId: string,
  address: string,
): Promise<PublishableList> {
  const list = await excerptList();
  const listed = classifyListedAddress(address, 'ETH');
  const party =
    list.entries.find((e) => e.entityId === entityId) ??
    list.names?.find((n) => n.entityId === entityId);
  if (!listed || party === undefined) {
    throw new Error(`cannot list ${address} for entry ${entityId} of the excerpt`);
  }
  return {
    ...list,
    issuedAt: new Date().toISOString().slice(0, 10),
    entries: [
      ...list.entries,
      {
        key: listed.key,
        chain: listed.chain,
        address: listed.canonical,
        entityId,
        entityName: party.entityName,
        programs: party.programs,
        tag: 'ETH',
      },
    ],
  };
}

export class Reviews {
  world!: ReviewWorld;
  readonly groupId = `reviews-${uniqueSuffix()}`;
  prefix = '';

  constructor(private readonly f: ScreenerFixture) {}

  get topics(): TopicNames {
    return this.f.topics;
  }

  private env: Record<string, string> = {};

  /** Another screener of the same group on the same prefix, as after a crash. */
  async restart(): Promise<void> {
    await this.f.start(this.prefix, this.env);
  }

  /** A fresh prefix with the excerpt published, collectors, and a screener in exactly-once mode. */
  async start(env: Record<string, string> = {}): Promise<void> {
    this.prefix = this.f.prefix();
    await publishList(testRedisUrl(), this.prefix, await excerptList());
    const [alerts, decisions, deadLetters] = await Promise.all([
      this.f.collect(this.topics.alerts),
      this.f.collect(this.topics.decisions),
      this.f.collect(this.topics.deadLetters),
    ]);
    this.world = { alerts, decisions, deadLetters };
    this.env = {
      DELIVERY_MODE: 'exactly-once',
      REQUIRED_LISTS: 'ofac-sdn',
      KAFKA_GROUP_ID: this.groupId,
      RETRO_CHECK_INTERVAL_MS: '300',
      ...env,
    };
    await this.f.start(this.prefix, this.env);
  }

  async transfers(events: Array<Record<string, unknown>>): Promise<void> {
    await produce(
      this.topics.exchange,
      events.map((e) => ({ key: (e.account as { id: string }).id, value: json(e) })),
    );
  }

  /** On-chain transfers, one key: screened in the order given. */
  async onchain(events: Array<Record<string, unknown>>): Promise<void> {
    await produce(
      this.topics.onchain,
      events.map((e) => ({ key: 'ethereum', value: json(e) })),
    );
  }

  /** Every review key of the test's prefix, the "rebuilt" marker included, as a lost Redis. */
  async dropReviewState(): Promise<void> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.f.redis.scan(
        cursor,
        'MATCH',
        `{${this.prefix}:reviews}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    if (keys.length === 0) throw new Error(`no review keys under {${this.prefix}:reviews}`);
    await this.f.redis.del(...keys);
  }

  async send(...reviews: Array<Record<string, unknown>>): Promise<void> {
    await produce(
      this.topics.reviews,
      reviews.map((r) => ({ key: String(r.reviewId), value: json(r) })),
    );
  }

  decisionsOf(event: Record<string, unknown>): Decision[] {
    return this.world.decisions.json<Decision>().filter((d) => d.eventId === event.eventId);
  }

  finalsOf(event: Record<string, unknown>): Decision[] {
    return this.decisionsOf(event).filter((d) => d.final === true);
  }

  alertsOf(event: Record<string, unknown>): Alert[] {
    return this.world.alerts.json<Alert>().filter((a) => a.eventId === event.eventId);
  }

  alertOf(event: Record<string, unknown>, ruleId: string): Alert {
    const found = this.alertsOf(event).find((a) => a.ruleId === ruleId);
    if (found === undefined) throw new Error(`no ${ruleId} alert for ${String(event.eventId)}`);
    return found;
  }

  /**
   * Until each event has `count` decisions and every alert they name has been collected too:
   * alerts and decisions arrive on two topics, read by two collectors.
   */
  async decided(events: Array<Record<string, unknown>>, count = 1): Promise<void> {
    await waitFor(
      `${count} decision(s) for each of ${events.length} events, with their alerts`,
      () =>
        events.every((e) => {
          const decisions = this.decisionsOf(e);
          if (decisions.length < count) return false;
          const collected = new Set(this.alertsOf(e).map((a) => a.alertId));
          return decisions.every((d) => d.alertIds.every((id) => collected.has(id)));
        }),
      60_000,
    );
  }

  /**
   * Screens a fresh event from `make` again and again until `done` holds for it: what a list
   * update or a review applied asynchronously is waited for with (the screener picks up a new
   * list version or a lifted freeze at its next batch, not at once).
   */
  async screenedUntil(
    what: string,
    make: () => Record<string, unknown>,
    done: (probe: Record<string, unknown>) => boolean,
    {
      topic = 'exchange',
      intervalMs = 500,
    }: { topic?: 'exchange' | 'onchain'; intervalMs?: number } = {},
  ): Promise<Record<string, unknown>> {
    let probe: Record<string, unknown> = {};
    await waitFor(
      what,
      async () => {
        probe = make();
        await (topic === 'exchange' ? this.transfers([probe]) : this.onchain([probe]));
        await this.decided([probe]);
        return done(probe);
      },
      60_000,
      intervalMs,
    );
    return probe;
  }

  async finalised(event: Record<string, unknown>): Promise<Decision> {
    await waitFor('a final decision', () => this.finalsOf(event).length > 0, 60_000);
    return this.finalsOf(event)[0];
  }

  /** The dead-letter codes of reviews, by reviewId. */
  refusals(): Map<string, string> {
    const refused = new Map<string, string>();
    for (const m of this.world.deadLetters.messages) {
      if (m.headers['dlq-source-topic'] === this.topics.reviews) {
        refused.set(m.key ?? '', m.headers['dlq-error-code']);
      }
    }
    return refused;
  }

  /** Until the group has committed every message of `topics` (exactly-once: all they caused is out). */
  drained(topics: string[]): Promise<void> {
    return waitForGroupCommitted(this.groupId, topics);
  }
}
