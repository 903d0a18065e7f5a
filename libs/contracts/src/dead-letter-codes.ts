/**
 * Codes written to the `dlq-error-code` header. They are part of the contract with the
 * producers: never rename one, only add.
 */
export const DeadLetterCode = {
  INVALID_JSON: 'INVALID_JSON',
  SCHEMA_VIOLATION: 'SCHEMA_VIOLATION',
  UNSUPPORTED_CHAIN: 'UNSUPPORTED_CHAIN',
  INVALID_ADDRESS: 'INVALID_ADDRESS',
  TOO_LARGE: 'TOO_LARGE',
  /** A tombstone (null value): other producers send them to delete a key; there is no event. */
  EMPTY_VALUE: 'EMPTY_VALUE',
  /** Not a message's fault: the audit record of a record batch an operator skipped (npm run skip). */
  UNDECODABLE_BATCH: 'UNDECODABLE_BATCH',
  /** A review of an alert sekimori does not hold: never raised, or older than REVIEW_WINDOW_DAYS. */
  UNKNOWN_ALERT: 'UNKNOWN_ALERT',
  /** A review outcome the alert's rule does not allow (clearing a listed address, releasing no freeze). */
  OUTCOME_NOT_ALLOWED: 'OUTCOME_NOT_ALLOWED',
  /** An alert that already has an outcome from another review. */
  ALREADY_REVIEWED: 'ALREADY_REVIEWED',
} as const;
export type DeadLetterCode = (typeof DeadLetterCode)[keyof typeof DeadLetterCode];

export const DLQ_HEADERS = {
  code: 'dlq-error-code',
  detail: 'dlq-error-detail',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  /** UNDECODABLE_BATCH only: the offsets skipped (both included) and the operator's reason. */
  skippedFirstOffset: 'dlq-skipped-first-offset',
  skippedLastOffset: 'dlq-skipped-last-offset',
  skipReason: 'dlq-skip-reason',
} as const;
