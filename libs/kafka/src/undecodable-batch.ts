/**
 * kafkajs 2.2.4 decodes a fetch response in one piece: a single record batch it cannot decode (a
 * codec it lacks, a corrupt payload, a record format it does not read) throws out of the whole
 * fetch, the consumer crashes and restarts at the same offset, and no partition is screened.
 *
 * This file replaces kafkajs' fetch response decoders (v4 to v11, every version it uses against a
 * broker that speaks record batches) with ones that decode each partition's records on their own
 * and check each batch's CRC-32C, which kafkajs does not. A batch that fails becomes one marker
 * message, alone in its partition's fetch, that BatchConsumer turns into a stall of that partition
 * only. It is applied from here, at run time, so a kafkajs upgrade fails the spec beside it
 * instead of silently dropping the isolation (docs/reliability.md).
 */

/* eslint-disable @typescript-eslint/no-require-imports */
import { crc32c } from './crc32c';

/** The parts of kafkajs' protocol Decoder (src/protocol/decoder.js) used here. */
interface KafkaDecoder {
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readString(): string;
  readBytes(length: number): Buffer;
  canReadBytes(length: number): boolean;
  readArray<T>(reader: (decoder: KafkaDecoder) => T): T[];
  readArrayAsync<T>(reader: (decoder: KafkaDecoder) => Promise<T>): Promise<T[]>;
}

interface FetchResponseModule {
  decode: (rawData: Buffer) => Promise<unknown>;
  parse: (data: unknown) => Promise<unknown>;
}

export const KAFKAJS_VERSION_PATCHED = '2.2.4';
export const PATCHED_FETCH_VERSIONS = [4, 5, 6, 7, 8, 9, 10, 11] as const;

const kafkajsVersion = (): string =>
  (require('kafkajs/package.json') as { version: string }).version;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => KafkaDecoder;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: KafkaDecoder,
) => Promise<{ records: unknown[] }>;
const decodeMessageSet = require('kafkajs/src/protocol/messageSet/decoder') as (
  decoder: KafkaDecoder,
  size: number,
) => Promise<unknown[]>;

// Static paths, one per version: a bundler leaves these to the installed kafkajs, whereas a
// computed path would get bundled copies that kafkajs never calls.
const FETCH_RESPONSES: Record<(typeof PATCHED_FETCH_VERSIONS)[number], () => unknown> = {
  4: () => require('kafkajs/src/protocol/requests/fetch/v4/response'),
  5: () => require('kafkajs/src/protocol/requests/fetch/v5/response'),
  6: () => require('kafkajs/src/protocol/requests/fetch/v6/response'),
  7: () => require('kafkajs/src/protocol/requests/fetch/v7/response'),
  8: () => require('kafkajs/src/protocol/requests/fetch/v8/response'),
  9: () => require('kafkajs/src/protocol/requests/fetch/v9/response'),
  10: () => require('kafkajs/src/protocol/requests/fetch/v10/response'),
  11: () => require('kafkajs/src/protocol/requests/fetch/v11/response'),
};

export function fetchResponseModule(
  version: (typeof PATCHED_FETCH_VERSIONS)[number],
): FetchResponseModule {
  return FETCH_RESPONSES[version]() as FetchResponseModule;
}

/** What a marker message says about the batch it stands for. */
export interface UndecodableBatch {
  /** The batch's first offset, as its header gives it. */
  firstOffset: string;
  /** Its last offset, or null when the header cannot be trusted and nothing follows it. */
  lastOffset: string | null;
  reason: string;
}

const UNDECODABLE = Symbol('sekimori.undecodableBatch');

/** The marker's description when a fetched message is one, else null. */
export function undecodableBatchOf(message: object): UndecodableBatch | null {
  return (message as { [UNDECODABLE]?: UndecodableBatch })[UNDECODABLE] ?? null;
}

// Record batch v2 layout (Kafka's DefaultRecordBatch): the CRC covers attributes to the end.
const LENGTH_AT = 8;
const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
const LAST_OFFSET_DELTA_AT = 23;
const HEADER_BYTES = 61;
const LOG_OVERHEAD = 12;

/**
 * Shaped like kafkajs' decoded records so that its Batch keeps it (an offset at or after the
 * fetched one, not a control record, not in an aborted transaction).
 */
function marker(batch: UndecodableBatch, offset: string): object {
  return {
    offset,
    key: null,
    value: null,
    headers: {},
    timestamp: '-1',
    attributes: 0,
    magicByte: 2,
    isControlRecord: false,
    batchContext: {
      firstOffset: batch.firstOffset,
      inTransaction: false,
      isControlBatch: false,
      producerId: '-1',
    },
    [UNDECODABLE]: batch,
  };
}

function readOffset(bytes: Buffer, at: number): bigint | null {
  return bytes.length - at >= 8 ? bytes.readBigInt64BE(at) : null;
}

/** Why this one batch (its bytes exactly) cannot be screened, or null when it can. */
function defect(batch: Buffer): string | null {
  if (batch.length < HEADER_BYTES) return `record batch of ${batch.length} bytes is truncated`;
  const magic = batch.readInt8(MAGIC_AT);
  if (magic !== 2) return `record format v${magic} is not one this client reads`;
  // kafkajs reads a codec id it has no entry for (5 to 7) as uncompressed bytes.
  const codec = batch.readInt16BE(ATTRIBUTES_AT) & 0x07;
  if (codec > 4) return `unknown compression codec id ${codec}`;
  const expected = batch.readUInt32BE(CRC_AT);
  const actual = crc32c(batch.subarray(ATTRIBUTES_AT));
  if (expected !== actual) {
    return `CRC-32C mismatch (header ${expected.toString(16)}, bytes ${actual.toString(16)})`;
  }
  return null;
}

/**
 * One partition's record set, as kafkajs' fetch/v4/decodeMessages reads it, except that a batch
 * that fails yields a marker instead of an exception. Records before a bad batch are returned
 * without it: they are screened, and the next fetch starts at the bad batch.
 */
export async function decodeRecordSet(
  decoder: KafkaDecoder,
  highWatermark: string,
): Promise<unknown[]> {
  const size = decoder.readInt32();
  if (size <= 0 || !decoder.canReadBytes(size)) return [];
  const bytes = decoder.readBytes(size);
  if (bytes.length <= MAGIC_AT) return [];
  // The batch's end comes from the next batch's first offset when one follows, else from its own
  // header when the CRC vouches for it; a failed CRC with nothing after it leaves it unknown.
  const stop = (at: number, end: number, reason: string, crcValid: boolean): object => {
    const first = bytes.readBigInt64BE(at);
    const next = end > at + LOG_OVERHEAD ? readOffset(bytes, end) : null;
    const delta =
      bytes.length >= at + LAST_OFFSET_DELTA_AT + 4
        ? bytes.readInt32BE(at + LAST_OFFSET_DELTA_AT)
        : -1;
    const logEnd = BigInt(highWatermark) - 1n;
    let last: bigint | null = null;
    if (next !== null && next > first) last = next - 1n;
    else if (crcValid && delta >= 0 && first + BigInt(delta) <= logEnd)
      last = first + BigInt(delta);
    const batch = { firstOffset: first.toString(), lastOffset: last?.toString() ?? null, reason };
    // kafkajs' Batch keeps a message only at or after the fetched offset, itself below the high watermark.
    return marker(batch, (last ?? (logEnd > first ? logEnd : first)).toString());
  };

  const magic = bytes.readInt8(MAGIC_AT);
  if (magic === 0 || magic === 1) {
    try {
      return await decodeMessageSet(new Decoder(bytes), size);
    } catch (error) {
      return [stop(0, bytes.length, `legacy message set: ${(error as Error).message}`, false)];
    }
  }
  if (magic !== 2) {
    return [stop(0, bytes.length, `record format v${magic} is not one this client reads`, false)];
  }

  const records: unknown[] = [];
  for (let at = 0; bytes.length - at >= HEADER_BYTES;) {
    const length = bytes.readInt32BE(at + LENGTH_AT);
    const end = at + LOG_OVERHEAD + length;
    // A batch cut short by the fetch's byte limit is fetched again whole, as kafkajs does.
    if (length >= 0 && end > bytes.length) break;
    let reason = length < 0 ? `record batch length ${length}` : defect(bytes.subarray(at, end));
    const crcValid = reason === null;
    if (reason === null) {
      try {
        const batch = await decodeRecordBatch(new Decoder(bytes.subarray(at, end)));
        records.push(...batch.records);
      } catch (error) {
        reason = (error as Error).message || String(error);
      }
    }
    if (reason !== null) {
      return records.length > 0 ? records : [stop(at, end, reason, crcValid)];
    }
    at = end;
  }
  return records;
}

const decodeAbortedTransaction = (decoder: KafkaDecoder) => ({
  producerId: decoder.readInt64().toString(),
  firstOffset: decoder.readInt64().toString(),
});

/** kafkajs' fetch/v{version}/response.js `decode`, field for field, with decodeRecordSet. */
export function isolatingFetchDecode(version: number): (rawData: Buffer) => Promise<unknown> {
  const decodePartition = async (decoder: KafkaDecoder) => {
    const partition = decoder.readInt32();
    const errorCode = decoder.readInt16();
    const highWatermark = decoder.readInt64().toString();
    const lastStableOffset = decoder.readInt64().toString();
    const lastStartOffset = version >= 5 ? decoder.readInt64().toString() : undefined;
    const abortedTransactions = decoder.readArray(decodeAbortedTransaction);
    const preferredReadReplica = version >= 11 ? decoder.readInt32() : undefined;
    return {
      partition,
      errorCode,
      highWatermark,
      lastStableOffset,
      ...(version >= 5 ? { lastStartOffset } : {}),
      abortedTransactions,
      ...(version >= 11 ? { preferredReadReplica } : {}),
      messages: await decodeRecordSet(decoder, highWatermark),
    };
  };
  const decodeTopic = async (decoder: KafkaDecoder) => ({
    topicName: decoder.readString(),
    partitions: await decoder.readArrayAsync(decodePartition),
  });
  return async (rawData: Buffer) => {
    const decoder = new Decoder(rawData);
    const throttleTime = decoder.readInt32();
    if (version < 7) return { throttleTime, responses: await decoder.readArrayAsync(decodeTopic) };
    const errorCode = decoder.readInt16();
    const sessionId = decoder.readInt32();
    const responses = await decoder.readArrayAsync(decodeTopic);
    // From v8 the broker's throttle is reported as client-side, as kafkajs' own decoders do.
    return version >= 8
      ? { throttleTime: 0, clientSideThrottleTime: throttleTime, errorCode, sessionId, responses }
      : { throttleTime, errorCode, sessionId, responses };
  };
}

const PATCHED = Symbol.for('sekimori.isolatingFetchDecode');

/**
 * Installs the isolating decoders into kafkajs, once per process. Refuses another kafkajs
 * version: its decoders may have changed, and the isolation must not be assumed.
 */
export function isolateUndecodableBatches(): void {
  const version = kafkajsVersion();
  if (version !== KAFKAJS_VERSION_PATCHED) {
    throw new Error(
      `kafkajs ${version} is installed; the undecodable-batch isolation was written for ${KAFKAJS_VERSION_PATCHED} (libs/kafka/src/undecodable-batch.ts)`,
    );
  }
  for (const v of PATCHED_FETCH_VERSIONS) {
    const response = fetchResponseModule(v) as FetchResponseModule & { [PATCHED]?: true };
    if (response[PATCHED]) continue;
    response.decode = isolatingFetchDecode(v);
    response[PATCHED] = true;
  }
}
