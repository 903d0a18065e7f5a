import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { gzipCodec, lz4Codec, registerKafkaCodecs, snappyCodec, zstdCodec } from './codecs';
import { MAX_DECOMPRESSED_BATCH_BYTES } from './decompression-bound';

// The tools' plain-JS decoders must read what the services write.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require('../../../tools/kafka-codecs.js') as {
  registerKafkaCodecs(): void;
  snappyDecompress(buffer: Buffer): Buffer;
};

function sample(bytes: number): Buffer {
  // Half repetitive, half random: both the compressed and the stored-block paths are taken.
  const text = Buffer.from('{"eventId":"e-1","asset":"BTC","amount":"0.5"}'.repeat(bytes / 80));
  return Buffer.concat([text, randomBytes(bytes - text.length)]);
}

describe('kafka codecs', () => {
  it.each([
    ['gzip', gzipCodec],
    ['snappy', snappyCodec],
    ['lz4', lz4Codec],
    ['zstd', zstdCodec],
  ])('%s round-trips empty, small and multi-block inputs', async (_name, codec) => {
    for (const input of [Buffer.alloc(0), sample(200), sample(300_000)]) {
      const packed = await codec.compress({ buffer: input });
      expect((await codec.decompress(packed)).equals(input)).toBe(true);
    }
  });

  it('writes an LZ4 frame the Java reader accepts: independent 64 KiB blocks, valid header checksum', async () => {
    const packed = await lz4Codec.compress({ buffer: sample(1000) });
    expect(packed.readUInt32LE(0)).toBe(0x184d2204);
    expect(packed[4]).toBe(0x60);
    expect(packed[5]).toBe(0x40);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { hash } = require('lz4js/xxh32') as {
      hash(seed: number, src: Uint8Array, index: number, length: number): number;
    };
    expect(packed[6]).toBe((hash(0, packed, 4, 2) >>> 8) & 0xff);
  });

  it('ends every LZ4 block as the reference decoder requires (last match 12 bytes before the end, 5 literals after)', async () => {
    // Blocks that end with a fresh match, the case lz4js gets wrong, and long repetitive ones.
    const inputs = [Buffer.from('{"eventId":"e-1","asset":"BTC","amount":"0.5"}'.repeat(5000))];
    for (let size = 24; size < 120; size++) {
      const head = Buffer.from('0123456789abcdefghij'.repeat(10)).subarray(0, size - 11);
      inputs.push(Buffer.concat([head, head.subarray(0, 11)]));
    }
    const problems: string[] = [];
    for (const text of inputs) {
      const packed = await lz4Codec.compress({ buffer: text });
      let at = 7;
      for (let length = packed.readUInt32LE(at); length !== 0; length = packed.readUInt32LE(at)) {
        at += 4;
        if ((length & 0x80000000) !== 0) {
          at += length & 0x7fffffff;
          continue;
        }
        const end = at + length;
        let out = 0;
        let cursor = at;
        const more = (n: number): number => {
          let total = n;
          if (n === 15) {
            let byte: number;
            do {
              byte = packed[cursor++];
              total += byte;
            } while (byte === 255);
          }
          return total;
        };
        const starts: number[] = [];
        const ends: number[] = [];
        while (cursor < end) {
          const token = packed[cursor++];
          const literals = more(token >> 4);
          cursor += literals;
          out += literals;
          if (cursor >= end) break;
          cursor += 2;
          const match = more(token & 15) + 4;
          starts.push(out);
          out += match;
          ends.push(out);
        }
        for (const start of starts) {
          if (start > out - 12) problems.push(`a match starts ${out - start} bytes before the end`);
        }
        if (ends.length > 0 && ends[ends.length - 1] > out - 5)
          problems.push('fewer than 5 final literals');
        at = end;
      }
      expect((await lz4Codec.decompress(packed)).equals(text)).toBe(true);
    }
    expect(problems).toEqual([]);
  });

  it('writes gzip at level 1 that any gzip reader reads, and reads gzip of any level', async () => {
    const input = Buffer.from('{"type":"decision","decision":"pass","ruleIds":[]}'.repeat(500));
    const packed = await gzipCodec.compress({ buffer: input });
    expect(packed.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(true);
    expect(gunzipSync(packed).equals(input)).toBe(true);
    // Level 1 says so in the header's extra flags (4: fastest), where level 6 writes 0.
    expect(packed[8]).toBe(4);
    const best = gzipSync(input, { level: 9 });
    expect(packed.length).toBeGreaterThanOrEqual(best.length);
    expect((await gzipCodec.decompress(best)).equals(input)).toBe(true);
  });

  it.each([
    ['gzip', gzipCodec],
    ['snappy', snappyCodec],
    ['lz4', lz4Codec],
    ['zstd', zstdCodec],
  ])(
    'refuses a %s batch that expands past the bound, and reads one that reaches it',
    async (name, codec) => {
      const bomb = await codec.compress({ buffer: Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1) });
      await expect(codec.decompress(bomb)).rejects.toThrow(
        `${name}: the record batch expands past ${MAX_DECOMPRESSED_BATCH_BYTES} bytes`,
      );
      const full = await codec.compress({ buffer: Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES) });
      expect((await codec.decompress(full)).length).toBe(MAX_DECOMPRESSED_BATCH_BYTES);
      // Damage is still damage, not a size.
      await expect(codec.decompress(full.subarray(0, 100))).rejects.toThrow(
        /unexpected end|truncated|invalid|out of range/i,
      );
    },
  );

  it('refuses before allocating what a snappy, lz4 or zstd header claims', async () => {
    // A raw snappy block declaring 4 GiB in five bytes.
    const snappyClaim = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
    await expect(snappyCodec.decompress(snappyClaim)).rejects.toThrow('snappy: the record batch');
    // Chunks each under the bound whose sum is past it.
    const framed = await snappyCodec.compress({ buffer: Buffer.alloc(40 << 20) });
    const twice = Buffer.concat([framed, framed.subarray(16)]);
    await expect(snappyCodec.decompress(twice)).rejects.toThrow('snappy: the record batch');
    // A zstd frame of 20 bytes declaring a 2 GiB window (exponent 21), and one declaring 1 TiB of
    // content in its header: fzstd would allocate either whole.
    const wideWindow = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 21 << 3, 0x01, 0x00, 0x00]);
    await expect(zstdCodec.decompress(wideWindow)).rejects.toThrow('zstd: the record batch');
    const hugeContent = Buffer.alloc(18);
    hugeContent.writeUInt32LE(0xfd2fb528, 0);
    hugeContent[4] = 0xe0; // 8-byte content size, single segment
    hugeContent.writeBigUInt64LE(1n << 40n, 5);
    await expect(zstdCodec.decompress(hugeContent)).rejects.toThrow('zstd: the record batch');
    // A zstd frame without a content size, as the Java client's stream writes: its blocks count.
    // RLE blocks of 128 KiB each, 4 bytes apiece: 512 reach the bound, 513 pass it.
    const rleFrame = (blocks: number) => {
      const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3]); // 128 KiB window
      const block = (last: boolean) => {
        const word = ((128 << 10) << 3) | (1 << 1) | (last ? 1 : 0);
        return Buffer.from([word & 0xff, (word >> 8) & 0xff, (word >> 16) & 0xff, 0x7b]);
      };
      return Buffer.concat([
        header,
        ...Array.from({ length: blocks }, (_, i) => block(i === blocks - 1)),
      ]);
    };
    const full = await zstdCodec.decompress(rleFrame(512));
    expect(full.length).toBe(MAX_DECOMPRESSED_BATCH_BYTES);
    expect(full[full.length - 1]).toBe(0x7b);
    await expect(zstdCodec.decompress(rleFrame(513))).rejects.toThrow('zstd: the record batch');
    // An LZ4 frame's declared content size is not trusted: the blocks are what count.
    const input = sample(100_000);
    const packed = await lz4Codec.compress({ buffer: input });
    const claiming = Buffer.concat([
      Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x68, 0x40]),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 0x10]), // 2^60 bytes
      Buffer.from([0x00]), // header checksum (lz4js does not check it)
      packed.subarray(7),
    ]);
    expect((await lz4Codec.decompress(claiming)).equals(input)).toBe(true);
  });

  it('reads raw snappy as well as the Java client’s chunked stream', async () => {
    const input = sample(100_000);
    const framed = await snappyCodec.compress({ buffer: input });
    expect(framed.subarray(1, 7).toString('latin1')).toBe('SNAPPY');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const raw = Buffer.from((require('snappyjs') as typeof import('snappyjs')).compress(input));
    expect((await snappyCodec.decompress(raw)).equals(input)).toBe(true);
    expect(tools.snappyDecompress(framed).equals(input)).toBe(true);
  });

  it('registers gzip (level 1), snappy, lz4 and zstd in kafkajs once', () => {
    registerKafkaCodecs();
    registerKafkaCodecs();
    const codecs = CompressionCodecs as unknown as Record<number, () => unknown>;
    expect(codecs[CompressionTypes.GZIP]()).toBe(gzipCodec);
    expect(codecs[CompressionTypes.Snappy]()).toBe(snappyCodec);
    expect(codecs[CompressionTypes.LZ4]()).toBe(lz4Codec);
    expect(codecs[CompressionTypes.ZSTD]()).toBe(zstdCodec);
  });

  it('the tools decode every codec the services write', async () => {
    const input = sample(100_000);
    const written = {
      [CompressionTypes.Snappy]: await snappyCodec.compress({ buffer: input }),
      [CompressionTypes.LZ4]: await lz4Codec.compress({ buffer: input }),
      [CompressionTypes.ZSTD]: await zstdCodec.compress({ buffer: input }),
    };
    tools.registerKafkaCodecs();
    try {
      const codecs = CompressionCodecs as unknown as Record<
        number,
        () => { decompress(b: Buffer): Promise<Buffer> }
      >;
      for (const [type, packed] of Object.entries(written)) {
        expect((await codecs[Number(type)]().decompress(packed)).equals(input)).toBe(true);
      }
    } finally {
      const codecs = CompressionCodecs as unknown as Record<number, () => unknown>;
      codecs[CompressionTypes.Snappy] = () => snappyCodec;
      codecs[CompressionTypes.LZ4] = () => lz4Codec;
      codecs[CompressionTypes.ZSTD] = () => zstdCodec;
    }
  });
});
