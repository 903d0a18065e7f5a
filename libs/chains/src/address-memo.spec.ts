import { AddressMemo } from './address-memo';
import { normalizeAddress } from './normalize';

const LOWER = '0x7ff9cfad3877f21d41da833e2f775db0569ee3d9';
const CHECKSUMMED = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';

describe('AddressMemo', () => {
  it('answers as normalizeAddress does, for good and bad spellings on every kind of chain', () => {
    const memo = new AddressMemo(10);
    const cases: Array<[Parameters<typeof normalizeAddress>[0], string]> = [
      ['ethereum', LOWER],
      ['ethereum', CHECKSUMMED],
      ['polygon', LOWER],
      ['ethereum', '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3d9'], // checksum broken
      ['bitcoin', '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1'],
      ['litecoin', '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1'],
      ['tron', 'not an address'],
    ];
    for (const [chain, raw] of [...cases, ...cases]) {
      expect(memo.normalize(chain, raw)).toEqual(normalizeAddress(chain, raw));
    }
  });

  it('keeps what it worked out, per chain and spelling, and not the refusals', () => {
    const memo = new AddressMemo(10);
    const first = memo.normalize('ethereum', LOWER);
    expect(memo.normalize('ethereum', LOWER)).toBe(first);
    expect(memo.normalize('bsc', LOWER)).not.toBe(first);
    memo.normalize('ethereum', 'junk');
    memo.normalize('ethereum', 'junk');
    expect(memo.size).toBe(2);
  });

  it('holds at most two generations: one-off addresses age out, returning ones are carried over', () => {
    const memo = new AddressMemo(2);
    const hot = memo.normalize('ethereum', LOWER);
    const oneOff = memo.normalize('ethereum', CHECKSUMMED);
    expect(memo.size).toBe(2);
    // The recent generation is full: it becomes the older one.
    const polygon = memo.normalize('polygon', LOWER);
    expect(memo.size).toBe(3);
    // Found in the older generation: the same answer, carried into the recent one.
    expect(memo.normalize('ethereum', LOWER)).toBe(hot);
    // The recent generation is full again: the older one (with the one-off CHECKSUMMED) goes.
    memo.normalize('bsc', LOWER);
    expect(memo.size).toBe(3);
    expect(memo.normalize('ethereum', LOWER)).toBe(hot);
    expect(memo.normalize('polygon', LOWER)).toBe(polygon);
    // The one-off was dropped: worked out again, an equal answer but not the one kept before.
    const again = memo.normalize('ethereum', CHECKSUMMED);
    expect(again).toEqual(oneOff);
    expect(again).not.toBe(oneOff);
    expect(memo.size).toBeLessThanOrEqual(4);
    expect(() => new AddressMemo(0)).toThrow(/capacity/);
  });
});
