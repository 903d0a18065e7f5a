import { exchangeContext } from '../__fixtures__/contexts';
import { RulesConfig } from '../rules-config';
import { ConfirmedMatchRule } from './confirmed-match.rule';

const rule = new ConfirmedMatchRule();
const config = new RulesConfig();
const freeze = {
  subjectKey: 'acct-1',
  reviewId: 'r-7',
  alertId: 'a-1',
  reviewer: 'officer-9',
  confirmedAt: '2026-03-16T10:00:00Z',
};

describe('ConfirmedMatchRule', () => {
  it('is silent without a freeze', () => {
    expect(rule.evaluate(exchangeContext(), config)).toBeNull();
    expect(rule.evaluate({ ...exchangeContext(), freezes: [] }, config)).toBeNull();
  });

  it('blocks a frozen subject, critical, citing the review', () => {
    const found = rule.evaluate({ ...exchangeContext(), freezes: [freeze] }, config);
    expect(found).toMatchObject({
      ruleId: 'CONFIRMED_MATCH',
      severity: 'critical',
      action: 'block',
      subject: 'r-7',
    });
    expect(found?.reasons[0]).toBe(
      'Subject acct-1 is frozen: review r-7 by officer-9 on 2026-03-16T10:00:00Z confirmed alert a-1 as a true match of a listed party, until a released review lifts it.',
    );
  });
});
