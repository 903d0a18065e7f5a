import { createServiceLogger, type Logger } from '@sekimori/logging';

export { PinoNestLogger } from '@sekimori/logging';

/** The screener's logger: the one shape every sekimori program writes (@sekimori/logging). */
export function createLogger(level: string, name = 'sekimori-screener'): Logger {
  return createServiceLogger({ service: name, level });
}
