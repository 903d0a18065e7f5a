import { type CommandLine, UsageError, parseCommandLine, stringFlag } from '@sekimori/config';
import type { DecompressorChoice } from '@sekimori/sanctions';

export interface LoaderArgs {
  file: string;
  /** Given with --list-id; otherwise the file's format decides (list-format.ts). */
  listId?: string;
  /** Load only when the store has no current version for the list (first start). */
  ifEmpty: boolean;
  decompressor: DecompressorChoice;
}

export const USAGE = `usage: list-loader [options] <list file>
       (npm run lists:load -- [options] <list file>)
Loads a sanctions list file into Redis as a new version and switches to it atomically.
  <list file>               OFAC SDN Advanced XML (sdn_advanced.xml, .xml.bz2) or UN consolidated XML
  --list-id ID              store it under this list id (default: the one its format names)
  --if-empty                load only if Redis holds no version of the list yet (first start)
  --decompressor KIND       auto (default), system (bzip2) or js, for .bz2 files
  -h, --help                print this help
Environment: REDIS_URL (default redis://127.0.0.1:6379), REDIS_KEY_PREFIX, LOG_LEVEL.
Exit status: 0 published, unchanged or skipped; 1 file rejected or Redis failed (the current
version is untouched); 2 bad command line or configuration.`;

export { UsageError };

/** The parsed command line, or null when --help asked for the usage. */
export function parseArgs(argv: readonly string[]): LoaderArgs | null {
  const line: CommandLine = parseCommandLine(argv, {
    flags: {
      'list-id': { type: 'string' },
      'if-empty': { type: 'boolean' },
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
  return {
    file: line.operands[0],
    ...(listId === undefined ? {} : { listId }),
    ifEmpty: line.flags['if-empty'] === true,
    decompressor: decompressorOf(stringFlag(line, 'decompressor') ?? 'auto'),
  };
}

function decompressorOf(value: string): DecompressorChoice {
  if (value === 'auto' || value === 'system' || value === 'js') return value;
  throw new UsageError(`--decompressor must be auto, system or js, not '${value}'`);
}
