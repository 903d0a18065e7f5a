import { randomBytes } from 'node:crypto';
import { crc32c } from './crc32c';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

describe('crc32c', () => {
  it('gives the check value of CRC-32C for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with kafkajs at every length and alignment', () => {
    const bytes = randomBytes(4099);
    for (const length of [1, 7, 8, 9, 15, 16, 17, 61, 1000, 4096]) {
      for (const start of [0, 1, 3]) {
        const slice = bytes.subarray(start, start + length);
        expect(crc32c(slice)).toBe(kafkajsCrc32c(slice));
      }
    }
  });
});
