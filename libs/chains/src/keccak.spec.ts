import { keccak256 } from './keccak';

const digest = (input: Uint8Array): string => Buffer.from(keccak256(input)).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

describe('keccak256', () => {
  // Ethereum's Keccak-256 (original padding), as in the yellow paper and every client.
  it.each([
    ['', 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
    ['abc', '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45'],
    [
      'The quick brown fox jumps over the lazy dog',
      '4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15',
    ],
  ])('hashes %j', (text, expected) => {
    expect(digest(bytes(text))).toBe(expected);
  });

  it('differs from SHA3-256, which pads with 0x06', () => {
    // SHA3-256("") = a7ffc6f8bf1ed766…; Ethereum addresses need Keccak's 0x01 padding.
    expect(digest(new Uint8Array(0)).startsWith('a7ffc6f8')).toBe(false);
  });

  it.each([135, 136, 137, 272, 300])('pads a %i-byte input across the 136-byte rate', (length) => {
    // Same input twice gives the same digest: the scratch state is reset between calls.
    const input = new Uint8Array(length).map((_, i) => i & 0xff);
    const first = digest(input);
    expect(first).toHaveLength(64);
    expect(digest(input)).toBe(first);
    expect(digest(input.subarray(0, length - 1))).not.toBe(first);
  });
});
