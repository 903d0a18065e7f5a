import type { Decision } from '@sekimori/contracts';
import type { OutboundRecord } from '@sekimori/kafka';
import type { HeldEvent, ReviewRecordsPort } from '@sekimori/screening';

/**
 * The decisions records of a batch (stream or re-screen), without those of events a review has
 * already closed: a later non-final decision would replace the final one on the compacted
 * topic. The batch's held events are recorded for their reviews in the same call.
 */
export async function openDecisionRecords(
  topic: string,
  decisions: readonly Decision[],
  held: readonly HeldEvent[],
  store: Pick<ReviewRecordsPort, 'recordScreened'> | undefined,
): Promise<{ decisions: Decision[]; records: OutboundRecord[] }> {
  let open = [...decisions];
  if (store !== undefined && open.length > 0) {
    const finals = await store.recordScreened(
      held,
      open.map((d) => d.eventId),
    );
    open = open.filter((d) => !finals.has(d.eventId));
  }
  const records = open.map((d) => ({ topic, key: d.eventId, value: JSON.stringify(d) }));
  return { decisions: open, records };
}
