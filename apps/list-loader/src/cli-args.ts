import { type DecompressorChoice, RESERVED_LIST_IDS } from '@sekimori/sanctions';

export interface LoaderArgs {
  file: string;
  /** Given with --list-id; otherwise the file's format decides (list-format.ts). */
  listId?: string;
  /** Load only when the store has no current version for the list (first start). */
  ifEmpty: boolean;
  decompressor: DecompressorChoice;
  /** Own lists (CSV): load the good rows and report the bad ones instead of refusing the file. */
  skipBadRows: boolean;
}

export const USAGE =
  'usage: list-loader [--if-empty] [--list-id <id>] [--decompressor auto|system|js] <sdn_advanced.xml[.bz2] | un-consolidated.xml | shisantouketsuYYYYMMDD.xlsx>\n' +
  '       list-loader --list-id <own-id> [--skip-bad-rows] [--if-empty] <own-list.csv>';

/** An exchange's own list is a CSV file (docs/lists.md). */
export function isOwnListFile(file: string): boolean {
  return /\.csv$/i.test(file);
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: readonly string[]): LoaderArgs {
  const args: Partial<LoaderArgs> = {
    ifEmpty: false,
    decompressor: 'auto',
    skipBadRows: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(`${arg} needs a value\n${USAGE}`);
      i += 1;
      return next;
    };
    if (arg === '--if-empty') args.ifEmpty = true;
    else if (arg === '--skip-bad-rows') args.skipBadRows = true;
    else if (arg === '--list-id') args.listId = value();
    else if (arg.startsWith('--list-id=')) args.listId = arg.slice('--list-id='.length);
    else if (arg === '--decompressor') args.decompressor = decompressorOf(value());
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    else if (args.file !== undefined)
      throw new UsageError(`only one list file, got ${args.file} and ${arg}\n${USAGE}`);
    else args.file = arg;
  }
  if (!args.file) throw new UsageError(`no list file given\n${USAGE}`);
  if (args.listId !== undefined && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(args.listId)) {
    throw new UsageError(
      `invalid --list-id '${args.listId}': lower-case letters, digits, '.', '_' or '-'`,
    );
  }
  if (isOwnListFile(args.file)) {
    if (args.listId === undefined) {
      throw new UsageError(
        `an own list needs --list-id <id>: the id its alerts will cite\n${USAGE}`,
      );
    }
    if (RESERVED_LIST_IDS.includes(args.listId)) {
      throw new UsageError(
        `--list-id ${args.listId} is reserved for the official list of that name; give your list its own id`,
      );
    }
  } else if (args.skipBadRows) {
    throw new UsageError(`--skip-bad-rows applies to own lists (.csv) only\n${USAGE}`);
  }
  return args as LoaderArgs;
}

function decompressorOf(value: string): DecompressorChoice {
  if (value === 'auto' || value === 'system' || value === 'js') return value;
  throw new UsageError(`--decompressor must be auto, system or js, not '${value}'`);
}
