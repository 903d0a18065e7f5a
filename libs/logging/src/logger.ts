import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { version } from '../../../package.json';

export type { Logger } from 'pino';

/** package.json's version: the `version` of every log line and of sekimori_build_info. */
export const VERSION: string = version;

const CENSOR = '[redacted]';

/**
 * Secrets by field name, wherever an object carrying them is logged whole by mistake, and
 * customer data (names, raw addresses), which never belongs in a log line.
 */
const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'sasl',
  '*.sasl',
  'config.kafka.security.sasl.password',
  'config.redis.security.password',
  // Customers' names, kana readings and travel-rule (IVMS101) records, wherever an event is.
  '*.counterparty.name',
  '*.account.name',
  '*.counterparty.nameKana',
  '*.account.nameKana',
  '*.travelRule',
  'counterparty.name',
  'counterparty.nameKana',
  'account.name',
  'account.nameKana',
  'travelRule',
  'event.counterparty.name',
  'event.address',
  'event.from',
  'event.to',
];

// scheme://user:password@host: the password goes, the user and host stay to say which one failed.
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):[^\s@/]+@/gi;

/** A text with the passwords of the URLs in it replaced (a Redis URL in an error message). */
export function scrubSecrets(text: string): string {
  return text.includes('@') ? text.replace(URL_CREDENTIALS, `$1:${CENSOR}@`) : text;
}

/** pino's error serialiser (type, message, stack, cause), with URL passwords scrubbed. */
function serialiseError(value: unknown): unknown {
  const serialised: unknown = pino.stdSerializers.errWithCause(value as Error);
  if (serialised === null || typeof serialised !== 'object') {
    return typeof value === 'string'
      ? { type: 'Error', message: scrubSecrets(value), stack: '' }
      : serialised;
  }
  const err = serialised as Record<string, unknown>;
  for (const key of ['message', 'stack'] as const) {
    if (typeof err[key] === 'string') err[key] = scrubSecrets(err[key] as string);
  }
  return err;
}

export interface ServiceLoggerOptions {
  /** The program, e.g. `sekimori-screener`: the `service` field of every line. */
  service: string;
  level?: string;
  /** File descriptor (1 stdout, 2 stderr) or a stream; stdout by default. */
  destination?: 1 | 2 | DestinationStream;
}

/**
 * The one JSON line shape of every sekimori program: numeric `level`, ISO `time`, `service`,
 * `version`, `pid`, `msg`, and `err` as type, message and stack. The destination is written
 * synchronously, so a line logged just before `process.exit` is not lost.
 */
export function createServiceLogger(options: ServiceLoggerOptions): Logger {
  const { service, level = 'info', destination = 1 } = options;
  return pino(
    {
      level,
      base: { service, version: VERSION, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      errorKey: 'err',
      serializers: { err: serialiseError },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      formatters: {
        // Top-level strings only: the hot path logs small flat objects.
        log(object) {
          for (const [key, value] of Object.entries(object)) {
            if (typeof value === 'string' && value.includes('@')) object[key] = scrubSecrets(value);
          }
          return object;
        },
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) =>
            typeof arg === 'string' ? scrubSecrets(arg) : arg,
          ) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    typeof destination === 'number'
      ? pino.destination({ fd: destination, sync: true })
      : destination,
  );
}

/**
 * Logs why a program cannot start, as a `fatal` line on stderr in the same shape, before the
 * configuration (and so the log level) is known.
 */
export function logFatal(service: string, message: string, error?: unknown): void {
  const log = createServiceLogger({ service, level: 'info', destination: 2 });
  if (error === undefined) log.fatal(message);
  else log.fatal({ err: error }, message);
}

/** Routes Nest's own messages (module init, routes) into the same JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  log(message: unknown, context?: string): void {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.pino.trace({ context }, String(message));
  }
}
