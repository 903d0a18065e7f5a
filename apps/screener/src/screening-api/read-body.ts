import type { Request } from 'express';
import { tooLarge } from './api-errors';

/** How much of an oversized body is read and dropped so that the client still gets its 413. */
const DRAIN_BYTES = 1024 * 1024;

/**
 * The request body as bytes, refused past `limit` (413). The API decodes exactly the bytes the
 * stream would, so Nest's JSON body parser is off. An oversized body is drained (up to a bound)
 * rather than cut, since a reset connection would hide the 413 from the client.
 */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + DRAIN_BYTES) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit + DRAIN_BYTES) throw tooLarge(limit);
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw tooLarge(limit);
  return Buffer.concat(chunks, size);
}
