import { ScreeningUnavailableError } from '@sekimori/contracts';
import { guardRedis, isRedisOutage } from './redis-outage';

function named(name: string, message: string, code?: string): Error {
  const error = new Error(message) as NodeJS.ErrnoException;
  error.name = name;
  if (code) error.code = code;
  return error;
}

describe('isRedisOutage', () => {
  it.each([
    named('Error', 'Connection is closed.'),
    named('Error', "Stream isn't writeable and enableOfflineQueue options is false"),
    named('Error', 'Command timed out'),
    named('Error', 'connect ECONNREFUSED 127.0.0.1:6399', 'ECONNREFUSED'),
    named('MaxRetriesPerRequestError', 'Reached the max retries per request limit'),
    named('ReplyError', 'LOADING Redis is loading the dataset in memory'),
    named('ReplyError', 'READONLY You cannot write against a read only replica.'),
    named('Error', "Cluster isn't ready and enableOfflineQueue options is false"),
    named('Error', 'None of startup nodes is available'),
    named('Error', 'Too many Cluster redirections. Last error: ReplyError: CLUSTERDOWN'),
    named('ReplyError', 'CLUSTERDOWN The cluster is down'),
  ])('is an outage: %s', (error) => expect(isRedisOutage(error)).toBe(true));

  it.each([
    named('ReplyError', 'ERR wrong number of arguments'),
    named('ReplyError', 'ERR Error running script: attempt to compare nil'),
    named('ReplyError', "CROSSSLOT Keys in request don't hash to the same slot"),
    named('TypeError', 'x is not a function'),
  ])('is a bug, not an outage: %s', (error) => expect(isRedisOutage(error)).toBe(false));
  it('is not an outage when it is not an error at all', () =>
    expect(isRedisOutage('x')).toBe(false));
});

describe('guardRedis', () => {
  it('turns an outage into the retriable REDIS_UNAVAILABLE error, naming the work', async () => {
    const failure = guardRedis('lookup', () =>
      Promise.reject(named('Error', 'Connection is closed.')),
    );
    await expect(failure).rejects.toBeInstanceOf(ScreeningUnavailableError);
    await expect(failure).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', retriable: true });
    await expect(failure).rejects.toThrow(/lookup/);
  });

  it('lets a bug through unchanged', async () => {
    const bug = new TypeError('boom');
    await expect(guardRedis('x', () => Promise.reject(bug))).rejects.toBe(bug);
  });

  it('returns the result of healthy work', async () => {
    await expect(guardRedis('x', () => Promise.resolve(42))).resolves.toBe(42);
  });
});
