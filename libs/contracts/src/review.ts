import { Equals, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsZonedTime } from './validators';

/** What a compliance officer concluded about one alert (contract, `review`). */
export const REVIEW_OUTCOMES = ['cleared', 'confirmed', 'released'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** `review` on `reviews.v1` (keyed by reviewId) or the body of `POST /v1/reviews`. */
export class Review {
  @Equals('review')
  type!: 'review';

  @IsString()
  @Length(1, 200)
  reviewId!: string;

  @IsString()
  @Length(1, 200)
  alertId!: string;

  @IsIn(REVIEW_OUTCOMES)
  outcome!: ReviewOutcome;

  @IsString()
  @Length(1, 200)
  reviewer!: string;

  @IsString()
  @Length(1, 2000)
  reason!: string;

  @IsZonedTime()
  reviewedAt!: string;

  /** `cleared` only: when the clearance lapses (default CLEARANCE_TTL_DAYS after reviewedAt). */
  @IsOptional()
  @IsZonedTime()
  expiresAt?: string;
}

/**
 * A standing clearance (GET /v1/clearances): a `cleared` review of a NAME_MATCH or
 * INDIRECT_EXPOSURE alert, for one subject, list entry and rule, bound to the entry as it stood.
 */
export interface Clearance {
  clearanceId: string;
  subjectKey: string;
  ruleId: string;
  listId: string;
  entityId: string;
  /** INDIRECT_EXPOSURE: the listed address the exposure came from (the clearance covers that source). */
  address?: string;
  /**
   * The entry's names, aliases, programmes and listed addresses when it was cleared, hashed
   * (NameSearchIndex.entryFingerprint; `f2:` the formula).
   */
  fingerprint: string;
  reviewId: string;
  alertId: string;
  reviewer: string;
  clearedAt: string;
  expiresAt: string;
  /** When it was revoked: it stops counting then (kept, so a replay of earlier events applies it). */
  revokedAt?: string;
}
