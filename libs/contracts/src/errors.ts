/**
 * Errors that cross process boundaries carry a stable code. Whether an error is retriable
 * decides what the pipeline does with it: poison input is dead-lettered at once, an outage
 * (Redis gone, no list loaded, broker unreachable) pauses consumption and is retried, so
 * that no transfer is ever let through unscreened.
 */
export abstract class SekimoriError extends Error {
  abstract readonly code: string;
  abstract readonly retriable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The screening dependencies are not usable right now; the batch must be retried later. */
export class ScreeningUnavailableError extends SekimoriError {
  readonly retriable = true;
  constructor(
    readonly code: 'REDIS_UNAVAILABLE' | 'LIST_MISSING' | 'BROKER_UNAVAILABLE',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A list version asked for by id that is not kept (never loaded, or dropped beyond the retained). */
export class UnknownVersionError extends Error {
  constructor(readonly qualified: string) {
    super(`list version ${qualified} is unknown or no longer retained (LIST_RETAIN_VERSIONS)`);
    this.name = 'UnknownVersionError';
  }
}
