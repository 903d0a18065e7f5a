import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '@sekimori/config';
import { APP_CONFIG } from '@sekimori/screening-nest';
import { notesOf } from './api-request';

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

/** The SHA-256 digest of the request's bearer token, or null when it carries none. */
function bearerDigest(req: Request): Buffer | null {
  const header = req.headers.authorization;
  const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
  return token === undefined ? null : createHash('sha256').update(token).digest();
}

/** Compares with every digest, in constant time each, so the time taken tells nothing. */
function isOneOf(digest: Buffer | null, known: readonly Buffer[]): boolean {
  if (digest === null) return false;
  let accepted = false;
  for (const one of known) accepted = timingSafeEqual(digest, one) || accepted;
  return accepted;
}

const digestsOf = (hex: readonly string[]): Buffer[] => hex.map((h) => Buffer.from(h, 'hex'));

/**
 * `Authorization: Bearer <token>`, accepted when the token's SHA-256 digest is one of
 * SCREENING_API_KEYS. Every digest is compared, in constant time, so the time taken tells
 * nothing of which key came close. The token itself is never kept or logged.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly digests: Buffer[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.digests = digestsOf(config.api.keyDigests);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const digest = bearerDigest(req);
    if (digest !== null && isOneOf(digest, this.digests)) {
      // The digest names the key to the rate limit and, by a prefix, in the access log.
      notesOf(req).keyDigest = digest.toString('hex');
      return true;
    }
    throw new UnauthorizedException({
      statusCode: 401,
      message: 'a valid screening API key is required: Authorization: Bearer <token>',
    });
  }
}

/**
 * A reviewer key (REVIEW_API_KEYS) for reviews and clearances: a screening key is known but not
 * allowed here (403); no key or an unknown one is 401.
 */
@Injectable()
export class ReviewerKeyGuard implements CanActivate {
  private readonly reviewers: Buffer[];
  private readonly screeners: Buffer[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.reviewers = digestsOf(config.reviews.keyDigests);
    this.screeners = digestsOf(config.api.keyDigests);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const digest = bearerDigest(req);
    if (digest !== null && isOneOf(digest, this.reviewers)) {
      notesOf(req).keyDigest = digest.toString('hex');
      return true;
    }
    if (isOneOf(digest, this.screeners)) {
      throw new ForbiddenException({
        statusCode: 403,
        message: 'a screening key cannot review: a reviewer key (REVIEW_API_KEYS) is required',
      });
    }
    throw new UnauthorizedException({
      statusCode: 401,
      message: 'a valid reviewer key is required: Authorization: Bearer <token>',
    });
  }
}
