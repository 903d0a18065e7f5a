import { decodeBase58Check } from './base58';
import { type SegwitNetwork, decodeSegwitAddress } from './segwit';
import { type Outcome, failure, success } from './outcome';

/** What tells a Bitcoin-family mainnet address apart: its segwit prefix and base58 version bytes. */
export interface UtxoNetwork {
  segwit: SegwitNetwork;
  base58Versions: readonly number[];
  /** Testnet and regtest version bytes, named in the rejection reason. */
  testVersions: readonly number[];
}

// https://en.bitcoin.it/wiki/List_of_address_prefixes
export const BITCOIN: UtxoNetwork = {
  segwit: { hrp: 'bc', testHrps: ['tb', 'bcrt'] },
  base58Versions: [0x00, 0x05],
  testVersions: [0x6f, 0xc4],
};

// Litecoin chainparams.cpp: PUBKEY_ADDRESS 48 (L), SCRIPT_ADDRESS 50 (M) and the older
// SCRIPT_ADDRESS2 5 (3), still valid; testnet 111, 196 and 58 (Q).
export const LITECOIN: UtxoNetwork = {
  segwit: { hrp: 'ltc', testHrps: ['tltc', 'rltc'] },
  base58Versions: [0x30, 0x32, 0x05],
  testVersions: [0x6f, 0xc4, 0x3a],
};

/** Version byte + 20-byte hash; the 4-byte checksum is already removed. */
const BASE58_PAYLOAD_LENGTH = 21;

/**
 * Decodes a legacy base58check address (version byte + 20-byte hash) and returns its version byte.
 * Accepts any version; the caller decides which ones its network uses.
 */
export function decodeLegacyAddress(raw: string): Outcome<Uint8Array> {
  const decoded = decodeBase58Check(raw, 'bitcoin');
  if (!decoded.ok) return decoded;
  if (decoded.value.length !== BASE58_PAYLOAD_LENGTH) {
    return failure('base58 address must decode to 25 bytes');
  }
  return decoded;
}

function hasSegwitPrefix(raw: string, { hrp, testHrps }: SegwitNetwork): boolean {
  const head = raw.slice(0, 6).toLowerCase();
  if (head.startsWith(`${hrp}1`)) return true;
  return testHrps.some((test) => head.startsWith(`${test}1`));
}

/**
 * Segwit addresses are case-insensitive and canonically lower case (BIP173); base58 addresses
 * are case-sensitive and have exactly one spelling, so they are kept as they are.
 */
export function normalizeUtxoAddress(raw: string, network: UtxoNetwork): Outcome<string> {
  if (hasSegwitPrefix(raw, network.segwit)) {
    const segwit = decodeSegwitAddress(raw, network.segwit);
    return segwit.ok ? success(raw.toLowerCase()) : segwit;
  }
  const legacy = decodeLegacyAddress(raw);
  if (!legacy.ok) return legacy;
  const version = legacy.value[0];
  if (network.base58Versions.includes(version)) return success(raw);
  if (network.testVersions.includes(version)) return failure('testnet addresses are not accepted');
  return failure(
    `base58 version byte 0x${version.toString(16).padStart(2, '0')} is not used by this chain`,
  );
}
