import type { IncomingMessage } from 'node:http';

/**
 * What the access log may say of a request, noted by the guards and the handler as they learn
 * it. Kept beside the request rather than on it, so nothing else reads or serialises it.
 */
export interface ApiRequestNotes {
  /** The SHA-256 digest (hex) of the accepted token; never the token. */
  keyDigest?: string;
  eventId?: string;
  /** performance.now() when the gate first saw the request, so a wait in its key's line counts. */
  receivedAt?: number;
}

const notes = new WeakMap<IncomingMessage, ApiRequestNotes>();

export function notesOf(req: IncomingMessage): ApiRequestNotes {
  let noted = notes.get(req);
  if (noted === undefined) {
    noted = {};
    notes.set(req, noted);
  }
  return noted;
}
