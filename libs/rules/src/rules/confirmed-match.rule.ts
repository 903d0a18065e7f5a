import { RuleId } from '@sekimori/contracts';
import type { Finding, FreezeRef, Rule, ScreeningContext } from '../context';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import type { RulesConfig } from '../rules-config';

function reason(f: FreezeRef): string {
  return `${f.subjectKey === '' ? 'The subject' : `Subject ${f.subjectKey}`} is frozen: review ${f.reviewId} by ${f.reviewer} on ${f.confirmedAt} confirmed alert ${f.alertId} as a true match of a listed party, until a released review lifts it.`;
}

/**
 * CONFIRMED_MATCH: the event's account, or an address it moves funds to or from, was confirmed
 * by a review as a listed party's (an asset freeze for the exchange's own customer). Critical /
 * block until a `released` review; one finding per event, citing every review behind it.
 */
export class ConfirmedMatchRule implements Rule {
  readonly id = RuleId.CONFIRMED_MATCH;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    const freezes = ctx.freezes ?? [];
    if (freezes.length === 0) return null;
    return finding(
      this.id,
      config.rules[this.id],
      freezes.map(reason),
      [LegalBasis.FEFTA_CONFIRMATION_DUTY, LegalBasis.FSA_REQUEST_2022_03_14],
      {
        subject: freezes
          .map((f) => f.reviewId)
          .sort()
          .join(','),
      },
    );
  }
}
