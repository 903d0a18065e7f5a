import type {
  AlertAction,
  ExchangeTransfer,
  ListMatch,
  NameMatch,
  OnchainTransfer,
  RuleId,
  Severity,
} from '@sekimori/contracts';
export type { NameMatch } from '@sekimori/contracts';
import type { CrossBorderVerdict } from './cross-border';
import type { AddressExposure } from './fund-flows/exposure';
import type { RoutingState } from './fund-flows/routing';
import type { RulesConfig } from './rules-config';
import type { Valuation } from './valuation';

/** An account's structuring window around one counted event (yen as decimal strings). */
export interface StructuringState {
  windowSumBeforeJpy: string;
  windowSumAfterJpy: string;
  windowDays: number;
}

/** Everything a rule may look at: the event and what enrichment learned about it. No I/O. */
export interface ScreeningContext {
  event: OnchainTransfer | ExchangeTransfer;
  /** Sanctions hits for this event (may be empty). */
  matches: ListMatch[];
  listVersion: string;
  valuation: Valuation;
  /** For on-chain events: all null (see `unknownVerdict`). */
  verdict: CrossBorderVerdict;
  /** Null when the event was not counted in a structuring window. */
  structuring: StructuringState | null;
  /**
   * Addresses and accounts of the event that funds from a listed address reached before it
   * (INDIRECT_EXPOSURE), each with its best path, senders first; may include nodes the rule then
   * leaves to SANCTIONS_ADDRESS_MATCH.
   */
  exposures: AddressExposure[];
  /** The event's entry in its account's routing log and what it completes (THIRD_COUNTRY_ROUTING). */
  routing?: RoutingState | null;
  /**
   * List entries whose name or alias the account holder's or the counterparty's name matches
   * (NAME_MATCH). Absent or empty when nothing matched or the event has no names.
   */
  nameMatches?: NameMatch[];
  /** The event's account or addresses frozen by a confirmed review (CONFIRMED_MATCH). */
  freezes?: FreezeRef[];
}

/** A subject a `confirmed` review froze, and the review that did. */
export interface FreezeRef {
  subjectKey: string;
  reviewId: string;
  alertId: string;
  reviewer: string;
  confirmedAt: string;
}

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  action: AlertAction;
  /** Plain sentences with the numbers used. */
  reasons: string[];
  /** The provisions or guidance behind the finding, in words. */
  legalBasis: string[];
  matches: ListMatch[];
  /** What the finding is about when one event can raise the rule for several subjects. */
  subject?: string;
  /** INDIRECT_EXPOSURE: the path behind each exposed node. */
  exposurePaths?: AddressExposure[];
}

/** One rule: pure, no injected services, evaluated on plain data (ghostfolio's `Rule` shape). */
export interface Rule {
  readonly id: RuleId;
  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null;
}

export function isExchangeEvent(
  event: OnchainTransfer | ExchangeTransfer,
): event is ExchangeTransfer {
  return event.type === 'exchange-transfer';
}
