import { ConfigError } from './config-error';
import { loadLoaderConfig } from './loader-config';

describe('loadLoaderConfig', () => {
  it('reads Redis and the log level with the same defaults as the screener', () => {
    expect(loadLoaderConfig({})).toEqual({
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'sekimori' },
      log: { level: 'info' },
    });
  });

  it('ignores the settings the loader does not use, even when they are wrong', () => {
    const env = { KAFKA_BROKERS: 'bad', DELIVERY_MODE: 'sometimes', HTTP_PORT: 'x' };
    expect(loadLoaderConfig(env).redis.url).toBe('redis://127.0.0.1:6379');
  });

  it.each([
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('still refuses a bad value of its own: %j', (env, message) => {
    expect(() => loadLoaderConfig(env)).toThrow(ConfigError);
    expect(() => loadLoaderConfig(env)).toThrow(message);
  });
});
