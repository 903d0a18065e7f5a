import { bech32 } from '@scure/base';
import { type Outcome, failure, success } from './outcome';

/**
 * CashAddr, the Bitcoin Cash address format.
 * Spec: https://github.com/bitcoincashorg/bitcoincash.org/blob/master/spec/cashaddr.md
 * Token-aware types: CHIP-2022-02-CashTokens, "Token-Aware CashAddresses".
 */

export const CASHADDR_PREFIX = 'bitcoincash';
const TEST_PREFIXES = ['bchtest', 'bchreg'];
const CHECKSUM_WORDS = 8;

// Bech32's 32 characters; the checksum differs (40 bits), so @scure/base only regroups the bits.
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const VALUES: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < CHARSET.length; i++) {
    values[CHARSET.charCodeAt(i)] = i;
    values[CHARSET.toUpperCase().charCodeAt(i)] = i;
  }
  return values;
})();

export type CashAddrKind = 'p2pkh' | 'p2sh';

export interface CashAddr {
  kind: CashAddrKind;
  hash: Uint8Array;
}

/**
 * The checksum is a 40-bit BCH code. JavaScript bit operators work on 32 bits, so the state is
 * kept as an 8-bit high part and a 32-bit low part; the generators below are the spec's, split.
 */
const GENERATORS_HIGH = [0x98, 0x79, 0xf3, 0xae, 0x1e];
const GENERATORS_LOW = [0xf2bc8e61, 0xb76d99e2, 0x3e5fb3c4, 0x2eabe2a8, 0x4f43e470];

class Polymod {
  private high = 0;
  private low = 1;

  push(value: number): void {
    const top = this.high >>> 3;
    this.high = ((this.high & 0x07) << 5) | (this.low >>> 27);
    this.low = ((this.low << 5) | value) >>> 0;
    for (let i = 0; i < 5; i++) {
      if ((top >>> i) & 1) {
        this.high ^= GENERATORS_HIGH[i];
        this.low = (this.low ^ GENERATORS_LOW[i]) >>> 0;
      }
    }
  }

  pushPrefix(prefix: string): void {
    for (let i = 0; i < prefix.length; i++) this.push(prefix.charCodeAt(i) & 31);
    this.push(0); // the separator
  }

  /** The spec's PolyMod result, `c ^ 1`, as a number below 2^40. */
  result(): number {
    return this.high * 0x1_0000_0000 + ((this.low ^ 1) >>> 0);
  }
}

/** Maps lower-case payload characters to 5-bit words; null on a character outside the set. */
function payloadWords(payload: string): Uint8Array | null {
  const words = new Uint8Array(payload.length);
  for (let i = 0; i < payload.length; i++) {
    const code = payload.charCodeAt(i);
    const value = code < 128 ? VALUES[code] : -1;
    if (value < 0) return null;
    words[i] = value;
  }
  return words;
}

function hasValidChecksum(prefix: string, words: Uint8Array): boolean {
  const polymod = new Polymod();
  polymod.pushPrefix(prefix);
  for (let i = 0; i < words.length; i++) polymod.push(words[i]);
  return polymod.result() === 0;
}

/** Checks only the checksum of `prefix:payload` (lower case), whatever the prefix and payload. */
export function cashAddrChecksumHolds(text: string): boolean {
  const colon = text.indexOf(':');
  if (colon < 0) return false;
  const words = payloadWords(text.slice(colon + 1));
  return words !== null && hasValidChecksum(text.slice(0, colon), words);
}

// Hash sizes by the 3 size bits of the version byte (spec, "P2PKH and P2SH").
const HASH_SIZES = [20, 24, 28, 32, 40, 48, 56, 64];

/**
 * Decodes a mainnet CashAddr, with or without the `bitcoincash:` prefix, all lower or all upper
 * case. Token-aware types (2 and 3, `z…`/`r…`) lock the same script as types 0 and 1, so they are
 * reported as the same kind: one holder, one key.
 */
export function decodeCashAddr(text: string): Outcome<CashAddr> {
  let hasLower = false;
  let hasUpper = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 97 && code <= 122) hasLower = true;
    else if (code >= 65 && code <= 90) hasUpper = true;
  }
  // Spec, "Uppercase/lowercase": "A mixture of lowercase and uppercase must be rejected."
  if (hasLower && hasUpper) return failure('cashaddr mixes upper and lower case');
  const lower = hasUpper ? text.toLowerCase() : text;

  const colon = lower.indexOf(':');
  let prefix = CASHADDR_PREFIX;
  let payload = lower;
  if (colon >= 0) {
    prefix = lower.slice(0, colon);
    payload = lower.slice(colon + 1);
    if (prefix !== CASHADDR_PREFIX) {
      return failure(
        TEST_PREFIXES.includes(prefix)
          ? 'testnet addresses are not accepted'
          : `cashaddr prefix must be ${CASHADDR_PREFIX}`,
      );
    }
  }
  if (payload.length <= CHECKSUM_WORDS) return failure('cashaddr payload is too short');

  const words = payloadWords(payload);
  if (words === null) return failure('cashaddr contains an invalid character');
  if (!hasValidChecksum(prefix, words)) return failure('cashaddr checksum mismatch');

  const data = bech32.fromWordsUnsafe(Array.from(words.subarray(0, words.length - CHECKSUM_WORDS)));
  if (!data || data.length === 0) return failure('cashaddr payload has invalid padding');
  const version = data[0];
  if (version & 0x80) return failure('cashaddr version byte has the reserved bit set');
  const type = version >>> 3;
  const hash = data.subarray(1);
  if (hash.length !== HASH_SIZES[version & 0x07]) {
    return failure('cashaddr hash length does not match its version byte');
  }
  const kind: CashAddrKind | null =
    type === 0 || type === 2 ? 'p2pkh' : type === 1 || type === 3 ? 'p2sh' : null;
  if (kind === null) return failure('cashaddr type is not P2PKH or P2SH');
  return success({ kind, hash });
}

/** Encodes the canonical form: prefixed, lower case, type 0 (`q…`) or 1 (`p…`). */
export function encodeCashAddr({ kind, hash }: CashAddr): string {
  const sizeBits = HASH_SIZES.indexOf(hash.length);
  if (sizeBits < 0) throw new RangeError(`cashaddr cannot encode a ${hash.length}-byte hash`);
  const data = new Uint8Array(hash.length + 1);
  data[0] = ((kind === 'p2sh' ? 1 : 0) << 3) | sizeBits;
  data.set(hash, 1);

  const polymod = new Polymod();
  polymod.pushPrefix(CASHADDR_PREFIX);
  let text = `${CASHADDR_PREFIX}:`;
  let accumulator = 0;
  let bits = 0;
  const pushWord = (word: number): void => {
    polymod.push(word);
    text += CHARSET[word];
  };
  for (let i = 0; i < data.length; i++) {
    accumulator = ((accumulator << 8) | data[i]) & 0x1fff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      pushWord((accumulator >>> bits) & 31);
    }
  }
  if (bits > 0) pushWord((accumulator << (5 - bits)) & 31);
  for (let i = 0; i < CHECKSUM_WORDS; i++) polymod.push(0);
  const checksum = polymod.result();
  for (let i = CHECKSUM_WORDS - 1; i >= 0; i--) {
    text += CHARSET[Math.floor(checksum / 2 ** (5 * i)) % 32];
  }
  return text;
}
