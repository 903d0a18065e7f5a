import type { Decision } from '@sekimori/contracts';
import type { OutboundRecord } from '@sekimori/kafka';
import {
  type HeldEvent,
  type HeldRecord,
  heldRecordKeyOf,
  type ReviewRecordsPort,
} from '@sekimori/screening';

/**
 * The decisions records of a batch (stream or re-screen), without those of events a review has
 * already closed: a later non-final decision would replace the final one on the compacted
 * topic. The batch's held events are recorded for their reviews in the same call, in Redis and,
 * with `effectsTopic`, on the effects topic in the batch's delivery (Redis is rebuilt from it).
 */
export async function openDecisionRecords(
  topic: string,
  decisions: readonly Decision[],
  held: readonly HeldEvent[],
  store: Pick<ReviewRecordsPort, 'recordScreened'> | undefined,
  effectsTopic?: string,
): Promise<{ decisions: Decision[]; records: OutboundRecord[] }> {
  let open = [...decisions];
  let finals = new Set<string>();
  if (store !== undefined && open.length > 0) {
    finals = await store.recordScreened(
      held,
      open.map((d) => d.eventId),
    );
    open = open.filter((d) => !finals.has(d.eventId));
  }
  const records: OutboundRecord[] = open.map((d) => ({
    topic,
    key: d.eventId,
    value: JSON.stringify(d),
  }));
  if (store !== undefined && effectsTopic !== undefined) {
    for (const event of held) {
      if (finals.has(event.decision.eventId)) continue;
      const record: HeldRecord = { kind: 'held', event, at: event.decision.screenedAt };
      records.push({
        topic: effectsTopic,
        key: heldRecordKeyOf(record),
        value: JSON.stringify(record),
      });
    }
  }
  return { decisions: open, records };
}
