#!/usr/bin/env node
// Produces a sample transfer to the broker, so that a new user sees the checkpoint work.
// Run with --help for the usage.
'use strict';
const { readFileSync } = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');
const { brokersFromEnv, parseCommandLine, usageError } = require('./cli');
const { registerKafkaCodecs } = require('./kafka-codecs');
const { kafkaSecurityOptions } = require('./kafka-security');

const USAGE = `usage: npm run sample -- [garantex | clean | withdrawal | <event.json>]
       (node tools/produce-sample.js ...)
Produces one transfer event to the broker:
  garantex     an on-chain USDT transfer to Garantex's Ethereum address (the default; OFAC-listed)
  clean        an on-chain transfer between unlisted addresses
  withdrawal   a ¥45M withdrawal to a Singapore exchange (FEFTA report)
  <event.json> any event from a file; its "type" picks the topic
  -h, --help   print this help
Environment: KAFKA_BROKERS (default localhost:9092), TOPIC_ONCHAIN, TOPIC_EXCHANGE, and the
screener's Kafka security variables (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*).
Exit status: 0 produced; 1 the broker failed; 2 bad command line or event file.`;

const now = new Date().toISOString();
const id = `sample-${Date.now()}`;
const samples = {
  garantex: {
    type: 'onchain-transfer',
    eventId: id,
    chain: 'ethereum',
    txHash: `0x${'ab'.repeat(32)}`,
    index: 0,
    blockTime: now,
    from: ['0x00000000219ab540356cbb839cbe05303d7705fa'],
    to: '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9',
    asset: 'USDT',
    amount: '25000',
  },
  clean: {
    type: 'onchain-transfer',
    eventId: id,
    chain: 'bitcoin',
    txHash: 'cd'.repeat(32),
    index: 1,
    blockTime: now,
    from: ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
    to: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    asset: 'BTC',
    amount: '0.05',
  },
  withdrawal: {
    type: 'exchange-transfer',
    eventId: id,
    exchangeId: 'jp-exchange-1',
    direction: 'withdrawal',
    occurredAt: now,
    account: { id: 'acct-1001', residency: 'JP', kind: 'corporate' },
    chain: 'bitcoin',
    asset: 'BTC',
    amount: '3',
    valueJpy: '45000000',
    address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    counterparty: { walletType: 'hosted', vaspName: 'Example SG Exchange', vaspCountry: 'SG' },
  },
};

/** The sample of that name, or the event in that file; a usage error for anything else. */
function eventFor(arg) {
  if (Object.hasOwn(samples, arg)) return samples[arg];
  let text;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (error) {
    if (error.code !== 'ENOENT') usageError(USAGE, `${arg}: ${error.message}`);
    const looksLikeFile = arg.includes('/') || arg.includes('.');
    usageError(
      USAGE,
      looksLikeFile
        ? `${arg}: no such file`
        : `no sample named '${arg}': the samples are ${Object.keys(samples).join(', ')} (or give an event .json file)`,
    );
  }
  let event;
  try {
    event = JSON.parse(text);
  } catch (error) {
    usageError(USAGE, `${arg}: not JSON (${error.message})`);
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    usageError(USAGE, `${arg}: not a JSON object`);
  }
  return event;
}

async function main() {
  const { operands } = parseCommandLine(process.argv.slice(2), { usage: USAGE, maxOperands: 1 });
  const event = eventFor(operands[0] ?? 'garantex');
  const brokers = brokersFromEnv(process.env);
  const topic =
    event.type === 'exchange-transfer'
      ? (process.env.TOPIC_EXCHANGE ?? 'transfers.exchange.v1')
      : (process.env.TOPIC_ONCHAIN ?? 'transfers.onchain.v1');
  // A file's event may lack its key field: it is sent anyway, and the screener dead-letters it.
  const key = (event.type === 'exchange-transfer' ? event.account?.id : event.eventId) ?? null;
  registerKafkaCodecs();
  const kafka = new Kafka({
    clientId: 'sekimori-sample',
    brokers,
    logLevel: logLevel.NOTHING,
    ...kafkaSecurityOptions(),
  });
  const producer = kafka.producer();
  await producer.connect().catch((error) => {
    throw new Error(`cannot reach Kafka at ${brokers.join(',')}: ${error.message}`);
  });
  await producer.send({
    topic,
    messages: [{ key: key === null ? null : String(key), value: JSON.stringify(event) }],
  });
  await producer.disconnect();
  process.stdout.write(`produced ${event.type} ${event.eventId} to ${topic}\n`);
}

main().catch((error) => {
  process.stderr.write(`sample: ${error.message}\n`);
  process.exit(1);
});
