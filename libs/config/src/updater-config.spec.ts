import { ConfigError } from './config-error';
import { loadUpdaterConfig, OFFICIAL_LIST_SOURCES } from './updater-config';

describe('loadUpdaterConfig', () => {
  it('defaults to the official sources, hourly checks and a limit above the OFAC file', () => {
    const { update } = loadUpdaterConfig({});
    expect(update.sources.map((s) => s.listId)).toEqual(['ofac-sdn', 'un-consolidated', 'jp-mof']);
    expect(update.sources[0].url).toMatch(/^https:\/\/sanctionslistservice\.ofac\.treas\.gov\//);
    expect(update.checkIntervalMs).toBe(3_600_000);
    expect(update.maxBytes).toBeGreaterThan(121_000_000);
    expect(update.metrics).toBeNull();
  });

  it('LIST_SOURCES replaces the set; `official` names the official URL', () => {
    const { update } = loadUpdaterConfig({
      LIST_SOURCES: 'un-consolidated=official, my-list=https://lists.example/own.csv?t=1',
    });
    expect(update.sources).toEqual([
      { listId: 'un-consolidated', url: OFFICIAL_LIST_SOURCES[1].url },
      { listId: 'my-list', url: 'https://lists.example/own.csv?t=1' },
    ]);
  });

  it('reads decimal minutes and the metrics listener', () => {
    const { update } = loadUpdaterConfig({
      LIST_CHECK_INTERVAL_MINUTES: '0.5',
      LIST_UPDATER_METRICS_PORT: '9464',
    });
    expect(update.checkIntervalMs).toBe(30_000);
    expect(update.metrics).toEqual({ host: '127.0.0.1', port: 9464 });
  });

  it.each([
    [{ LIST_SOURCES: 'ofac-sdn' }, /^LIST_SOURCES: "ofac-sdn" is not listId=url/],
    [{ LIST_SOURCES: 'OFAC=https://x.example/a' }, /^LIST_SOURCES: list id "OFAC"/],
    [{ LIST_SOURCES: 'a=https://x/1,a=https://x/2' }, /^LIST_SOURCES: list id a is given twice/],
    [{ LIST_SOURCES: 'a=not a url' }, /^LIST_SOURCES: the URL of a .* is not a URL/],
    [{ LIST_SOURCES: 'a=file:///etc/passwd' }, /^LIST_SOURCES: the URL of a must be http/],
    [{ LIST_SOURCES: 'my-list=official' }, /^LIST_SOURCES: my-list has no official source/],
    [{ LIST_SOURCES: 'a=https://x/1,,' }, /^LIST_SOURCES: "" is not listId=url/],
    [{ LIST_CHECK_INTERVAL_MINUTES: '0' }, /^LIST_CHECK_INTERVAL_MINUTES:/],
    [{ LIST_CHECK_INTERVAL_MINUTES: 'hourly' }, /^LIST_CHECK_INTERVAL_MINUTES:/],
    [{ LIST_MAX_BYTES: '10' }, /^LIST_MAX_BYTES:/],
    [{ LIST_FETCH_TIMEOUT_SECONDS: '0' }, /^LIST_FETCH_TIMEOUT_SECONDS:/],
    [{ LIST_FETCH_RETRIES: '-1' }, /^LIST_FETCH_RETRIES:/],
    [{ LIST_UPDATER_METRICS_PORT: '70000' }, /^LIST_UPDATER_METRICS_PORT:/],
    [{ REDIS_URL: 'http://x' }, /^REDIS_URL:/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadUpdaterConfig(env)).toThrow(ConfigError);
    expect(() => loadUpdaterConfig(env)).toThrow(message);
  });
});
