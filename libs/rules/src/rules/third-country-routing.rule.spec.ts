import { exchangeContext, onchainContext } from '../__fixtures__/contexts';
import type { RoutingEntry, RoutingFinding, RoutingState } from '../fund-flows/routing';
import { RulesConfig } from '../rules-config';
import { ThirdCountryRoutingRule } from './third-country-routing.rule';

const rule = new ThirdCountryRoutingRule();
const config = new RulesConfig();

const inflow: RoutingEntry = {
  eventId: 'd1',
  kind: 'inflow',
  at: '2026-03-14T09:00:00Z',
  asset: 'BTC',
  amount: '1',
  valueJpy: '10000000',
  country: 'RU',
  vasp: 'Garantex',
  why: ['from a VASP in RU (Garantex)'],
  thirdCountry: false,
  foreignVasp: null,
};
const outflow: RoutingEntry = {
  ...inflow,
  eventId: 'w1',
  kind: 'outflow',
  at: '2026-03-15T08:00:00Z',
  amount: '0.9',
  valueJpy: '9000000',
  country: 'SG',
  vasp: 'SG Exchange',
  why: [],
  thirdCountry: true,
  foreignVasp: 'sg-ex',
};
const passThrough: RoutingFinding = {
  pattern: 'pass-through',
  completedBy: 'outflow',
  windowHours: 72,
  inflows: [inflow],
  outflows: [outflow],
  unit: 'JPY',
  inflowSum: '10000000',
  outflowSum: '9000000',
  share: '0.9',
  vasps: [],
};
const fanOut: RoutingFinding = {
  ...passThrough,
  pattern: 'fan-out',
  windowHours: 24,
  unit: null,
  inflowSum: null,
  outflowSum: null,
  share: null,
  vasps: ['sg-ex', 'ae-ex', 'tr-ex'],
};
const state = (...findings: RoutingFinding[]): RoutingState => ({ entry: outflow, findings });

describe('ThirdCountryRoutingRule', () => {
  it.each([
    ['no routing state', null, false],
    ['an entry that completes nothing', state(), false],
    ['pass-through', state(passThrough), true],
    ['fan-out', state(fanOut), true],
    ['both', state(passThrough, fanOut), true],
  ])('%s', (_name, routing, raised) => {
    const found = rule.evaluate(exchangeContext({ eventId: 'w1' }, { routing }), config);
    expect(found !== null).toBe(raised);
    if (found) {
      expect(found).toMatchObject({
        ruleId: 'THIRD_COUNTRY_ROUTING',
        severity: 'high',
        action: 'hold',
      });
    }
  });

  it('never applies to on-chain events', () => {
    expect(rule.evaluate({ ...onchainContext(), routing: state(passThrough) }, config)).toBeNull();
  });

  it('names the inflow and the outflow with times, amounts, countries, VASPs and the share', () => {
    const found = rule.evaluate(exchangeContext({}, { routing: state(passThrough) }), config);
    expect(found?.reasons).toEqual([
      'Account acct-1 received deposit d1 of 1 BTC (¥10,000,000) at 2026-03-14T09:00:00Z via Garantex in RU, from a VASP in RU (Garantex).',
      'Within 72 hours, ¥9,000,000 left the account for third countries against ¥10,000,000 that came in: 90% passed through, in withdrawal w1 of 0.9 BTC (¥9,000,000) at 2026-03-15T08:00:00Z to SG Exchange in SG.',
    ]);
    const basis = found?.legalBasis.join(' ') ?? '';
    expect(basis).toContain('FIN-2022-Alert001');
    expect(basis).toContain('28 June 2022');
    expect(basis).toContain('FATF');
    expect(basis).toContain('September 2020');
  });

  it('says when a late deposit completes the pattern, and counts the VASPs of a fan-out', () => {
    const found = rule.evaluate(
      exchangeContext({}, { routing: state({ ...fanOut, completedBy: 'late-inflow' }) }),
      config,
    );
    expect(found?.reasons[1]).toContain('paid 3 distinct foreign VASPs (sg-ex, ae-ex, tr-ex)');
    expect(found?.reasons[2]).toContain('screened after the withdrawals');
  });

  it('a pass-through measured in the asset names the asset, not yen', () => {
    const found = rule.evaluate(
      exchangeContext(
        {},
        {
          routing: state({
            ...passThrough,
            unit: 'BTC',
            inflowSum: '2',
            outflowSum: '1.5',
            share: '0.75',
          }),
        },
      ),
      config,
    );
    expect(found?.reasons[1]).toContain(
      '1.5 BTC left the account for third countries against 2 BTC',
    );
    expect(found?.reasons[1]).toContain('75% passed through');
  });
});
