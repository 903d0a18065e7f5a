import { hash } from 'node:crypto';
import { type Outcome, failure, success } from './outcome';

/** A base58 digit set with its reverse lookup table (ASCII only; -1 marks a non-digit). */
export interface Base58Alphabet {
  readonly digits: string;
  readonly values: Int8Array;
}

function alphabet(digits: string): Base58Alphabet {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < digits.length; i++) values[digits.charCodeAt(i)] = i;
  return { digits, values };
}

/** Bitcoin's alphabet, also used by Litecoin, Bitcoin Cash legacy, Tron and Solana. */
export const BITCOIN_ALPHABET = alphabet(
  '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz',
);

/**
 * The XRP Ledger reorders the digits so that classic addresses (version 0) start with `r`
 * (https://xrpl.org/docs/concepts/accounts/addresses).
 */
export const XRP_ALPHABET = alphabet('rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz');

const CHECKSUM_LENGTH = 4;

/**
 * Decodes a base58 string, or returns null when a character is not a digit of the alphabet.
 * Each leading zero digit stands for one zero byte; the rest is a big-endian base-58 number.
 * The encoding is one-to-one, so a valid string is already the only spelling of its bytes.
 */
export function decodeBase58(text: string, { digits, values }: Base58Alphabet): Uint8Array | null {
  const zeroDigit = digits.charCodeAt(0);
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === zeroDigit) zeros++;

  // log(58) / log(256) < 0.733: enough room for the number part.
  const capacity = Math.floor(((text.length - zeros) * 733) / 1000) + 1;
  const number = new Uint8Array(capacity);
  let used = 0; // bytes in use, counted from the end of `number`
  for (let i = zeros; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let carry = code < 128 ? values[code] : -1;
    if (carry < 0) return null;
    let k = 0;
    for (let j = capacity - 1; j >= 0 && (carry !== 0 || k < used); j--, k++) {
      carry += 58 * number[j];
      number[j] = carry & 0xff;
      carry >>>= 8;
    }
    used = k;
  }
  let start = capacity - used;
  while (start < capacity && number[start] === 0) start++;
  const bytes = new Uint8Array(zeros + capacity - start);
  bytes.set(number.subarray(start), zeros);
  return bytes;
}

export function encodeBase58(bytes: Uint8Array, { digits }: Base58Alphabet): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;

  // log(256) / log(58) < 1.366
  const capacity = Math.floor(((bytes.length - zeros) * 1366) / 1000) + 1;
  const number = new Uint8Array(capacity); // base-58 digits, most significant first
  let used = 0;
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    let k = 0;
    for (let j = capacity - 1; j >= 0 && (carry !== 0 || k < used); j--, k++) {
      carry += 256 * number[j];
      number[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    used = k;
  }
  let start = capacity - used;
  while (start < capacity && number[start] === 0) start++;
  let text = digits[0].repeat(zeros);
  for (let i = start; i < capacity; i++) text += digits[number[i]];
  return text;
}

// One-shot crypto.hash (Node 20.12+) costs about half of createHash().update().digest() on
// inputs this small; base58check runs for most addresses of most events.
function doubleSha256(bytes: Uint8Array): Buffer {
  return hash('sha256', hash('sha256', bytes, 'buffer'), 'buffer');
}

/**
 * Decodes base58check: payload followed by the first 4 bytes of SHA-256(SHA-256(payload)).
 * Returns the payload (version byte included) without the checksum.
 */
export function decodeBase58Check(text: string, abc: Base58Alphabet): Outcome<Uint8Array> {
  const bytes = decodeBase58(text, abc);
  if (bytes === null) return failure('contains a character outside the base58 alphabet');
  if (bytes.length <= CHECKSUM_LENGTH) return failure('base58 data is too short');
  const payload = bytes.subarray(0, bytes.length - CHECKSUM_LENGTH);
  const expected = doubleSha256(payload);
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    if (bytes[payload.length + i] !== expected[i]) return failure('base58check checksum mismatch');
  }
  return success(payload);
}

export function encodeBase58Check(payload: Uint8Array, abc: Base58Alphabet): string {
  const bytes = new Uint8Array(payload.length + CHECKSUM_LENGTH);
  bytes.set(payload);
  bytes.set(doubleSha256(payload).subarray(0, CHECKSUM_LENGTH), payload.length);
  return encodeBase58(bytes, abc);
}
