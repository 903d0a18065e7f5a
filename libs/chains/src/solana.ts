import { decodeBase58 } from './base58';
import { type Outcome, failure, success } from './outcome';

// A Solana address is a 32-byte public key in plain base58 (no checksum): 32 to 44 characters.
const KEY_LENGTH = 32;

export function normalizeSolanaAddress(raw: string): Outcome<string> {
  if (raw.length < 32 || raw.length > 44)
    return failure('Solana address must be 32 to 44 base58 characters');
  const bytes = decodeBase58(raw, 'bitcoin');
  if (bytes === null) return failure('contains a character outside the base58 alphabet');
  if (bytes.length !== KEY_LENGTH) return failure('Solana address must decode to 32 bytes');
  return success(raw);
}
