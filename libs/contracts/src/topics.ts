/** Default topic names (shared/CONTRACT.md, "Topics"); each can be renamed by configuration. */
export const DEFAULT_TOPICS = {
  onchain: 'transfers.onchain.v1',
  exchange: 'transfers.exchange.v1',
  rates: 'rates.v1',
  alerts: 'alerts.v1',
  deadLetters: 'transfers.dlq.v1',
} as const;

export interface TopicNames {
  onchain: string;
  exchange: string;
  rates: string;
  alerts: string;
  deadLetters: string;
}
