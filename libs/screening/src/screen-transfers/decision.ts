import {
  type Alert,
  type DeadLetterCode,
  type Decision,
  type DecisionOutcome,
  moreSevere,
} from '@sekimori/contracts';
import { subjectKeyOf } from './alert-factory';
import type { ScreenableTransfer } from './transfer-decoder';

/** The checkpoint's answer for a screened event: the most severe action among its alerts. */
export function decisionOf(
  transfer: ScreenableTransfer,
  alerts: readonly Alert[],
  listVersion: string,
  screenedAt: string,
): Decision {
  const event = transfer.event;
  let outcome: DecisionOutcome = 'pass';
  for (const alert of alerts) outcome = moreSevere(alert.action, outcome);
  return {
    type: 'decision',
    eventId: event.eventId,
    eventType: transfer.kind,
    subjectKey: subjectKeyOf(transfer),
    occurredAt: event.type === 'exchange-transfer' ? event.occurredAt : event.blockTime,
    decision: outcome,
    ruleIds: [...new Set(alerts.map((a) => a.ruleId))],
    alertIds: alerts.map((a) => a.alertId),
    listVersion,
    screenedAt,
    retroactive: false,
  };
}

/** What could be read of an event that was dead-lettered: enough to answer for it. */
export interface UnscreenableEvent {
  eventId: string;
  eventType: Decision['eventType'];
  subjectKey: string | null;
  occurredAt: string | null;
}

/**
 * Reads the eventId (and what else it can) of an input that failed validation, so that a
 * withdrawal waiting on it gets `hold` instead of silence. Null when no usable eventId is there.
 */
export function unscreenableEventOf(raw: Buffer | null): UnscreenableEvent | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const event = value as Record<string, unknown>;
  const eventId = event.eventId;
  if (typeof eventId !== 'string' || eventId.length < 1 || eventId.length > 200) return null;
  const type = event.type;
  const eventType = type === 'onchain-transfer' || type === 'exchange-transfer' ? type : null;
  const account = event.account as Record<string, unknown> | null | undefined;
  const accountId = typeof account === 'object' && account !== null ? account.id : undefined;
  const time = eventType === 'onchain-transfer' ? event.blockTime : event.occurredAt;
  return {
    eventId,
    eventType,
    subjectKey:
      eventType === 'exchange-transfer' && typeof accountId === 'string' ? accountId : null,
    occurredAt: typeof time === 'string' && !Number.isNaN(Date.parse(time)) ? time : null,
  };
}

/** `hold` for an event that could not be screened: nothing waiting on it may pass. */
export function unscreenableDecision(
  event: UnscreenableEvent,
  code: DeadLetterCode,
  screenedAt: string,
): Decision {
  return {
    type: 'decision',
    ...event,
    decision: 'hold',
    ruleIds: [],
    alertIds: [],
    listVersion: '',
    screenedAt,
    retroactive: false,
    unscreenable: code,
  };
}
