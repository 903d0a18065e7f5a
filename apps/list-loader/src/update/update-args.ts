import { type CommandLine, parseCommandLine, UsageError } from '@sekimori/config';

export interface UpdateArgs {
  /** Keep running: a pass now, then one every LIST_CHECK_INTERVAL_MINUTES. */
  watch: boolean;
  /** Print the name and type of every metric --watch serves, and exit. */
  listMetrics: boolean;
}

export const UPDATE_USAGE = `usage: list-loader update [--watch] [--list-metrics]
       (npm run lists:update -- [--watch])
Fetches every configured list source (LIST_SOURCES, default the official OFAC, UN and MOF
publications) and publishes the ones that changed, exactly as lists:load would load the file;
an unchanged source (HTTP 304, or the same content) only records the check.
  --watch                   keep running: check every LIST_CHECK_INTERVAL_MINUTES (default 60)
  --list-metrics            print the name and type of every metric --watch serves, and exit
  -h, --help                print this help
Environment: LIST_SOURCES (listId=url,...; listId=official for the official URL),
LIST_CHECK_INTERVAL_MINUTES, LIST_MAX_BYTES (default 536870912), LIST_FETCH_TIMEOUT_SECONDS
(default 600), LIST_FETCH_RETRIES (default 3), LIST_FETCH_RETRY_DELAY_MS (default 2000),
LIST_UPDATER_METRICS_PORT and LIST_UPDATER_METRICS_HOST (--watch: serve /metrics), and the
loader's REDIS_URL, REDIS_KEY_PREFIX, LOG_LEVEL, LIST_RETAIN_VERSIONS, KAFKA_BROKERS, TOPIC_LISTS.
Exit status: 0 every source published, unchanged or not modified; 1 a source failed, was
rejected or was older than the current version (that list keeps its current version); 2 bad
command line or configuration. --watch exits 0 on SIGTERM or SIGINT.`;

export { UsageError };

/** The parsed command line, or null when --help asked for the usage. */
export function parseUpdateArgs(argv: readonly string[]): UpdateArgs | null {
  const line: CommandLine = parseCommandLine(argv, {
    flags: { watch: { type: 'boolean' }, 'list-metrics': { type: 'boolean' } },
    operands: { min: 0, max: 0, name: 'argument' },
  });
  if (line.help) return null;
  return { watch: line.flags.watch === true, listMetrics: line.flags['list-metrics'] === true };
}
