import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { ListParseError } from '../list-entry';

/** What a list's document reader does with the elements a SaxReader streams to it. */
export interface XmlHandler {
  /** `open` names the open elements, root first, this one last. */
  openTag(tag: SaxesTagPlain, open: readonly string[]): void;
  /** `open` no longer holds the element closed. */
  closeTag(name: string, open: readonly string[]): void;
  text(text: string): void;
  /** CDATA sections; left out, they are skipped. */
  cdata?(text: string): void;
}

/**
 * The streaming XML read (saxes) that the list parsers share. It keeps the open elements, and
 * turns a malformed, truncated or empty input into a ListParseError that says where.
 */
export class SaxReader {
  private readonly sax = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  private readonly open: string[] = [];
  private lastClosed = '';
  private rootSeen = false;
  private rootClosed = false;

  /** `format` finishes the message for a file without any element: `not ${format}`. */
  constructor(
    private readonly path: string,
    private readonly format: string,
    handler: XmlHandler,
  ) {
    this.sax.on('opentag', (tag) => {
      this.open.push(tag.name);
      this.rootSeen = true;
      handler.openTag(tag, this.open);
    });
    this.sax.on('closetag', (tag) => {
      this.open.pop();
      this.lastClosed = tag.name;
      if (this.open.length === 0) this.rootClosed = true;
      handler.closeTag(tag.name, this.open);
    });
    this.sax.on('text', (text) => handler.text(text));
    const { cdata } = handler;
    if (cdata) this.sax.on('cdata', (text) => cdata.call(handler, text));
  }

  /** The line the parser is at, for messages. */
  get line(): number {
    return this.sax.line;
  }

  write(text: string): void {
    try {
      this.sax.write(text);
    } catch (error) {
      throw malformedXml(error, this.position());
    }
  }

  end(totalBytes: number): void {
    if (!this.rootSeen) {
      throw new ListParseError(
        `${this.path} holds no XML element (${totalBytes} bytes): not ${this.format}`,
      );
    }
    if (!this.rootClosed) {
      throw truncatedXml(totalBytes, this.position());
    }
    try {
      this.sax.close();
    } catch (error) {
      throw malformedXml(error, this.position());
    }
  }

  private position(): XmlPosition {
    const { line, column } = this.sax;
    return { path: this.path, line, column, open: this.open, lastClosed: this.lastClosed };
  }
}

/** Where a streaming read of a list file stands, for the messages of its errors. */
interface XmlPosition {
  path: string;
  line: number;
  column: number;
  /** Names of the open elements, root first. */
  open: readonly string[];
  /** The element closed last (saxes pops the one it expected before a mismatched close tag). */
  lastClosed: string;
}

/** A saxes error as a ListParseError that says where in the file it happened. */
function malformedXml(error: unknown, at: XmlPosition): ListParseError {
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
function truncatedXml(totalBytes: number, at: XmlPosition): ListParseError {
  return new ListParseError(
    `unexpected end of XML at byte ${totalBytes} of ${at.path}: the file looks truncated ` +
      `(line ${at.line}, inside <${at.open.join('><')}>)`,
  );
}
