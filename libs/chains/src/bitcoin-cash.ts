import { type CashAddr, decodeCashAddr, encodeCashAddr } from './cashaddr';
import { type Outcome, failure, success } from './outcome';
import { decodeLegacyAddress } from './utxo';

// Bitcoin Cash kept Bitcoin's legacy version bytes when it forked.
const LEGACY_KINDS: ReadonlyMap<number, CashAddr['kind']> = new Map([
  [0x00, 'p2pkh'],
  [0x05, 'p2sh'],
]);
const LEGACY_TEST_VERSIONS = [0x6f, 0xc4];
const LEGACY_FIRST_CHARACTERS = '13mn2';

/**
 * Bitcoin Cash: CashAddr in any legal spelling, or a legacy base58 address, which names the same
 * script. Both become the prefixed lower-case CashAddr, so one holder has one key.
 */
export function normalizeBitcoinCashAddress(raw: string): Outcome<string> {
  // Base58 mainnet addresses start with 1 or 3, testnet ones with m, n or 2; no P2PKH or P2SH
  // CashAddr payload starts with these (its first character holds the type bits).
  if (LEGACY_FIRST_CHARACTERS.includes(raw[0])) {
    const legacy = decodeLegacyAddress(raw);
    if (!legacy.ok) return legacy;
    const version = legacy.value[0];
    const kind = LEGACY_KINDS.get(version);
    if (kind === undefined) {
      return failure(
        LEGACY_TEST_VERSIONS.includes(version)
          ? 'testnet addresses are not accepted'
          : 'legacy Bitcoin Cash address must have version byte 0x00 or 0x05',
      );
    }
    return success(encodeCashAddr({ kind, hash: legacy.value.subarray(1) }));
  }
  const decoded = decodeCashAddr(raw);
  return decoded.ok ? success(encodeCashAddr(decoded.value)) : decoded;
}
