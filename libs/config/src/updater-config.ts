import { ConfigError } from './config-error';
import { type Env, int, str } from './env-readers';
import { loadLoaderConfig, type LoaderConfig } from './loader-config';

/** One list the updater fetches: the list id it is published under and where it comes from. */
export interface ListSource {
  listId: string;
  url: string;
}

/**
 * The official publications (docs/operations.md, "The list updater"). MOF's file name carries
 * its date, so its source is the index page that links the current workbook, not the file.
 */
export const OFFICIAL_LIST_SOURCES: readonly ListSource[] = [
  {
    listId: 'ofac-sdn',
    url: 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_ADVANCED.XML',
  },
  {
    listId: 'un-consolidated',
    url: 'https://scsanctions.un.org/resources/xml/en/consolidated.xml',
  },
  {
    listId: 'jp-mof',
    url: 'https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/economic_sanctions/list.html',
  },
];

export interface UpdateSettings {
  /** Every source one pass fetches, in order. */
  sources: ListSource[];
  /** Between the starts of two passes in --watch mode. */
  checkIntervalMs: number;
  /** A body larger than this is refused before it is parsed (the OFAC XML is ~121 MB). */
  maxBytes: number;
  /** For one whole request, headers and body. */
  timeoutMs: number;
  /** Further attempts after a 5xx, a timeout or a connection error (never after a 4xx). */
  retries: number;
  /** The wait before the first retry; doubled before each next one. */
  retryDelayMs: number;
  /** Where --watch serves /metrics (Prometheus); null: no listener, the log carries the counts. */
  metrics: { host: string; port: number } | null;
}

export type UpdaterConfig = LoaderConfig & { update: UpdateSettings };

/** The loader's configuration plus what `lists:update` needs (Kafka is read when announcing). */
export function loadUpdaterConfig(env: Env = process.env): UpdaterConfig {
  const metricsPort = int(env, 'LIST_UPDATER_METRICS_PORT', -1, 0, 65_535);
  return {
    ...loadLoaderConfig(env),
    update: {
      sources: listSources(env, 'LIST_SOURCES'),
      checkIntervalMs: minutes(env, 'LIST_CHECK_INTERVAL_MINUTES', 60),
      maxBytes: int(env, 'LIST_MAX_BYTES', 512 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
      timeoutMs: int(env, 'LIST_FETCH_TIMEOUT_SECONDS', 600, 1, 86_400) * 1000,
      retries: int(env, 'LIST_FETCH_RETRIES', 3, 0, 20),
      retryDelayMs: int(env, 'LIST_FETCH_RETRY_DELAY_MS', 2000, 0, 600_000),
      metrics:
        metricsPort < 0
          ? null
          : { host: str(env, 'LIST_UPDATER_METRICS_HOST', '127.0.0.1'), port: metricsPort },
    },
  };
}

const LIST_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * `listId=url,...`: when set, the whole set of sources (an unset one is simply not fetched).
 * `listId=official` names the official publication of that list. A comma inside a URL is
 * written `%2C`.
 */
export function listSources(env: Env, name: string): ListSource[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return OFFICIAL_LIST_SOURCES.map((s) => ({ ...s }));
  const sources: ListSource[] = [];
  for (const item of raw.split(',')) {
    const entry = item.trim();
    const at = entry.indexOf('=');
    if (at < 0) throw new ConfigError(name, `"${entry}" is not listId=url`);
    const listId = entry.slice(0, at).trim();
    const value = entry.slice(at + 1).trim();
    if (!LIST_ID.test(listId)) {
      throw new ConfigError(
        name,
        `list id "${listId}" must be lower-case letters, digits, '.', '_' or '-'`,
      );
    }
    if (sources.some((s) => s.listId === listId)) {
      throw new ConfigError(name, `list id ${listId} is given twice`);
    }
    sources.push({ listId, url: sourceUrl(name, listId, value) });
  }
  return sources;
}

function sourceUrl(name: string, listId: string, value: string): string {
  if (value === 'official') {
    const official = OFFICIAL_LIST_SOURCES.find((s) => s.listId === listId);
    if (!official) throw new ConfigError(name, `${listId} has no official source; give its URL`);
    return official.url;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `the URL of ${listId} ("${value}") is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(name, `the URL of ${listId} must be http:// or https://`);
  }
  return url.href;
}

/** Minutes as a positive decimal (`0.5` is 30 s), in milliseconds. */
function minutes(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 60_000;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || value > 7 * 24 * 60) {
    throw new ConfigError(
      name,
      `must be a number of minutes above 0 and at most 10080, got "${raw}"`,
    );
  }
  return Math.max(1000, Math.round(value * 60_000));
}
