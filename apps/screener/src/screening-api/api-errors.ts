import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { DeadLetterCode, ScreeningUnavailableError } from '@sekimori/contracts';

/** Seconds a client is asked to wait while screening is unavailable (Redis, a required list). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The `code` of an API error. Bad input (400, 413) gets the code the stream would dead-letter
 * the same input with, so a client and an operator read one vocabulary; 503 says why screening
 * is unavailable. Wire values, like the dead-letter codes: never rename one, only add.
 */
export const ApiErrorCode = {
  ...DeadLetterCode,
  REDIS_UNAVAILABLE: 'REDIS_UNAVAILABLE',
  LIST_MISSING: 'LIST_MISSING',
  BROKER_UNAVAILABLE: 'BROKER_UNAVAILABLE',
  BODY_TIMEOUT: 'BODY_TIMEOUT',
  RATE_LIMITED: 'RATE_LIMITED',
  /** DELETE /v1/clearances/{id}: no clearance has that id (never made, expired or revoked). */
  UNKNOWN_CLEARANCE: 'UNKNOWN_CLEARANCE',
} as const satisfies Record<
  string,
  | DeadLetterCode
  | ScreeningUnavailableError['code']
  | 'BODY_TIMEOUT'
  | 'RATE_LIMITED'
  | 'UNKNOWN_CLEARANCE'
>;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** The body of every error the screening API answers with. */
export interface ApiErrorBody {
  statusCode: number;
  /**
   * A dead-letter code for bad input (400, 413), BODY_TIMEOUT (408), RATE_LIMITED (429), the
   * unavailability code for 503.
   */
  code?: ApiErrorCode;
  message: string;
  /** Offending field paths, for 400. */
  fields?: string[];
}

/** 400: the event would have been dead-lettered with this code. */
export function badInput(failure: {
  code: ApiErrorCode;
  detail: string;
  fields?: string[];
}): HttpException {
  const body: ApiErrorBody = {
    statusCode: HttpStatus.BAD_REQUEST,
    code: failure.code,
    message: failure.detail,
    fields: failure.fields ?? [],
  };
  return new HttpException(body, HttpStatus.BAD_REQUEST);
}

export function tooLarge(limit: number): HttpException {
  const body: ApiErrorBody = {
    statusCode: HttpStatus.PAYLOAD_TOO_LARGE,
    code: ApiErrorCode.TOO_LARGE,
    message: `the body is larger than the limit of ${limit} bytes`,
  };
  return new HttpException(body, HttpStatus.PAYLOAD_TOO_LARGE);
}

/**
 * 408: the body did not arrive whole in time. The connection is closed after the answer, since
 * what is left of the body would otherwise be read as the next request.
 */
export function bodyTimedOut(res: Response, timeoutMs: number): HttpException {
  res.setHeader('Connection', 'close');
  const body: ApiErrorBody = {
    statusCode: HttpStatus.REQUEST_TIMEOUT,
    code: ApiErrorCode.BODY_TIMEOUT,
    message: `the body did not arrive within API_BODY_TIMEOUT_MS (${timeoutMs} ms)`,
  };
  return new HttpException(body, HttpStatus.REQUEST_TIMEOUT);
}

/** 429: this key is over API_RATE_LIMIT_PER_SECOND; `Retry-After` (whole seconds) says when. */
export function rateLimitedBody(retryAfterSeconds: number): ApiErrorBody {
  return {
    statusCode: HttpStatus.TOO_MANY_REQUESTS,
    code: ApiErrorCode.RATE_LIMITED,
    message: `this key is over API_RATE_LIMIT_PER_SECOND; retry after ${retryAfterSeconds} s`,
  };
}

/**
 * Runs screening work, answering 503 with Retry-After while it cannot be done (Redis away, a
 * required list missing): fail closed, never a `pass` that was not looked up.
 */
export async function unlessUnavailable<T>(res: Response, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ScreeningUnavailableError)) throw error;
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    const body: ApiErrorBody = {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: error.code,
      message: `screening is unavailable: ${error.message}`,
    };
    throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE, { cause: error });
  }
}
