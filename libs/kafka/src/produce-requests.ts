import type { Message, TopicMessages } from 'kafkajs';
import type { OutboundRecord } from './records';

/**
 * Payload bytes of one produce request. The broker refuses a record batch over
 * `message.max.bytes` (1,048,588 by default, the Java producer's `max.request.size` is 1 MiB):
 * half of that leaves room for record and batch framing and for a cluster set lower than default.
 */
export const MAX_PRODUCE_REQUEST_BYTES = 512 * 1024;

/** Framing of one record in a v2 record batch (length, attributes, deltas, key/value lengths), rounded up. */
const RECORD_OVERHEAD_BYTES = 32;

const sizeOf = (v: Buffer | string | null | undefined): number =>
  v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length;

/** What one record adds to a produce request, near enough to bound a request by. */
export function recordBytes(record: OutboundRecord): number {
  let bytes = RECORD_OVERHEAD_BYTES + sizeOf(record.key) + sizeOf(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) {
      bytes += 8 + Buffer.byteLength(name, 'utf8') + sizeOf(one);
    }
  }
  return bytes;
}

export function toTopicMessages(records: OutboundRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    let list = byTopic.get(record.topic);
    if (!list) {
      list = [];
      byTopic.set(record.topic, list);
    }
    list.push({ key: record.key, value: record.value, headers: record.headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * A batch's records as consecutive produce requests of at most `maxBytes` each, in order: sent
 * one after the other, every partition receives its records in the batch's order. A record larger
 * than the bound travels alone (the broker, not this split, decides whether it fits).
 */
export function produceRequests(
  records: OutboundRecord[],
  maxBytes = MAX_PRODUCE_REQUEST_BYTES,
): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let current: OutboundRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = recordBytes(record);
    if (current.length > 0 && bytes + size > maxBytes) {
      requests.push(toTopicMessages(current));
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) requests.push(toTopicMessages(current));
  return requests;
}
