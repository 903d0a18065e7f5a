import 'reflect-metadata';
import type { Admin, Kafka } from 'kafkajs';
import { createServiceLogger, logFatal } from '@sekimori/logging';
import { DeadLetterCode, DLQ_HEADERS } from '@sekimori/contracts';
import { ConfigError, loadConfig } from '@sekimori/config';
import { createKafka, skipOrderGroup } from '@sekimori/kafka';
import { inspectBatch } from './inspect-batch';
import { parseArgs, type SkipArgs, USAGE, UsageError } from './skip-args';

const SERVICE = 'sekimori-skip';

function fail(code: number, message: string): number {
  process.stderr.write(`skip: ${message}\n`);
  return code;
}

function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

async function committedOffset(admin: Admin, groupId: string, args: SkipArgs): Promise<bigint> {
  const [found] = await admin.fetchOffsets({ groupId, topics: [args.topic] });
  const offset = found?.partitions.find((p) => p.partition === args.partition)?.offset ?? '-1';
  return BigInt(offset);
}

async function writeAudit(
  kafka: Kafka,
  dlqTopic: string,
  args: SkipArgs,
  batch: { lastOffset: string; reason: string },
  groupId: string,
): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic: dlqTopic,
      acks: -1,
      messages: [
        {
          key: `${args.topic}:${args.partition}:${args.offset}`,
          value: Buffer.alloc(0),
          headers: {
            [DLQ_HEADERS.code]: DeadLetterCode.UNDECODABLE_BATCH,
            [DLQ_HEADERS.detail]:
              `skipped by an operator for group ${groupId}: ${batch.reason}`.slice(0, 300),
            [DLQ_HEADERS.sourceTopic]: args.topic,
            [DLQ_HEADERS.sourcePartition]: String(args.partition),
            [DLQ_HEADERS.sourceOffset]: args.offset,
            [DLQ_HEADERS.skippedFirstOffset]: args.offset,
            [DLQ_HEADERS.skippedLastOffset]: batch.lastOffset,
            [DLQ_HEADERS.skipReason]: args.reason,
          },
        },
      ],
    });
  } finally {
    await producer.disconnect();
  }
}

/**
 * `npm run skip -- --topic T --partition P --offset O --reason "..."`; see USAGE. The audit
 * record goes out before the commit: a skip is never made without its record, at worst a
 * failed one is recorded twice when run again.
 */
async function main(): Promise<number> {
  let args;
  let config;
  try {
    args = parseArgs(process.argv.slice(2));
    if (args === null) {
      say(USAGE);
      return 0;
    }
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError) return fail(2, `${error.message}\n${USAGE}`);
    if (!(error instanceof ConfigError)) throw error;
    logFatal(SERVICE, `invalid configuration: ${error.message}`);
    return 2;
  }
  const log = createServiceLogger({ service: SERVICE, level: config.log.level, destination: 2 });
  const kafka = createKafka({
    brokers: config.kafka.brokers,
    clientId: `${config.kafka.clientId}-skip`,
    logger: log,
    retries: 3,
    security: config.kafka.security,
  });
  const groupId = args.group ?? config.kafka.groupId;
  const where = `partition ${args.partition} of ${args.topic} at offset ${args.offset}`;

  const inspected = await inspectBatch(
    kafka,
    args,
    `${groupId}-skip-${process.pid}-${Date.now().toString(36)}`,
  );
  if (inspected.decodes) return fail(1, `the batch at ${where} decodes: nothing to skip`);
  if (inspected.lastOffset === null) {
    return fail(
      1,
      `the batch at ${where} cannot be decoded (${inspected.reason}) and its end cannot be read from it; nothing was skipped`,
    );
  }
  const next = BigInt(inspected.lastOffset) + 1n;
  say(`undecodable batch at ${where}: ${inspected.reason}`);
  say(`skipping offsets ${args.offset} to ${inspected.lastOffset} for group ${groupId}`);

  const admin = kafka.admin();
  await admin.connect();
  try {
    await writeAudit(
      kafka,
      config.topics.deadLetters,
      args,
      inspected as { lastOffset: string; reason: string },
      groupId,
    );
    say(
      `audit record written to ${config.topics.deadLetters} (dlq-error-code ${DeadLetterCode.UNDECODABLE_BATCH})`,
    );
    const partitions = [{ partition: args.partition, offset: next.toString() }];
    const {
      groups: [group],
    } = await admin.describeGroups([groupId]);
    if (group === undefined || group.members.length === 0) {
      await admin.setOffsets({ groupId, topic: args.topic, partitions });
      say(`group ${groupId} has no running member: its offset is now ${next}`);
      return 0;
    }
    // Kafka takes a commit from outside a group only while it is empty: the member holding the
    // partition reads this order and commits past the batch itself.
    await admin.setOffsets({ groupId: skipOrderGroup(groupId), topic: args.topic, partitions });
    say(`group ${groupId} is running: skip ordered, waiting up to ${args.waitSeconds} s for it`);
    const until = Date.now() + args.waitSeconds * 1000;
    for (;;) {
      if ((await committedOffset(admin, groupId, args)) >= next) {
        say(`group ${groupId} moved past the batch: its offset is now ${next} or later`);
        return 0;
      }
      if (Date.now() >= until) {
        return fail(
          1,
          `group ${groupId} has not moved past the batch yet; the order stands and the stalled screener applies it when it sees it (check readiness)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    logFatal(SERVICE, 'skip failed', error);
    process.exit(1);
  },
);
