import { gzipSync, unzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import * as lz4 from 'lz4js';
import * as snappy from 'snappyjs';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import type { KafkaCompression } from '@sekimori/config';
import {
  LZ4_MAGIC,
  LZ4_STORED,
  lz4FrameBound,
  MAX_DECOMPRESSED_BATCH_BYTES,
  snappyDeclaredLength,
  tooLarge,
  zstdFramesBound,
} from './decompression-bound';

/**
 * The codecs kafkajs lacks. Out of the box it reads gzip only, and one snappy, lz4 or zstd batch
 * from another producer makes the consumer throw KafkaJSNotImplemented. The map is kafkajs'
 * module state, so registering once per process covers every client. Pure JS (snappyjs, lz4js,
 * fzstd) and WebAssembly (zstd encoding) packages: nothing is fetched or compiled at install.
 * tools/kafka-codecs.js registers the same formats for the plain-node tools. Every decoder
 * refuses a batch past MAX_DECOMPRESSED_BATCH_BYTES (decompression-bound.ts) before expanding it.
 */
/** The kafkajs compression type for a `KAFKA_COMPRESSION` value. */
export function compressionType(name: KafkaCompression): CompressionTypes {
  const types: Record<KafkaCompression, CompressionTypes> = {
    none: CompressionTypes.None,
    gzip: CompressionTypes.GZIP,
    snappy: CompressionTypes.Snappy,
    lz4: CompressionTypes.LZ4,
    zstd: CompressionTypes.ZSTD,
  };
  return types[name];
}

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

let registered = false;

/** Adds snappy, lz4 and zstd to kafkajs, and writes gzip at level 1; idempotent. */
export function registerKafkaCodecs(): void {
  if (registered) return;
  registered = true;
  const codecs = CompressionCodecs as unknown as Record<number, () => Codec>;
  codecs[CompressionTypes.GZIP] = () => gzipCodec;
  codecs[CompressionTypes.Snappy] = () => snappyCodec;
  codecs[CompressionTypes.LZ4] = () => lz4Codec;
  codecs[CompressionTypes.ZSTD] = () => zstdCodec;
}

/**
 * gzip at zlib's fastest level. kafkajs writes zlib's default (6); on the screener's decision
 * records level 1 takes half the CPU (3.8-4.2 against 1.9-2.2 µs a record, 500-record batches)
 * for output 6 % larger (7.1 times smaller than the JSON against 7.6). Any gzip reader reads it.
 */
const GZIP_LEVEL = 1;

/**
 * gzip on the calling thread. zlib's asynchronous calls hand every 16 KiB of output to the
 * thread pool and back through a stream: on message sets of 40 to 160 decision records that
 * costs 4 to 11 times the CPU of the deflate itself (total CPU 4.0-15.0 against 1.0-1.4 µs a
 * record, and the main thread's share alone, 1.4-5.1 µs, is more than the whole synchronous
 * call), so a set is compressed or expanded in one call. One call holds the event loop for
 * about 0.1 ms per 100 records, a fraction of what screening them takes.
 */
export const gzipCodec: Codec = {
  compress: async ({ buffer }) => gzipSync(buffer, { level: GZIP_LEVEL }),
  decompress: async (buffer) => {
    try {
      return unzipSync(buffer, { maxOutputLength: MAX_DECOMPRESSED_BATCH_BYTES });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
      throw tooLarge('gzip');
    }
  },
};

// The Java client writes snappy in snappy-java's stream format: a magic header, then chunks of
// (4-byte big-endian length, raw snappy block). Older and non-Java producers write one raw block.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
const XERIAL_CHUNK_BYTES = 32 * 1024;

export const snappyCodec: Codec = {
  async compress({ buffer }) {
    const header = Buffer.alloc(XERIAL_HEADER_BYTES);
    XERIAL_MAGIC.copy(header);
    header.writeInt32BE(1, 8); // version
    header.writeInt32BE(1, 12); // lowest version that can read it
    const parts = [header];
    for (let at = 0; at < buffer.length; at += XERIAL_CHUNK_BYTES) {
      const block = snappy.compress(buffer.subarray(at, at + XERIAL_CHUNK_BYTES));
      const length = Buffer.alloc(4);
      length.writeInt32BE(block.length);
      parts.push(length, Buffer.from(block));
    }
    return Buffer.concat(parts);
  },
  async decompress(buffer) {
    const framed =
      buffer.length >= XERIAL_HEADER_BYTES &&
      buffer.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
    if (!framed) return Buffer.from(snappyBlock(buffer, MAX_DECOMPRESSED_BATCH_BYTES));
    const parts: Buffer[] = [];
    let room = MAX_DECOMPRESSED_BATCH_BYTES;
    let at = XERIAL_HEADER_BYTES;
    while (at < buffer.length) {
      if (at + 4 > buffer.length) throw new Error('snappy: truncated chunk length');
      const length = buffer.readInt32BE(at);
      at += 4;
      if (length < 0 || at + length > buffer.length) throw new Error('snappy: truncated chunk');
      const part = snappyBlock(buffer.subarray(at, at + length), room);
      room -= part.length;
      parts.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      at += length;
    }
    return Buffer.concat(parts);
  },
};

/** One raw snappy block, refused before it is expanded when it declares more than `room`. */
function snappyBlock(block: Uint8Array, room: number): Uint8Array {
  if (snappyDeclaredLength(block) > room) throw tooLarge('snappy');
  return snappy.uncompress(block);
}

// Kafka's LZ4 is the standard LZ4 frame. Its Java reader refuses frames whose blocks depend on
// earlier ones, and lz4js' own frame writer does not set that flag, so the frame is written here:
// independent 64 KiB blocks (each with a fresh hash table), no checksums, like the Java client.
const LZ4_FLG = 0x60; // version 01, blocks independent
const LZ4_BD = 4 << 4; // 64 KiB maximum block size
const LZ4_BLOCK_BYTES = 64 * 1024;

export const lz4Codec: Codec = {
  async compress({ buffer }) {
    const header = Buffer.alloc(7);
    header.writeUInt32LE(LZ4_MAGIC, 0);
    header[4] = LZ4_FLG;
    header[5] = LZ4_BD;
    header[6] = (xxh32(header.subarray(4, 6)) >>> 8) & 0xff;
    const parts: Buffer[] = [header];
    for (let at = 0; at < buffer.length; at += LZ4_BLOCK_BYTES) {
      const block = buffer.subarray(at, at + LZ4_BLOCK_BYTES);
      const packed = lz4Block(block);
      const length = Buffer.alloc(4);
      if (packed !== null && packed.length < block.length) {
        length.writeUInt32LE(packed.length);
        parts.push(length, packed);
      } else {
        length.writeUInt32LE((LZ4_STORED | block.length) >>> 0);
        parts.push(length, Buffer.from(block));
      }
    }
    parts.push(Buffer.alloc(4)); // end mark
    return Buffer.concat(parts);
  },
  async decompress(buffer) {
    const bound = lz4FrameBound(buffer);
    const out = Buffer.alloc(bound);
    const size = lz4.decompressFrame(buffer, out);
    if (size > bound) throw new Error('lz4: a block expands past the frame’s block size');
    return out.subarray(0, size);
  },
};

// The LZ4 block format wants the last match to start at least 12 bytes before the block's end;
// lz4js stops 9 bytes before it, which its own decoder accepts and the reference one refuses. So
// lz4js compresses all but the last 3 bytes, and these join the final run of literals.
const LZ4_HELD_BACK = 3;

/** One LZ4 block for `block`, or null when it does not compress. */
function lz4Block(block: Uint8Array): Buffer | null {
  const body = block.length - LZ4_HELD_BACK;
  if (body < 16) return null;
  const out = Buffer.alloc(lz4.compressBound(block.length) + 16);
  const size = lz4.compressBlock(block, out, 0, body, new Uint32Array(1 << 16));
  if (size <= 0) return null;
  // Walk the sequences to the last one, which holds only literals.
  let at = 0;
  let last = 0;
  let decoded = 0;
  for (;;) {
    last = at;
    const token = out[at++];
    let literals = token >> 4;
    if (literals === 15) {
      let byte: number;
      do {
        byte = out[at++];
        literals += byte;
      } while (byte === 255);
    }
    at += literals;
    if (at >= size) break;
    decoded += literals;
    at += 2; // the match's offset
    let match = (token & 15) + 4;
    if ((token & 15) === 15) {
      let byte: number;
      do {
        byte = out[at++];
        match += byte;
      } while (byte === 255);
    }
    decoded += match;
  }
  const tail = block.subarray(decoded);
  const head: number[] = [];
  if (tail.length >= 15) {
    head.push(15 << 4);
    let rest = tail.length - 15;
    for (; rest >= 255; rest -= 255) head.push(255);
    head.push(rest);
  } else {
    head.push(tail.length << 4);
  }
  return Buffer.concat([out.subarray(0, last), Buffer.from(head), tail]);
}

/** xxHash32 with seed 0, for the LZ4 frame's header checksum (two bytes: no need for speed). */
function xxh32(input: Uint8Array): number {
  const P1 = 0x9e3779b1;
  const P2 = 0x85ebca77;
  const P3 = 0xc2b2ae3d;
  const P4 = 0x27d4eb2f;
  const P5 = 0x165667b1;
  const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
  let h = (P5 + input.length) >>> 0;
  let i = 0;
  for (; i + 4 <= input.length; i += 4) {
    const word =
      (input[i] | (input[i + 1] << 8) | (input[i + 2] << 16) | (input[i + 3] << 24)) >>> 0;
    h = Math.imul(rotl((h + Math.imul(word, P3)) >>> 0, 17), P4) >>> 0;
  }
  for (; i < input.length; i++) {
    h = Math.imul(rotl((h + Math.imul(input[i], P5)) >>> 0, 11), P1) >>> 0;
  }
  h = Math.imul(h ^ (h >>> 15), P2) >>> 0;
  h = Math.imul(h ^ (h >>> 13), P3) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// fzstd decodes frames without a declared content size, which the Java client's streaming
// writer produces. Encoding needs the WebAssembly build of the reference library, loaded once.
let zstdEncoder: Promise<(data: Uint8Array, level: number) => Uint8Array> | null = null;
const ZSTD_LEVEL = 3; // the reference library's default, as the Java client uses

export const zstdCodec: Codec = {
  async compress({ buffer }) {
    zstdEncoder ??= import('@bokuweb/zstd-wasm').then(async (wasm) => {
      await wasm.init();
      return wasm.compress;
    });
    const compress = await zstdEncoder;
    return Buffer.from(compress(buffer, ZSTD_LEVEL));
  },
  async decompress(buffer) {
    zstdFramesBound(buffer);
    const out = zstdDecompress(buffer);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  },
};
