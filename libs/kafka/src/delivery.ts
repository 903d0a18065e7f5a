import type { DeliveryMode } from '@sekimori/contracts';
import type { OutboundRecord } from './records';

/** See Delivery.claim. */
export interface Claim {
  /** True the first time after the partition was taken over. */
  fresh: boolean;
  /** When fresh: the group's committed offset (null when it has none). */
  committed: string | null;
}

/** Where a batch ends: the offset of the next message to read on that topic-partition. */
export interface BatchPosition {
  topic: string;
  partition: number;
  nextOffset: string;
}

/**
 * How a batch's output reaches the broker together with its consumed offsets. Either way the
 * offsets never move before the output is acknowledged, so a crash can repeat work but never
 * lose it.
 */
export interface Delivery {
  readonly mode: DeliveryMode;
  start(): Promise<void>;
  deliver(position: BatchPosition, records: OutboundRecord[]): Promise<void>;
  /**
   * Called before every attempt at a batch (exactly-once): makes this instance the partition's
   * only writer and, the first time after taking the partition over, returns the group's
   * committed offset for it, below which everything was already delivered. Null otherwise.
   */
  claim?(topic: string, partition: number): Promise<Claim>;
  /** The partitions (`topic:partition`) this instance owns after a rebalance. */
  assigned?(owned: ReadonlySet<string>): Promise<void>;
  /**
   * Called on shutdown once no batch is in hand, before the consumer leaves the group: makes
   * the offset commits still outstanding (one last try for a failing one) and returns the
   * positions it could not commit, whose batches will be read again.
   */
  flush?(): Promise<BatchPosition[]>;
  stop(): Promise<void>;
}
