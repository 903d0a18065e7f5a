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
