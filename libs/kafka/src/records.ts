import type { IHeaders } from 'kafkajs';

/** One message as the screener receives it: what the broker gave, nothing decoded yet. */
export interface ConsumedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** Broker timestamp, ms since the epoch, as a string (kafkajs' convention). */
  timestamp: string;
}

/** All messages of one fetch for one topic-partition, in offset order. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
}

/** A record to publish as a consequence of a batch: an alert, a dead letter, ... */
export interface OutboundRecord {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | string;
  /** A name given several values (repeated headers, as other producers send) keeps them all. */
  headers?: Record<string, string | Buffer | Array<string | Buffer>>;
}

/** What a batch handler returns: everything that must be on the broker before the offsets move. */
export interface BatchOutcome {
  records: OutboundRecord[];
  /**
   * Called once, after the records are on the broker and the offsets moved: where the batch's
   * alerts and dead letters are logged and counted. A batch held and retried during an outage
   * is handled several times but reported once, so logs and metrics do not inflate.
   */
  delivered?: () => void;
}

/** The Nest message pattern under which the batch handler is registered. */
export const TRANSFER_BATCH_PATTERN = 'sekimori.transfer-batch';
