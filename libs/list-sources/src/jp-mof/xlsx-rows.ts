import type ExcelJS from 'exceljs';
import type SharedStringsXformClass from 'exceljs/lib/xlsx/xform/strings/shared-strings-xform';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ListParseError } from '../list-entry';

/** One worksheet as text rows: `cells[c]` is the text of column c + 1 ('' when empty). */
export interface SheetRows {
  name: string;
  rows: AsyncIterable<{ number: number; cells: string[] }>;
}

type WorkbookReaderClass = typeof ExcelJS.stream.xlsx.WorkbookReader;
let readerClass: WorkbookReaderClass | null = null;

/**
 * exceljs 4.4.0's streaming reader parses shared strings by hand and keeps the LAST `<t>` of a
 * plain `<si>`: a cell with a phonetic guide (`<t>告示日付</t><rPh><t>ヒヅケ</t></rPh>`) reads as
 * its furigana alone. Its document reader's parser keeps the text and drops `<rPh>`; use that one.
 * exceljs is loaded on first use: the screener, which shares this library, never reads a workbook
 * and should not carry exceljs in its memory.
 */
function phoneticFreeWorkbookReader(): WorkbookReaderClass {
  if (readerClass !== null) return readerClass;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const excel = require('exceljs') as typeof ExcelJS;
  // The module is the class itself (CommonJS), the default export of its declaration.
  const SharedStringsXform =
    require('exceljs/lib/xlsx/xform/strings/shared-strings-xform') as typeof SharedStringsXformClass;
  /* eslint-enable @typescript-eslint/no-require-imports */
  class PhoneticFreeWorkbookReader extends excel.stream.xlsx.WorkbookReader {
    // A generator because the reader delegates to it with `yield*`; it has nothing to emit.
    // eslint-disable-next-line require-yield
    async *_parseSharedStrings(entry: Readable): AsyncGenerator<never> {
      // Read to the end first: the parser stops at </sst>, and an unzip entry left unread
      // stalls the archive stream behind it.
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const xform = new SharedStringsXform();
      await xform.parseStream(chunks);
      (this as unknown as { sharedStrings: unknown[] }).sharedStrings = xform.values;
    }
  }
  readerClass = PhoneticFreeWorkbookReader;
  return readerClass;
}

/**
 * Streams the worksheets of an xlsx file in the order they are stored, each as rows of cell
 * texts. Rich-text runs are joined (the MOF file mixes fonts inside one name); formulas give their
 * result, dates their ISO day. Errors of the zip or XML layers become ListParseErrors.
 */
export async function* readSheets(path: string): AsyncGenerator<SheetRows> {
  await assertZipComplete(path);
  const Reader = phoneticFreeWorkbookReader();
  const reader = new Reader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      const worksheet = sheet as unknown as ExcelJS.Worksheet & AsyncIterable<ExcelJS.Row>;
      yield { name: worksheet.name, rows: rowsOf(worksheet, path) };
    }
  } catch (error) {
    throw unreadable(path, error);
  }
}

async function* rowsOf(
  rows: AsyncIterable<ExcelJS.Row>,
  path: string,
): AsyncGenerator<{ number: number; cells: string[] }> {
  try {
    for await (const row of rows) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let c = 1; c < values.length; c += 1) cells.push(cellText(values[c]));
      yield { number: row.number, cells };
    }
  } catch (error) {
    throw unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): ListParseError {
  if (error instanceof ListParseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ListParseError(`cannot read ${path} as an xlsx workbook: ${message}`, {
    cause: error,
  });
}

/** The text a reader sees in the cell; '' for empty cells and errors. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  return '';
}

/** End of central directory record: 22 bytes and a comment of up to 65,535 at the zip's end. */
const END_RECORD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const END_RECORD_SPAN = 22 + 0xffff;

/**
 * A zip cut short loses its end record, and exceljs's unzip stream then waits forever for the
 * rest of an entry instead of failing: check for the record before streaming.
 */
async function assertZipComplete(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, END_RECORD_SPAN);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    if (buffer.lastIndexOf(END_RECORD) < 0) {
      throw new ListParseError(
        `${path} is not a complete xlsx file: its zip end record is missing (${size} bytes); the file looks truncated`,
      );
    }
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    await handle?.close();
  }
}
