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

/**
 * Fetches one source and, when it holds something new, loads it exactly as `lists:load` does
 * (same parsers, same refusals, same publish), then announces it. Never throws: every failure
 * is an outcome, logged with the reason, and the current version stays.
 */
export async function checkSource(source: ListSource, deps: CheckDeps): Promise<SourceReport> {
  const started = Date.now();
  const now = deps.now ?? (() => new Date());
  const dir = await mkdtemp(join(tmpdir(), 'sekimori-list-'));
  let url = source.url;
  let attempts = 0;
  let fetched: DownloadResult | undefined;
  let current: string | null = null;
  const report = (outcome: SourceOutcome, extra: Partial<SourceReport>): SourceReport => ({
    listId: source.listId,
    url,
    outcome,
    version: current,
    attempts,
    ...(fetched ? { httpStatus: fetched.httpStatus } : {}),
    ...(fetched?.status === 'downloaded' ? { bytes: fetched.bytes } : {}),
    ...extra,
    durationMs: Date.now() - started,
  });
  try {
    current = await deps.store.currentVersion(source.listId);
    if (source.listId === JP_MOF_LIST_ID && !isWorkbookUrl(url)) {
      url = await linkedWorkbook(url, dir, deps, (n) => (attempts += n));
    }
    const state = await deps.sources.get(source.listId);
    // Conditional only while the version that answer held is still current: a 304 must never
    // stand for a list Redis no longer holds (flushed, or replaced with `lists:load`).
    const known =
      state !== null && state.url === url && current !== null && state.version === current;
    const file = join(dir, 'download');
    const got = await withRetries(
      () =>
        download({
          url,
          file,
          ...(known ? { etag: state.etag, lastModified: state.lastModified } : {}),
          maxBytes: deps.settings.maxBytes,
          timeoutMs: deps.settings.timeoutMs,
          userAgent: USER_AGENT,
          ...(deps.stop ? { stop: deps.stop } : {}),
        }),
      retryPolicy(deps, source.listId, url),
    );
    attempts += got.attempts;
    fetched = got.value;
    if (fetched.status === 'not-modified') {
      if (!known)
        return report('failed', { message: 'HTTP 304 to a request that was not conditional' });
      const at = now();
      const recorded =
        current !== null && (await deps.store.recordCheck(source.listId, current, at));
      if (!recorded) {
        // The list switched between our read and the check: fetch it whole next time.
        await deps.sources.forget(source.listId);
        return report('failed', { message: 'the list changed while it was checked; retry' });
      }
      await deps.sources.save(source.listId, { ...state, checkedAt: at.toISOString() });
      return report('not-modified', {});
    }
    const named = await nameByContent(file, source.listId);
    const format = await detectListFormat(named);
    const expected = EXPECTED_FORMAT[source.listId] ?? 'own-csv';
    if (format !== expected) {
      throw new ListParseError(
        `${url} served ${FORMAT_NAME[format]}, not ${FORMAT_NAME[expected]} as ${source.listId} needs`,
      );
    }
    const loaded = await loadList(
      {
        file: named,
        listId: source.listId,
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
    current = loaded.version;
    try {
      await deps.announce(loaded);
    } catch (error) {
      if (!(error instanceof AnnounceError)) throw error;
      // Not remembered: the next pass downloads it again, finds it unchanged and announces it.
      return report('announce-failed', { message: error.message });
    }
    await deps.sources.save(source.listId, {
      url,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      version: loaded.version,
      checkedAt: loaded.checkedAt,
    });
    return loaded.unchanged
      ? report('unchanged', {})
      : report('published', { previousVersion: loaded.previousVersion });
  } catch (error) {
    attempts = Math.max(attempts, attemptsOf(error));
    const message = (error as Error).message;
    if (error instanceof ListParseError) return report('rejected', { message });
    if (error instanceof OlderListError) return report('older', { message });
    return report('failed', { message });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
