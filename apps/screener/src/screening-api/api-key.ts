import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

/**
 * The SHA-256 digest (hex) of the bearer token in an `Authorization` header when it is one of
 * `known`, else undefined. Every digest is compared, in constant time, so the time taken tells
 * nothing of which key came close. The token itself is never kept.
 */
export function acceptedKeyDigest(
  header: string | string[] | undefined,
  known: readonly Buffer[],
): string | undefined {
  const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
  if (token === undefined) return undefined;
  const digest = createHash('sha256').update(token).digest();
  let accepted = false;
  for (const candidate of known) accepted = timingSafeEqual(digest, candidate) || accepted;
  return accepted ? digest.toString('hex') : undefined;
}

export function keyDigestBuffers(hexDigests: readonly string[]): Buffer[] {
  return hexDigests.map((hex) => Buffer.from(hex, 'hex'));
}
