import type { StreamMessage } from '../dataset/stream';
import {
  type AlertSummary,
  chooseClearances,
  clearedCount,
  clearedReview,
  renamedExchangeEvents,
  heldEventCopies,
  heldEventsToReview,
  nearestRank,
  summariseAlert,
} from './reviews-plan';

const alert = (over: Partial<AlertSummary>): AlertSummary => ({
  alertId: 'a',
  ruleId: 'NAME_MATCH',
  action: 'hold',
  eventId: 'e',
  subjectKey: 's',
  ...over,
});

describe('reviews phase plan', () => {
  it('reads what it needs of an alert, and nothing else', () => {
    const record = JSON.stringify({
      type: 'alert',
      alertId: 'al-1',
      ruleId: 'NAME_MATCH',
      action: 'hold',
      eventId: 'ex-1',
      subjectKey: 'acct-1',
      matches: [{ listId: 'ofac-sdn', entityId: '7', nameOf: 'counterparty' }],
    });
    expect(summariseAlert(record)).toEqual({
      alertId: 'al-1',
      ruleId: 'NAME_MATCH',
      action: 'hold',
      eventId: 'ex-1',
      subjectKey: 'acct-1',
    });
    expect(summariseAlert(Buffer.from(record))?.alertId).toBe('al-1');
    expect(summariseAlert('{"type":"decision","eventId":"ex-1"}')).toBeNull();
    expect(summariseAlert('not json')).toBeNull();
  });

  it.each([
    [0, 2, 0],
    [100, 0, 0],
    [100, 2, 2],
    [10, 2, 1], // at least one when any account is named
    [1000, 2, 20],
    [1000, 2.5, 25],
    [3, 100, 3],
  ])('clears %i named accounts at %f %% as %i', (named, pct, expected) => {
    expect(clearedCount(named, pct)).toBe(expected);
  });

  it('chooses pct % of the named accounts, one NAME_MATCH alert each, the same for a seed', () => {
    const alerts: AlertSummary[] = [];
    for (let i = 0; i < 200; i++) {
      const subjectKey = `acct-${String(i).padStart(3, '0')}`;
      alerts.push(
        alert({ alertId: `st-${i}`, eventId: `e${i}`, subjectKey, ruleId: 'STRUCTURING' }),
      );
      alerts.push(alert({ alertId: `n1-${i}`, eventId: `e${i}`, subjectKey }));
      alerts.push(alert({ alertId: `n2-${i}`, eventId: `f${i}`, subjectKey }));
    }
    // An account whose alerts are all of other rules is not a named account.
    alerts.push(alert({ alertId: 'st-only', subjectKey: 'acct-x', ruleId: 'STRUCTURING' }));
    const a = chooseClearances(alerts, 2, 42);
    expect(a.namedAccounts).toBe(200);
    expect(a.chosen).toHaveLength(4);
    expect(new Set(a.chosen.map((c) => c.subjectKey)).size).toBe(4);
    for (const c of a.chosen) expect(c.alertId).toBe(`n1-${Number(c.subjectKey.slice(5))}`);
    expect(chooseClearances([...alerts].reverse(), 2, 42).chosen.map((c) => c.subjectKey)).toEqual(
      a.chosen.map((c) => c.subjectKey),
    );
    const other = chooseClearances(alerts, 2, 7).chosen.map((c) => c.subjectKey);
    expect(other).not.toEqual(a.chosen.map((c) => c.subjectKey));
    expect(chooseClearances(alerts, 0, 42).chosen).toEqual([]);
    expect(chooseClearances(alerts, 100, 42).chosen).toHaveLength(200);
  });

  it('reviews whole held events up to the bound, none with an alert no review clears', () => {
    const alerts = [
      alert({ alertId: 'a1', eventId: 'e1', action: 'hold' }),
      alert({ alertId: 'a2', eventId: 'e1', action: 'review', ruleId: 'STRUCTURING' }),
      alert({ alertId: 'a3', eventId: 'e1', action: 'report', ruleId: 'FEFTA_PAYMENT_REPORT' }),
      alert({ alertId: 'a1', eventId: 'e1', action: 'hold' }), // read twice
      alert({ alertId: 'b1', eventId: 'e2', action: 'report', ruleId: 'FEFTA_PAYMENT_REPORT' }),
      alert({ alertId: 'c1', eventId: 'e3', action: 'hold' }),
      alert({ alertId: 'c2', eventId: 'e3', action: 'block', ruleId: 'SANCTIONS_ADDRESS_MATCH' }),
      alert({ alertId: 'd1', eventId: 'e4', action: 'review', ruleId: 'VALUATION_MISSING' }),
      alert({ alertId: 'f1', eventId: 'e5', action: 'hold' }),
      alert({ alertId: 'f2', eventId: 'e5', action: 'hold', ruleId: 'RESTRICTED_JURISDICTION' }),
    ];
    expect([...heldEventsToReview(alerts, 100)]).toEqual([
      ['e1', ['a1', 'a2']],
      ['e4', ['d1']],
      ['e5', ['f1', 'f2']],
    ]);
    // The bound is in reviews, and an event is never cut in two.
    expect([...heldEventsToReview(alerts, 4)]).toEqual([
      ['e1', ['a1', 'a2']],
      ['e4', ['d1']],
    ]);
    expect(heldEventsToReview(alerts, 1).size).toBe(0);
  });

  it('writes a cleared review as the contract has it, keyed by its reviewId', () => {
    const r = clearedReview('rv-1', 'al-1', '2026-12-03T08:00:00.000Z');
    expect(r.key).toBe('rv-1');
    expect(JSON.parse(r.value.toString('utf8'))).toEqual({
      type: 'review',
      reviewId: 'rv-1',
      alertId: 'al-1',
      outcome: 'cleared',
      reviewer: 'bench-reviewer',
      reason: 'benchmark: not the listed person',
      reviewedAt: '2026-12-03T08:00:00.000Z',
    });
  });

  it('takes every readable exchange event, under a new eventId', () => {
    const ex = (eventId: string, account: string, malformed = false): StreamMessage => ({
      kind: 'exchange',
      key: account,
      value: Buffer.from(JSON.stringify({ type: 'exchange-transfer', eventId, amount: '1' })),
      eventId,
      ...(malformed ? { malformed: true as const } : {}),
    });
    const messages: StreamMessage[] = [
      { kind: 'rates', key: 'BTC', value: Buffer.from('{}') },
      { kind: 'onchain', key: 'tx', value: Buffer.from('{}'), eventId: 'oc-1' },
      ex('ex-1', 'acct-b', true),
      ex('ex-2', 'acct-a'),
      ex('ex-3', 'acct-b'),
      ex('ex-4', 'acct-a'),
    ];
    const out = renamedExchangeEvents(messages, 'clr-');
    expect(out.map((m) => [m.key, m.eventId])).toEqual([
      ['acct-a', 'clr-ex-2'],
      ['acct-b', 'clr-ex-3'],
      ['acct-a', 'clr-ex-4'],
    ]);
    expect(JSON.parse(out[0].value.toString('utf8'))).toEqual({
      type: 'exchange-transfer',
      eventId: 'clr-ex-2',
      amount: '1',
    });
  });

  it('copies held events under new eventIds, round after round, until there are enough reviews', () => {
    const tx = (eventId: string, kind: 'onchain' | 'exchange' = 'exchange'): StreamMessage => ({
      kind,
      key: `k-${eventId}`,
      value: Buffer.from(JSON.stringify({ eventId })),
      eventId,
    });
    const messages = [tx('e1'), tx('e2', 'onchain'), tx('e3')];
    const held = new Map([
      ['e1', ['a1', 'a2']],
      ['e2', ['b1']],
    ]);
    const copies = heldEventCopies(messages, held, 9);
    // 3 reviews held already; each round brings 3 more.
    expect(copies.map((m) => m.eventId)).toEqual(['r1-e1', 'r1-e2', 'r2-e1', 'r2-e2']);
    expect(copies[1]).toMatchObject({ kind: 'onchain', key: 'k-e2' });
    expect(JSON.parse(copies[2].value.toString('utf8'))).toEqual({ eventId: 'r2-e1' });
    expect(heldEventCopies(messages, held, 3)).toEqual([]);
    expect(heldEventCopies(messages, new Map(), 100)).toEqual([]);
  });

  it('takes percentiles by nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(v, 50)).toBe(50);
    expect(nearestRank(v, 99)).toBe(99);
    expect(nearestRank([7], 99)).toBe(7);
    expect(nearestRank([], 50)).toBeNaN();
  });
});
