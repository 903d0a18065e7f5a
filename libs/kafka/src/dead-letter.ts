import { DLQ_HEADERS, type DeadLetterCode } from '@sekimori/contracts';
import type { ConsumedBatch, ConsumedMessage, OutboundRecord } from './records';

/**
 * A dead letter keeps the original key and bytes unchanged (so the producer can fix and replay
 * it) and says in headers what was wrong and where it came from. The original headers are kept
 * too; ours are added on top.
 */
export function deadLetter(
  dlqTopic: string,
  batch: Pick<ConsumedBatch, 'topic' | 'partition'>,
  message: ConsumedMessage,
  code: DeadLetterCode | string,
  detail: string,
): OutboundRecord {
  const headers: NonNullable<OutboundRecord['headers']> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    // kafkajs gives a repeated header as an array; a header with a null value cannot be sent again.
    if (value !== undefined && value !== null) headers[name] = value;
  }
  headers[DLQ_HEADERS.code] = code;
  headers[DLQ_HEADERS.detail] = detail;
  headers[DLQ_HEADERS.sourceTopic] = batch.topic;
  headers[DLQ_HEADERS.sourcePartition] = String(batch.partition);
  headers[DLQ_HEADERS.sourceOffset] = message.offset;
  // A tombstone has no bytes; Kafka cannot carry a null value in a produce here, so it stays empty.
  return { topic: dlqTopic, key: message.key, value: message.value ?? Buffer.alloc(0), headers };
}
