/**
 * Keccak-256 as Ethereum uses it: the original Keccak padding (0x01 … 0x80), not SHA3-256's
 * (0x06 … 0x80), so node:crypto's `sha3-256` gives different digests.
 *
 * Written here instead of importing @noble/hashes because that package is ESM-only and the jest
 * setup of this repository loads CommonJS only. Built from FIPS 202 §3: lanes are 64-bit, held as
 * (low, high) 32-bit halves at state[2i], state[2i+1] for lane i = x + 5y.
 */

const ROUNDS = 24;
const RATE_BYTES = 136; // 1600-bit state minus a 512-bit capacity
const DIGEST_BYTES = 32;

// Round constants from the rc(t) LFSR of FIPS 202 §3.2.5 and rotation offsets and lane
// destinations of §3.2.2–3.2.3, derived at load so that no 24-entry table can be mistyped.
const ROUND_LOW = new Uint32Array(ROUNDS);
const ROUND_HIGH = new Uint32Array(ROUNDS);
const ROTATION = new Uint8Array(25);
const DESTINATION = new Uint8Array(25);
{
  let lfsr = 1;
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < 7; j++) {
      const bit = (1 << j) - 1;
      if (lfsr & 1) {
        if (bit < 32) ROUND_LOW[round] |= 1 << bit;
        else ROUND_HIGH[round] |= 1 << (bit - 32);
      }
      // x^8 + x^6 + x^5 + x^4 + 1
      lfsr = lfsr & 0x80 ? ((lfsr << 1) ^ 0x171) & 0xff : lfsr << 1;
    }
  }
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    ROTATION[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  for (let lx = 0; lx < 5; lx++) {
    for (let ly = 0; ly < 5; ly++) DESTINATION[lx + 5 * ly] = ly + 5 * ((2 * lx + 3 * ly) % 5);
  }
}

// Scratch space reused by every call: hashing is synchronous, so calls never interleave.
const state = new Uint32Array(50);
const parity = new Uint32Array(10);
const moved = new Uint32Array(50);

function permute(): void {
  for (let round = 0; round < ROUNDS; round++) {
    // θ
    for (let x = 0; x < 10; x++) {
      parity[x] = state[x] ^ state[x + 10] ^ state[x + 20] ^ state[x + 30] ^ state[x + 40];
    }
    for (let x = 0; x < 5; x++) {
      const next = 2 * ((x + 1) % 5);
      const previous = 2 * ((x + 4) % 5);
      const low = parity[previous] ^ ((parity[next] << 1) | (parity[next + 1] >>> 31));
      const high = parity[previous + 1] ^ ((parity[next + 1] << 1) | (parity[next] >>> 31));
      for (let y = 0; y < 50; y += 10) {
        state[y + 2 * x] ^= low;
        state[y + 2 * x + 1] ^= high;
      }
    }
    // ρ and π
    for (let lane = 0; lane < 25; lane++) {
      const low = state[2 * lane];
      const high = state[2 * lane + 1];
      const shift = ROTATION[lane];
      const to = 2 * DESTINATION[lane];
      if (shift === 0) {
        moved[to] = low;
        moved[to + 1] = high;
      } else if (shift < 32) {
        moved[to] = (low << shift) | (high >>> (32 - shift));
        moved[to + 1] = (high << shift) | (low >>> (32 - shift));
      } else if (shift === 32) {
        moved[to] = high;
        moved[to + 1] = low;
      } else {
        const s = shift - 32;
        moved[to] = (high << s) | (low >>> (32 - s));
        moved[to + 1] = (low << s) | (high >>> (32 - s));
      }
    }
    // χ, one row of five lanes at a time
    for (let y = 0; y < 50; y += 10) {
      const l0 = moved[y];
      const h0 = moved[y + 1];
      const l1 = moved[y + 2];
      const h1 = moved[y + 3];
      const l2 = moved[y + 4];
      const h2 = moved[y + 5];
      const l3 = moved[y + 6];
      const h3 = moved[y + 7];
      const l4 = moved[y + 8];
      const h4 = moved[y + 9];
      state[y] = l0 ^ (~l1 & l2);
      state[y + 1] = h0 ^ (~h1 & h2);
      state[y + 2] = l1 ^ (~l2 & l3);
      state[y + 3] = h1 ^ (~h2 & h3);
      state[y + 4] = l2 ^ (~l3 & l4);
      state[y + 5] = h2 ^ (~h3 & h4);
      state[y + 6] = l3 ^ (~l4 & l0);
      state[y + 7] = h3 ^ (~h4 & h0);
      state[y + 8] = l4 ^ (~l0 & l1);
      state[y + 9] = h4 ^ (~h0 & h1);
    }
    // ι
    state[0] ^= ROUND_LOW[round];
    state[1] ^= ROUND_HIGH[round];
  }
}

function absorbByte(position: number, byte: number): void {
  // Lanes are little-endian: byte k of lane i is bits 8k..8k+7.
  const word = position >>> 2; // = 2 * lane + (byte-in-lane >= 4 ? 1 : 0)
  state[word] ^= byte << (8 * (position & 3));
}

export function keccak256(input: Uint8Array): Uint8Array {
  state.fill(0);
  let offset = 0;
  for (; input.length - offset >= RATE_BYTES; offset += RATE_BYTES) {
    for (let i = 0; i < RATE_BYTES; i++) absorbByte(i, input[offset + i]);
    permute();
  }
  const tail = input.length - offset;
  for (let i = 0; i < tail; i++) absorbByte(i, input[offset + i]);
  absorbByte(tail, 0x01);
  absorbByte(RATE_BYTES - 1, 0x80);
  permute();

  const digest = new Uint8Array(DIGEST_BYTES);
  for (let i = 0; i < DIGEST_BYTES; i++) digest[i] = state[i >>> 2] >>> (8 * (i & 3));
  return digest;
}
