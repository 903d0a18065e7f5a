import { type Outcome, failure, success } from './outcome';

/**
 * Bech32 (BIP173) and Bech32m (BIP350) and the segwit address rules built on them.
 * https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki
 * https://github.com/bitcoin/bips/blob/master/bip-0350.mediawiki
 */

/** The 32 data characters; shared with CashAddr. */
export const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Character code (lower or upper case) → 5-bit value, -1 for anything else. */
export const BECH32_VALUES: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < BECH32_CHARSET.length; i++) {
    values[BECH32_CHARSET.charCodeAt(i)] = i;
    values[BECH32_CHARSET.toUpperCase().charCodeAt(i)] = i;
  }
  return values;
})();

export type Bech32Encoding = 'bech32' | 'bech32m';

// The value the checksum polymod must leave: 1 for BIP173, 0x2bc830a3 for BIP350.
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

// BIP173: "The human-readable part ... the whole string must be at most 90 characters".
const MAX_LENGTH = 90;
const CHECKSUM_LENGTH = 6;

function polymodStep(checksum: number, value: number): number {
  const top = checksum >>> 25;
  let next = ((checksum & 0x1ffffff) << 5) ^ value;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) next ^= GENERATORS[i];
  return next;
}

export interface Bech32Decoded {
  /** Lower case. */
  hrp: string;
  /** 5-bit values, checksum removed. */
  words: Uint8Array;
  encoding: Bech32Encoding;
}

/** Decodes a Bech32 or Bech32m string and tells which of the two checksums it carries. */
export function decodeBech32(text: string): Outcome<Bech32Decoded> {
  if (text.length > MAX_LENGTH) return failure('bech32 string is longer than 90 characters');
  let hasLower = false;
  let hasUpper = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 33 || code > 126) return failure('bech32 string contains an invalid character');
    if (code >= 97 && code <= 122) hasLower = true;
    else if (code >= 65 && code <= 90) hasUpper = true;
  }
  // BIP173: "Decoders MUST NOT accept strings where some characters are uppercase and some are lowercase".
  if (hasLower && hasUpper) return failure('bech32 string mixes upper and lower case');

  const lower = hasUpper ? text.toLowerCase() : text;
  const separator = lower.lastIndexOf('1');
  if (separator < 1) return failure('bech32 human-readable part is missing');
  if (lower.length - separator - 1 < CHECKSUM_LENGTH)
    return failure('bech32 checksum is too short');

  const hrp = lower.slice(0, separator);
  let checksum = 1;
  for (let i = 0; i < hrp.length; i++) checksum = polymodStep(checksum, hrp.charCodeAt(i) >>> 5);
  checksum = polymodStep(checksum, 0);
  for (let i = 0; i < hrp.length; i++) checksum = polymodStep(checksum, hrp.charCodeAt(i) & 31);

  const dataLength = lower.length - separator - 1;
  const words = new Uint8Array(dataLength);
  for (let i = 0; i < dataLength; i++) {
    const value = BECH32_VALUES[lower.charCodeAt(separator + 1 + i)];
    if (value === undefined || value < 0)
      return failure('bech32 data contains an invalid character');
    words[i] = value;
    checksum = polymodStep(checksum, value);
  }
  let encoding: Bech32Encoding;
  if (checksum === BECH32_CONST) encoding = 'bech32';
  else if (checksum === BECH32M_CONST) encoding = 'bech32m';
  else return failure('bech32 checksum mismatch');
  return success({ hrp, words: words.subarray(0, dataLength - CHECKSUM_LENGTH), encoding });
}

/**
 * Regroups 5-bit words into bytes. At most 4 bits of padding may remain and they must be zero
 * (BIP173, "Segwit address format"), otherwise two strings could spell one program.
 */
export function wordsToBytes(words: Uint8Array): Uint8Array | null {
  const bytes = new Uint8Array(Math.floor((words.length * 5) / 8));
  let accumulator = 0;
  let bits = 0;
  let length = 0;
  for (let i = 0; i < words.length; i++) {
    accumulator = ((accumulator << 5) | words[i]) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[length++] = (accumulator >>> bits) & 0xff;
    }
  }
  if (bits >= 5 || (accumulator & ((1 << bits) - 1)) !== 0) return null;
  return bytes;
}

export interface SegwitAddress {
  version: number;
  program: Uint8Array;
}

export interface SegwitNetwork {
  /** Mainnet human-readable part, e.g. `bc`. */
  hrp: string;
  /** Testnet and regtest parts, named in the rejection reason. */
  testHrps: readonly string[];
}

/** Decodes a native segwit address (BIP173 witness v0, BIP350 v1..v16) for one network. */
export function decodeSegwitAddress(text: string, network: SegwitNetwork): Outcome<SegwitAddress> {
  const decoded = decodeBech32(text);
  if (!decoded.ok) return decoded;
  const { hrp, words, encoding } = decoded.value;
  if (hrp !== network.hrp) {
    return failure(
      network.testHrps.includes(hrp)
        ? 'testnet addresses are not accepted'
        : `segwit prefix must be ${network.hrp}1`,
    );
  }
  if (words.length === 0) return failure('segwit witness version is missing');
  const version = words[0];
  if (version > 16) return failure('segwit witness version is above 16');
  // BIP350: version 0 keeps the Bech32 checksum; versions 1 to 16 use Bech32m.
  if (version === 0 && encoding !== 'bech32') return failure('segwit v0 needs a bech32 checksum');
  if (version !== 0 && encoding !== 'bech32m')
    return failure('segwit v1+ needs a bech32m checksum');
  const program = wordsToBytes(words.subarray(1));
  if (program === null) return failure('segwit program has invalid padding');
  if (program.length < 2 || program.length > 40)
    return failure('segwit program length must be 2 to 40 bytes');
  // BIP141: a version 0 program is a 20-byte key hash or a 32-byte script hash.
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    return failure('segwit v0 program must be 20 or 32 bytes');
  }
  return success({ version, program });
}
