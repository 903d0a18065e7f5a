import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import type { SanctionsListStore, VersionMeta } from '@sekimori/list-store';
import { ListStatusService } from './list-status.service';
import type { ScreeningMetrics } from './screening-metrics';

const HOUR = 3_600_000;
const NAMES = { names: 10, keys: 12 } as unknown as VersionMeta['counts']['names'];

function version(
  overrides: Partial<VersionMeta['counts']> = {},
  ageHours = 1,
  loadedHoursAgo = ageHours,
): VersionMeta {
  return {
    listId: 'ofac',
    version: 'v1',
    issuedAt: '2025-11-19T00:00:00.000Z',
    loadedAt: new Date(Date.now() - loadedHoursAgo * HOUR).toISOString(),
    checkedAt: new Date(Date.now() - ageHours * HOUR).toISOString(),
    source: 'sdn_advanced.xml',
    counts: {
      entries: 1,
      keys: 1,
      parties: 1,
      features: 1,
      distinctAddresses: 1,
      byChain: { ethereum: 1 },
      unclassified: {},
      names: NAMES,
      ...overrides,
    },
  };
}

/** The service over a list store that answers with `versions`; what it logs is collected. */
function watching(versions: VersionMeta[]) {
  const lines: Array<{ level: string; msg: string; data: unknown }> = [];
  const at =
    (level: string) =>
    (data: unknown, msg: string): void => {
      lines.push({ level, msg, data });
    };
  const log = { info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger;
  const store = { currentVersions: async () => versions } as unknown as SanctionsListStore;
  const metrics = { listVersions: () => undefined } as unknown as ScreeningMetrics;
  const config = { lists: { maxAgeHours: 36 } } as unknown as AppConfig;
  return { service: new ListStatusService(config, log, store, metrics), lines };
}

describe('ListStatusService', () => {
  it('reports the versions in use and their age, fresh within the allowed age', async () => {
    const { service, lines } = watching([version({}, 2)]);
    const status = await service.refresh();
    expect(status.stale).toBe(false);
    expect(status.oldestAgeHours).toBeCloseTo(2, 1);
    expect(lines.map((l) => l.msg)).toEqual(['sanctions list versions in use']);
  });

  it('says a list older than allowed is stale, once per warning interval', async () => {
    const { service, lines } = watching([version({}, 40)]);
    await service.refresh();
    await service.refresh();
    expect(service.current.stale).toBe(true);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      'sanctions list source not checked within LIST_MAX_AGE_HOURS: check it (npm run lists:update or lists:load)',
    ]);
  });

  it('counts age from the last check of the source, not from the load: a year-old version checked an hour ago is fresh', async () => {
    const { service } = watching([version({}, 1, 24 * 365)]);
    const status = await service.refresh();
    expect(status.stale).toBe(false);
    expect(status.oldestAgeHours).toBeCloseTo(1, 1);
  });

  it('warns that a version without a name index leaves NAME_MATCH silent', async () => {
    const { service, lines } = watching([version({ names: undefined })]);
    await service.refresh();
    const warning = lines.find((l) => l.level === 'warn');
    expect(warning?.msg).toMatch(/no name index: NAME_MATCH raises nothing/);
    expect(warning?.data).toEqual({ lists: [{ listId: 'ofac', version: 'v1' }] });
  });

  it('does not warn about a version that has its name index', async () => {
    const { service, lines } = watching([version()]);
    await service.refresh();
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('counts an empty Redis as stale and says no list is loaded', async () => {
    const { service, lines } = watching([]);
    const status = await service.refresh();
    expect(status.stale).toBe(true);
    expect(status.oldestAgeHours).toBeNull();
    expect(lines.map((l) => l.msg)).toEqual(['no sanctions list loaded']);
  });
});
