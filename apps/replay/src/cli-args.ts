import { type CommandLine, parseCommandLine, stringFlag, UsageError } from '@sekimori/config';
import { type ListVersions, parseListVersions } from '@sekimori/screening';

export interface ReplayArgs {
  topic: string;
  fromMs: number;
  toMs: number;
  /** Versions that replace, list by list, the ones each event was screened against. */
  lists: ListVersions;
  out?: string;
}

export const USAGE = `usage: replay --topic <topic> --from <time> --to <time> [--lists <listId:version,...>] [--out <file>]
       (npm run replay -- ...)
Re-screens the events put on an input topic between two times against retained list versions and
reports, per event, the decision it would get and how it differs from the decision it got. Reads
only: it publishes nothing and writes no state.
  --topic TOPIC       the input topic (TOPIC_ONCHAIN or TOPIC_EXCHANGE)
  --from TIME         start of the range, included (ISO-8601 with a zone: 2026-03-15T00:00:00Z)
  --to TIME           end of the range, excluded
  --lists VERSIONS    listId:version,... to screen against instead of the versions each event's
                      decision names (those lists only; the others stay as decided)
  --out FILE          write the report (JSON) there; stdout gets the summary either way
  -h, --help          print this help
Environment: as the screener's (KAFKA_BROKERS, REDIS_URL, REDIS_KEY_PREFIX, TOPIC_*, the rules'
thresholds, LIST_RETAIN_VERSIONS, LOG_LEVEL, the Kafka and Redis security variables).
Exit status: 0 report made (differences are not errors); 1 a version unknown or no longer
retained, or Kafka or Redis failed; 2 bad command line or configuration.`;

export { UsageError };

/** A time with its zone, as the contract writes times; a bare date or local time is ambiguous. */
function timeFlag(line: CommandLine, name: string): number {
  const raw = stringFlag(line, name);
  if (raw === undefined) throw new UsageError(`--${name} is required`);
  const ms = Date.parse(raw);
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(raw) || !/^\d{4}-\d\d-\d\dT/.test(raw) || Number.isNaN(ms)) {
    throw new UsageError(`--${name} needs an ISO-8601 time with a zone, got '${raw}'`);
  }
  return ms;
}

/** The parsed command line, or null when --help asked for the usage. */
export function parseArgs(argv: readonly string[]): ReplayArgs | null {
  const line = parseCommandLine(argv, {
    flags: {
      topic: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      lists: { type: 'string' },
      out: { type: 'string' },
    },
    operands: { min: 0, max: 0, name: 'operand' },
  });
  if (line.help) return null;
  const topic = stringFlag(line, 'topic');
  if (topic === undefined || topic === '') throw new UsageError('--topic is required');
  const fromMs = timeFlag(line, 'from');
  const toMs = timeFlag(line, 'to');
  if (toMs <= fromMs) throw new UsageError('--to must be after --from');
  let lists: ListVersions = {};
  const rawLists = stringFlag(line, 'lists');
  if (rawLists !== undefined) {
    try {
      lists = parseListVersions(rawLists);
    } catch (error) {
      throw new UsageError(`--lists: ${(error as Error).message}`);
    }
    if (Object.keys(lists).length === 0) throw new UsageError('--lists names no version');
  }
  const out = stringFlag(line, 'out');
  return { topic, fromMs, toMs, lists, ...(out === undefined ? {} : { out }) };
}
