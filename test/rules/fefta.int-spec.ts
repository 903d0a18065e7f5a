import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert, AlertAction, RuleId, Severity } from '@sekimori/contracts';
import { waitFor } from '../support/env';
import { exchangeTransfer } from '../support/fixtures';
import { disconnectProducer } from '../support/kafka';
import { ScreenerProcess } from '../support/screener-process';
import { eventsRead, exchangePartitions, LISTED_BTC, RulesHarness } from './harness';

jest.setTimeout(120_000);

afterAll(async () => {
  await disconnectProducer();
});

/** A withdrawal to a customer of a Singapore VASP resident there: cross-border, JP → SG. */
const toSingapore = { walletType: 'hosted', vaspId: 'sg-vasp', vaspCountry: 'SG', residency: 'SG' };

const xb = (patch: Record<string, unknown> = {}): Record<string, unknown> =>
  exchangeTransfer({ counterparty: toSingapore, ...patch });

const at = (day: number, hour = 0): string =>
  new Date(Date.UTC(2026, 2, day, hour)).toISOString().replace('.000Z', 'Z');

interface Expected {
  event: Record<string, unknown>;
  ruleId: RuleId | `${RuleId}`;
  severity: Severity;
  action: AlertAction;
  crossBorder: boolean | null;
  origin: string | null;
  destination: string | null;
  valueJpy?: string;
  valueSource?: 'event' | 'rate';
  /** Fragments every one of which some reason must contain. */
  reasons: string[];
  legalBasis: RegExp;
}

const REPORT_BASIS = /Article 55/;
const CONFIRMATION_BASIS =
  /Act No\. 28 of 2022[\s\S]*14 March 2022|14 March 2022[\s\S]*Act No\. 28/;

function accountOf(event: Record<string, unknown>): string {
  return (event.account as { id: string }).id;
}

/** Every expected alert is there once (by alertId), with every field as expected, and no other. */
function expectExactly(got: Alert[], expected: Expected[]): void {
  const distinct = new Map(got.map((a) => [a.alertId, a]));
  const summary = (a: { eventId: string; ruleId: string }) => `${a.eventId} ${a.ruleId}`;
  expect([...distinct.values()].map(summary).sort()).toEqual(
    expected.map((e) => summary({ eventId: e.event.eventId as string, ruleId: e.ruleId })).sort(),
  );
  for (const e of expected) {
    const alert = [...distinct.values()].find(
      (a) => a.eventId === e.event.eventId && a.ruleId === e.ruleId,
    )!;
    expect({
      ruleId: alert.ruleId,
      severity: alert.severity,
      action: alert.action,
      eventType: alert.eventType,
      subjectKey: alert.subjectKey,
      occurredAt: alert.occurredAt,
      crossBorder: alert.crossBorder,
      jurisdictions: alert.jurisdictions,
      valueJpy: alert.valueJpy,
      valueSource: alert.valueSource,
      retroactive: alert.retroactive,
    }).toEqual({
      ruleId: e.ruleId,
      severity: e.severity,
      action: e.action,
      eventType: 'exchange-transfer',
      subjectKey: accountOf(e.event),
      occurredAt: e.event.occurredAt,
      crossBorder: e.crossBorder,
      jurisdictions: { origin: e.origin, destination: e.destination },
      valueJpy: e.valueJpy,
      valueSource: e.valueSource,
      retroactive: false,
    });
    const text = alert.reasons.join('\n');
    for (const fragment of e.reasons) expect(text).toContain(fragment);
    expect(alert.legalBasis.length).toBeGreaterThan(0);
    expect(alert.legalBasis.join('\n')).toMatch(e.legalBasis);
    expect(alert.alertId).toMatch(/^[0-9a-f]{32}$/);
    expect(alert.listVersion).toMatch(/^test-list:/);
  }
}

describe('FEFTA rules end to end on the real broker and Redis', () => {
  let h: RulesHarness;

  beforeEach(async () => {
    h = await new RulesHarness().setUp();
  });

  afterEach(async () => {
    await h.tearDown();
  });

  it('a stream of exchange events and rates raises exactly the expected alerts', async () => {
    const screener = await h.startScreener();

    // Rates first, and wait until they are stored: rates.v1 and the exchange topic are read
    // independently, so an event produced now could otherwise be screened before its rate.
    // One partition, newest BTC rate first: the older one after it must not replace it; the
    // sentinel asset behind them says both were read.
    await h.produce(
      h.topics.rates,
      [
        { type: 'rate', asset: 'BTC', jpy: '15000000.5', at: at(15, 9) },
        { type: 'rate', asset: 'BTC', jpy: '99', at: at(15, 8) },
        { type: 'rate', asset: 'SENTINEL', jpy: '1', at: at(15, 9) },
      ],
      0,
    );
    await waitForRate(h, 'SENTINEL');
    expect(await h.storedRate('BTC')).toBe(`${Date.parse(at(15, 9))} 15000000.5`);

    // Threshold edges. The ¥30,000,000 transfer is counted for structuring (at or under the
    // threshold); its account's next ¥0.01 crosses.
    const exactly30m = xb({ valueJpy: '30000000', occurredAt: at(14) });
    const oneSenMore = xb({
      account: exactly30m.account,
      valueJpy: '0.01',
      occurredAt: at(14, 1),
    });
    const over30m = xb({ valueJpy: '30000000.01' });
    // Nothing tells where an unhosted wallet is.
    const unknownOver = exchangeTransfer({
      counterparty: { walletType: 'unhosted' },
      valueJpy: '45000000',
    });
    // Valued from the stored rate: 2.5 × 15,000,000.5 = 37,500,001.25.
    const byRate = xb({
      amount: '2.5',
      valueJpy: undefined,
      counterparty: { walletType: 'hosted', vaspCountry: 'KR', residency: 'KR' },
    });
    const byRateDomestic = exchangeTransfer({ amount: '2.5', valueJpy: undefined });
    // ¥15,000,000.5: under the threshold, counted for structuring.
    const byRateUnder = xb({ amount: '1', valueJpy: undefined });
    const missingCrossBorder = xb({ asset: 'NORATE', amount: '1', valueJpy: undefined });
    const missingUnknown = exchangeTransfer({
      asset: 'NORATE',
      valueJpy: undefined,
      counterparty: { walletType: 'unknown' },
    });
    const missingDomestic = exchangeTransfer({ asset: 'NORATE', valueJpy: undefined });
    // Two customers of the same exchange, resident ↔ non-resident.
    const internalOut = exchangeTransfer({
      direction: 'internal',
      address: undefined,
      valueJpy: '40000000',
      counterparty: { walletType: 'hosted', residency: 'US', accountId: 'acct-us-1' },
    });
    const internalIn = exchangeTransfer({
      direction: 'internal',
      address: undefined,
      valueJpy: '35000000',
      account: { id: `acct-sg-${Date.now()}`, residency: 'SG', kind: 'corporate' },
      counterparty: { walletType: 'hosted', residency: 'JP', accountId: 'acct-jp-1' },
    });
    const internalDomestic = exchangeTransfer({
      direction: 'internal',
      address: undefined,
      valueJpy: '40000000',
      counterparty: { walletType: 'hosted', residency: 'JP', accountId: 'acct-jp-2' },
    });
    // Restricted jurisdictions, one field each.
    const restrictedResidency = exchangeTransfer({
      counterparty: { walletType: 'hosted', vaspCountry: 'JP', residency: 'RU' },
    });
    const restrictedVasp = exchangeTransfer({
      counterparty: { walletType: 'hosted', vaspCountry: 'BY', residency: 'JP' },
    });
    const restrictedIp = exchangeTransfer({ ipCountry: 'KP' });
    // One event, three rules.
    const everything = exchangeTransfer({
      address: LISTED_BTC,
      valueJpy: '50000000',
      counterparty: { walletType: 'hosted', vaspCountry: 'IR', residency: 'IR' },
    });
    // Structuring: 12M + 12M (+ the second again) + 5M = 29M, then 1.5M crosses at 30.5M
    // (produced twice), then 0.5M stays over without a new alert. Counting the replayed 12M
    // would cross one event early, at 41M.
    const s1 = xb({ valueJpy: '12000000', occurredAt: at(10) });
    const account = { account: s1.account };
    const s2 = xb({ ...account, valueJpy: '12000000', occurredAt: at(11) });
    const s3 = xb({ ...account, valueJpy: '5000000', occurredAt: at(12) });
    const s4 = xb({ ...account, valueJpy: '1500000', occurredAt: at(13) });
    const s5 = xb({ ...account, valueJpy: '500000', occurredAt: at(13, 12) });

    await h.produce(h.topics.exchange, [
      exactly30m,
      oneSenMore,
      over30m,
      unknownOver,
      byRate,
      byRateDomestic,
      byRateUnder,
      missingCrossBorder,
      missingUnknown,
      missingDomestic,
      internalOut,
      internalIn,
      internalDomestic,
      restrictedResidency,
      restrictedVasp,
      restrictedIp,
      everything,
      s1,
      s2,
      s2,
      s3,
      s4,
      s4,
      s5,
      over30m,
    ]);

    const expected: Expected[] = [
      {
        event: oneSenMore,
        ruleId: 'STRUCTURING',
        severity: 'high',
        action: 'review',
        crossBorder: true,
        origin: 'JP',
        destination: 'SG',
        valueJpy: '0.01',
        valueSource: 'event',
        reasons: ['¥30,000,000.01', 'was ¥30,000,000', '7 days', 'threshold of ¥30,000,000'],
        legalBasis: /FATF[\s\S]*FinCEN/,
      },
      {
        event: over30m,
        ruleId: 'FEFTA_PAYMENT_REPORT',
        severity: 'medium',
        action: 'report',
        crossBorder: true,
        origin: 'JP',
        destination: 'SG',
        valueJpy: '30000000.01',
        valueSource: 'event',
        reasons: ['valued at ¥30,000,000.01', 'threshold of ¥30,000,000', 'SG, outside JP'],
        legalBasis: REPORT_BASIS,
      },
      {
        event: unknownOver,
        ruleId: 'FEFTA_PAYMENT_REPORT',
        severity: 'medium',
        action: 'review',
        crossBorder: null,
        origin: 'JP',
        destination: null,
        valueJpy: '45000000',
        valueSource: 'event',
        reasons: ['¥45,000,000', 'threshold of ¥30,000,000', 'unknown'],
        legalBasis: REPORT_BASIS,
      },
      {
        event: byRate,
        ruleId: 'FEFTA_PAYMENT_REPORT',
        severity: 'medium',
        action: 'report',
        crossBorder: true,
        origin: 'JP',
        destination: 'KR',
        valueJpy: '37500001.25',
        valueSource: 'rate',
        reasons: ['¥37,500,001.25', '2.5 BTC × the latest rate of ¥15,000,000.5'],
        legalBasis: REPORT_BASIS,
      },
      {
        event: missingCrossBorder,
        ruleId: 'VALUATION_MISSING',
        severity: 'low',
        action: 'review',
        crossBorder: true,
        origin: 'JP',
        destination: 'SG',
        reasons: ['no rate for NORATE', 'threshold of ¥30,000,000', 'is cross-border'],
        legalBasis: REPORT_BASIS,
      },
      {
        event: missingUnknown,
        ruleId: 'VALUATION_MISSING',
        severity: 'low',
        action: 'review',
        crossBorder: null,
        origin: 'JP',
        destination: null,
        reasons: ['no rate for NORATE', 'location unknown'],
        legalBasis: REPORT_BASIS,
      },
      {
        event: internalOut,
        ruleId: 'FEFTA_PAYMENT_REPORT',
        severity: 'medium',
        action: 'report',
        crossBorder: true,
        origin: 'JP',
        destination: 'US',
        valueJpy: '40000000',
        valueSource: 'event',
        reasons: ['Internal', '¥40,000,000', 'resident in JP and the counterparty in US'],
        legalBasis: REPORT_BASIS,
      },
      {
        event: internalIn,
        ruleId: 'FEFTA_PAYMENT_REPORT',
        severity: 'medium',
        action: 'report',
        crossBorder: true,
        origin: 'SG',
        destination: 'JP',
        valueJpy: '35000000',
        valueSource: 'event',
        reasons: ['¥35,000,000', 'resident in SG and the counterparty in JP'],
        legalBasis: REPORT_BASIS,
      },
      {
        event: restrictedResidency,
        ruleId: 'RESTRICTED_JURISDICTION',
        severity: 'high',
        action: 'hold',
        crossBorder: true,
        origin: 'JP',
        destination: 'JP',
        valueJpy: '1500000',
        valueSource: 'event',
        reasons: ['(counterparty.residency) is RU', 'RU, BY, KP, IR, SY, CU'],
        legalBasis: CONFIRMATION_BASIS,
      },
      {
        event: restrictedVasp,
        ruleId: 'RESTRICTED_JURISDICTION',
        severity: 'high',
        action: 'hold',
        crossBorder: true,
        origin: 'JP',
        destination: 'BY',
        valueJpy: '1500000',
        valueSource: 'event',
        reasons: ['(counterparty.vaspCountry) is BY'],
        legalBasis: CONFIRMATION_BASIS,
      },
      {
        event: restrictedIp,
        ruleId: 'RESTRICTED_JURISDICTION',
        severity: 'high',
        action: 'hold',
        crossBorder: false,
        origin: 'JP',
        destination: 'JP',
        valueJpy: '1500000',
        valueSource: 'event',
        reasons: ['(ipCountry) is KP'],
        legalBasis: CONFIRMATION_BASIS,
      },
      ...(
        ['SANCTIONS_ADDRESS_MATCH', 'RESTRICTED_JURISDICTION', 'FEFTA_PAYMENT_REPORT'] as const
      ).map((ruleId): Expected => ({
        event: everything,
        ruleId,
        severity: {
          SANCTIONS_ADDRESS_MATCH: 'critical',
          RESTRICTED_JURISDICTION: 'high',
          FEFTA_PAYMENT_REPORT: 'medium',
        }[ruleId] as Severity,
        action: {
          SANCTIONS_ADDRESS_MATCH: 'block',
          RESTRICTED_JURISDICTION: 'hold',
          FEFTA_PAYMENT_REPORT: 'report',
        }[ruleId] as AlertAction,
        crossBorder: true,
        origin: 'JP',
        destination: 'IR',
        valueJpy: '50000000',
        valueSource: 'event',
        reasons: {
          SANCTIONS_ADDRESS_MATCH: ['TEST SANCTIONED EXCHANGE', LISTED_BTC],
          RESTRICTED_JURISDICTION: [
            '(counterparty.residency) is IR',
            '(counterparty.vaspCountry) is IR',
          ],
          FEFTA_PAYMENT_REPORT: ['¥50,000,000', 'IR, outside JP'],
        }[ruleId],
        legalBasis: /./,
      })),
      {
        event: s4,
        ruleId: 'STRUCTURING',
        severity: 'high',
        action: 'review',
        crossBorder: true,
        origin: 'JP',
        destination: 'SG',
        valueJpy: '1500000',
        valueSource: 'event',
        reasons: ['sum to ¥30,500,000', 'the sum was ¥29,000,000', 'within 7 days', '¥1,500,000'],
        legalBasis: /FATF[\s\S]*FinCEN/,
      },
    ];

    const got = await h.drained();
    expectExactly(got, expected);

    // Replays: the same eventId produced twice gives the same alert again (same alertId, at
    // least once), never a second distinct alert, and is counted once in the window.
    const copies = (e: Record<string, unknown>, ruleId: string) =>
      got.filter((a) => a.eventId === e.eventId && a.ruleId === ruleId);
    expect(copies(over30m, 'FEFTA_PAYMENT_REPORT')).toHaveLength(2);
    expect(copies(s4, 'STRUCTURING')).toHaveLength(2);
    expect(new Set(copies(s4, 'STRUCTURING').map((a) => a.alertId)).size).toBe(1);
    expect(got).toHaveLength(expected.length + 2);
    expect(await h.windowTotalSen(accountOf(s1))).toBe('3100000000');

    // Alert messages are keyed by subjectKey, and every alert was logged.
    expect(h.alerts.messages.map((m) => m.key)).toEqual(got.map((a) => a.subjectKey));
    expect(screener.logsWith('alert')).toHaveLength(got.length);

    // Replays after the rates moved: a redelivered event is valued as it was the first time,
    // so it raises the same alerts again and no new one (CONTRACT.md: "a redelivered or
    // replayed eventId creates no new alert"). At today's rates the ¥15M transfer would be
    // reported (1 BTC × ¥31M) and the unvalued one valued over the threshold.
    await h.produce(h.topics.rates, [
      { type: 'rate', asset: 'BTC', jpy: '31000000', at: at(16) },
      { type: 'rate', asset: 'NORATE', jpy: '40000000', at: at(16) },
    ]);
    await waitFor('the new rates in Redis', async () => {
      const [btc, norate] = await Promise.all([h.storedRate('BTC'), h.storedRate('NORATE')]);
      return btc?.endsWith(' 31000000') && norate !== null;
    });
    await h.produce(h.topics.exchange, [byRateUnder, missingCrossBorder, byRate]);
    const replayed = await h.drained();
    expect(new Set(replayed.map((a) => a.alertId))).toEqual(new Set(got.map((a) => a.alertId)));
    expect(
      replayed
        .slice(got.length)
        .map((a) => `${a.ruleId} ${a.valueJpy ?? '-'}`)
        .sort(),
    ).toEqual(['FEFTA_PAYMENT_REPORT 37500001.25', 'VALUATION_MISSING -']);
    expect(await h.windowTotalSen(accountOf(byRateUnder))).toBe('1500000050');
  });

  it('a screener restarted mid-window keeps the structuring state: the crossing after the restart alerts once', async () => {
    const first = await h.startScreener();
    const s1 = xb({ valueJpy: '12000000', occurredAt: at(10) });
    const account = { account: s1.account };
    const s2 = xb({ ...account, valueJpy: '12000000', occurredAt: at(11) });
    const s3 = xb({ ...account, valueJpy: '5000000', occurredAt: at(12) });
    const s4 = xb({ ...account, valueJpy: '1500000', occurredAt: at(13) });
    const s5 = xb({ ...account, valueJpy: '500000', occurredAt: at(13, 12) });

    await h.produce(h.topics.exchange, [s1, s2]);
    await h.drained();
    expect(await h.windowTotalSen(accountOf(s1))).toBe('2400000000');
    // s3 goes in just before the SIGTERM: the first screener finishes it or the second reads
    // it again; either way it is counted once.
    await h.produce(h.topics.exchange, [s3]);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.logsWith('stopped cleanly')).toHaveLength(1);

    const second = await h.startScreener();
    await h.produce(h.topics.exchange, [s4, s5]);
    const got = await h.drained();

    expectExactly(got, [
      {
        event: s4,
        ruleId: 'STRUCTURING',
        severity: 'high',
        action: 'review',
        crossBorder: true,
        origin: 'JP',
        destination: 'SG',
        valueJpy: '1500000',
        valueSource: 'event',
        reasons: ['sum to ¥30,500,000', 'the sum was ¥29,000,000'],
        legalBasis: /FATF/,
      },
    ]);
    expect(got).toHaveLength(1);
    expect(second.logsWith('alert')).toHaveLength(1);
    expect(await h.windowTotalSen(accountOf(s1))).toBe('3100000000');
  });

  it('two screeners in one group share the windows: one account spread over every partition crosses once', async () => {
    const a = await h.startScreener();
    const b = await h.startScreener();
    const topic = h.topics.exchange;
    await waitFor(
      'both screeners to hold exchange partitions after the rebalance',
      () => {
        const pa = exchangePartitions(a, topic);
        const pb = exchangePartitions(b, topic);
        const all = [...pa, ...pb].sort();
        return pa.length > 0 && pb.length > 0 && all.join() === '0,1,2';
      },
      60_000,
    );

    // Ten transfers of ¥3,100,000 of one account, keyed differently so that they land on all
    // three partitions and are screened concurrently by both instances, and two of them
    // replayed on another partition. Sums grow in whatever order Redis sees them: the tenth
    // counted transfer is the one that passes ¥30,000,000 (27.9M → 31M), exactly once.
    const first = xb({ valueJpy: '3100000', occurredAt: at(10) });
    const transfers = [
      first,
      ...Array.from({ length: 9 }, (_, i) =>
        xb({ account: first.account, valueJpy: '3100000', occurredAt: at(10, i + 1) }),
      ),
    ];
    await Promise.all(
      [0, 1, 2].map((partition) =>
        h.produce(
          topic,
          transfers.filter((_, i) => i % 3 === partition),
          partition,
        ),
      ),
    );
    await h.produce(topic, [transfers[0], transfers[1]], 2);

    const got = await h.drained();
    expect(got.map((a) => a.ruleId)).toEqual(['STRUCTURING']);
    const [alert] = got;
    expect(transfers.map((t) => t.eventId)).toContain(alert.eventId);
    expect(alert.reasons.join(' ')).toContain('sum to ¥31,000,000');
    expect(alert.reasons.join(' ')).toContain('the sum was ¥27,900,000');
    expect(await h.windowTotalSen(accountOf(first))).toBe('3100000000');
    // Both instances screened some of the account's transfers.
    await waitFor(
      'both screeners to log what they read',
      () => eventsRead(a) > 0 && eventsRead(b) > 0,
    );
    expect(eventsRead(a) + eventsRead(b)).toBeGreaterThanOrEqual(transfers.length + 2);
  });
});

async function waitForRate(h: RulesHarness, asset: string): Promise<void> {
  await waitFor(`the ${asset} rate in Redis`, () => h.storedRate(asset).then((r) => r !== null));
}

describe('rules configuration of the screener process', () => {
  it.each([
    ['FEFTA_REPORT_THRESHOLD_JPY', 'abc'],
    ['FEFTA_REPORT_THRESHOLD_JPY', '-30000000'],
    ['FEFTA_REPORT_THRESHOLD_JPY', '30,000,000'],
    ['STRUCTURING_WINDOW_DAYS', '0'],
    ['STRUCTURING_WINDOW_DAYS', 'seven'],
    ['RESTRICTED_COUNTRIES', 'RU,Russia'],
    ['HOME_COUNTRY', 'jp'],
  ])('%s=%p stops the process at start, naming the variable', async (variable, value) => {
    const screener = new ScreenerProcess({ [variable]: value });
    screener.spawn();
    await waitFor(`the screener to exit on ${variable}=${value}`, () => !screener.running, 20_000);
    expect(screener.exitCode).not.toBe(0);
    expect(screener.exitCode).not.toBeNull();
    const stderr = screener.stderr.join('');
    expect(stderr).toContain('invalid configuration');
    expect(stderr).toContain(variable);
    expect(screener.logsWith('joined consumer group')).toHaveLength(0);
  });

  it('a bad rules file stops the process, naming RULES_CONFIG and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sekimori-rules-'));
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ rules: { STRUCTURING: { severity: 'urgent' } } }));
    try {
      const screener = new ScreenerProcess({ RULES_CONFIG: file });
      screener.spawn();
      await waitFor('the screener to exit', () => !screener.running, 20_000);
      expect(screener.exitCode).toBe(1);
      expect(screener.stderr.join('')).toMatch(/RULES_CONFIG[\s\S]*rules\.STRUCTURING\.severity/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('STRUCTURING_WINDOW_DAYS, RESTRICTED_COUNTRIES and FEFTA_REPORT_THRESHOLD_JPY overrides take effect', async () => {
    const h = await new RulesHarness().setUp();
    try {
      const screener = await h.startScreener({
        STRUCTURING_WINDOW_DAYS: '1',
        RESTRICTED_COUNTRIES: 'US, SG',
        FEFTA_REPORT_THRESHOLD_JPY: '50000000',
      });
      const started = (await screener.waitForLog(
        'the start line',
        (l) => l.msg === 'sekimori screener started',
      )) as { rules?: { structuringWindowDays?: number; restrictedCountries?: string[] } };
      expect(started?.rules?.structuringWindowDays).toBe(1);
      expect(started?.rules?.restrictedCountries).toEqual(['US', 'SG']);

      const toKorea = { walletType: 'hosted', vaspCountry: 'KR', residency: 'KR' };
      const kr = (patch: Record<string, unknown>) =>
        exchangeTransfer({ counterparty: toKorea, ...patch });
      const at50m = kr({ valueJpy: '50000000' });
      const over50m = kr({ valueJpy: '50000000.01' });
      // RU is no longer restricted; SG (a session country here) now is.
      const russian = exchangeTransfer({
        counterparty: { walletType: 'hosted', vaspCountry: 'JP', residency: 'RU' },
      });
      const fromSingapore = exchangeTransfer({ ipCountry: 'SG' });
      // A one-day window: w1 has left it when w2 comes 25 hours later (30M, no crossing; with
      // the default seven days w2 would cross at 60M); w3 an hour later crosses at 60M.
      const w1 = kr({ valueJpy: '30000000', occurredAt: at(10) });
      const w2 = kr({ account: w1.account, valueJpy: '30000000', occurredAt: at(11, 1) });
      const w3 = kr({ account: w1.account, valueJpy: '30000000', occurredAt: at(11, 2) });
      await h.produce(h.topics.exchange, [at50m, over50m, russian, fromSingapore, w1, w2, w3]);

      const got = await h.drained();
      expectExactly(got, [
        {
          event: over50m,
          ruleId: 'FEFTA_PAYMENT_REPORT',
          severity: 'medium',
          action: 'report',
          crossBorder: true,
          origin: 'JP',
          destination: 'KR',
          valueJpy: '50000000.01',
          valueSource: 'event',
          reasons: ['threshold of ¥50,000,000'],
          legalBasis: REPORT_BASIS,
        },
        {
          event: fromSingapore,
          ruleId: 'RESTRICTED_JURISDICTION',
          severity: 'high',
          action: 'hold',
          crossBorder: false,
          origin: 'JP',
          destination: 'JP',
          valueJpy: '1500000',
          valueSource: 'event',
          reasons: ['(ipCountry) is SG', 'Restricted set: US, SG'],
          legalBasis: CONFIRMATION_BASIS,
        },
        {
          event: w3,
          ruleId: 'STRUCTURING',
          severity: 'high',
          action: 'review',
          crossBorder: true,
          origin: 'JP',
          destination: 'KR',
          valueJpy: '30000000',
          valueSource: 'event',
          reasons: ['within 1 day up to this one', 'sum to ¥60,000,000', 'the sum was ¥30,000,000'],
          legalBasis: /FATF/,
        },
      ]);
      expect(got).toHaveLength(3);
    } finally {
      await h.tearDown();
    }
  });
});
