import type { AlertAction, ListMatch, RuleId } from '@sekimori/contracts';
import type { Finding } from './context';
import type { AddressExposure } from './fund-flows/exposure';
import type { RuleSettings } from './rules-config';

/** A finding with the severity and action the configuration gives the rule. */
export function finding(
  ruleId: RuleId,
  settings: RuleSettings,
  reasons: string[],
  legalBasis: string[],
  extra: {
    matches?: ListMatch[];
    subject?: string;
    action?: AlertAction;
    exposurePaths?: AddressExposure[];
  } = {},
): Finding {
  const out: Finding = {
    ruleId,
    severity: settings.severity,
    action: extra.action ?? settings.action,
    reasons,
    legalBasis,
    matches: extra.matches ?? [],
  };
  if (extra.subject !== undefined) out.subject = extra.subject;
  if (extra.exposurePaths !== undefined) out.exposurePaths = extra.exposurePaths;
  return out;
}
