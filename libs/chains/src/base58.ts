import { hash } from 'node:crypto';
import { type BytesCoder, base58, base58xrp } from '@scure/base';
import { type Outcome, failure, success } from './outcome';

/**
 * Bitcoin's digits serve Litecoin, Bitcoin Cash legacy, Tron and Solana; the XRP Ledger reorders
 * them so that classic addresses start with `r` (https://xrpl.org/docs/concepts/accounts/addresses).
 */
export type Base58Alphabet = 'bitcoin' | 'xrp';

const ENCODERS: Readonly<Record<Base58Alphabet, BytesCoder>> = { bitcoin: base58, xrp: base58xrp };
const CHECKSUM_LENGTH = 4;
const NOT_A_DIGIT = 0xff;

/** Each alphabet's digit values by character code: a table lookup per character, no search. */
const DIGITS: Readonly<Record<Base58Alphabet, Uint8Array>> = {
  bitcoin: digitTable('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'),
  xrp: digitTable('rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz'),
};

/** The character of digit 0, which stands for a leading zero byte. */
const ZERO_DIGIT: Readonly<Record<Base58Alphabet, number>> = {
  bitcoin: DIGITS.bitcoin.indexOf(0),
  xrp: DIGITS.xrp.indexOf(0),
};

function digitTable(alphabet: string): Uint8Array {
  const table = new Uint8Array(128).fill(NOT_A_DIGIT);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

/**
 * Decodes plain base58, or returns null when a character is not a digit of the alphabet.
 * Decoding is on every transfer's path: this multiplies into one byte buffer in place, about
 * nine times faster than @scure/base's general radix conversion (kept for encoding, which no
 * transfer needs). Each leading zero digit is a leading zero byte.
 */
export function decodeBase58(text: string, alphabet: Base58Alphabet): Uint8Array | null {
  const digits = DIGITS[alphabet];
  const zeroDigit = ZERO_DIGIT[alphabet];
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === zeroDigit) zeros++;
  // log(58) / log(256) < 0.733: enough bytes for the rest of the digits.
  const size = Math.floor(((text.length - zeros) * 733) / 1000) + 1;
  const bytes = new Uint8Array(size);
  let used = 0;
  for (let i = zeros; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let carry = code < 128 ? digits[code] : NOT_A_DIGIT;
    if (carry === NOT_A_DIGIT) return null;
    let j = 0;
    for (let k = size - 1; (carry !== 0 || j < used) && k >= 0; k--, j++) {
      carry += 58 * bytes[k];
      bytes[k] = carry & 0xff;
      carry >>>= 8;
    }
    used = j;
  }
  const decoded = new Uint8Array(zeros + used);
  decoded.set(bytes.subarray(size - used), zeros);
  return decoded;
}

export function encodeBase58(bytes: Uint8Array, alphabet: Base58Alphabet): string {
  return ENCODERS[alphabet].encode(bytes);
}

// @scure/base's base58check is tied to Bitcoin's digits; XRP uses the same checksum over its
// own, so the four checksum bytes are compared here for both. Node's SHA-256 is native.
function checksum(payload: Uint8Array): Buffer {
  return hash('sha256', hash('sha256', payload, 'buffer'), 'buffer').subarray(0, CHECKSUM_LENGTH);
}

/**
 * Decodes base58check: payload followed by the first 4 bytes of SHA-256(SHA-256(payload)).
 * Returns the payload (version byte included) without the checksum.
 */
export function decodeBase58Check(text: string, alphabet: Base58Alphabet): Outcome<Uint8Array> {
  const bytes = decodeBase58(text, alphabet);
  if (bytes === null) return failure('contains a character outside the base58 alphabet');
  if (bytes.length <= CHECKSUM_LENGTH) return failure('base58 data is too short');
  const payload = bytes.subarray(0, bytes.length - CHECKSUM_LENGTH);
  if (!checksum(payload).equals(bytes.subarray(payload.length))) {
    return failure('base58check checksum mismatch');
  }
  return success(payload);
}

export function encodeBase58Check(payload: Uint8Array, alphabet: Base58Alphabet): string {
  const bytes = new Uint8Array(payload.length + CHECKSUM_LENGTH);
  bytes.set(payload);
  bytes.set(checksum(payload), payload.length);
  return encodeBase58(bytes, alphabet);
}
