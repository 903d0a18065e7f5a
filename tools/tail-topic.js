#!/usr/bin/env node
// Prints a topic's messages as they arrive, one JSON line each. Run with --help for the usage.
'use strict';
const { Kafka, logLevel } = require('kafkajs');
const { brokersFromEnv, parseCommandLine, usageError } = require('./cli');
const { registerKafkaCodecs } = require('./kafka-codecs');
const { kafkaSecurityOptions } = require('./kafka-security');

const USAGE = `usage: npm run alerts:tail -- [topic] [--from-end]
       (node tools/tail-topic.js ...)
Prints the messages of a topic as they arrive, one JSON line each on stdout
({partition, offset, key, value, headers}); dead letters show their dlq-* headers.
  topic        the topic to read (default: TOPIC_ALERTS, else alerts.v1)
  --from-end   only messages that arrive from now on (default: from the start)
  -h, --help   print this help
Environment: KAFKA_BROKERS (default localhost:9092), TOPIC_ALERTS, and the screener's Kafka
security variables (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*).
Reads committed messages only, like an alert consumer. It commits no offsets, and the consumer
group kafkajs needs is deleted when it stops (Ctrl-C or SIGTERM), so it leaves nothing behind.`;

// GROUP_NOT_EMPTY: the broker has not yet processed our LeaveGroup; the others are a coordinator
// that is moving or loading. All pass within a second or two.
const RETRIABLE_DELETE = new Set([
  'GROUP_NOT_EMPTY',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'COORDINATOR_LOAD_IN_PROGRESS',
]);

async function deleteGroup(admin, groupId) {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.deleteGroups([groupId]);
      return;
    } catch (error) {
      const type = error.groups?.[0]?.error?.type ?? error.type;
      if (type === 'GROUP_ID_NOT_FOUND') return; // never joined: nothing to remove
      if (!RETRIABLE_DELETE.has(type) || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

function lineOf(partition, message) {
  let value = message.value?.toString('utf8') ?? null;
  try {
    value = JSON.parse(value);
  } catch {
    // dead letters keep their original bytes, which need not be JSON
  }
  const line = {
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value,
  };
  const headers = Object.entries(message.headers ?? {});
  if (headers.length > 0)
    line.headers = Object.fromEntries(headers.map(([k, v]) => [k, String(v)]));
  return line;
}

// Set once the consumer exists: every way out goes through it, so the group is always deleted.
let stop = null;

async function main() {
  const { flags, operands } = parseCommandLine(process.argv.slice(2), {
    usage: USAGE,
    flags: { 'from-end': { type: 'boolean' } },
    maxOperands: 1,
  });
  const topic = operands[0] ?? process.env.TOPIC_ALERTS ?? 'alerts.v1';
  const brokers = brokersFromEnv(process.env);
  registerKafkaCodecs();
  const kafka = new Kafka({
    clientId: 'sekimori-tail',
    brokers,
    logLevel: logLevel.NOTHING,
    ...kafkaSecurityOptions(),
  });
  const admin = kafka.admin();
  const groupId = `sekimori-tail-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId });

  let stopping = null;
  stop = (code, reason) => {
    stopping ??= (async () => {
      if (reason) process.stderr.write(`tail: ${reason}\n`);
      await consumer.disconnect().catch(() => undefined);
      try {
        await deleteGroup(admin, groupId);
      } catch (error) {
        process.stderr.write(
          `tail: could not delete consumer group ${groupId}: ${error.message}\n`,
        );
        code = code || 1;
      }
      await admin.disconnect().catch(() => undefined);
      process.exit(code);
    })();
    return stopping;
  };
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));

  await admin.connect().catch((error) => {
    throw new Error(`cannot reach Kafka at ${brokers.join(',')}: ${error.message}`);
  });
  // The local broker creates topics on first use: a mistyped name would silently make a new one.
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) {
    await admin.disconnect();
    const known = topics.filter((t) => !t.startsWith('__')).sort();
    usageError(
      null,
      `tail: no topic '${topic}' at ${brokers.join(',')}` +
        (known.length > 0 && known.length <= 30 ? ` (topics: ${known.join(', ')})` : ''),
    );
  }
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: !flags['from-end'] });
  process.stderr.write(
    `tail: ${topic} from the ${flags['from-end'] ? 'end' : 'start'}; Ctrl-C stops ` +
      `(consumer group ${groupId}, deleted on exit)\n`,
  );
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) void stop(1, `consumer stopped: ${payload.error?.message}`);
  });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      process.stdout.write(`${JSON.stringify(lineOf(partition, message))}\n`);
    },
  });
}

main().catch((error) => {
  if (stop) return stop(1, error.message);
  process.stderr.write(`tail: ${error.message}\n`);
  process.exit(1);
});
