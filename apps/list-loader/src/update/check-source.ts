import { mkdtemp, open, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ListSource, UpdateSettings } from '@sekimori/config';
import {
  JP_MOF_LIST_ID,
  ListParseError,
  OFAC_SDN_LIST_ID,
  UN_CONSOLIDATED_LIST_ID,
} from '@sekimori/list-sources';
import {
  type ListSourceState,
  type ListSourceStore,
  OlderListError,
  type PublishResult,
  type SanctionsListStore,
} from '@sekimori/list-store';
import type { Logger } from 'pino';
import { AnnounceError } from '../announce';
import { detectListFormat, type ListFormat } from '../list-format';
import { loadList } from '../load-list';
import { download, type DownloadResult, FetchError } from './download';
import { isWorkbookUrl, newestMofWorkbook } from './mof-index';
import { attemptsOf, withRetries } from './retry';

/**
 * What one check of a source came to. Only `published`, `unchanged` and `not-modified` are a
 * success; every other outcome leaves the current version exactly as it was.
 */
export type SourceOutcome =
  'published' | 'unchanged' | 'not-modified' | 'rejected' | 'older' | 'failed' | 'announce-failed';

export interface SourceReport {
  listId: string;
  /** The file fetched (for MOF, the workbook the index page linked). */
  url: string;
  outcome: SourceOutcome;
  /** The current version after the check. */
  version: string | null;
  previousVersion?: string | null;
  httpStatus?: number;
  bytes?: number;
  attempts: number;
  message?: string;
  durationMs: number;
}

export interface CheckDeps {
  store: SanctionsListStore;
  sources: ListSourceStore;
  settings: UpdateSettings;
  retainVersions: number;
  log: Logger;
  /** Announces a version that became current (or one whose announcement failed before). */
  announce: (result: PublishResult) => Promise<unknown>;
  stop?: AbortSignal;
  now?: () => Date;
}

/** Some publishers (OFAC's list service among them) refuse requests without a user agent. */
export const USER_AGENT = 'sekimori-list-updater/0.1';

/** The format an official list must arrive in; any other list id is an own list (CSV). */
const EXPECTED_FORMAT: Record<string, ListFormat> = {
  [OFAC_SDN_LIST_ID]: 'ofac-sdn-advanced',
  [UN_CONSOLIDATED_LIST_ID]: 'un-consolidated',
  [JP_MOF_LIST_ID]: 'jp-mof-xlsx',
};
const FORMAT_NAME: Record<ListFormat, string> = {
  'ofac-sdn-advanced': 'an OFAC SDN Advanced XML file',
  'un-consolidated': 'a UN consolidated list',
  'jp-mof-xlsx': 'a MOF workbook (xlsx)',
  'own-csv': 'an own list (CSV)',
};

/** One check in progress: what its report says, filled in as the steps go. */
interface Check {
  listId: string;
  started: number;
  /** A scratch directory for the download, removed when the check ends. */
  dir: string;
  url: string;
  attempts: number;
  fetched?: DownloadResult;
  /** The current version: before the check, then after a publish. */
  current: string | null;
}

function reportOf(
  check: Check,
  outcome: SourceOutcome,
  extra: Partial<SourceReport> = {},
): SourceReport {
  const { fetched } = check;
  return {
    listId: check.listId,
    url: check.url,
    outcome,
    version: check.current,
    attempts: check.attempts,
    ...(fetched ? { httpStatus: fetched.httpStatus } : {}),
    ...(fetched?.status === 'downloaded' ? { bytes: fetched.bytes } : {}),
    ...extra,
    durationMs: Date.now() - check.started,
  };
}

/**
 * Fetches one source and, when it holds something new, loads it exactly as `lists:load` does
 * (same parsers, same refusals, same publish), then announces it. Never throws: every failure
 * is an outcome, logged with the reason, and the current version stays.
 */
export async function checkSource(source: ListSource, deps: CheckDeps): Promise<SourceReport> {
  const check: Check = {
    listId: source.listId,
    started: Date.now(),
    dir: await mkdtemp(join(tmpdir(), 'sekimori-list-')),
    url: source.url,
    attempts: 0,
    current: null,
  };
  try {
    check.current = await deps.store.currentVersion(source.listId);
    if (source.listId === JP_MOF_LIST_ID && !isWorkbookUrl(check.url)) {
      check.url = await linkedWorkbook(check.url, check.dir, deps, (n) => (check.attempts += n));
    }
    const { file, state, known, fetched } = await fetchSource(check, deps);
    if (fetched.status === 'not-modified') {
      return await confirmNotModified(check, known ? state : null, deps);
    }
    const loaded = await loadFetched(check, file, deps);
    check.current = loaded.version;
    return await announceAndRemember(check, fetched, loaded, deps);
  } catch (error) {
    check.attempts = Math.max(check.attempts, attemptsOf(error));
    const message = (error as Error).message;
    if (error instanceof ListParseError) return reportOf(check, 'rejected', { message });
    if (error instanceof OlderListError) return reportOf(check, 'older', { message });
    return reportOf(check, 'failed', { message });
  } finally {
    await rm(check.dir, { recursive: true, force: true });
  }
}

/** The source's file, downloaded with retries; conditional when the last answer still holds. */
async function fetchSource(check: Check, deps: CheckDeps) {
  const state = await deps.sources.get(check.listId);
  // Conditional only while the version that answer held is still current: a 304 must never
  // stand for a list Redis no longer holds (flushed, or replaced with `lists:load`).
  const known =
    state !== null &&
    state.url === check.url &&
    check.current !== null &&
    state.version === check.current;
  const file = join(check.dir, 'download');
  const got = await withRetries(
    () =>
      download({
        url: check.url,
        file,
        ...(known ? { etag: state.etag, lastModified: state.lastModified } : {}),
        maxBytes: deps.settings.maxBytes,
        timeoutMs: deps.settings.timeoutMs,
        userAgent: USER_AGENT,
        ...(deps.stop ? { stop: deps.stop } : {}),
      }),
    retryPolicy(deps, check.listId, check.url),
  );
  check.attempts += got.attempts;
  check.fetched = got.value;
  return { file, state, known, fetched: got.value };
}

/** A 304: the current version is recorded as checked, unless the list switched meanwhile. */
async function confirmNotModified(
  check: Check,
  state: ListSourceState | null,
  deps: CheckDeps,
): Promise<SourceReport> {
  if (state === null) {
    return reportOf(check, 'failed', { message: 'HTTP 304 to a request that was not conditional' });
  }
  const at = (deps.now ?? (() => new Date()))();
  const recorded =
    check.current !== null && (await deps.store.recordCheck(check.listId, check.current, at));
  if (!recorded) {
    // The list switched between our read and the check: fetch it whole next time.
    await deps.sources.forget(check.listId);
    return reportOf(check, 'failed', { message: 'the list changed while it was checked; retry' });
  }
  await deps.sources.save(check.listId, { ...state, checkedAt: at.toISOString() });
  return reportOf(check, 'not-modified');
}

/** The download, refused unless it is the format its list needs, loaded as `lists:load` does. */
async function loadFetched(check: Check, file: string, deps: CheckDeps) {
  const named = await nameByContent(file, check.listId);
  const format = await detectListFormat(named);
  const expected = EXPECTED_FORMAT[check.listId] ?? 'own-csv';
  if (format !== expected) {
    throw new ListParseError(
      `${check.url} served ${FORMAT_NAME[format]}, not ${FORMAT_NAME[expected]} as ${check.listId} needs`,
    );
  }
  const loaded = await loadList(
    {
      file: named,
      listId: check.listId,
      ifEmpty: false,
      decompressor: 'auto',
      skipBadRows: false,
      force: false,
    },
    deps.store,
    deps.log,
    { retainVersions: deps.retainVersions },
  );
  if (loaded.status !== 'published') throw new Error('unexpected skip');
  return loaded;
}

/** The version announced, then its source's answer remembered for the next conditional fetch. */
async function announceAndRemember(
  check: Check,
  fetched: Extract<DownloadResult, { status: 'downloaded' }>,
  loaded: PublishResult,
  deps: CheckDeps,
): Promise<SourceReport> {
  try {
    await deps.announce(loaded);
  } catch (error) {
    if (!(error instanceof AnnounceError)) throw error;
    // Not remembered: the next pass downloads it again, finds it unchanged and announces it.
    return reportOf(check, 'announce-failed', { message: error.message });
  }
  await deps.sources.save(check.listId, {
    url: check.url,
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    version: loaded.version,
    checkedAt: loaded.checkedAt,
  });
  return loaded.unchanged
    ? reportOf(check, 'unchanged')
    : reportOf(check, 'published', { previousVersion: loaded.previousVersion });
}

/** MOF's index page, fetched and read for the newest workbook's link. */
async function linkedWorkbook(
  pageUrl: string,
  dir: string,
  deps: CheckDeps,
  countAttempts: (n: number) => void,
): Promise<string> {
  const file = join(dir, 'index.html');
  const got = await withRetries(
    () =>
      download({
        url: pageUrl,
        file,
        // An index page is a few hundred kB; anything far larger is not the page we expect.
        maxBytes: Math.min(deps.settings.maxBytes, 8 * 1024 * 1024),
        timeoutMs: deps.settings.timeoutMs,
        userAgent: USER_AGENT,
        ...(deps.stop ? { stop: deps.stop } : {}),
      }),
    retryPolicy(deps, JP_MOF_LIST_ID, pageUrl),
  );
  countAttempts(got.attempts);
  const newest = newestMofWorkbook(await readFile(file, 'utf8'), pageUrl);
  if (newest === null) {
    throw new FetchError(
      `${pageUrl} links no shisantouketsuYYYYMMDD.xlsx workbook; set LIST_SOURCES=jp-mof=<workbook URL>`,
      'http',
      false,
    );
  }
  return newest.url;
}

function retryPolicy(deps: CheckDeps, listId: string, url: string) {
  return {
    retries: deps.settings.retries,
    delayMs: deps.settings.retryDelayMs,
    ...(deps.stop ? { stop: deps.stop } : {}),
    onRetry: (error: FetchError, attempt: number, waitMs: number) =>
      deps.log.warn(
        { listId, url, attempt, waitMs, reason: error.kind, httpStatus: error.httpStatus },
        `list update: fetch failed (${error.message}), retrying in ${waitMs} ms`,
      ),
  };
}

/**
 * The loader picks a parser by name for two formats (`.bz2`, `.csv`), by content for the rest:
 * give the download the name its content or its list id calls for.
 */
async function nameByContent(file: string, listId: string): Promise<string> {
  let suffix = '.list';
  if (!(listId in EXPECTED_FORMAT)) suffix = '.csv';
  else {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(3), 0, 3, 0);
      if (buffer.subarray(0, bytesRead).toString('latin1') === 'BZh') suffix = '.xml.bz2';
    } finally {
      await handle.close();
    }
  }
  const named = `${file}${suffix}`;
  await rename(file, named);
  return named;
}
