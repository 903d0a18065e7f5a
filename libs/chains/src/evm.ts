import { keccak_256 } from '@noble/hashes/sha3.js';
import { type Outcome, failure, success } from './outcome';

const HEX_LENGTH = 40;
const ADDRESS_LENGTH = 2 + HEX_LENGTH;

/**
 * An EVM account address: `0x` and 40 hex digits. Hex is case-insensitive, so the canonical form
 * is lower case. Mixed case is an EIP-55 checksum and must verify
 * (https://eips.ethereum.org/EIPS/eip-55): all-lower and all-upper spellings carry no checksum
 * and are accepted without hashing, which keeps keccak off the common path. Keccak-256 is
 * Ethereum's (original Keccak padding), not SHA3-256, so node:crypto cannot compute it.
 */
export function normalizeEvmAddress(raw: string): Outcome<string> {
  if (raw.length !== ADDRESS_LENGTH) return failure('EVM address must be 0x and 40 hex digits');
  if (raw.charCodeAt(0) !== 48 /* 0 */ || raw.charCodeAt(1) !== 120 /* x */) {
    return failure('EVM address must start with 0x');
  }
  let hasLower = false;
  let hasUpper = false;
  for (let i = 2; i < ADDRESS_LENGTH; i++) {
    const code = raw.charCodeAt(i);
    if (code >= 48 && code <= 57) continue;
    if (code >= 97 && code <= 102) hasLower = true;
    else if (code >= 65 && code <= 70) hasUpper = true;
    else return failure('EVM address contains a non-hex character');
  }
  if (!hasUpper) return success(raw);
  const lower = raw.toLowerCase();
  if (hasLower && !passesEip55(raw, lower)) return failure('EIP-55 checksum mismatch');
  return success(lower);
}

/** EIP-55: a letter is upper case exactly when its nibble of keccak256(lower-case hex) is ≥ 8. */
function passesEip55(raw: string, lower: string): boolean {
  const ascii = new Uint8Array(HEX_LENGTH);
  for (let i = 0; i < HEX_LENGTH; i++) ascii[i] = lower.charCodeAt(i + 2);
  const hash = keccak_256(ascii);
  for (let i = 0; i < HEX_LENGTH; i++) {
    const code = raw.charCodeAt(i + 2);
    if (code <= 57) continue; // a digit has no case
    const nibble = i & 1 ? hash[i >>> 1] & 0x0f : hash[i >>> 1] >>> 4;
    const isUpper = code <= 70;
    if (isUpper !== nibble >= 8) return false;
  }
  return true;
}

/** Builds an EIP-55 spelling; for tests and for presenting addresses, not for matching. */
export function toEip55(lowerAddress: string): string {
  const ascii = new Uint8Array(HEX_LENGTH);
  for (let i = 0; i < HEX_LENGTH; i++) ascii[i] = lowerAddress.charCodeAt(i + 2);
  const hash = keccak_256(ascii);
  let text = '0x';
  for (let i = 0; i < HEX_LENGTH; i++) {
    const char = lowerAddress[i + 2];
    const nibble = i & 1 ? hash[i >>> 1] & 0x0f : hash[i >>> 1] >>> 4;
    text += nibble >= 8 ? char.toUpperCase() : char;
  }
  return text;
}
