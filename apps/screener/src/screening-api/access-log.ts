import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '@sekimori/screening-nest';
import { ScreeningMetrics } from '../observability/screening-metrics';
import { type ApiRequestNotes, notesOf } from './api-request';

/** The status logged when the client went away before its answer was sent (nginx's 499). */
const CLIENT_CLOSED = 499;
/** Enough of the key's digest to tell keys apart in a log, too little to be worth anything. */
const KEY_ID_CHARS = 8;

export interface AnsweredRequest {
  method: string | undefined;
  /** The route's pattern, never the path, so that neither the log nor the label set grows with input. */
  route: string;
  status: number;
  ms: number;
  notes: ApiRequestNotes;
}

/**
 * One log line and one latency observation per API request, whatever answered it: the handler,
 * a guard (401), the body timeout (408) or the rate-limit gate (429). The line names the key by a
 * prefix of its digest and the eventId; never the body, the token or the address in the path.
 */
@Injectable()
export class ApiRequestLog {
  private readonly log: Logger;

  constructor(
    @Inject(LOGGER) log: Logger,
    private readonly metrics: ScreeningMetrics,
  ) {
    this.log = log.child({ component: 'api' });
  }

  record({ method, route, status, ms, notes }: AnsweredRequest): void {
    this.metrics.apiRequest(route, status, ms / 1000);
    this.log.info(
      {
        method,
        route,
        status,
        ms: Math.round(ms * 10) / 10,
        keyId: notes.keyDigest?.slice(0, KEY_ID_CHARS),
        eventId: notes.eventId,
      },
      'api request',
    );
  }
}

/** Records every request that reaches the API's controllers, once its answer is sent. */
@Injectable()
export class AccessLog implements NestMiddleware {
  constructor(private readonly requests: ApiRequestLog) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = notesOf(req).receivedAt ?? performance.now();
    res.once('close', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      this.requests.record({
        method: req.method,
        route: typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched',
        status: res.writableFinished ? res.statusCode : CLIENT_CLOSED,
        ms: performance.now() - started,
        notes: notesOf(req),
      });
    });
    next();
  }
}
