/**
 * The result of a decoder. Decoders return a reason instead of throwing: normalizeAddress runs for
 * every address of every event, invalid input is expected there, and a thrown error would cost a
 * stack capture per bad address.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export function success<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function failure<T = never>(reason: string): Outcome<T> {
  return { ok: false, reason };
}
