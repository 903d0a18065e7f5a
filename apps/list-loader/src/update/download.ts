import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** Why a fetch failed, and whether trying again later could help. */
export type FetchFailure = 'http' | 'timeout' | 'network' | 'too-large' | 'stopped';

export class FetchError extends Error {
  constructor(
    message: string,
    readonly kind: FetchFailure,
    readonly retriable: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface DownloadRequest {
  url: string;
  /** Where the body is streamed to; never held in memory whole. */
  file: string;
  /** Validators of the last fetch that was published or found unchanged (conditional request). */
  etag?: string | null;
  lastModified?: string | null;
  maxBytes: number;
  timeoutMs: number;
  userAgent: string;
  /** Aborts the download when the updater is asked to stop. */
  stop?: AbortSignal;
}

export type DownloadResult =
  | { status: 'not-modified'; httpStatus: 304 }
  | {
      status: 'downloaded';
      httpStatus: number;
      bytes: number;
      etag: string | null;
      lastModified: string | null;
    };

/**
 * One GET of `url` into `file`: conditional when validators are given, bounded in size and time.
 * 5xx, 408, 429, timeouts and broken connections are retriable FetchErrors; other 4xx and an
 * oversized body are not (asking again would get the same answer).
 */
export async function download(request: DownloadRequest): Promise<DownloadResult> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.stop ? AbortSignal.any([timeout, request.stop]) : timeout;
  const headers: Record<string, string> = { 'user-agent': request.userAgent };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  let response: Response;
  try {
    response = await fetch(request.url, { headers, signal, redirect: 'follow' });
  } catch (error) {
    throw failure(error, request, timeout, 0);
  }
  if (response.status === 304) {
    await response.body?.cancel().catch(() => undefined);
    return { status: 'not-modified', httpStatus: 304 };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const { status } = response;
    const retriable = status >= 500 || status === 408 || status === 429;
    throw new FetchError(
      `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`,
      'http',
      retriable,
      status,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > request.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(declared, request.maxBytes);
  }
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > request.maxBytes) done(tooLarge(bytes, request.maxBytes));
      else done(null, chunk);
    },
  });
  try {
    if (!response.body) throw new FetchError('the response has no body', 'network', true);
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      limit,
      createWriteStream(request.file),
    );
  } catch (error) {
    if (error instanceof FetchError) throw error;
    throw failure(error, request, timeout, bytes);
  }
  const encoded = response.headers.get('content-encoding');
  if (!encoded && Number.isFinite(declared) && bytes !== declared) {
    throw new FetchError(
      `the body ended after ${bytes} of the ${declared} bytes announced`,
      'network',
      true,
    );
  }
  return {
    status: 'downloaded',
    httpStatus: response.status,
    bytes,
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
  };
}

function tooLarge(bytes: number, max: number): FetchError {
  return new FetchError(
    `the body exceeds LIST_MAX_BYTES (${bytes} > ${max} bytes)`,
    'too-large',
    false,
  );
}

/** A fetch or body error, named: timeout, stop, or the connection's own cause. */
function failure(
  error: unknown,
  request: DownloadRequest,
  timeout: AbortSignal,
  bytes: number,
): FetchError {
  if (request.stop?.aborted) return new FetchError('stopped', 'stopped', false);
  const after = bytes > 0 ? ` after ${bytes} bytes` : '';
  if (timeout.aborted) {
    return new FetchError(
      `no complete answer within LIST_FETCH_TIMEOUT_SECONDS (${request.timeoutMs / 1000} s)${after}`,
      'timeout',
      true,
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  return new FetchError(`connection failed${after}: ${detail}`, 'network', true);
}
