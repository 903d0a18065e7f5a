import { createHash } from 'node:crypto';
import type { Alert } from '@sekimori/contracts';
import type { Finding, ScreeningContext } from '@sekimori/rules';
import type { ScreenableTransfer } from './transfer-decoder';

/**
 * Deterministic: the same event, rule and subject always give the same id, so a consumer can
 * drop the repeats that at-least-once delivery and replays produce.
 */
export function alertIdOf(eventId: string, ruleId: string, subject = ''): string {
  return createHash('sha256')
    .update(`${eventId}\u0000${ruleId}\u0000${subject}`)
    .digest('hex')
    .slice(0, 32);
}

/** Exchange events: the customer account. On-chain events: the observer's wallet, else `to`. */
export function subjectKeyOf(transfer: ScreenableTransfer): string {
  if (transfer.kind === 'exchange-transfer') return transfer.event.account.id;
  const { event, addresses } = transfer;
  if (event.observer?.side === 'sender') {
    return addresses.find((a) => a.side === 'from')?.canonical ?? event.from[0];
  }
  return addresses.find((a) => a.side === 'to')?.canonical ?? event.to;
}

export function buildAlert(
  transfer: ScreenableTransfer,
  context: ScreeningContext,
  finding: Finding,
  detectedAt: string,
): Alert {
  const event = transfer.event;
  const alert: Alert = {
    type: 'alert',
    alertId: alertIdOf(event.eventId, finding.ruleId, finding.subject),
    ruleId: finding.ruleId,
    severity: finding.severity,
    action: finding.action,
    eventId: event.eventId,
    eventType: transfer.kind,
    subjectKey: subjectKeyOf(transfer),
    occurredAt: event.type === 'exchange-transfer' ? event.occurredAt : event.blockTime,
    detectedAt,
    crossBorder: context.verdict.crossBorder,
    jurisdictions: { origin: context.verdict.origin, destination: context.verdict.destination },
    matches: finding.matches,
    reasons: finding.reasons,
    legalBasis: finding.legalBasis,
    listVersion: context.listVersion,
    retroactive: false,
  };
  if (finding.exposurePaths !== undefined) alert.exposurePaths = finding.exposurePaths;
  if (context.valuation.valueJpy !== null) {
    alert.valueJpy = context.valuation.valueJpy;
    if (context.valuation.source) alert.valueSource = context.valuation.source;
  }
  return alert;
}
