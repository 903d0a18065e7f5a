import type { StructuringState } from '../context';
import {
  exchangeContext,
  FOREIGN,
  onchainContext,
  onchainEvent,
  UNKNOWN_LOCATION,
  EventPatch,
} from '../__fixtures__/contexts';
import { RulesConfig } from '../rules-config';
import { isStructuringCandidate } from '../structuring';
import { StructuringRule } from './structuring.rule';

const rule = new StructuringRule();
const config = new RulesConfig();
const state = (before: string, after: string): StructuringState => ({
  windowSumBeforeJpy: before,
  windowSumAfterJpy: after,
  windowDays: 7,
});

describe('StructuringRule', () => {
  const table: Array<[string, StructuringState | null, boolean]> = [
    ['not counted in a window', null, false],
    ['well under the threshold', state('1000000', '2000000'), false],
    ['reaches exactly ¥30,000,000: not over', state('29000000', '30000000'), false],
    ['crosses by one sen', state('29000000', '30000000.01'), true],
    ['crosses from exactly the threshold', state('30000000', '30000000.01'), true],
    [
      'crosses from zero with one transfer at the threshold plus more',
      state('0', '30000000.01'),
      true,
    ],
    ['already over before: no second alert', state('30000000.01', '31000000'), false],
    ['already far over: no alert', state('45000000', '46000000'), false],
    // After the 7-day edge the oldest transfers have left the window: the sum fell back under
    // the threshold and this transfer crosses it again.
    [
      'fell back under after old transfers left the window, crosses again',
      state('25000000', '35000000'),
      true,
    ],
    ['fell back under and stays under', state('5000000', '15000000'), false],
  ];

  it.each(table)('%s', (_name, structuring, raised) => {
    const found = rule.evaluate(
      exchangeContext({ ...FOREIGN, valueJpy: '1000000' }, { structuring }),
      config,
    );
    expect(found !== null).toBe(raised);
    if (found) {
      expect(found.severity).toBe('high');
      expect(found.action).toBe('review');
      expect(found.legalBasis.join(' ')).toContain('FATF');
    }
  });

  it('a replayed event gets the same state back and so the same single alert', () => {
    const first = rule.evaluate(
      exchangeContext(FOREIGN, { structuring: state('29500000', '30500000') }),
      config,
    );
    const replay = rule.evaluate(
      exchangeContext(FOREIGN, { structuring: state('29500000', '30500000') }),
      config,
    );
    expect(replay).toEqual(first);
  });

  it('reasons carry the window sums, the days and the threshold', () => {
    const found = rule.evaluate(
      exchangeContext(FOREIGN, { structuring: state('29500000', '30500000') }),
      config,
    );
    const text = found?.reasons.join(' ') ?? '';
    expect(text).toContain('within 7 days');
    expect(text).toContain('¥30,500,000');
    expect(text).toContain('¥29,500,000');
    expect(text).toContain('¥30,000,000');
  });

  it('a one-day window reads "within 1 day"', () => {
    const found = rule.evaluate(
      exchangeContext(FOREIGN, {
        structuring: { ...state('29500000', '30500000'), windowDays: 1 },
      }),
      config,
    );
    expect(found?.reasons.join(' ')).toContain('within 1 day up to this one');
  });

  it('never applies to on-chain events', () => {
    expect(
      rule.evaluate({ ...onchainContext(), structuring: state('0', '40000000') }, config),
    ).toBeNull();
  });
});

describe('isStructuringCandidate', () => {
  const table: Array<[string, EventPatch, string | null, boolean]> = [
    ['cross-border, under the threshold', { ...FOREIGN, valueJpy: '1000000' }, null, true],
    ['cross-border, exactly the threshold', { ...FOREIGN, valueJpy: '30000000' }, null, true],
    [
      'cross-border, over the threshold (reported on its own)',
      { ...FOREIGN, valueJpy: '30000000.01' },
      null,
      false,
    ],
    ['cross-border, valued from a rate', { ...FOREIGN, valueJpy: undefined }, '1000000', true],
    ['cross-border, no value', { ...FOREIGN, valueJpy: undefined }, null, false],
    ['domestic', { valueJpy: '1000000' }, null, false],
    ['unknown location', { ...UNKNOWN_LOCATION, valueJpy: '1000000' }, null, false],
    [
      'internal resident → non-resident',
      {
        direction: 'internal',
        address: undefined,
        valueJpy: '1000000',
        counterparty: { vaspCountry: undefined, residency: 'US' },
      },
      null,
      true,
    ],
  ];

  it.each(table)('%s', (_name, patch, rate, counted) => {
    const ctx = exchangeContext(patch, { rateJpy: rate });
    expect(isStructuringCandidate(ctx, config)).toBe(counted);
  });

  it('on-chain events are never counted', () => {
    const input = {
      event: onchainEvent({ valueJpy: '1' }),
      verdict: { crossBorder: true, origin: 'JP', destination: 'SG', reasons: [] },
      valuation: { valueJpy: '1', source: 'event' as const },
    };
    expect(isStructuringCandidate(input, config)).toBe(false);
  });
});
