'use strict';
// Usage: node scripts/stack/kafka-ready.js <brokers> <timeoutMs> [--pid <pid>] [--metadata-only]
//
// Exits 0 once the broker answers a metadata request (listTopics) and can act as group and
// transaction coordinator, 1 if it does not within timeoutMs, 2 if the broker process <pid> has died.
// A listening port is not enough: a KRaft broker accepts connections before it has caught up with
// the metadata log. And on a fresh cluster the first FindCoordinator creates __consumer_offsets and
// the first InitProducerId creates __transaction_state, each answering "coordinator loading" for a
// moment; doing both here keeps that delay (and kafkajs's error logs about it) out of the first test.
//
// --metadata-only stops after listTopics: for probing a broker that is not ours (scripts/start.sh),
// where creating groups and transactional ids would be a side effect on someone else's cluster.
const path = require('node:path');

const USAGE = 'usage: kafka-ready.js <brokers> <timeoutMs> [--pid <pid>] [--metadata-only]\n';
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [brokersArg, timeoutArg] = args;
// 64, not 2: exit 2 already means "the broker process died".
const unknown = args
  .slice(2)
  .find(
    (a, i, rest) =>
      a.startsWith('-') && a !== '--metadata-only' && a !== '--pid' && rest[i - 1] !== '--pid',
  );
if (!brokersArg || !timeoutArg || unknown !== undefined) {
  process.stderr.write(unknown === undefined ? USAGE : `unknown option ${unknown}\n${USAGE}`);
  process.exit(64);
}
const brokers = brokersArg
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const deadline = Date.now() + Number(timeoutArg);
const pidIndex = args.indexOf('--pid');
const pid = pidIndex >= 0 ? Number(args[pidIndex + 1]) : undefined;
const metadataOnly = args.includes('--metadata-only');

// Resolved from the repository, not from this file's folder, so the check uses the project's kafkajs.
const repoRoot = path.resolve(__dirname, '..', '..');
const { Kafka, logLevel } = require(require.resolve('kafkajs', { paths: [repoRoot] }));

function processAlive() {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Kafka places a group (or transactional id) on partition abs(String.hashCode(id)) % partitions of
// __consumer_offsets (or __transaction_state): GroupCoordinatorService#partitionFor and
// TransactionStateManager#partitionFor. Probing one id per partition proves every coordinator
// partition has finished loading, not just the one our first probe happened to hash to.
function javaStringHash(s) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
function idsCoveringPartitions(prefix, partitions) {
  const byPartition = new Map();
  for (let i = 0; byPartition.size < partitions && i < 100000; i++) {
    const id = `${prefix}-${i}`;
    const h = javaStringHash(id);
    const partition = (h === -2147483648 ? 0 : Math.abs(h)) % partitions;
    if (!byPartition.has(partition)) byPartition.set(partition, id);
  }
  return [...byPartition.values()];
}

async function partitionCount(admin, topic) {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  return topics[0].partitions.length;
}

async function initTransactionalId(kafka, transactionalId) {
  const producer = kafka.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    // kafkajs refuses an idempotent producer without retries; the outer loop does the real retrying.
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
  });
  try {
    await producer.connect();
    // transaction() sends InitProducerId to the transaction coordinator (connect() alone does not);
    // aborting an empty transaction sends nothing more.
    const transaction = await producer.transaction();
    await transaction.abort();
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

async function attempt() {
  const kafka = new Kafka({
    clientId: 'sekimori-stack-ready',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    await admin.listTopics();
    if (metadataOnly) return;
    // The first probes create the internal topics on a fresh cluster.
    await admin.describeGroups(['sekimori-stack-ready']);
    await initTransactionalId(kafka, 'sekimori-stack-ready');
    const groupIds = idsCoveringPartitions(
      'sekimori-stack-ready',
      await partitionCount(admin, '__consumer_offsets'),
    );
    await admin.describeGroups(groupIds);
    const txIds = idsCoveringPartitions(
      'sekimori-stack-ready',
      await partitionCount(admin, '__transaction_state'),
    );
    await Promise.all(txIds.map((id) => initTransactionalId(kafka, id)));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function main() {
  let lastError = 'no attempt made';
  while (Date.now() < deadline) {
    if (!processAlive()) {
      process.stderr.write(`broker process ${pid} exited\n`);
      process.exit(2);
    }
    try {
      await attempt();
      process.exit(0);
    } catch (err) {
      lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      await sleep(300);
    }
  }
  process.stderr.write(`broker at ${brokers.join(',')} did not answer: ${lastError}\n`);
  process.exit(1);
}

void main();
