import { decodeBase58Check, encodeBase58Check } from './base58';
import { type Outcome, failure, success } from './outcome';

// Tron addresses are 0x41 followed by a 20-byte account id, shown in base58check (`T…`)
// or, by some APIs, as 42 hex digits (https://developers.tron.network/docs/account).
const TRON_VERSION = 0x41;
const PAYLOAD_LENGTH = 21;
const HEX_PATTERN = /^41[0-9a-fA-F]{40}$/;

export function normalizeTronAddress(raw: string): Outcome<string> {
  if (raw.length === 2 * PAYLOAD_LENGTH && HEX_PATTERN.test(raw)) {
    return success(encodeBase58Check(Buffer.from(raw, 'hex'), 'bitcoin'));
  }
  if (raw.length !== 34) return failure('Tron address must be 34 base58 characters');
  const decoded = decodeBase58Check(raw, 'bitcoin');
  if (!decoded.ok) return decoded;
  if (decoded.value.length !== PAYLOAD_LENGTH || decoded.value[0] !== TRON_VERSION) {
    return failure('Tron address must decode to version 0x41 and 20 bytes');
  }
  return success(raw);
}
