import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '@sekimori/config';
import { APP_CONFIG } from '@sekimori/screening-nest';
import { notesOf } from './api-request';

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

/**
 * `Authorization: Bearer <token>`, accepted when the token's SHA-256 digest is one of
 * SCREENING_API_KEYS. Every digest is compared, in constant time, so the time taken tells
 * nothing of which key came close. The token itself is never kept or logged.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly digests: Buffer[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.digests = config.api.keyDigests.map((hex) => Buffer.from(hex, 'hex'));
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (token !== undefined) {
      const digest = createHash('sha256').update(token).digest();
      let accepted = false;
      for (const known of this.digests) accepted = timingSafeEqual(digest, known) || accepted;
      if (accepted) {
        // The digest names the key to the rate limit and, by a prefix, in the access log.
        notesOf(req).keyDigest = digest.toString('hex');
        return true;
      }
    }
    throw new UnauthorizedException({
      statusCode: 401,
      message: 'a valid screening API key is required: Authorization: Bearer <token>',
    });
  }
}
