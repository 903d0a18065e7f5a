import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { AppConfig } from '@sekimori/config';
import type { Review } from '@sekimori/contracts';
import { effectKeyOf, type ReviewEffect } from '@sekimori/screening';
import { APP_CONFIG } from '@sekimori/screening-nest';
import { KAFKA_CLIENT } from '../health/broker.health';
import { ApiErrorCode, type ApiErrorBody, RETRY_AFTER_SECONDS } from '../screening-api/api-errors';

/**
 * Puts reviews accepted over HTTP on `reviews.v1`, acknowledged by every in-sync replica before
 * the API answers 202: the topic is the record, and the stream applies them from there.
 */
@Injectable()
export class ReviewPublisher implements OnApplicationShutdown {
  private producer: Promise<Producer> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
  ) {}

  private connected(): Promise<Producer> {
    if (this.producer === null) {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      const connecting = producer.connect().then(() => producer);
      // A failed connection is not kept: the next review tries again.
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = null;
      });
      this.producer = connecting;
    }
    return this.producer;
  }

  /** A review on `reviews.v1`. */
  publish(review: Review, res: Response): Promise<void> {
    return this.send(this.config.topics.reviews, review.reviewId, review, res);
  }

  /** An effect made outside the stream (a revocation) on the effects topic. */
  publishEffect(effect: ReviewEffect, res: Response): Promise<void> {
    const topic = this.config.topics.reviewEffects;
    return this.send(
      topic,
      effectKeyOf(effect),
      effect,
      res,
      `could not record the ${effect.kind} on ${topic}: nothing was changed (a clearance stays in force); send the request again`,
    );
  }

  private async send(
    topic: string,
    key: string,
    value: unknown,
    res: Response,
    refusal = `could not write to ${topic}; send the request again`,
  ): Promise<void> {
    try {
      const producer = await this.connected();
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key, value: JSON.stringify(value) }],
      });
    } catch (error) {
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      const body: ApiErrorBody = {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        code: ApiErrorCode.BROKER_UNAVAILABLE,
        message: refusal,
      };
      throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE, { cause: error });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    if (producer !== null) await producer.then((p) => p.disconnect()).catch(() => undefined);
  }
}
