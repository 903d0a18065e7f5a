import {
  ListParseError,
  parseOfacSdnAdvanced,
  type PublishResult,
  type SanctionsListStore,
} from '@sekimori/sanctions';
import type { Logger } from 'pino';
import type { LoaderArgs } from './cli-args';

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
): Promise<LoadOutcome> {
  if (args.ifEmpty) {
    const version = await store.currentVersion(args.listId);
    if (version !== null) {
      log.info({ listId: args.listId, version }, 'list already loaded');
      return { status: 'skipped', listId: args.listId, version };
    }
  }
  const started = process.hrtime.bigint();
  const list = await parseOfacSdnAdvanced(args.file, {
    listId: args.listId,
    decompressor: args.decompressor,
  });
  const parsed = process.hrtime.bigint();
  if (list.entries.length === 0) {
    // An SDN file with no address at all is a broken export, not a delisting of everyone;
    // publishing it would silently switch address screening off.
    throw new ListParseError(
      `${args.file} lists no digital currency address: refusing to publish an empty list`,
    );
  }
  const result = await store.publish(list);
  const published = process.hrtime.bigint();
  log.info(
    {
      file: args.file,
      listId: result.listId,
      issuedAt: list.issuedAt,
      version: result.version,
      previousVersion: result.previousVersion,
      unchanged: result.unchanged,
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
    result.unchanged ? 'list unchanged: current version kept' : 'list published',
  );
  return { status: 'published', ...result };
}

const ms = (ns: bigint): number => Number(ns / 1_000_000n);
