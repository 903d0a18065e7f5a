/** Default topic names (docs/shared-contract.md, "Topics"); each can be renamed by configuration. */
export const DEFAULT_TOPICS = {
  onchain: 'transfers.onchain.v1',
  exchange: 'transfers.exchange.v1',
  rates: 'rates.v1',
  alerts: 'alerts.v1',
  decisions: 'decisions.v1',
  lists: 'lists.v1',
  deadLetters: 'transfers.dlq.v1',
  reviews: 'reviews.v1',
  reviewEffects: 'reviews.effects.v1',
} as const;

export interface TopicNames {
  onchain: string;
  exchange: string;
  rates: string;
  alerts: string;
  /** One `decision` per screened (or unscreenable) event, keyed by eventId; compactable. */
  decisions: string;
  /** One `list-version` per list version that becomes current, keyed by listId. */
  lists: string;
  deadLetters: string;
  /** `review` records in, keyed by reviewId; compacted, kept as long as decisions are. */
  reviews: string;
  /**
   * Internal, compacted: what applied reviews left standing (clearances, freezes, their release
   * and revocation), keyed by what it is about; Redis is rebuilt from it after it is lost.
   */
  reviewEffects: string;
}

/**
 * How the screener's output and its consumed offsets reach the broker (docs/reliability.md):
 * offsets committed after the output is acknowledged, or both in one Kafka transaction.
 */
export type DeliveryMode = 'at-least-once' | 'exactly-once';
