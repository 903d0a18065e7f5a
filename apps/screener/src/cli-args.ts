import { UsageError, booleanFlag, parseCommandLine, stringFlag } from '@sekimori/config';

export const USAGE = `usage: screener [--openapi <file>] [--list-metrics]
       (npm start: the local stack, the bundled lists, then this)
Screens the transfers on the input topics against the sanctions lists in Redis and serves the
screening API, /health and /metrics. Every setting is read from the environment (docs/operations.md).
  --openapi FILE     write the API document generated from the controllers to FILE, and exit
  --list-metrics     print the name and type of every metric /metrics exports, and exit
  -h, --help         print this help
Exit status: 0 stopped cleanly; 1 failed to start or to stop; 2 bad command line.`;

export { UsageError };

/** What to do instead of screening; null for --help. */
export interface ScreenerArgs {
  openapi?: string;
  listMetrics: boolean;
}

export function parseScreenerArgs(argv: readonly string[]): ScreenerArgs | null {
  const line = parseCommandLine(argv, {
    flags: { openapi: { type: 'string' }, 'list-metrics': { type: 'boolean' } },
    operands: { min: 0, max: 0, name: 'argument' },
  });
  if (line.help) return null;
  return { openapi: stringFlag(line, 'openapi'), listMetrics: booleanFlag(line, 'list-metrics') };
}
