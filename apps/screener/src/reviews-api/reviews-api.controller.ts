import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@sekimori/config';
import { type Clearance, decodeInput, type Review } from '@sekimori/contracts';
import type { FreezeRef } from '@sekimori/rules';
import { ApplyReviews, revokeClearance } from '@sekimori/screening';
import { APP_CONFIG } from '@sekimori/screening-nest';
import { ReviewStore } from '@sekimori/screening-redis';
import { ReviewerKeyGuard } from '../screening-api/api-key.guard';
import {
  type ApiErrorBody,
  ApiErrorCode,
  badInput,
  RETRY_AFTER_SECONDS,
  unlessUnavailable,
} from '../screening-api/api-errors';
import {
  API_ERROR_RESPONSES,
  CLEARANCE_SCHEMA,
  CLEARANCES_ANSWER_SCHEMA,
  REVIEW_ACCEPTED_SCHEMA,
  REVIEW_BODY_SCHEMA,
} from '../screening-api/openapi-schemas';
import { readBody } from '../screening-api/read-body';
import { ReviewPublisher } from './review-publisher';

/** The answer to an accepted review: it is on the topic; the stream applies it. */
export interface ReviewAccepted {
  reviewId: string;
  alertId: string;
  eventId: string;
  outcome: Review['outcome'];
}

export interface ClearancesAnswer {
  subjectKey: string;
  clearances: Clearance[];
  /** The freeze on the subject, when a confirmed review made one. */
  freeze: FreezeRef | null;
}

function notFound(code: ApiErrorCode, message: string): HttpException {
  const body: ApiErrorBody = { statusCode: HttpStatus.NOT_FOUND, code, message };
  return new HttpException(body, HttpStatus.NOT_FOUND);
}

/**
 * Reviews and clearances over HTTP, with a reviewer key. A review is checked against the alert
 * store first (400/404 with the dead-letter code the stream would give it), then put on
 * `reviews.v1`: the stream applies it, so HTTP and stream reviews take one path.
 */
@ApiTags('reviews')
@ApiBearerAuth()
@UseGuards(ReviewerKeyGuard)
@Controller('v1')
export class ReviewsApiController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reviews: ApplyReviews,
    private readonly store: ReviewStore,
    private readonly publisher: ReviewPublisher,
  ) {}

  @Post('reviews')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Record a review outcome for an alert',
    description:
      'Accepted (202) once the review is on reviews.v1; the held event gets its final decision on decisions.v1 when every hold and review alert has an outcome.',
  })
  @ApiBody({ schema: REVIEW_BODY_SCHEMA })
  @ApiResponse({ status: 202, description: 'On the reviews topic', schema: REVIEW_ACCEPTED_SCHEMA })
  @API_ERROR_RESPONSES([400, 401, 403, 404, 408, 413, 429, 503])
  async review(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReviewAccepted> {
    const { maxMessageBytes } = this.config.screener;
    const raw = await readBody(req, res, maxMessageBytes, this.config.api.bodyTimeoutMs);
    const decoded = decodeInput(raw, 'review', maxMessageBytes);
    if (!decoded.ok) throw badInput(decoded);
    const review = decoded.value;
    const checked = await unlessUnavailable(res, () => this.reviews.check(review));
    if (!checked.ok) {
      if (checked.code === 'UNKNOWN_ALERT') throw notFound(checked.code, checked.detail);
      throw badInput({ code: checked.code, detail: checked.detail, fields: ['outcome'] });
    }
    await this.publisher.publish(review, res);
    return {
      reviewId: review.reviewId,
      alertId: review.alertId,
      eventId: checked.alert.eventId,
      outcome: review.outcome,
    };
  }

  @Get('clearances')
  @ApiOperation({ summary: 'The clearances in force for a subject, and its freeze' })
  @ApiQuery({ name: 'subjectKey', example: 'acct-1001' })
  @ApiResponse({ status: 200, description: 'In force', schema: CLEARANCES_ANSWER_SCHEMA })
  @API_ERROR_RESPONSES([400, 401, 403, 429, 503])
  async clearances(
    @Query('subjectKey') subjectKey: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ClearancesAnswer> {
    if (typeof subjectKey !== 'string' || subjectKey.length === 0 || subjectKey.length > 200) {
      throw badInput({
        code: 'SCHEMA_VIOLATION',
        detail: 'subjectKey is required (1 to 200 characters)',
        fields: ['subjectKey'],
      });
    }
    const now = Date.now();
    const [found, frozen] = await unlessUnavailable(res, () =>
      Promise.all([this.store.forSubjects([subjectKey]), this.store.frozen([subjectKey])]),
    );
    const clearances = (found.get(subjectKey) ?? []).filter(
      (c) => c.revokedAt === undefined && Date.parse(c.expiresAt) > now,
    );
    return { subjectKey, clearances, freeze: frozen.get(subjectKey) ?? null };
  }

  @Delete('clearances/:clearanceId')
  @ApiOperation({ summary: 'Revoke a clearance: its matches alert again' })
  @ApiResponse({
    status: 200,
    description: 'Revoked; the clearance as it was',
    schema: CLEARANCE_SCHEMA,
  })
  @API_ERROR_RESPONSES([401, 403, 404, 429, 503])
  async revoke(
    @Param('clearanceId') clearanceId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Clearance> {
    // The record first: a revocation Redis knows of but the effects topic does not would be
    // undone by the next rebuild. When the topic cannot take it, 503 and the clearance stands.
    const revocation = await unlessUnavailable(res, () =>
      revokeClearance(this.store, clearanceId, (effect) =>
        this.publisher.publishEffect(effect, res),
      ),
    );
    switch (revocation.kind) {
      case 'unknown':
        throw notFound(ApiErrorCode.UNKNOWN_CLEARANCE, `no clearance ${clearanceId.slice(0, 64)}`);
      case 'recorded':
        res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        throw new HttpException(
          {
            statusCode: HttpStatus.SERVICE_UNAVAILABLE,
            code: ApiErrorCode.REDIS_UNAVAILABLE,
            message: `the revocation of ${clearanceId.slice(0, 64)} is recorded, but Redis could not apply it yet: the clearance may still suppress until it does; send the request again`,
          } satisfies ApiErrorBody,
          HttpStatus.SERVICE_UNAVAILABLE,
          { cause: revocation.cause },
        );
      case 'revoked':
        return revocation.clearance;
    }
  }
}
