import { decodeBase58Check } from './base58';
import { type Outcome, failure, success } from './outcome';

// Classic address: base58check with the XRP alphabet of version 0x00 + 20-byte account id, so
// it starts with `r` (https://xrpl.org/docs/concepts/accounts/addresses).
const PAYLOAD_LENGTH = 21;

export function normalizeRippleAddress(raw: string): Outcome<string> {
  if (raw.charCodeAt(0) === 88 /* X */ && raw.length === 47) {
    return failure('XRP X-addresses are not supported; use the classic r-address');
  }
  if (raw.length < 25 || raw.length > 35) return failure('XRP address must be 25 to 35 characters');
  const decoded = decodeBase58Check(raw, 'xrp');
  if (!decoded.ok) return decoded;
  if (decoded.value.length !== PAYLOAD_LENGTH || decoded.value[0] !== 0x00) {
    return failure('XRP address must decode to version 0x00 and 20 bytes');
  }
  return success(raw);
}
