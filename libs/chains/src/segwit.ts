import { bech32, bech32m } from '@scure/base';
import { type Outcome, failure, success } from './outcome';

/**
 * Native segwit addresses: Bech32 (BIP173) for witness version 0, Bech32m (BIP350) for 1 to 16.
 * https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki
 * https://github.com/bitcoin/bips/blob/master/bip-0350.mediawiki
 */

// BIP173: "The human-readable part ... the whole string must be at most 90 characters".
const MAX_LENGTH = 90;
// BIP173: each character of a Bech32 string is US-ASCII 33 to 126.
const PRINTABLE = /^[\x21-\x7e]*$/;
const DATA_CHARACTERS = /^[qpzry9x8gf2tvdw0s3jn54khce6mua7l]*$/;

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

/** The reason a string that neither checksum accepts was refused, in the terms of BIP173. */
function whyNotBech32(lower: string): string {
  const separator = lower.lastIndexOf('1');
  if (separator < 1) return 'bech32 human-readable part is missing';
  const data = lower.slice(separator + 1);
  if (data.length < 6) return 'bech32 checksum is too short';
  if (!DATA_CHARACTERS.test(data)) return 'bech32 data contains an invalid character';
  return 'bech32 checksum mismatch';
}

/** Decodes a native segwit address (BIP173 witness v0, BIP350 v1..v16) for one network. */
export function decodeSegwitAddress(text: string, network: SegwitNetwork): Outcome<SegwitAddress> {
  if (text.length > MAX_LENGTH) return failure('bech32 string is longer than 90 characters');
  if (!PRINTABLE.test(text)) return failure('bech32 string contains an invalid character');
  const lower = text.toLowerCase();
  // BIP173: "Decoders MUST NOT accept strings where some characters are uppercase and some are lowercase".
  if (lower !== text && text.toUpperCase() !== text) {
    return failure('bech32 string mixes upper and lower case');
  }
  // The first data character is the witness version, and the version says which checksum to
  // expect (`q` is 0); the other is tried only to name the mistake.
  const versionZero = lower.charAt(lower.lastIndexOf('1') + 1) === 'q';
  const expected = versionZero ? bech32 : bech32m;
  const other = versionZero ? bech32m : bech32;
  let decoded = expected.decodeUnsafe(lower);
  const wrongChecksum = !decoded && (decoded = other.decodeUnsafe(lower)) !== undefined;
  if (!decoded) return failure(whyNotBech32(lower));

  const { prefix, words } = decoded;
  if (prefix !== network.hrp) {
    return failure(
      network.testHrps.includes(prefix)
        ? 'testnet addresses are not accepted'
        : `segwit prefix must be ${network.hrp}1`,
    );
  }
  if (words.length === 0) return failure('segwit witness version is missing');
  const version = words[0];
  if (version > 16) return failure('segwit witness version is above 16');
  if (wrongChecksum) {
    return failure(
      version === 0 ? 'segwit v0 needs a bech32 checksum' : 'segwit v1+ needs a bech32m checksum',
    );
  }
  // BIP173 "Segwit address format": padding of at most 4 zero bits, else two strings spell one program.
  const program = bech32.fromWordsUnsafe(words.slice(1));
  if (!program) return failure('segwit program has invalid padding');
  if (program.length < 2 || program.length > 40)
    return failure('segwit program length must be 2 to 40 bytes');
  // BIP141: a version 0 program is a 20-byte key hash or a 32-byte script hash.
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    return failure('segwit v0 program must be 20 or 32 bytes');
  }
  return success({ version, program });
}
