import {
  ListParseError,
  parseJpMof,
  type ParseJpMofResult,
  parseOfacSdnAdvanced,
  parseOwnListCsv,
  type ParseOwnListResult,
  type ParseOfacResult,
  parseUnConsolidated,
} from '@sekimori/list-sources';
import {
  type PublishableList,
  type PublishResult,
  type SanctionsListStore,
} from '@sekimori/list-store';
import type { Logger } from 'pino';
import type { LoaderArgs } from './cli-args';
import { DEFAULT_LIST_ID, detectListFormat, type ListFormat } from './list-format';

export type LoadOutcome =
  | { status: 'skipped'; listId: string; version: string }
  | ({ status: 'published' } & PublishResult);

/**
 * Parse, then publish. Nothing is written before the whole file parsed cleanly, so a truncated
 * or malformed file leaves the current version exactly as it was.
 */
export async function loadList(
  args: LoaderArgs,
  store: SanctionsListStore,
  log: Logger,
  options: { retainVersions: number },
): Promise<LoadOutcome> {
  const format = await detectListFormat(args.file).catch((error: Error) => {
    throw new ListParseError(`cannot read ${args.file}: ${error.message}`, { cause: error });
  });
  const listId = args.listId ?? DEFAULT_LIST_ID[format];
  if (args.ifEmpty) {
    const version = await store.currentVersion(listId);
    if (version !== null) {
      log.info({ listId, listVersion: version }, 'list already loaded');
      return { status: 'skipped', listId, version };
    }
  }
  const started = process.hrtime.bigint();
  const list = await parse(format, args, listId, log);
  const parsed = process.hrtime.bigint();
  const result = await store.publish(list, {
    force: args.force,
    retainVersions: options.retainVersions,
  });
  const published = process.hrtime.bigint();
  log.info(
    {
      file: args.file,
      format,
      listId: result.listId,
      issuedAt: list.issuedAt,
      listVersion: result.version,
      previousVersion: result.previousVersion,
      unchanged: result.unchanged,
      added: result.added,
      removed: result.removed,
      checkedAt: result.checkedAt,
      droppedVersions: result.droppedVersions,
      counts: result.counts,
      input: list.input,
      durationsMs: {
        parse: ms(parsed - started),
        publish: ms(published - parsed),
        total: ms(published - started),
      },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    result.unchanged ? 'list unchanged: current version kept, check recorded' : 'list published',
  );
  return { status: 'published', ...result };
}

/** Parses with the format's parser and refuses a list that would switch screening off. */
async function parse(
  format: ListFormat,
  args: LoaderArgs,
  listId: string,
  log: Logger,
): Promise<
  PublishableList & {
    input?: ParseOfacResult['input'] | ParseJpMofResult['input'] | ParseOwnListResult['input'];
  }
> {
  if (format === 'own-csv') {
    // Refuses the whole file on any bad row unless --skip-bad-rows; then the bad rows are logged.
    const list = await parseOwnListCsv(args.file, { listId, skipBadRows: args.skipBadRows });
    for (const bad of list.badRows) log.warn({ file: args.file, ...bad }, 'own list row skipped');
    return list;
  }
  if (format === 'jp-mof-xlsx') {
    // The parser refuses a workbook without a MOF table or without a single listed party.
    return parseJpMof(args.file, { listId });
  }
  if (format === 'un-consolidated') {
    // The parser itself refuses a file without a single individual or entity.
    return parseUnConsolidated(args.file, { listId });
  }
  const list = await parseOfacSdnAdvanced(args.file, { listId, decompressor: args.decompressor });
  if (list.entries.length === 0) {
    // An SDN file with no address at all is a broken export, not a delisting of everyone;
    // publishing it would silently switch address screening off.
    throw new ListParseError(
      `${args.file} lists no digital currency address: refusing to publish an empty list`,
    );
  }
  return list;
}

const ms = (ns: bigint): number => Number(ns / 1_000_000n);
