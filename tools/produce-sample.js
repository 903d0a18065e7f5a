#!/usr/bin/env node
// Produces a sample transfer to the local broker, so that a new user sees the checkpoint work:
//   node tools/produce-sample.js garantex     an on-chain USDT transfer to Garantex's Ethereum address
//   node tools/produce-sample.js clean        an on-chain transfer between unlisted addresses
//   node tools/produce-sample.js withdrawal   a ¥45M withdrawal to a Singapore exchange (FEFTA report)
//   node tools/produce-sample.js file.json    any event from a file (the topic follows its "type")
// KAFKA_BROKERS (default localhost:9092) and TOPIC_ONCHAIN / TOPIC_EXCHANGE are honoured, and
// KAFKA_SECURITY_PROTOCOL with its companions, as the screener reads them (tools/kafka-security.js).
'use strict';
const { readFileSync } = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');
const { kafkaSecurityOptions } = require('./kafka-security');

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

async function main() {
  const arg = process.argv[2] ?? 'garantex';
  const event = samples[arg] ?? JSON.parse(readFileSync(arg, 'utf8'));
  const topic =
    event.type === 'exchange-transfer'
      ? process.env.TOPIC_EXCHANGE ?? 'transfers.exchange.v1'
      : process.env.TOPIC_ONCHAIN ?? 'transfers.onchain.v1';
  const key = event.type === 'exchange-transfer' ? event.account.id : event.eventId;
  const kafka = new Kafka({
    clientId: 'sekimori-sample',
    brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
    logLevel: logLevel.NOTHING,
    ...kafkaSecurityOptions(),
  });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key, value: JSON.stringify(event) }] });
  await producer.disconnect();
  process.stdout.write(`produced ${event.type} ${event.eventId} to ${topic}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
