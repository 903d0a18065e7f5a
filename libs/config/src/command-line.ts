import { parseArgs } from 'node:util';

/** A command line that cannot be run as given; the CLI prints the message and its usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type FlagSpec = { type: 'string'; multiple?: boolean } | { type: 'boolean' };

export interface CommandLineSpec {
  /** Long flags without their dashes, e.g. `{ 'list-id': { type: 'string' } }`. */
  flags: Readonly<Record<string, FlagSpec>>;
  /** How many operands (arguments that are not flags) the command takes. */
  operands: { min: number; max: number; name: string };
}

export interface CommandLine {
  /** `--help` or `-h` was given: print the usage and exit 0 before touching anything. */
  help: boolean;
  flags: Record<string, string | boolean | Array<string | boolean> | undefined>;
  operands: string[];
}

/** The flag node:util names in its message ("Unknown option '--x'", "Option '--y <value>' ..."). */
function flagIn(message: string): string {
  return /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? 'an option';
}

/**
 * Parses argv with node:util's strict parser and turns its errors into one short UsageError each.
 * `--help`/`-h` wins over everything else on the line, so a typo next to it still gets the help.
 */
export function parseCommandLine(argv: readonly string[], spec: CommandLineSpec): CommandLine {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) {
    return { help: true, flags: {}, operands: [] };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...spec.flags },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const flag = flagIn(message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${flag}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const takesValue = spec.flags[flag.replace(/^-+/, '')]?.type === 'string';
      if (!takesValue) throw new UsageError(`${flag} takes no value`);
      // node:util reads `--flag -x` as a flag without its value; `--flag=-x` is unambiguous.
      const dash = message.includes('ambiguous')
        ? ` (write ${flag}=-... for one that starts with -)`
        : '';
      throw new UsageError(`${flag} needs a value${dash}`);
    }
    throw new UsageError(message);
  }
  const { operands } = spec;
  if (parsed.positionals.length < operands.min) throw new UsageError(`no ${operands.name} given`);
  if (parsed.positionals.length > operands.max) {
    throw new UsageError(
      operands.max === 0
        ? `unexpected argument ${parsed.positionals[0]}`
        : `at most ${operands.max} ${operands.name}, got ${parsed.positionals.join(' ')}`,
    );
  }
  return { help: false, flags: parsed.values, operands: parsed.positionals };
}

/** A string flag's value, or undefined when absent (the spec declares it as a string). */
export function stringFlag(line: CommandLine, name: string): string | undefined {
  const value = line.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a repeatable string flag, in order. */
export function stringFlags(line: CommandLine, name: string): string[] {
  const value = line.flags[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function booleanFlag(line: CommandLine, name: string): boolean {
  return line.flags[name] === true;
}

/** A flag's value as an integer of at least `min`, or the fallback when the flag is absent. */
export function integerFlag(
  line: CommandLine,
  name: string,
  fallback: number,
  min: number,
): number {
  const raw = stringFlag(line, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min) {
    throw new UsageError(`--${name} needs an integer ≥ ${min}, got '${raw}'`);
  }
  return value;
}
