import { type Decision, UnknownVersionError } from '@sekimori/contracts';
import { defaultRules, RuleEngine, validateRulesConfig } from '@sekimori/rules';
import { InMemoryReviews } from '../__fixtures__/in-memory-reviews';
import { InMemoryStores } from '../__fixtures__/in-memory-stores';
import type { ListHit, ListLookup } from '../screen-transfers/screening-stores.port';
import { parseListVersions } from './list-versions';
import { type RangeMessage, ReplayScreening, type RetainedLists } from './replay-screening';

const NEWLY_LISTED = '0x52908400098527886e0f7030069857d2e4169ee7';
const KEY = `evm:${NEWLY_LISTED}`;

/** Two retained versions of ofac-sdn: `old` without the address, `new` with it. */
class TwoVersions implements RetainedLists {
  readonly asked: string[] = [];
  async versionMeta(listId: string, version: string): Promise<object | null> {
    return listId === 'ofac-sdn' && (version === 'old' || version === 'new') ? {} : null;
  }
  async lookupAt(versions: Record<string, string>, keys: readonly string[]): Promise<ListLookup> {
    const version = versions['ofac-sdn'];
    this.asked.push(version);
    const hit: ListHit = {
      key: KEY,
      chain: 'ethereum',
      address: NEWLY_LISTED,
      entityId: '99999',
      entityName: 'ADDED LATER',
      programs: ['CYBER2'],
      tag: 'ETH',
      listId: 'ofac-sdn',
      listVersion: version,
    };
    const hits = new Map<string, ListHit[]>();
    if (version === 'new' && keys.includes(KEY)) hits.set(KEY, [hit]);
    return { listVersion: `ofac-sdn:${version}`, versions, hits, nameHits: new Map() };
  }
}

let offset = 0;
function message(event: Record<string, unknown> | string): RangeMessage {
  offset += 1;
  const text = typeof event === 'string' ? event : JSON.stringify(event);
  return {
    partition: 0,
    offset: String(offset),
    timestamp: '2026-03-15T09:30:01.000Z',
    value: Buffer.from(text),
  };
}

function transferTo(eventId: string, to: string): Record<string, unknown> {
  return {
    type: 'onchain-transfer',
    eventId,
    chain: 'ethereum',
    txHash: '0xabc',
    index: 0,
    blockTime: '2026-03-15T09:30:00Z',
    from: ['0x00000000219ab540356cbb839cbe05303d7705fa'],
    to,
    asset: 'ETH',
    amount: '1',
  };
}

function passed(eventId: string, listVersion = 'ofac-sdn:old'): Decision {
  return {
    type: 'decision',
    eventId,
    eventType: 'onchain-transfer',
    subjectKey: NEWLY_LISTED,
    occurredAt: '2026-03-15T09:30:00Z',
    decision: 'pass',
    ruleIds: [],
    alertIds: [],
    listVersion,
    screenedAt: '2026-03-15T09:30:02Z',
    retroactive: false,
  };
}

function setUp(): { replay: ReplayScreening; lists: TwoVersions; stores: InMemoryStores } {
  const stores = new InMemoryStores();
  const lists = new TwoVersions();
  const engine = new RuleEngine(defaultRules(), validateRulesConfig({}));
  const { rates, windows, exposures, routing, names } = stores.asStores();
  return {
    replay: new ReplayScreening({ rates, windows, exposures, routing, names }, lists, engine),
    lists,
    stores,
  };
}

const options = { expected: 'onchain-transfer' as const, maxMessageBytes: 65_536, lists: {} };

describe('ReplayScreening', () => {
  it('reproduces each decision against the versions it names, and writes nothing', async () => {
    const { replay, lists, stores } = setUp();
    const messages = [
      message(transferTo('a', NEWLY_LISTED)),
      message(transferTo('b', NEWLY_LISTED)),
    ];
    const decisions = new Map([
      ['a', [passed('a')]],
      ['b', [passed('b')]],
    ]);
    const entries = await replay.replay(messages, decisions, options);
    expect(entries.map((e) => e.kind)).toEqual(['same', 'same']);
    expect(lists.asked).toEqual(['old']);
    expect(stores.writes).toEqual([]);
  });

  it('shows the difference a newer version makes: pass becomes block', async () => {
    const { replay } = setUp();
    const messages = [
      message(transferTo('a', NEWLY_LISTED)),
      message(transferTo('c', '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae')),
    ];
    const decisions = new Map([
      ['a', [passed('a')]],
      ['c', [passed('c')]],
    ]);
    const [a, c] = await replay.replay(messages, decisions, {
      ...options,
      lists: parseListVersions('ofac-sdn:new'),
    });
    expect(a).toMatchObject({
      kind: 'decision',
      changes: {
        decision: { from: 'pass', to: 'block' },
        ruleIds: { added: ['SANCTIONS_ADDRESS_MATCH'], removed: [] },
      },
      replayed: { decision: 'block', listVersion: 'ofac-sdn:new' },
    });
    expect(a.changes?.alertIds.added).toHaveLength(1);
    expect(c.kind).toBe('same');
  });

  it('names every version that is not kept, before screening anything', async () => {
    const { replay, lists } = setUp();
    const messages = [
      message(transferTo('a', NEWLY_LISTED)),
      message(transferTo('b', NEWLY_LISTED)),
    ];
    const decisions = new Map([
      ['a', [passed('a', 'ofac-sdn:gone')]],
      ['b', [passed('b', 'ofac-sdn:dropped')]],
    ]);
    await expect(replay.replay(messages, decisions, options)).rejects.toThrow(
      new UnknownVersionError('ofac-sdn:dropped, ofac-sdn:gone'),
    );
    expect(lists.asked).toEqual([]);
  });

  it('an event without a decision is not compared; one that cannot be read holds as it did', async () => {
    const { replay } = setUp();
    const unscreenable: Decision = {
      ...passed('bad', ''),
      decision: 'hold',
      unscreenable: 'SCHEMA_VIOLATION',
    };
    const entries = await replay.replay(
      [
        message(transferTo('lost', NEWLY_LISTED)),
        message({ type: 'onchain-transfer', eventId: 'bad' }),
      ],
      new Map([['bad', [unscreenable]]]),
      options,
    );
    expect(entries[0]).toMatchObject({ kind: 'not-decided', decided: null, replayed: null });
    expect(entries[1]).toMatchObject({
      kind: 'same',
      replayed: { decision: 'hold', unscreenable: 'SCHEMA_VIOLATION' },
    });
  });

  it('keeps the later retroactive decision beside the live one it compares with', async () => {
    const { replay } = setUp();
    const retro: Decision = {
      ...passed('a', 'ofac-sdn:new'),
      decision: 'block',
      retroactive: true,
    };
    const [entry] = await replay.replay(
      [message(transferTo('a', NEWLY_LISTED))],
      new Map([['a', [passed('a'), retro]]]),
      options,
    );
    expect(entry).toMatchObject({
      kind: 'same',
      decided: { decision: 'pass' },
      retroactive: [{ decision: 'block' }],
    });
  });
});

describe("ReplayScreening: reviews in force at the event's time", () => {
  it('applies the freeze that stood when the event happened, lifted since, and says so per event', async () => {
    const stores = new InMemoryStores();
    const reviews = new InMemoryReviews();
    const engine = new RuleEngine(defaultRules(), validateRulesConfig({}));
    const { rates, windows, exposures, routing, names } = stores.asStores();
    const replay = new ReplayScreening(
      { rates, windows, exposures, routing, names, freezes: reviews, clearances: reviews },
      new TwoVersions(),
      engine,
    );
    const frozen = '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae';
    await reviews.freeze({
      subjectKey: frozen,
      reviewId: 'rv-confirmed',
      alertId: 'a1',
      reviewer: 'officer-9',
      confirmedAt: '2026-03-01T00:00:00Z',
    });
    await reviews.release(frozen, 'a1', '2026-04-01T00:00:00Z');
    const later = { ...transferTo('later', frozen), blockTime: '2026-04-15T00:00:00Z' };
    const [during, after] = await replay.replay(
      [message(transferTo('during', frozen)), message(later)],
      new Map([
        ['during', [passed('during')]],
        ['later', [passed('later')]],
      ]),
      options,
    );
    expect(during).toMatchObject({
      kind: 'decision',
      replayed: { decision: 'block', ruleIds: ['CONFIRMED_MATCH'] },
      reviews: { at: '2026-03-15T09:30:00Z', suppressed: [], frozenBy: ['rv-confirmed'] },
    });
    expect(after).toMatchObject({
      kind: 'same',
      reviews: { at: '2026-04-15T00:00:00Z', suppressed: [], frozenBy: [] },
    });
  });
});

describe('parseListVersions', () => {
  it.each([
    ['ofac-sdn:1a2b,jp-mof:3c4d', { 'ofac-sdn': '1a2b', 'jp-mof': '3c4d' }],
    ['', {}],
  ])('reads %p', (text, versions) => {
    expect(parseListVersions(text)).toEqual(versions);
  });

  it.each(['ofac-sdn', 'OFAC:1', 'ofac-sdn:', 'ofac-sdn:a,ofac-sdn:b'])('refuses %p', (text) => {
    expect(() => parseListVersions(text)).toThrow(/ofac-sdn|OFAC/);
  });
});
