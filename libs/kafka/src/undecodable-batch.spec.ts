/* eslint-disable @typescript-eslint/no-require-imports */
import { CompressionTypes } from 'kafkajs';
import {
  KAFKAJS_VERSION_PATCHED,
  PATCHED_FETCH_VERSIONS,
  fetchResponseModule,
  isolateUndecodableBatches,
  isolatingFetchDecode,
  undecodableBatchOf,
} from './undecodable-batch';

const Long = require('kafkajs/src/utils/long') as { fromValue(v: string | number): unknown };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (options: object) => Promise<{ buffer: Buffer }>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (
  options: object,
) => unknown;

async function recordBatch(firstOffset: number, values: string[], gzip = false): Promise<Buffer> {
  const encoded = await RecordBatch({
    firstOffset: Long.fromValue(firstOffset),
    lastOffsetDelta: values.length - 1,
    compression: gzip ? CompressionTypes.GZIP : CompressionTypes.None,
    records: values.map((value, i) => Record({ offsetDelta: i, key: null, value })),
  });
  return encoded.buffer;
}

const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const string = (s: string) => Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)]);

/** A fetch response of `version` for one topic, one record set per partition. */
function fetchResponse(version: number, topic: string, partitions: Buffer[], hw = 100): Buffer {
  const parts = partitions.map((records, partition) =>
    Buffer.concat([
      int32(partition),
      int16(0),
      int64(hw),
      int64(hw),
      version >= 5 ? int64(0) : Buffer.alloc(0),
      int32(0),
      version >= 11 ? int32(-1) : Buffer.alloc(0),
      int32(records.length),
      records,
    ]),
  );
  return Buffer.concat([
    int32(0),
    version >= 7 ? Buffer.concat([int16(0), int32(0)]) : Buffer.alloc(0),
    int32(1),
    string(topic),
    int32(parts.length),
    ...parts,
  ]);
}

interface Decoded {
  responses: Array<{
    partitions: Array<{
      partition: number;
      messages: Array<{ offset: string; value: Buffer | null }>;
    }>;
  }>;
}

function flipByte(batch: Buffer, at: number): Buffer {
  const copy = Buffer.from(batch);
  copy[at] ^= 0xff;
  return copy;
}

describe('isolating fetch decoders', () => {
  it('are written for the installed kafkajs, whose fetch responses still have the shape they copy', async () => {
    // Fails on a kafkajs upgrade: re-read its fetch decoders before moving this version.
    expect((require('kafkajs/package.json') as { version: string }).version).toBe(
      KAFKAJS_VERSION_PATCHED,
    );
    const good = Buffer.concat([
      await recordBatch(10, ['a', 'b']),
      await recordBatch(12, ['c'], true),
    ]);
    for (const version of PATCHED_FETCH_VERSIONS) {
      const raw = fetchResponse(version, 'transfers', [good, Buffer.alloc(0)]);
      const original = fetchResponseModule(version);
      expect(typeof original.parse).toBe('function');
      const theirs = await original.decode(raw);
      expect(await isolatingFetchDecode(version)(raw)).toEqual(theirs);
    }
  });

  it('turn a batch that fails to decompress into a marker on its partition only', async () => {
    const gz = await recordBatch(20, ['x', 'y', 'z'], true);
    // The gzip payload's last bytes (its CRC-32 and size) no longer match; the batch CRC is left alone.
    const corrupt = flipByte(gz, gz.length - 2);
    corrupt.writeUInt32BE(
      (require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number)(
        corrupt.subarray(21),
      ),
      17,
    );
    const healthy = await recordBatch(5, ['ok']);
    const raw = fetchResponse(11, 'transfers', [corrupt, healthy], 23);
    await expect(fetchResponseModule(11).decode(raw)).rejects.toThrow();
    const decoded = (await isolatingFetchDecode(11)(raw)) as Decoded;
    const [bad, fine] = decoded.responses[0].partitions;
    expect(bad.messages).toHaveLength(1);
    expect(undecodableBatchOf(bad.messages[0])).toEqual({
      firstOffset: '20',
      lastOffset: '22',
      reason: expect.any(String),
    });
    expect(fine.messages.map((m) => m.value?.toString())).toEqual(['ok']);
    expect(undecodableBatchOf(fine.messages[0])).toBeNull();
  });

  it('check the CRC kafkajs skips, and return the records before a bad batch without it', async () => {
    const before = await recordBatch(0, ['a', 'b']);
    const plain = await recordBatch(2, ['transfer-of-100']);
    const flipped = flipByte(plain, plain.length - 3); // a value byte: kafkajs would read a different value
    const after = await recordBatch(3, ['c']);
    const alone = (await isolatingFetchDecode(11)(
      fetchResponse(11, 't', [Buffer.concat([flipped, after])]),
    )) as Decoded;
    expect(undecodableBatchOf(alone.responses[0].partitions[0].messages[0])).toEqual({
      firstOffset: '2',
      lastOffset: '2',
      reason: expect.stringContaining('CRC-32C mismatch'),
    });
    // Nothing after it, and a CRC that does not vouch for its header: its end is not guessed.
    const last = (await isolatingFetchDecode(11)(fetchResponse(11, 't', [flipped], 4))) as Decoded;
    const [lastMarker] = last.responses[0].partitions[0].messages;
    expect(undecodableBatchOf(lastMarker)).toMatchObject({ firstOffset: '2', lastOffset: null });
    expect(lastMarker.offset).toBe('3');
    const behind = (await isolatingFetchDecode(11)(
      fetchResponse(11, 't', [Buffer.concat([before, flipped, after])]),
    )) as Decoded;
    expect(behind.responses[0].partitions[0].messages.map((m) => m.offset)).toEqual(['0', '1']);
  });

  it('mark a codec kafkajs has no entry for, and a record format it does not read', async () => {
    const batch = await recordBatch(7, ['v']);
    const unknownCodec = Buffer.from(batch);
    unknownCodec.writeInt16BE(unknownCodec.readInt16BE(21) | 0x7, 21);
    unknownCodec.writeUInt32BE(
      (require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number)(
        unknownCodec.subarray(21),
      ),
      17,
    );
    const futureFormat = Buffer.from(batch);
    futureFormat.writeInt8(3, 16);
    for (const [bytes, reason] of [
      [unknownCodec, /codec|compression/i],
      [futureFormat, /record format v3/],
    ] as const) {
      const decoded = (await isolatingFetchDecode(11)(
        fetchResponse(11, 't', [bytes], 8),
      )) as Decoded;
      const found = undecodableBatchOf(decoded.responses[0].partitions[0].messages[0]);
      expect(found?.firstOffset).toBe('7');
      expect(found?.reason).toMatch(reason);
    }
  });

  it('install once into every fetch version kafkajs uses with record batches', () => {
    isolateUndecodableBatches();
    const installed = PATCHED_FETCH_VERSIONS.map((v) => fetchResponseModule(v).decode);
    isolateUndecodableBatches();
    expect(PATCHED_FETCH_VERSIONS.map((v) => fetchResponseModule(v).decode)).toEqual(installed);
    expect(installed.every((decode) => decode.name !== 'decode')).toBe(true);
  });
});
