import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '@sekimori/screening-nest';
import { ScreeningMetrics } from '../observability/screening-metrics';
import { notesOf } from './api-request';

/** The status logged when the client went away before its answer was sent (nginx's 499). */
const CLIENT_CLOSED = 499;
/** Enough of the key's digest to tell keys apart in a log, too little to be worth anything. */
const KEY_ID_CHARS = 8;

/**
 * One log line and one latency observation per API request, whatever answered it: the handler,
 * a guard (401, 429) or the body timeout (408). The line names the route's pattern (never the
 * address in the path), the key by a prefix of its digest and the eventId; never the body or
 * the token.
 */
@Injectable()
export class AccessLog implements NestMiddleware {
  private readonly log: Logger;

  constructor(
    @Inject(LOGGER) log: Logger,
    private readonly metrics: ScreeningMetrics,
  ) {
    this.log = log.child({ component: 'api' });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const started = performance.now();
    res.once('close', () => {
      const ms = performance.now() - started;
      // The pattern, not the path, so that neither the log nor the label set grows with input.
      const route = (req.route as { path?: unknown } | undefined)?.path;
      const routeName = typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched';
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
      this.metrics.apiRequest(routeName, status, ms / 1000);
      const { keyDigest, eventId } = notesOf(req);
      this.log.info(
        {
          method: req.method,
          route: routeName,
          status,
          ms: Math.round(ms * 10) / 10,
          keyId: keyDigest?.slice(0, KEY_ID_CHARS),
          eventId,
        },
        'api request',
      );
    });
    next();
  }
}
