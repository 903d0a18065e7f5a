import { type Alert, type Decision, RuleId } from '@sekimori/contracts';
import type { AlertRecord, HeldEvent } from './review-records.port';

/** Alerts a review can name: those that wait for a person, and blocks (a freeze is released on them). */
const KEPT_ACTIONS = new Set<string>(['block', 'hold', 'review']);

export function alertRecordOf(
  alert: Alert,
  fingerprints: ReadonlyMap<string, string> = new Map(),
): AlertRecord {
  const record: AlertRecord = {
    alertId: alert.alertId,
    eventId: alert.eventId,
    eventType: alert.eventType,
    subjectKey: alert.subjectKey,
    ruleId: alert.ruleId,
    action: alert.action,
    raisedAt: alert.detectedAt,
  };
  const fingerprintOf = (listId: string, entityId: string) =>
    fingerprints.get(`${listId}:${entityId}`) ?? '';
  const entries = new Map<string, NonNullable<AlertRecord['entries']>[number]>();
  if (alert.ruleId === RuleId.INDIRECT_EXPOSURE) {
    // Bound to the listed source, entry and address: another source of the same entry is
    // another exposure to review.
    for (const { path } of alert.exposurePaths ?? []) {
      const { listId, entityId, address } = path.source;
      const fingerprint = fingerprintOf(listId, entityId);
      entries.set(`${listId}:${entityId}:${address}`, { listId, entityId, fingerprint, address });
    }
  } else {
    for (const m of alert.matches) {
      const fingerprint = fingerprintOf(m.listId, m.entityId);
      entries.set(`${m.listId}:${m.entityId}`, {
        listId: m.listId,
        entityId: m.entityId,
        fingerprint,
      });
    }
  }
  if (entries.size > 0) record.entries = [...entries.values()];
  const match = alert.matches[0];
  if (match !== undefined) {
    record.listId = match.listId;
    record.entityId = match.entityId;
    if (match.address !== '') record.address = match.address;
  }
  return record;
}

/** The held event of a screened one, or null when none of its alerts is for a reviewer. */
export function heldEventOf(
  alerts: readonly Alert[],
  decision: Decision,
  fingerprints?: ReadonlyMap<string, string>,
): HeldEvent | null {
  if (!alerts.some((a) => KEPT_ACTIONS.has(a.action))) return null;
  return { alerts: alerts.map((a) => alertRecordOf(a, fingerprints)), decision };
}
