import { integerFlag, parseCommandLine, stringFlag, UsageError } from '@sekimori/config';

export interface SkipArgs {
  topic: string;
  partition: number;
  offset: string;
  reason: string;
  /** The consumer group to move; the screener's (KAFKA_GROUP_ID) unless given. */
  group?: string;
  waitSeconds: number;
}

export const USAGE = `usage: skip --topic <topic> --partition <n> --offset <offset> --reason <text> [--group <id>] [--wait <seconds>]
       (npm run skip -- ...)
Moves a consumer group past a record batch the screener cannot decode (readiness names its topic,
partition and offset). Reads the batch first and refuses one that decodes. Writes an audit record
to the dead-letter topic (dlq-error-code UNDECODABLE_BATCH, the offsets skipped, the reason), then
commits the group's offset to the first offset after the batch: directly when no screener is in
the group, else through an order the stalled screener applies itself (it resumes without a restart).
Nothing in the skipped batch is screened: keep the producer's copy and replay it once fixed.
  --topic TOPIC       the input topic of the stalled partition
  --partition N       the stalled partition
  --offset OFFSET     the offset readiness names (where the partition is held)
  --reason TEXT       why it is skipped (who checked it, the ticket); kept in the audit record
  --group ID          the consumer group (default KAFKA_GROUP_ID, the screener's)
  --wait SECONDS      how long to wait for a running screener to apply the order (default 60)
  -h, --help          print this help
Environment: as the screener's (KAFKA_BROKERS, KAFKA_GROUP_ID, TOPIC_DLQ, LOG_LEVEL, the Kafka
security variables).
Exit status: 0 skipped (or ordered and applied); 1 the batch decodes, its end cannot be read,
Kafka failed, or a running screener did not apply the order in time; 2 bad command line or
configuration.`;

export { UsageError };

/** The parsed command line, or null when --help asked for the usage. */
export function parseArgs(argv: readonly string[]): SkipArgs | null {
  const line = parseCommandLine(argv, {
    flags: {
      topic: { type: 'string' },
      partition: { type: 'string' },
      offset: { type: 'string' },
      reason: { type: 'string' },
      group: { type: 'string' },
      wait: { type: 'string' },
    },
    operands: { min: 0, max: 0, name: 'operand' },
  });
  if (line.help) return null;
  const topic = stringFlag(line, 'topic');
  if (!topic) throw new UsageError('--topic is required');
  if (stringFlag(line, 'partition') === undefined) throw new UsageError('--partition is required');
  if (stringFlag(line, 'offset') === undefined) throw new UsageError('--offset is required');
  const partition = integerFlag(line, 'partition', 0, 0);
  const offset = String(integerFlag(line, 'offset', 0, 0));
  const reason = stringFlag(line, 'reason')?.trim();
  if (!reason) throw new UsageError('--reason is required: say why the batch is skipped');
  const group = stringFlag(line, 'group');
  const waitSeconds = integerFlag(line, 'wait', 60, 0);
  return { topic, partition, offset, reason, ...(group ? { group } : {}), waitSeconds };
}
