export const RuleId = {
  SANCTIONS_ADDRESS_MATCH: 'SANCTIONS_ADDRESS_MATCH',
  RESTRICTED_JURISDICTION: 'RESTRICTED_JURISDICTION',
  FEFTA_PAYMENT_REPORT: 'FEFTA_PAYMENT_REPORT',
  STRUCTURING: 'STRUCTURING',
  VALUATION_MISSING: 'VALUATION_MISSING',
  INDIRECT_EXPOSURE: 'INDIRECT_EXPOSURE',
  NAME_MATCH: 'NAME_MATCH',
  THIRD_COUNTRY_ROUTING: 'THIRD_COUNTRY_ROUTING',
  CONFIRMED_MATCH: 'CONFIRMED_MATCH',
} as const;
export type RuleId = (typeof RuleId)[keyof typeof RuleId];

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type AlertAction = 'block' | 'hold' | 'report' | 'review';
