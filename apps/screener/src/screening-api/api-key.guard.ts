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
import { acceptedKeyDigest, keyDigestBuffers } from './api-key';
import { notesOf } from './api-request';

/**
 * `Authorization: Bearer <token>`, accepted when the token's SHA-256 digest is one of
 * SCREENING_API_KEYS. The rate-limit gate may have accepted the key already, before routing.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly digests: Buffer[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.digests = keyDigestBuffers(config.api.keyDigests);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const notes = notesOf(req);
    notes.keyDigest ??= acceptedKeyDigest(req.headers.authorization, this.digests);
    // The digest names the key to the access log, by a prefix.
    if (notes.keyDigest !== undefined) return true;
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
    this.reviewers = keyDigestBuffers(config.reviews.keyDigests);
    this.screeners = keyDigestBuffers(config.api.keyDigests);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    const reviewer = acceptedKeyDigest(header, this.reviewers);
    if (reviewer !== undefined) {
      notesOf(req).keyDigest = reviewer;
      return true;
    }
    if (acceptedKeyDigest(header, this.screeners) !== undefined) {
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
