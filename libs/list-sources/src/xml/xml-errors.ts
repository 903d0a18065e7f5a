import { ListParseError } from '../list-entry';

/** Where a streaming read of a list file stands, for the messages of its errors. */
export interface XmlPosition {
  path: string;
  line: number;
  column: number;
  /** Names of the open elements, root first. */
  open: readonly string[];
  /** The element closed last (saxes pops the one it expected before a mismatched close tag). */
  lastClosed: string;
}

/** A saxes error as a ListParseError that says where in the file it happened. */
export function malformedXml(error: unknown, at: XmlPosition): ListParseError {
  if (error instanceof ListParseError) return error;
  const message = (error as Error).message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
  const where = message.startsWith('unexpected close tag')
    ? ` where </${at.lastClosed}> was expected`
    : at.open.length > 0
      ? ` inside <${at.open[at.open.length - 1]}>`
      : '';
  return new ListParseError(
    `malformed XML in ${at.path} at line ${at.line}, column ${at.column}: ${message}${where}`,
    { cause: error },
  );
}

/** The input ended with the root element still open. */
export function truncatedXml(totalBytes: number, at: XmlPosition): ListParseError {
  return new ListParseError(
    `unexpected end of XML at byte ${totalBytes} of ${at.path}: the file looks truncated ` +
      `(line ${at.line}, inside <${at.open.join('><')}>)`,
  );
}
