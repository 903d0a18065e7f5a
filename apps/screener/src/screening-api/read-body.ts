import type { Request, Response } from 'express';
import { bodyTimedOut, tooLarge } from './api-errors';

/** How much of an oversized body is read and dropped so that the client still gets its 413. */
const DRAIN_BYTES = 1024 * 1024;

/**
 * The request body as bytes, refused past `limit` (413) and cut when it has not arrived whole
 * within `timeoutMs` (408): a client that trickles its body would otherwise hold a connection
 * and a request for as long as it likes. The API decodes exactly the bytes the stream would, so
 * Nest's JSON body parser is off. An oversized body is drained (up to a bound) rather than cut,
 * since a reset connection would hide the 413 from the client.
 */
export function readBody(
  req: Request,
  res: Response,
  limit: number,
  timeoutMs: number,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + DRAIN_BYTES) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => done(bodyTimedOut(res, timeoutMs)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit + DRAIN_BYTES) done(tooLarge(limit));
      else if (size <= limit) chunks.push(chunk);
    };
    const onEnd = (): void => done(size > limit ? tooLarge(limit) : null);
    const onError = (error: Error): void => done(error);
    function done(error: unknown): void {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (error === null) resolve(Buffer.concat(chunks, size));
      else reject(error as Error);
    }
    req.on('data', onData).once('end', onEnd).once('error', onError);
  });
}
