import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppConfig } from '@sekimori/config';
import { APP_CONFIG } from '@sekimori/screening-nest';
import { rateLimited } from './api-errors';
import { notesOf } from './api-request';
import { TokenBuckets } from './rate-limit';

/**
 * API_RATE_LIMIT_PER_SECOND per key, after ApiKeyGuard (which notes the key): a client that
 * floods gets 429s while every other key is answered as before. One instance serves every route
 * that names it, so a key's budget is shared by the API's routes.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly buckets: TokenBuckets | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { rateLimitPerSecond } = config.api;
    this.buckets = rateLimitPerSecond > 0 ? new TokenBuckets(rateLimitPerSecond) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.buckets === null) return true;
    const http = context.switchToHttp();
    const key = notesOf(http.getRequest<Request>()).keyDigest;
    if (key === undefined) throw new Error('RateLimitGuard runs after ApiKeyGuard');
    const waitSeconds = this.buckets.take(key);
    if (waitSeconds === 0) return true;
    throw rateLimited(http.getResponse<Response>(), waitSeconds);
  }
}
