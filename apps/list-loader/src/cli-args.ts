import { type CommandLine, UsageError, parseCommandLine, stringFlag } from '@sekimori/config';
import { type DecompressorChoice, RESERVED_LIST_IDS } from '@sekimori/list-sources';

export interface LoaderArgs {
  file: string;
  /** Overrides the list id the file's format names (OFAC: `ofac-sdn`). */
  listId?: string;
  /** Load only when the store has no current version for the list (first start). */
  ifEmpty: boolean;
  decompressor: DecompressorChoice;
  /** Own lists (CSV): load the good rows and report the bad ones instead of refusing the file. */
  skipBadRows: boolean;
  /** Publish even when the file was issued before the current version's file. */
  force: boolean;
}

export const USAGE = `usage: list-loader [options] <list file>
       (npm run lists:load -- [options] <list file>)
       list-loader update [--watch]   (npm run lists:update: fetch the sources; update --help)
Loads a sanctions list file into Redis as a new version, switches to it atomically and announces
it on lists.v1; an unchanged file only records the check.
  <list file>               OFAC SDN Advanced XML (sdn_advanced.xml, .xml.bz2), UN consolidated
                            XML, Japan MOF workbook (shisantouketsuYYYYMMDD.xlsx), or an own list
                            (.csv, docs/lists.md; needs --list-id)
  --list-id ID              store it under this list id (default: the one its format names)
  --if-empty                load only if Redis holds no version of the list yet (first start)
  --skip-bad-rows           own lists: load the good rows and report the bad ones
  --force                   publish a file issued before the current version's
  --decompressor KIND       auto (default), system (bzip2) or js, for .bz2 files
  -h, --help                print this help
Environment: REDIS_URL (default redis://127.0.0.1:6379), REDIS_KEY_PREFIX, LOG_LEVEL,
LIST_RETAIN_VERSIONS, and KAFKA_BROKERS and TOPIC_LISTS for the announcement.
Exit status: 0 published, unchanged or skipped; 1 file rejected, older than the current version,
or Redis or Kafka failed (the current version is untouched unless published); 2 bad command line
or configuration.`;

export { UsageError };

/** An exchange's own list is a CSV file (docs/lists.md). */
export function isOwnListFile(file: string): boolean {
  return /\.csv$/i.test(file);
}

/** The parsed command line, or null when --help asked for the usage. */
export function parseArgs(argv: readonly string[]): LoaderArgs | null {
  const line: CommandLine = parseCommandLine(argv, {
    flags: {
      'list-id': { type: 'string' },
      'if-empty': { type: 'boolean' },
      'skip-bad-rows': { type: 'boolean' },
      force: { type: 'boolean' },
      decompressor: { type: 'string' },
    },
    operands: { min: 1, max: 1, name: 'list file' },
  });
  if (line.help) return null;
  const listId = stringFlag(line, 'list-id');
  if (listId !== undefined && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(listId)) {
    throw new UsageError(
      `invalid --list-id '${listId}': lower-case letters, digits, '.', '_' or '-'`,
    );
  }
  const file = line.operands[0];
  const skipBadRows = line.flags['skip-bad-rows'] === true;
  if (isOwnListFile(file)) {
    if (listId === undefined) {
      throw new UsageError('an own list needs --list-id <id>: the id its alerts will cite');
    }
    if (RESERVED_LIST_IDS.includes(listId)) {
      throw new UsageError(
        `--list-id ${listId} is reserved for the official list of that name; give your list its own id`,
      );
    }
  } else if (skipBadRows) {
    throw new UsageError('--skip-bad-rows applies to own lists (.csv) only');
  }
  return {
    file,
    ...(listId === undefined ? {} : { listId }),
    ifEmpty: line.flags['if-empty'] === true,
    decompressor: decompressorOf(stringFlag(line, 'decompressor') ?? 'auto'),
    skipBadRows,
    force: line.flags.force === true,
  };
}

function decompressorOf(value: string): DecompressorChoice {
  if (value === 'auto' || value === 'system' || value === 'js') return value;
  throw new UsageError(`--decompressor must be auto, system or js, not '${value}'`);
}
