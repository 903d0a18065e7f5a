import type { AnnounceConfig } from '@sekimori/config';
import type { PublishResult, SanctionsListStore } from '@sekimori/list-store';
import { createKafka, ensureTopics } from '@sekimori/kafka';
import type { Logger } from 'pino';
import { Partitioners } from 'kafkajs';

/** The `list-version` message on `lists.v1` (docs/integration.md, "List versions"). */
export interface ListVersionMessage {
  type: 'list-version';
  listId: string;
  version: string;
  previousVersion: string | null;
  issuedAt: string;
  loadedAt: string;
  counts: PublishResult['counts'];
  added: PublishResult['added'];
  removed: PublishResult['removed'];
}

export function listVersionMessage(result: PublishResult): ListVersionMessage {
  return {
    type: 'list-version',
    listId: result.listId,
    version: result.version,
    previousVersion: result.previousVersion,
    issuedAt: result.issuedAt,
    loadedAt: result.loadedAt,
    counts: result.counts,
    added: result.added,
    removed: result.removed,
  };
}

/** The version is current in Redis, but its announcement did not reach Kafka. */
export class AnnounceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnnounceError';
  }
}

/**
 * Announces a version that became current on `lists.v1`, once: a version whose announcement
 * failed is announced by the next load of the same file (which finds it unchanged). Screening
 * does not wait for it (the screener reads the lists from Redis); consumers of `lists.v1` do.
 */
export async function announce(
  result: PublishResult,
  store: SanctionsListStore,
  config: AnnounceConfig,
  log: Logger,
): Promise<boolean> {
  const meta = await store.versionMeta(result.listId, result.version);
  if (result.unchanged && meta?.announcedAt) return false;
  // A one-shot command: a few retries, then a clear failure (the next load announces it).
  const kafka = createKafka({
    brokers: config.brokers,
    clientId: config.clientId,
    logger: log,
    retries: 3,
    security: config.security,
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // Murmur2, as the screener and the Java clients partition (and no kafkajs warning about
    // its changed default in the operator's log).
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    if (config.createTopic) await ensureTopics(kafka, [config.topic], config.topicPartitions);
    await producer.connect();
    await producer.send({
      topic: config.topic,
      acks: -1,
      messages: [{ key: result.listId, value: JSON.stringify(listVersionMessage(result)) }],
    });
  } catch (error) {
    throw new AnnounceError(
      `version ${result.version} of ${result.listId} is current, but announcing it on ${config.topic} failed (${(error as Error).message}); load the same file again to announce it`,
      { cause: error },
    );
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  await store.markAnnounced(result.listId, result.version, new Date().toISOString());
  log.info(
    { listId: result.listId, listVersion: result.version, topic: config.topic },
    'list version announced',
  );
  return true;
}
