/**
 * How far one compressed record batch may expand, and how each format tells before expanding.
 *
 * Ten times the largest fetch a partition returns (128 KiB) at JSON's usual 10:1 is 12.5 MiB; a
 * batch past 64 MiB is no producer's batch but a compression bomb (1 MiB of gzip holds 1 GiB of
 * zeros; a 20-byte zstd frame can declare a 2 GiB window), which would hold the event loop and the
 * heap. Refused, it is an undecodable batch: the partition stalls there for an operator.
 *
 * gzip is bounded by zlib itself. The other three are walked first: their frames say, block by
 * block, how much each block can regenerate at most, so the sum is known before a byte is
 * expanded and before the decoders allocate what a header claims.
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 64 * 1024 * 1024;

export function tooLarge(codec: string): Error {
  return new Error(`${codec}: the record batch expands past ${MAX_DECOMPRESSED_BATCH_BYTES} bytes`);
}

/** The uncompressed length a raw snappy block declares (its leading varint). */
export function snappyDeclaredLength(block: Uint8Array): number {
  let length = 0;
  for (let at = 0, shift = 0; at < block.length && shift <= 28; at++, shift += 7) {
    const byte = block[at];
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return length;
  }
  throw new Error('snappy: the block has no valid length');
}

// The LZ4 frame: magic, FLG, BD, [content size], [dictionary id], header checksum, then blocks of
// (4-byte little-endian size, high bit meaning stored; [checksum]) to a zero end mark.
export const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK_SIZES: Record<number, number> = {
  4: 64 << 10,
  5: 256 << 10,
  6: 1 << 20,
  7: 4 << 20,
};
/** The high bit of an LZ4 block's size: the block is stored as it is, not compressed. */
export const LZ4_STORED = 0x80000000;

/**
 * The most an LZ4 frame expands to: stored blocks count their size, compressed ones the frame's
 * block maximum. A declared content size is not trusted. Throws on a frame that is truncated or
 * that lz4js would misread (dictionary frames, blocks past the maximum).
 */
export function lz4FrameBound(frame: Uint8Array): number {
  const view = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.length < 7 || view.readUInt32LE(0) !== LZ4_MAGIC) throw new Error('lz4: not a frame');
  const flags = view[4];
  if (flags >> 6 !== 1) throw new Error('lz4: unknown frame version');
  if (flags & 1) throw new Error('lz4: dictionary frames are not read');
  const blockMax = LZ4_BLOCK_SIZES[(view[5] >> 4) & 7];
  if (blockMax === undefined) throw new Error('lz4: unknown block size');
  const blockChecksums = (flags & 0x10) !== 0;
  let at = 6 + (flags & 0x08 ? 8 : 0) + 1;
  let bound = 0;
  for (;;) {
    if (at + 4 > view.length) throw new Error('lz4: truncated frame');
    const word = view.readUInt32LE(at);
    at += 4;
    if (word === 0) return bound;
    const size = (word & ~LZ4_STORED) >>> 0;
    if (size > blockMax) throw new Error('lz4: a block is larger than the frame allows');
    bound += word & LZ4_STORED ? size : blockMax;
    if (bound > MAX_DECOMPRESSED_BATCH_BYTES) throw tooLarge('lz4');
    at += size + (blockChecksums ? 4 : 0);
  }
}

// zstd (RFC 8878): frames of magic, descriptor, [window], [dictionary id], [content size], then
// blocks with 3-byte headers (last flag, type, size); skippable frames carry their own length.
const ZSTD_MAGIC = 0xfd2fb528;
const ZSTD_BLOCK_MAX = 128 << 10;

/**
 * The most a run of zstd frames expands to, refusing any frame whose window or declared content
 * exceeds the bound: fzstd allocates one of them whole before decoding a block.
 */
export function zstdFramesBound(data: Uint8Array): number {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  let bound = 0;
  while (at < view.length) {
    if (at + 8 > view.length) throw new Error('zstd: truncated frame');
    const magic = view.readUInt32LE(at);
    if (magic >>> 4 === 0x184d2a5) {
      at += 8 + view.readUInt32LE(at + 4);
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw new Error('zstd: not a frame');
    const descriptor = view[at + 4];
    const singleSegment = (descriptor & 0x20) !== 0;
    const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6];
    const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
    at += 5;
    let window = 0;
    if (!singleSegment) {
      const exponent = view[at] >> 3;
      const base = 2 ** (10 + exponent);
      window = base + (base / 8) * (view[at] & 7);
      at += 1;
    }
    at += dictionaryBytes;
    if (at + sizeBytes > view.length) throw new Error('zstd: truncated frame');
    let declared = 0;
    for (let i = sizeBytes - 1; i >= 0; i--) declared = declared * 256 + view[at + i];
    if (sizeBytes === 2) declared += 256;
    at += sizeBytes;
    if (singleSegment) window = declared;
    if (window > MAX_DECOMPRESSED_BATCH_BYTES || declared > MAX_DECOMPRESSED_BATCH_BYTES) {
      throw tooLarge('zstd');
    }
    const blockMax = Math.min(window, ZSTD_BLOCK_MAX);
    for (let last = false; !last;) {
      if (at + 3 > view.length) throw new Error('zstd: truncated frame');
      const header = view[at] | (view[at + 1] << 8) | (view[at + 2] << 16);
      at += 3;
      last = (header & 1) === 1;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      if (type === 3) throw new Error('zstd: reserved block type');
      if (size > blockMax) throw new Error('zstd: a block is larger than the frame allows');
      bound += type === 2 ? blockMax : size; // compressed: at most a block; raw and RLE: size
      at += type === 1 ? 1 : size;
      if (bound > MAX_DECOMPRESSED_BATCH_BYTES) throw tooLarge('zstd');
    }
    if (descriptor & 0x04) at += 4; // content checksum
  }
  if (at > view.length) throw new Error('zstd: truncated frame');
  return bound;
}
