'use strict';
// Snappy, LZ4 and zstd for the plain-node tools' kafkajs, the same formats as the services'
// libs/kafka/src/codecs.ts (the tools cannot import the TypeScript libraries): snappy-java's
// chunked stream, the LZ4 frame with independent 64 KiB blocks, zstd. The tools only read
// compressed records and write uncompressed ones, so only decoding is needed here.
const { CompressionCodecs, CompressionTypes } = require('kafkajs');
const { decompress: zstdDecompress } = require('fzstd');
const lz4 = require('lz4js');
const snappy = require('snappyjs');

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

function unsupported(name) {
  return async () => {
    throw new Error(`${name} compression is not written by the tools`);
  };
}

function snappyDecompress(buffer) {
  const framed = buffer.length >= XERIAL_HEADER_BYTES && buffer.subarray(0, 8).equals(XERIAL_MAGIC);
  if (!framed) return Buffer.from(snappy.uncompress(buffer));
  const parts = [];
  let at = XERIAL_HEADER_BYTES;
  while (at < buffer.length) {
    if (at + 4 > buffer.length) throw new Error('snappy: truncated chunk length');
    const length = buffer.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > buffer.length) throw new Error('snappy: truncated chunk');
    parts.push(Buffer.from(snappy.uncompress(buffer.subarray(at, at + length))));
    at += length;
  }
  return Buffer.concat(parts);
}

const codecs = {
  [CompressionTypes.Snappy]: {
    compress: unsupported('snappy'),
    decompress: async (buffer) => snappyDecompress(buffer),
  },
  [CompressionTypes.LZ4]: {
    compress: unsupported('lz4'),
    decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
  },
  [CompressionTypes.ZSTD]: {
    compress: unsupported('zstd'),
    decompress: async (buffer) => Buffer.from(zstdDecompress(buffer)),
  },
};

function registerKafkaCodecs() {
  for (const [type, codec] of Object.entries(codecs)) CompressionCodecs[type] = () => codec;
}

module.exports = { registerKafkaCodecs, snappyDecompress };
