import { testRedisUrl, waitFor } from '../support/env';
import { publishList } from '../support/lists';
import { screenerFixture } from '../support/screener-fixture';
import { randomBytes } from 'node:crypto';
import type { Decision } from '@sekimori/contracts';
import { onchainTransfer } from '../support/fixtures';
import {
  excerptWithAddress,
  excerptWithNames,
  LISTED_PERSON,
  listedPersonAccount,
  review,
  Reviews,
  withdrawalTo,
} from './support';

jest.setTimeout(240_000);

// Garantex Europe OU's ETH address on the OFAC excerpt.
const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
// Made up: listed only by the version the test loads mid-way.
const NAMED_LATER = 'Kazimir Oblensky';

describe('reviews on the real broker and Redis: a hold has a way out', () => {
  const f = screenerFixture();
  const r = new Reviews(f);

  it('clears, confirms and refuses reviews; one final decision per event, through a duplicate review, a re-screen and a repeated event', async () => {
    await r.start();
    // The account holders' name is on no list yet; the list version loaded later adds it.
    const holder = (id: string) => ({
      account: { id, residency: 'JP', kind: 'individual', name: NAMED_LATER },
    });
    const held = withdrawalTo(LISTED_PERSON, holder(`acct-held-${r.groupId}`));
    const twoHolds = withdrawalTo(LISTED_PERSON, {
      counterparty: {
        walletType: 'hosted',
        vaspId: 'ru-vasp',
        vaspCountry: 'RU',
        name: LISTED_PERSON,
      },
    });
    const blocked = withdrawalTo('Nobody In Particular', {
      chain: 'ethereum',
      asset: 'ETH',
      address: GARANTEX_ETH,
    });
    // Held and never reviewed: its re-screen decision shows the re-screen ran.
    const waiting = withdrawalTo(LISTED_PERSON, holder(`acct-waiting-${r.groupId}`));
    const events = [held, twoHolds, blocked, waiting];
    await r.transfers(events);
    await r.decided(events);
    expect(events.map((e) => r.decisionsOf(e)[0].decision)).toEqual([
      'hold',
      'hold',
      'block',
      'hold',
    ]);

    // Cleared: the held withdrawal's final decision is pass, citing the review.
    const nameAlert = r.alertOf(held, 'NAME_MATCH');
    const cleared = review(nameAlert.alertId, 'cleared');
    await r.send(cleared);
    const final = await r.finalised(held);
    expect(final).toMatchObject({
      eventId: held.eventId,
      decision: 'pass',
      final: true,
      reviewIds: [cleared.reviewId],
      ruleIds: [],
      alertIds: [],
      supersedes: { decision: 'hold', alertIds: [nameAlert.alertId] },
    });

    // Two holds: no final until both have an outcome; one confirmed makes it block.
    const confirmed = review(r.alertOf(twoHolds, 'NAME_MATCH').alertId, 'confirmed');
    const jurisdiction = review(r.alertOf(twoHolds, 'RESTRICTED_JURISDICTION').alertId, 'cleared');
    const refusedAddress = review(r.alertOf(blocked, 'SANCTIONS_ADDRESS_MATCH').alertId, 'cleared');
    const unknown = review('0'.repeat(32), 'cleared');
    const malformed = { ...review(nameAlert.alertId, 'cleared'), reviewer: undefined };
    const secondOpinion = review(nameAlert.alertId, 'confirmed');
    const notFrozen = review(r.alertOf(waiting, 'NAME_MATCH').alertId, 'released');
    await r.send(
      { ...cleared, reason: 'the same review sent twice' },
      confirmed,
      jurisdiction,
      refusedAddress,
      unknown,
      malformed,
      secondOpinion,
      notFrozen,
    );
    const blockedFinal = await r.finalised(twoHolds);
    expect(blockedFinal).toMatchObject({ decision: 'block', ruleIds: ['NAME_MATCH'], final: true });
    expect(new Set(blockedFinal.reviewIds)).toEqual(
      new Set([confirmed.reviewId, jurisdiction.reviewId]),
    );
    await waitFor('five refused reviews', () => r.refusals().size === 5, 60_000);
    expect(r.refusals()).toEqual(
      new Map([
        [refusedAddress.reviewId, 'OUTCOME_NOT_ALLOWED'],
        [unknown.reviewId, 'UNKNOWN_ALERT'],
        [malformed.reviewId, 'SCHEMA_VIOLATION'],
        [secondOpinion.reviewId, 'ALREADY_REVIEWED'],
        [notFrozen.reviewId, 'OUTCOME_NOT_ALLOWED'],
      ]),
    );

    // A list version that matches the names again: the re-screen decides the waiting event anew
    // but leaves the final ones alone.
    await publishList(
      testRedisUrl(),
      r.prefix,
      await excerptWithNames([{ entityId: '99001', name: NAMED_LATER }]),
    );
    await waitFor(
      'the re-screen decision of the waiting event',
      () => r.decisionsOf(waiting).length === 2,
      90_000,
    );
    expect(r.decisionsOf(waiting)[1]).toMatchObject({ retroactive: true, decision: 'hold' });

    // The same eventId sent again: screened, but its final decision stands.
    await r.transfers([held]);
    await r.drained([r.topics.exchange, r.topics.reviews]);
    for (const event of [held, twoHolds]) {
      expect(r.finalsOf(event)).toHaveLength(1);
      expect(r.decisionsOf(event).at(-1)?.final).toBe(true);
    }
    expect(r.decisionsOf(held)).toHaveLength(2);
    expect(f.screener?.logsWith('review applied')).toHaveLength(3);
    expect(f.screener?.logsWith('review already applied')).toHaveLength(1);
    expect(f.screener?.logsWith('review refused')).toHaveLength(5);
  });
});

describe('clearances: cleared stays cleared, and only while the list says the same', () => {
  const f = screenerFixture();
  const r = new Reviews(f);

  it('the story: held, cleared, final pass; three withdrawals pass with the match suppressed; a new alias voids the clearance and the next withdrawal is held again', async () => {
    await r.start();
    const account = listedPersonAccount(`acct-story-${r.groupId}`);
    const withdrawal = () => withdrawalTo('Hanako Suzuki', { account });
    const first = withdrawal();
    await r.transfers([first]);
    await r.decided([first]);
    expect(r.decisionsOf(first)[0].decision).toBe('hold');
    const alert = r.alertOf(first, 'NAME_MATCH');
    expect(alert.matches.map((m) => m.entityId)).toEqual(['25308']);

    const cleared = review(alert.alertId, 'cleared', { reviewer: 'officer-3' });
    await r.send(cleared);
    expect(await r.finalised(first)).toMatchObject({
      decision: 'pass',
      reviewIds: [cleared.reviewId],
    });

    const next = [withdrawal(), withdrawal(), withdrawal()];
    await r.transfers(next);
    await r.decided(next);
    for (const event of next) {
      const [decision] = r.decisionsOf(event);
      expect(decision).toMatchObject({ decision: 'pass', alertIds: [] });
      expect(decision.suppressed).toEqual([
        {
          clearanceId: expect.stringMatching(/^[0-9a-f]{32}$/),
          ruleId: 'NAME_MATCH',
          listId: 'ofac-sdn',
          entityId: '25308',
          reviewer: 'officer-3',
        },
      ]);
      expect(r.alertsOf(event)).toEqual([]);
    }

    // The list adds an alias to the listed person: the entry changed, the clearance lapses.
    const list = await excerptWithNames([]);
    const entry = list.names?.find((n) => n.entityId === '25308');
    if (entry === undefined) {
      throw new Error(`no name for 25308 among ${list.names?.length ?? 0} names`);
    }
    await publishList(testRedisUrl(), r.prefix, {
      ...list,
      names: [...(list.names ?? []), { ...entry, name: 'YAN, Xiao Bing', nameType: 'aka' }],
    });
    const after = withdrawal();
    await r.screenedUntil(
      'a withdrawal screened on the new version',
      () => withdrawal(),
      (probe) => r.decisionsOf(probe)[0].decision === 'hold',
    );
    await r.transfers([after]);
    await r.decided([after]);
    expect(r.decisionsOf(after)[0]).toMatchObject({ decision: 'hold' });
    expect(r.decisionsOf(after)[0].suppressed).toBeUndefined();
    const again = r.alertOf(after, 'NAME_MATCH');
    expect(again.reasons.at(-1)).toMatch(
      /^The clearance [0-9a-f]{32} \(cleared by officer-3 on .+\) was voided: the current version of list ofac-sdn changed entry 25308/,
    );
    // The first withdrawal's final decision stands through the re-screen of the new version.
    expect(r.decisionsOf(first).at(-1)?.final).toBe(true);
  });

  it('a clearance past its expiry no longer suppresses, and the alert says it expired', async () => {
    await r.start();
    const account = listedPersonAccount(`acct-expiry-${r.groupId}`);
    const first = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([first]);
    await r.decided([first]);
    const expiresAt = new Date(Date.now() + 5_000).toISOString();
    await r.send(review(r.alertOf(first, 'NAME_MATCH').alertId, 'cleared', { expiresAt }));
    await r.finalised(first);

    const inForce = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([inForce]);
    await r.decided([inForce]);
    expect(r.decisionsOf(inForce)[0]).toMatchObject({
      decision: 'pass',
      suppressed: [expect.anything()],
    });

    await waitFor('the clearance to expire', () => Date.now() > Date.parse(expiresAt), 10_000, 200);
    const lapsed = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([lapsed]);
    await r.decided([lapsed]);
    expect(r.decisionsOf(lapsed)[0].decision).toBe('hold');
    expect(r.alertOf(lapsed, 'NAME_MATCH').reasons.at(-1)).toContain(`expired at ${expiresAt}`);
  });
});

describe('clearances are bound to the entry with its addresses', () => {
  const f = screenerFixture();
  const r = new Reviews(f);

  it('a version that changes another entry keeps the clearance; a new address on the cleared entry voids it', async () => {
    await r.start();
    const account = listedPersonAccount(`acct-address-${r.groupId}`);
    const withdrawal = (patch: Record<string, unknown> = {}) =>
      withdrawalTo('Hanako Suzuki', { account, ...patch });
    const first = withdrawal();
    await r.transfers([first]);
    await r.decided([first]);
    const alert = r.alertOf(first, 'NAME_MATCH');
    await r.send(review(alert.alertId, 'cleared', { reviewer: 'officer-4' }));
    await r.finalised(first);

    // Another entry gains a name: the listed person's entry is the same, in a new version.
    await publishList(
      testRedisUrl(),
      r.prefix,
      await excerptWithNames([{ entityId: '99002', name: NAMED_LATER }]),
    );
    await r.screenedUntil(
      'a withdrawal screened on the version that names another entry',
      () =>
        withdrawal({
          counterparty: {
            walletType: 'hosted',
            vaspId: 'jp-vasp-2',
            vaspCountry: 'JP',
            residency: 'JP',
            name: NAMED_LATER,
          },
        }),
      (probe) => r.alertsOf(probe).some((a) => a.matches.some((m) => m.entityId === '99002')),
    );
    const unchanged = withdrawal();
    await r.transfers([unchanged]);
    await r.decided([unchanged]);
    expect(r.decisionsOf(unchanged)[0]).toMatchObject({
      decision: 'pass',
      suppressed: [expect.objectContaining({ entityId: '25308', reviewer: 'officer-4' })],
    });

    // The listed person's entry gains an ETH address: the entry changed, the clearance lapses.
    const added = `0x${randomBytes(20).toString('hex')}`;
    await publishList(testRedisUrl(), r.prefix, await excerptWithAddress('25308', added));
    const after = await r.screenedUntil(
      'a withdrawal held again on the version with the new address',
      () => withdrawal(),
      (probe) => r.decisionsOf(probe)[0].decision === 'hold',
    );
    expect(r.decisionsOf(after)[0].suppressed).toBeUndefined();
    expect(r.alertOf(after, 'NAME_MATCH').reasons.at(-1)).toMatch(
      /^The clearance [0-9a-f]{32} \(cleared by officer-4 on .+\) was voided: the current version of list ofac-sdn changed entry 25308 \(its names, aliases, addresses or programmes\)/,
    );
  });

  it('INDIRECT_EXPOSURE cleared: later transfers with the same exposure pass with it suppressed, until the listed source entry changes', async () => {
    await r.start();
    const a = `0x${randomBytes(20).toString('hex')}`;
    const b = `0x${randomBytes(20).toString('hex')}`;
    const funding = onchainTransfer({
      from: [GARANTEX_ETH],
      to: a,
      blockTime: new Date().toISOString(),
    });
    await r.onchain([funding]);
    await r.decided([funding]);
    const garantex = r.alertOf(funding, 'SANCTIONS_ADDRESS_MATCH').matches[0].entityId;
    const onward = () => onchainTransfer({ from: [a], to: b, blockTime: new Date().toISOString() });

    const first = onward();
    await r.onchain([first]);
    await r.decided([first]);
    expect(r.decisionsOf(first)[0].decision).toBe('review');
    const exposure = r.alertOf(first, 'INDIRECT_EXPOSURE');
    expect(exposure.subjectKey).toBe(b);
    const cleared = review(exposure.alertId, 'cleared', { reviewer: 'officer-6' });
    await r.send(cleared);
    expect(await r.finalised(first)).toMatchObject({
      decision: 'pass',
      reviewIds: [cleared.reviewId],
    });

    const next = [onward(), onward()];
    await r.onchain(next);
    await r.decided(next);
    for (const event of next) {
      const [decision] = r.decisionsOf(event);
      expect(decision).toMatchObject({ decision: 'pass', alertIds: [] });
      expect(decision.suppressed).toEqual([
        {
          clearanceId: expect.stringMatching(/^[0-9a-f]{32}$/),
          ruleId: 'INDIRECT_EXPOSURE',
          listId: 'ofac-sdn',
          entityId: garantex,
          reviewer: 'officer-6',
        },
      ]);
      expect(r.alertsOf(event)).toEqual([]);
    }

    // The listed source's entry gains an address: the clearance is voided, the exposure alerts.
    await publishList(
      testRedisUrl(),
      r.prefix,
      await excerptWithAddress(garantex, `0x${randomBytes(20).toString('hex')}`),
    );
    const after = await r.screenedUntil(
      'an onward transfer alerting again on the version that changed the source entry',
      () => onward(),
      (probe) => r.decisionsOf(probe)[0].decision === 'review',
      { topic: 'onchain' },
    );
    const decision: Decision = r.decisionsOf(after)[0];
    expect(decision.suppressed).toBeUndefined();
    expect(r.alertOf(after, 'INDIRECT_EXPOSURE').reasons.at(-1)).toMatch(
      new RegExp(`was voided: the current version of list ofac-sdn changed entry ${garantex} `),
    );
  });
});

describe('freezes: a confirmed match blocks the account until released', () => {
  const f = screenerFixture();
  const r = new Reviews(f);

  it('held, confirmed, final block; a later deposit and withdrawal block with CONFIRMED_MATCH citing the review; released lifts it', async () => {
    await r.start();
    const account = listedPersonAccount(`acct-frozen-${r.groupId}`);
    const first = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([first]);
    await r.decided([first]);
    const alert = r.alertOf(first, 'NAME_MATCH');
    const confirmed = review(alert.alertId, 'confirmed', { reviewer: 'officer-9' });
    await r.send(confirmed);
    expect(await r.finalised(first)).toMatchObject({
      decision: 'block',
      ruleIds: ['NAME_MATCH'],
      reviewIds: [confirmed.reviewId],
    });

    const deposit = withdrawalTo('Hanako Suzuki', { account, direction: 'deposit' });
    const withdrawal = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([deposit, withdrawal]);
    await r.decided([deposit, withdrawal]);
    for (const event of [deposit, withdrawal]) {
      expect(r.decisionsOf(event)[0].decision).toBe('block');
      const frozen = r.alertOf(event, 'CONFIRMED_MATCH');
      expect(frozen).toMatchObject({ severity: 'critical', action: 'block' });
      expect(frozen.reasons[0]).toContain(`review ${confirmed.reviewId} by officer-9`);
    }

    await r.send(review(alert.alertId, 'released', { reviewer: 'officer-9' }));
    await r.screenedUntil(
      'the freeze lifted',
      () => withdrawalTo('Hanako Suzuki', { account }),
      (probe) => r.alertsOf(probe).every((a) => a.ruleId !== 'CONFIRMED_MATCH'),
      { intervalMs: 300 },
    );
    const after = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([after]);
    await r.decided([after]);
    // The name still matches: held for a person again, no longer blocked as frozen.
    expect(r.decisionsOf(after)[0].decision).toBe('hold');
    expect(r.alertsOf(after).map((a) => a.ruleId)).toEqual(['NAME_MATCH']);
  });
});

describe("re-screens apply the reviews in force at the event's time", () => {
  const f = screenerFixture();
  const r = new Reviews(f);

  it('a withdrawal made while the account was frozen, screened after the release, is re-screened as frozen', async () => {
    await r.start();
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const account = {
      id: `acct-then-${r.groupId}`,
      residency: 'JP',
      kind: 'individual',
      name: NAMED_LATER,
    };
    const confirmedOne = withdrawalTo(LISTED_PERSON, { account, occurredAt: minutesAgo(12) });
    await r.transfers([confirmedOne]);
    await r.decided([confirmedOne]);
    const alert = r.alertOf(confirmedOne, 'NAME_MATCH');
    // Frozen ten minutes ago, released five minutes ago (the reviews say when).
    await r.send(review(alert.alertId, 'confirmed', { reviewedAt: minutesAgo(10) }));
    await r.finalised(confirmedOne);
    const released = review(alert.alertId, 'released', { reviewedAt: minutesAgo(5) });
    await r.send(released);
    await r.drained([r.topics.reviews]);

    // Made seven minutes ago, while frozen; screened now, after the release: it passes.
    const during = withdrawalTo('Nobody In Particular', { account, occurredAt: minutesAgo(7) });
    await r.transfers([during]);
    await r.decided([during]);
    expect(r.decisionsOf(during)[0]).toMatchObject({ decision: 'pass', alertIds: [] });

    // A list version that names the account holder: the re-screen finds the name, and screens
    // the withdrawal under the freeze that stood when it was made.
    await publishList(
      testRedisUrl(),
      r.prefix,
      await excerptWithNames([{ entityId: '99004', name: NAMED_LATER }]),
    );
    await waitFor('the re-screen decision', () => r.decisionsOf(during).length === 2, 90_000);
    const rescreened = r.decisionsOf(during)[1];
    expect(rescreened).toMatchObject({ retroactive: true, decision: 'block' });
    expect(rescreened.ruleIds).toEqual(expect.arrayContaining(['CONFIRMED_MATCH', 'NAME_MATCH']));
  });
});

describe('Redis lost: clearances and freezes rebuilt from the effects topic before screening', () => {
  const f = screenerFixture();
  const r = new Reviews(f);

  /** Two customers matching a listed person: one cleared, one confirmed (frozen). */
  async function clearedAndFrozen(): Promise<[Record<string, string>, Record<string, string>]> {
    await r.start();
    const person = (id: string) => listedPersonAccount(`${id}-${r.groupId}`);
    const cleared = person('acct-cleared');
    const frozen = person('acct-frozen');
    const first = [
      withdrawalTo('Hanako Suzuki', { account: cleared }),
      withdrawalTo('Hanako Suzuki', { account: frozen }),
    ];
    await r.transfers(first);
    await r.decided(first);
    await r.send(
      review(r.alertOf(first[0], 'NAME_MATCH').alertId, 'cleared'),
      review(r.alertOf(first[1], 'NAME_MATCH').alertId, 'confirmed'),
    );
    await r.finalised(first[0]);
    await r.finalised(first[1]);
    return [cleared, frozen];
  }

  async function expectStillClearedAndFrozen(
    cleared: Record<string, string>,
    frozen: Record<string, string>,
  ): Promise<void> {
    const after = [
      withdrawalTo('Hanako Suzuki', { account: cleared }),
      withdrawalTo('Hanako Suzuki', { account: frozen }),
    ];
    await r.transfers(after);
    await r.decided(after);
    expect(r.decisionsOf(after[0])[0]).toMatchObject({
      decision: 'pass',
      suppressed: [expect.anything()],
    });
    expect(r.decisionsOf(after[1])[0].decision).toBe('block');
    expect(r.alertsOf(after[1]).map((a) => a.ruleId)).toContain('CONFIRMED_MATCH');
  }

  it('after the review keys are gone and the screener restarts, a cleared customer still passes and a frozen one is still blocked', async () => {
    const [cleared, frozen] = await clearedAndFrozen();
    await f.screener?.stop('SIGKILL');
    await r.dropReviewState();

    await r.restart();
    const rebuilt = f.screener?.logsWith('review effects rebuilt into Redis') ?? [];
    expect(rebuilt).toEqual([expect.objectContaining({ effects: 2 })]);
    await expectStillClearedAndFrozen(cleared, frozen);
  });

  it('after the review keys vanish, a review of an alert raised before still applies, and one applied before is not applied again', async () => {
    await r.start();
    const person = (id: string) => listedPersonAccount(`${id}-${r.groupId}`);
    const reviewed = withdrawalTo('Hanako Suzuki', { account: person('acct-reviewed') });
    const waiting = withdrawalTo('Hanako Suzuki', { account: person('acct-waiting') });
    await r.transfers([reviewed, waiting]);
    await r.decided([reviewed, waiting]);
    const before = review(r.alertOf(reviewed, 'NAME_MATCH').alertId, 'cleared');
    await r.send(before);
    await r.finalised(reviewed);
    await r.drained([r.topics.exchange, r.topics.reviews]);
    const rebuilds = f.screener?.logsWith('review effects rebuilt into Redis').length ?? 0;
    await r.dropReviewState();

    const alert = r.alertOf(waiting, 'NAME_MATCH');
    const after = review(alert.alertId, 'cleared');
    // The review applied before the loss, sent again: the rebuilt outcome makes it a duplicate.
    await r.send(after, { ...before, reason: 'the same review sent again after the loss' });
    expect(await r.finalised(waiting)).toMatchObject({
      decision: 'pass',
      final: true,
      reviewIds: [after.reviewId],
      supersedes: { decision: 'hold', alertIds: [alert.alertId] },
    });
    await r.drained([r.topics.reviews]);
    expect(r.finalsOf(reviewed)).toHaveLength(1);
    expect(r.finalsOf(waiting)).toHaveLength(1);
    expect(r.refusals()).toEqual(new Map());
    const rebuilt = f.screener?.logsWith('review effects rebuilt into Redis') ?? [];
    // Two held events, the first's outcome and final decision; its clearance.
    expect(rebuilt.slice(rebuilds)).toEqual([expect.objectContaining({ effects: 1, records: 4 })]);
  });

  it('when the review keys vanish under a running screener, the next transfers wait for the rebuild: the frozen account is still blocked', async () => {
    const [cleared, frozen] = await clearedAndFrozen();
    const before = f.screener?.logsWith('review effects rebuilt into Redis').length ?? 0;
    await r.dropReviewState();

    await expectStillClearedAndFrozen(cleared, frozen);
    const rebuilt = f.screener?.logsWith('review effects rebuilt into Redis') ?? [];
    expect(rebuilt.slice(before)).toEqual([expect.objectContaining({ effects: 2 })]);
  });
});
