import { FetchError } from './download';
import { attemptsOf, withRetries } from './retry';

const serverError = (): FetchError => new FetchError('HTTP 503', 'http', true, 503);

describe('withRetries', () => {
  it('retries retriable failures with doubling waits, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls += 1;
        if (calls < 3) throw serverError();
        return 'done';
      },
      { retries: 3, delayMs: 1, onRetry: (_e, _n, waitMs) => waits.push(waitMs) },
    );
    expect(result).toEqual({ value: 'done', attempts: 3 });
    expect(waits).toEqual([1, 2]);
  });

  it('gives up after retries + 1 attempts with the last error and the count on it', async () => {
    let calls = 0;
    const failing = withRetries(
      async () => {
        calls += 1;
        throw serverError();
      },
      { retries: 2, delayMs: 0 },
    );
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect(attemptsOf(error)).toBe(3);
    expect(calls).toBe(3);
  });

  it.each([
    ['a 404', new FetchError('HTTP 404', 'http', false, 404)],
    ['an oversized body', new FetchError('too large', 'too-large', false)],
    ['any other error', new Error('parse failed')],
  ])('does not retry %s', async (_name, thrown) => {
    let calls = 0;
    const error = await withRetries(
      async () => {
        calls += 1;
        throw thrown;
      },
      { retries: 5, delayMs: 0 },
    ).catch((e: unknown) => e);
    expect(error).toBe(thrown);
    expect(calls).toBe(1);
  });

  it('stops waiting when asked to stop', async () => {
    const stop = new AbortController();
    const pending = withRetries(
      async () => {
        throw serverError();
      },
      { retries: 5, delayMs: 60_000, stop: stop.signal, onRetry: () => stop.abort() },
    ).catch((e: unknown) => e);
    expect(attemptsOf(await pending)).toBe(1);
  });
});
