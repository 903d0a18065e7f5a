import { ConfigError } from './config-error';
import { loadAnnounceConfig, loadLoaderConfig } from './loader-config';

describe('loadLoaderConfig', () => {
  it('reads Redis and the log level with the same defaults as the screener', () => {
    expect(loadLoaderConfig({})).toEqual({
      redis: {
        url: 'redis://127.0.0.1:6379',
        keyPrefix: 'sekimori',
        security: { username: null, password: null, tls: null },
        cluster: false,
      },
      log: { level: 'info' },
      lists: { retainVersions: 30 },
    });
  });

  it('reads where to announce a new version only when asked', () => {
    expect(loadAnnounceConfig({})).toMatchObject({
      brokers: ['localhost:9092'],
      topic: 'lists.v1',
    });
    expect(() => loadAnnounceConfig({ KAFKA_BROKERS: 'bad' })).toThrow(/^KAFKA_BROKERS:/);
  });

  it('ignores the settings the loader does not use, even when they are wrong', () => {
    const env = { KAFKA_BROKERS: 'bad', DELIVERY_MODE: 'sometimes', HTTP_PORT: 'x' };
    expect(loadLoaderConfig(env).redis.url).toBe('redis://127.0.0.1:6379');
  });

  it.each([
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ LIST_RETAIN_VERSIONS: '0' }, /LIST_RETAIN_VERSIONS/],
  ])('still refuses a bad value of its own: %j', (env, message) => {
    expect(() => loadLoaderConfig(env)).toThrow(ConfigError);
    expect(() => loadLoaderConfig(env)).toThrow(message);
  });
});
