import type { Alert, Decision, Review } from '@sekimori/contracts';
import { exposedNodeFixture } from '../__fixtures__/clearance';
import { InMemoryReviews } from '../__fixtures__/in-memory-reviews';
import { heldEventOf } from './alert-records';
import { ApplyReviews, effectKeyOf } from './apply-reviews';

function alert(eventId: string, ruleId: string, action: Alert['action']): Alert {
  return {
    type: 'alert',
    alertId: `${eventId}-${ruleId}`,
    ruleId: ruleId as Alert['ruleId'],
    severity: 'high',
    action,
    eventId,
    eventType: 'exchange-transfer',
    subjectKey: 'acct-1',
    occurredAt: '2026-03-15T09:30:00Z',
    detectedAt: '2026-03-15T09:30:01Z',
    crossBorder: false,
    jurisdictions: { origin: 'JP', destination: 'JP' },
    matches: [],
    reasons: [],
    legalBasis: [],
    listVersion: 'ofac-sdn:v1',
    retroactive: false,
  };
}

function decision(eventId: string, alerts: Alert[]): Decision {
  return {
    type: 'decision',
    eventId,
    eventType: 'exchange-transfer',
    subjectKey: 'acct-1',
    occurredAt: '2026-03-15T09:30:00Z',
    decision: 'hold',
    ruleIds: alerts.map((a) => a.ruleId),
    alertIds: alerts.map((a) => a.alertId),
    listVersion: 'ofac-sdn:v1',
    screenedAt: '2026-03-15T09:30:01Z',
    retroactive: false,
  };
}

const review = (reviewId: string, alertId: string, outcome: Review['outcome']): Review => ({
  type: 'review',
  reviewId,
  alertId,
  outcome,
  reviewer: 'officer-7',
  reason: 'checked',
  reviewedAt: '2026-03-16T10:00:00Z',
});

async function setUp(alerts: Alert[]) {
  const records = new InMemoryReviews();
  const held = heldEventOf(alerts, decision(alerts[0].eventId, alerts));
  if (held !== null) await records.recordScreened([held], [alerts[0].eventId]);
  const now = () => new Date('2026-03-16T10:00:05Z');
  return { records, reviews: new ApplyReviews(records, now) };
}

describe('ApplyReviews', () => {
  it('gives the final decision once the last hold has an outcome: the most severe of what remains', async () => {
    const name = alert('e1', 'NAME_MATCH', 'hold');
    const report = alert('e1', 'FEFTA_PAYMENT_REPORT', 'report');
    const routing = alert('e1', 'THIRD_COUNTRY_ROUTING', 'hold');
    const { reviews } = await setUp([name, report, routing]);

    const first = await reviews.apply(review('r1', name.alertId, 'cleared'), 't:0:1');
    expect(first).toMatchObject({ kind: 'applied', final: null });
    const last = await reviews.apply(review('r2', routing.alertId, 'cleared'), 't:0:2');
    expect(last.kind === 'applied' && last.final).toMatchObject({
      decision: 'report',
      final: true,
      reviewIds: ['r1', 'r2'],
      ruleIds: ['FEFTA_PAYMENT_REPORT'],
      alertIds: [report.alertId],
      screenedAt: '2026-03-16T10:00:05.000Z',
      supersedes: { decision: 'hold', screenedAt: '2026-03-15T09:30:01Z' },
    });
  });

  it('blocks on a confirmed match; passes when everything was cleared', async () => {
    const a = alert('e2', 'NAME_MATCH', 'hold');
    const { reviews } = await setUp([a]);
    const confirmed = await reviews.apply(review('r1', a.alertId, 'confirmed'), 't:0:1');
    expect(confirmed.kind === 'applied' && confirmed.final?.decision).toBe('block');

    const b = alert('e3', 'INDIRECT_EXPOSURE', 'review');
    const other = await setUp([b]);
    const cleared = await other.reviews.apply(review('r2', b.alertId, 'cleared'), 't:0:2');
    expect(cleared.kind === 'applied' && cleared.final).toMatchObject({
      decision: 'pass',
      ruleIds: [],
      alertIds: [],
    });
  });

  it('records a cleared INDIRECT_EXPOSURE per listed source, with its address, and keeps the outcome and final decision for a rebuild', async () => {
    const exposed: Alert = {
      ...alert('e7', 'INDIRECT_EXPOSURE', 'review'),
      exposurePaths: [exposedNodeFixture('0xa', { listVersion: 'v1' })],
    };
    const records = new InMemoryReviews();
    const held = heldEventOf(
      [exposed],
      decision('e7', [exposed]),
      new Map([['ofac-sdn:34017', 'f2:9']]),
    );
    await records.recordScreened([held!], ['e7']);
    const reviews = new ApplyReviews(records, () => new Date('2026-03-16T10:00:05Z'));
    const applied = await reviews.apply(review('r1', exposed.alertId, 'cleared'), 't:0:1');
    if (applied.kind !== 'applied') throw new Error(`not applied: ${applied.kind}`);
    expect(applied.effects).toEqual([
      {
        kind: 'clearance',
        clearance: expect.objectContaining({
          ruleId: 'INDIRECT_EXPOSURE',
          entityId: '34017',
          address: '0xlisted',
          fingerprint: 'f2:9',
          subjectKey: 'acct-1',
        }),
      },
    ]);
    expect(applied.records).toEqual([
      expect.objectContaining({
        kind: 'outcome',
        alertId: exposed.alertId,
        n: 1,
        position: 't:0:1',
      }),
      expect.objectContaining({ kind: 'final', eventId: 'e7', finalBy: 'r1' }),
    ]);
  });

  it('applies a reviewId once, but answers a retry of the same message as the first time', async () => {
    const a = alert('e4', 'NAME_MATCH', 'hold');
    const { reviews } = await setUp([a]);
    const first = await reviews.apply(review('r1', a.alertId, 'cleared'), 't:0:1');
    const retry = await reviews.apply(review('r1', a.alertId, 'cleared'), 't:0:1');
    const again = await reviews.apply(review('r1', a.alertId, 'cleared'), 't:1:9');
    expect(first.kind === 'applied' && first.final?.decision).toBe('pass');
    expect(retry.kind === 'applied' && retry.final?.decision).toBe('pass');
    expect(again.kind).toBe('duplicate');
  });

  it.each([
    ['an unknown alert', 'missing', 'cleared', 'UNKNOWN_ALERT'],
    ['clearing a listed address', 'e5-SANCTIONS_ADDRESS_MATCH', 'cleared', 'OUTCOME_NOT_ALLOWED'],
    ['releasing what was never confirmed', 'e5-NAME_MATCH', 'released', 'OUTCOME_NOT_ALLOWED'],
  ] as const)('refuses %s', async (_what, alertId, outcome, code) => {
    const { reviews } = await setUp([
      alert('e5', 'NAME_MATCH', 'hold'),
      alert('e5', 'SANCTIONS_ADDRESS_MATCH', 'block'),
    ]);
    expect(await reviews.apply(review('r1', alertId, outcome), 't:0:1')).toMatchObject({
      kind: 'refused',
      code,
    });
  });

  it('refuses a second outcome for an alert, and an expiry on anything but a clearance', async () => {
    const a = alert('e6', 'NAME_MATCH', 'hold');
    const { reviews } = await setUp([a]);
    await reviews.apply(review('r1', a.alertId, 'cleared'), 't:0:1');
    expect(await reviews.apply(review('r2', a.alertId, 'confirmed'), 't:0:2')).toMatchObject({
      kind: 'refused',
      code: 'ALREADY_REVIEWED',
    });
    const expiring = { ...review('r3', a.alertId, 'confirmed'), expiresAt: '2027-01-01T00:00:00Z' };
    expect(await reviews.apply(expiring, 't:0:3')).toMatchObject({ code: 'OUTCOME_NOT_ALLOWED' });
  });
});

describe('effectKeyOf', () => {
  const freeze = (alertId: string) => ({
    subjectKey: 'account:acct-1',
    reviewId: `review-${alertId}`,
    alertId,
    reviewer: 'officer-1',
    confirmedAt: '2026-03-15T00:00:00Z',
  });

  it('gives a freeze and its release one key, and a later freeze of the subject another', () => {
    const first = effectKeyOf({ kind: 'freeze', freeze: freeze('alert-1') });
    const released = effectKeyOf({
      kind: 'release',
      subjectKey: 'account:acct-1',
      alertId: 'alert-1',
      freeze: freeze('alert-1'),
    });
    const again = effectKeyOf({ kind: 'freeze', freeze: freeze('alert-2') });
    expect(released).toBe(first);
    expect(again).not.toBe(first);
  });
});
