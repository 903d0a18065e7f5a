import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/**
 * JSON lines for operators. Customer names and raw addresses never belong in a log line; the
 * redaction paths are a safety net for objects logged whole by mistake.
 */
export function createLogger(level: string, name = 'sekimori-screener'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        '*.counterparty.name',
        '*.account.name',
        'counterparty.name',
        'event.counterparty.name',
        'event.address',
        'event.from',
        'event.to',
      ],
      censor: '[redacted]',
    },
  });
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
