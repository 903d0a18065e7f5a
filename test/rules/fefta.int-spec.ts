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

type Event = Record<string, unknown>;

/** A withdrawal to a customer of a Singapore VASP resident there: cross-border, JP → SG. */
const toSingapore = { walletType: 'hosted', vaspId: 'sg-vasp', vaspCountry: 'SG', residency: 'SG' };

const xb = (patch: Event = {}): Event => exchangeTransfer({ counterparty: toSingapore, ...patch });

const at = (day: number, hour = 0): string =>
  new Date(Date.UTC(2026, 2, day, hour)).toISOString().replace('.000Z', 'Z');

/**
 * One account's transfers to Singapore: 12M + 12M + 5M = 29M, then s4's 1.5M crosses at 30.5M,
 * then s5's 0.5M stays over without a new alert.
 */
function structuringSeries(): [Event, Event, Event, Event, Event] {
  const s1 = xb({ valueJpy: '12000000', occurredAt: at(10) });
  const same = (valueJpy: string, occurredAt: string) =>
    xb({ account: s1.account, valueJpy, occurredAt });
  return [
    s1,
    same('12000000', at(11)),
    same('5000000', at(12)),
    same('1500000', at(13)),
    same('500000', at(13, 12)),
  ];
}

interface Expected {
  event: Event;
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
const STRUCTURING_BASIS = /FATF[\s\S]*FinCEN/;

/** What each rule raises unless a test says otherwise (the defaults of config/rules). */
const RULE_DEFAULTS = {
  FEFTA_PAYMENT_REPORT: { severity: 'medium', action: 'report', legalBasis: REPORT_BASIS },
  VALUATION_MISSING: { severity: 'low', action: 'review', legalBasis: REPORT_BASIS },
  STRUCTURING: { severity: 'high', action: 'review', legalBasis: STRUCTURING_BASIS },
  RESTRICTED_JURISDICTION: { severity: 'high', action: 'hold', legalBasis: CONFIRMATION_BASIS },
  SANCTIONS_ADDRESS_MATCH: {
    severity: 'critical',
    action: 'block',
    legalBasis: CONFIRMATION_BASIS,
  },
} as const satisfies Record<string, Pick<Expected, 'severity' | 'action' | 'legalBasis'>>;

type RuleFields = Omit<Expected, 'event' | 'ruleId' | 'severity' | 'action' | 'legalBasis'> &
  Partial<Pick<Expected, 'severity' | 'action' | 'legalBasis'>>;

/** The alert `ruleId` must raise on `event`, with the rule's default severity, action and basis. */
function alertOn(event: Event, ruleId: keyof typeof RULE_DEFAULTS, fields: RuleFields): Expected {
  return { event, ruleId, ...RULE_DEFAULTS[ruleId], ...fields };
}

/** Where a payment goes: from JP to `destination`, cross-border. */
const jpTo = (destination: string) => ({ crossBorder: true, origin: 'JP', destination });
/** From JP to nowhere known: the cross-border verdict is unknown. */
const JP_TO_UNKNOWN = { crossBorder: null, origin: 'JP', destination: null };
/** From JP to JP: domestic. */
const WITHIN_JP = { crossBorder: false, origin: 'JP', destination: 'JP' };

/** Valued by the producer's own `valueJpy`. */
const valuedAt = (valueJpy: string) => ({ valueJpy, valueSource: 'event' as const });

function accountOf(event: Event): string {
  return (event.account as { id: string }).id;
}

const summary = (a: { eventId: string; ruleId: string }) => `${a.eventId} ${a.ruleId}`;

/** One alert per alertId: a replayed event raises the same alert again. */
const distinct = (got: Alert[]): Alert[] => [...new Map(got.map((a) => [a.alertId, a])).values()];

/** Every expected alert is there (by alertId), and no other. */
function expectOnly(got: Alert[], expected: Expected[]): void {
  expect(distinct(got).map(summary).sort()).toEqual(
    expected.map((e) => summary({ eventId: e.event.eventId as string, ruleId: e.ruleId })).sort(),
  );
}

/** The alert raised on `e.event` by `e.ruleId` carries every field as expected. */
function expectAlert(got: Alert[], e: Expected): void {
  const alert = distinct(got).find((a) => a.eventId === e.event.eventId && a.ruleId === e.ruleId)!;
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

/** Every expected alert is there once (by alertId), with every field as expected, and no other. */
function expectExactly(got: Alert[], expected: Expected[]): void {
  expectOnly(got, expected);
  for (const e of expected) expectAlert(got, e);
}

/** The alerts raised on `events`: exactly the expected ones (see expectExactly). */
function expectAlertsOn(got: Alert[], events: Event[], expected: Expected[]): void {
  const ids = new Set(events.map((e) => e.eventId));
  expectExactly(
    got.filter((a) => ids.has(a.eventId)),
    expected,
  );
}

/** Every copy of the alert `ruleId` raised on `event` (a replayed event raises it again). */
const copiesOf = (got: Alert[], event: Event, ruleId: string) =>
  got.filter((a) => a.eventId === event.eventId && a.ruleId === ruleId);

/** Waits until Redis holds a rate for `asset` (ending in `jpy` when given). */
async function waitForStoredRate(h: RulesHarness, asset: string, jpy?: string): Promise<void> {
  await waitFor(`the ${asset} rate${jpy ? ` of ${jpy}` : ''} in Redis`, () =>
    h.storedRate(asset).then((r) => r !== null && (jpy === undefined || r.endsWith(` ${jpy}`))),
  );
}

describe('FEFTA rules on one mixed stream of exchange events and rates, on the real broker and Redis', () => {
  // Threshold edges. The ¥30,000,000 transfer is counted for structuring (at or under the
  // threshold); its account's next ¥0.01 crosses.
  const exactly30m = xb({ valueJpy: '30000000', occurredAt: at(14) });
  const oneSenMore = xb({ account: exactly30m.account, valueJpy: '0.01', occurredAt: at(14, 1) });
  const over30m = xb({ valueJpy: '30000000.01' });
  // Where a payment goes. Nothing tells where an unhosted wallet is; an internal transfer
  // between two customers of the same exchange goes where the counterparty resides.
  const unknownOver = exchangeTransfer({
    counterparty: { walletType: 'unhosted' },
    valueJpy: '45000000',
  });
  const internal = (valueJpy: string, counterparty: Event, patch: Event = {}) =>
    exchangeTransfer({
      direction: 'internal',
      address: undefined,
      valueJpy,
      counterparty,
      ...patch,
    });
  const internalOut = internal('40000000', {
    walletType: 'hosted',
    residency: 'US',
    accountId: 'acct-us-1',
  });
  const internalIn = internal(
    '35000000',
    { walletType: 'hosted', residency: 'JP', accountId: 'acct-jp-1' },
    { account: { id: `acct-sg-${Date.now()}`, residency: 'SG', kind: 'corporate' } },
  );
  const internalDomestic = internal('40000000', {
    walletType: 'hosted',
    residency: 'JP',
    accountId: 'acct-jp-2',
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
  const [s1, s2, s3, s4, s5] = structuringSeries();

  let h: RulesHarness;
  let screener: ScreenerProcess;
  /** Every alert the stream raised, copies of replayed events included. */
  let got: Alert[];

  beforeAll(async () => {
    h = await new RulesHarness().setUp();
    screener = await h.startScreener();
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
    await waitForStoredRate(h, 'SENTINEL');
    // One stream, in this order: an account's transfers share a partition (keyed by account),
    // so s1…s5 and exactly30m, oneSenMore are screened in order. s2 and s4 are produced twice
    // (counting the replayed 12M would cross one event early, at 41M), over30m again last.
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
    got = await h.drained();
  });

  afterAll(async () => {
    await h?.tearDown();
  });

  const thresholdAlerts = [
    alertOn(oneSenMore, 'STRUCTURING', {
      ...jpTo('SG'),
      ...valuedAt('0.01'),
      reasons: ['¥30,000,000.01', 'was ¥30,000,000', '7 days', 'threshold of ¥30,000,000'],
    }),
    alertOn(over30m, 'FEFTA_PAYMENT_REPORT', {
      ...jpTo('SG'),
      ...valuedAt('30000000.01'),
      reasons: ['valued at ¥30,000,000.01', 'threshold of ¥30,000,000', 'SG, outside JP'],
    }),
  ];

  it('reports a cross-border payment over ¥30,000,000, not one of exactly ¥30,000,000, which counts towards structuring', () => {
    expectAlertsOn(got, [exactly30m, oneSenMore, over30m], thresholdAlerts);
  });

  const destinationAlerts = [
    alertOn(unknownOver, 'FEFTA_PAYMENT_REPORT', {
      action: 'review',
      ...JP_TO_UNKNOWN,
      ...valuedAt('45000000'),
      reasons: ['¥45,000,000', 'threshold of ¥30,000,000', 'unknown'],
    }),
    alertOn(internalOut, 'FEFTA_PAYMENT_REPORT', {
      ...jpTo('US'),
      ...valuedAt('40000000'),
      reasons: ['Internal', '¥40,000,000', 'resident in JP and the counterparty in US'],
    }),
    alertOn(internalIn, 'FEFTA_PAYMENT_REPORT', {
      crossBorder: true,
      origin: 'SG',
      destination: 'JP',
      ...valuedAt('35000000'),
      reasons: ['¥35,000,000', 'resident in SG and the counterparty in JP'],
    }),
  ];

  it('sends a payment to an unknown destination for review, and judges an internal transfer by both residencies', () => {
    expectAlertsOn(
      got,
      [unknownOver, internalOut, internalIn, internalDomestic],
      destinationAlerts,
    );
  });

  const valuationAlerts = [
    alertOn(byRate, 'FEFTA_PAYMENT_REPORT', {
      ...jpTo('KR'),
      valueJpy: '37500001.25',
      valueSource: 'rate',
      reasons: ['¥37,500,001.25', '2.5 BTC × the latest rate of ¥15,000,000.5'],
    }),
    alertOn(missingCrossBorder, 'VALUATION_MISSING', {
      ...jpTo('SG'),
      reasons: ['no rate for NORATE', 'threshold of ¥30,000,000', 'is cross-border'],
    }),
    alertOn(missingUnknown, 'VALUATION_MISSING', {
      ...JP_TO_UNKNOWN,
      reasons: ['no rate for NORATE', 'location unknown'],
    }),
  ];

  it('values a transfer without valueJpy at the newest stored rate, and flags one without a rate unless it is domestic', async () => {
    expect(await h.storedRate('BTC')).toBe(`${Date.parse(at(15, 9))} 15000000.5`);
    expectAlertsOn(
      got,
      [byRate, byRateDomestic, byRateUnder, missingCrossBorder, missingUnknown, missingDomestic],
      valuationAlerts,
    );
  });

  const restrictedAlerts = [
    alertOn(restrictedResidency, 'RESTRICTED_JURISDICTION', {
      ...jpTo('JP'),
      ...valuedAt('1500000'),
      reasons: ['(counterparty.residency) is RU', 'RU, BY, KP, IR, SY, CU'],
    }),
    alertOn(restrictedVasp, 'RESTRICTED_JURISDICTION', {
      ...jpTo('BY'),
      ...valuedAt('1500000'),
      reasons: ['(counterparty.vaspCountry) is BY'],
    }),
    alertOn(restrictedIp, 'RESTRICTED_JURISDICTION', {
      ...WITHIN_JP,
      ...valuedAt('1500000'),
      reasons: ['(ipCountry) is KP'],
    }),
  ];

  it('holds a transfer whose counterparty residency, VASP country or session country is restricted', () => {
    expectAlertsOn(got, [restrictedResidency, restrictedVasp, restrictedIp], restrictedAlerts);
  });

  const toIran = { ...jpTo('IR'), ...valuedAt('50000000') };
  const everythingAlerts = [
    alertOn(everything, 'SANCTIONS_ADDRESS_MATCH', {
      ...toIran,
      reasons: ['TEST SANCTIONED EXCHANGE', LISTED_BTC],
    }),
    alertOn(everything, 'RESTRICTED_JURISDICTION', {
      ...toIran,
      reasons: ['(counterparty.residency) is IR', '(counterparty.vaspCountry) is IR'],
    }),
    alertOn(everything, 'FEFTA_PAYMENT_REPORT', {
      ...toIran,
      reasons: ['¥50,000,000', 'IR, outside JP'],
    }),
  ];

  it('raises every rule one event breaks: a listed address, a restricted country, over the threshold', () => {
    expectAlertsOn(got, [everything], everythingAlerts);
  });

  const structuringAlerts = [
    alertOn(s4, 'STRUCTURING', {
      ...jpTo('SG'),
      ...valuedAt('1500000'),
      reasons: ['sum to ¥30,500,000', 'the sum was ¥29,000,000', 'within 7 days', '¥1,500,000'],
    }),
  ];

  it('flags structuring once, on the transfer whose window sum crosses, counting a replayed transfer once', async () => {
    expectAlertsOn(got, [s1, s2, s3, s4, s5], structuringAlerts);
    // The replayed s4 gives the same alert again (at least once), never a second distinct one.
    expect(copiesOf(got, s4, 'STRUCTURING')).toHaveLength(2);
    expect(new Set(copiesOf(got, s4, 'STRUCTURING').map((a) => a.alertId)).size).toBe(1);
    expect(await h.windowTotalSen(accountOf(s1))).toBe('3100000000');
  });

  it('raises no other alert; a replayed event raises its alert again; every alert keyed by subjectKey and logged', () => {
    const expected = [
      ...thresholdAlerts,
      ...destinationAlerts,
      ...valuationAlerts,
      ...restrictedAlerts,
      ...everythingAlerts,
      ...structuringAlerts,
    ];
    expectOnly(got, expected);
    // The two copies beyond one per expected alert: the replayed over30m and s4.
    expect(copiesOf(got, over30m, 'FEFTA_PAYMENT_REPORT')).toHaveLength(2);
    expect(got).toHaveLength(expected.length + 2);
    expect(h.alerts.messages.map((m) => m.key)).toEqual(got.map((a) => a.subjectKey));
    expect(screener.logsWith('alert')).toHaveLength(got.length);
  });

  describe('then replayed after the rates moved', () => {
    let replayed: Alert[];

    beforeAll(async () => {
      await h.produce(h.topics.rates, [
        { type: 'rate', asset: 'BTC', jpy: '31000000', at: at(16) },
        { type: 'rate', asset: 'NORATE', jpy: '40000000', at: at(16) },
      ]);
      await Promise.all([waitForStoredRate(h, 'BTC', '31000000'), waitForStoredRate(h, 'NORATE')]);
      await h.produce(h.topics.exchange, [byRateUnder, missingCrossBorder, byRate]);
      replayed = await h.drained();
    });

    // A redelivered event is valued as it was the first time (docs/shared-contract.md: "a
    // redelivered or replayed eventId creates no new alert"). At today's rates the ¥15M transfer
    // would be reported (1 BTC × ¥31M) and the unvalued one valued over the threshold.
    it('values a redelivered event as the first time: the same alerts again, no new one, counted once', async () => {
      expect(new Set(replayed.map((a) => a.alertId))).toEqual(new Set(got.map((a) => a.alertId)));
      expect(
        replayed
          .slice(got.length)
          .map((a) => `${a.ruleId} ${a.valueJpy ?? '-'}`)
          .sort(),
      ).toEqual(['FEFTA_PAYMENT_REPORT 37500001.25', 'VALUATION_MISSING -']);
      expect(await h.windowTotalSen(accountOf(byRateUnder))).toBe('1500000050');
    });
  });
});

describe('FEFTA structuring windows across screener restarts and instances', () => {
  let h: RulesHarness;

  beforeEach(async () => {
    h = await new RulesHarness().setUp();
  });

  afterEach(async () => {
    await h.tearDown();
  });

  it('a screener restarted mid-window keeps the structuring state: the crossing after the restart alerts once', async () => {
    const first = await h.startScreener();
    const [s1, s2, s3, s4, s5] = structuringSeries();

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
      alertOn(s4, 'STRUCTURING', {
        ...jpTo('SG'),
        ...valuedAt('1500000'),
        reasons: ['sum to ¥30,500,000', 'the sum was ¥29,000,000'],
        legalBasis: /FATF/,
      }),
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
        alertOn(over50m, 'FEFTA_PAYMENT_REPORT', {
          ...jpTo('KR'),
          ...valuedAt('50000000.01'),
          reasons: ['threshold of ¥50,000,000'],
        }),
        alertOn(fromSingapore, 'RESTRICTED_JURISDICTION', {
          ...WITHIN_JP,
          ...valuedAt('1500000'),
          reasons: ['(ipCountry) is SG', 'Restricted set: US, SG'],
        }),
        alertOn(w3, 'STRUCTURING', {
          ...jpTo('KR'),
          ...valuedAt('30000000'),
          reasons: ['within 1 day up to this one', 'sum to ¥60,000,000', 'the sum was ¥30,000,000'],
          legalBasis: /FATF/,
        }),
      ]);
      expect(got).toHaveLength(3);
    } finally {
      await h.tearDown();
    }
  });
});
