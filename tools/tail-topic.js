#!/usr/bin/env node
// Prints a topic's messages as they arrive, one JSON line each (default: alerts.v1, from the start).
//   node tools/tail-topic.js [topic]
// Dead letters print their dlq-* headers too. Reads committed messages only, like an alert consumer.
// Kafka security (TLS, SASL): the screener's variables, see tools/kafka-security.js.
'use strict';
const { Kafka, logLevel } = require('kafkajs');
const { kafkaSecurityOptions } = require('./kafka-security');

async function main() {
  const topic = process.argv[2] ?? process.env.TOPIC_ALERTS ?? 'alerts.v1';
  const kafka = new Kafka({
    clientId: 'sekimori-tail',
    brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
    logLevel: logLevel.NOTHING,
    ...kafkaSecurityOptions(),
  });
  const consumer = kafka.consumer({ groupId: `sekimori-tail-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const stop = () => consumer.disconnect().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      let value = message.value?.toString('utf8') ?? null;
      try {
        value = JSON.parse(value);
      } catch {
        // dead letters keep their original bytes, which need not be JSON
      }
      const line = { partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value };
      if (Object.keys(headers).length > 0) line.headers = headers;
      process.stdout.write(`${JSON.stringify(line)}\n`);
    },
  });
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
