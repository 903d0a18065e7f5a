import type { NameType, PartyKind } from '@sekimori/name-matching';

/** The header cell that starts every program table; the header row is found by it. */
export const HEADER_START = '告示日付';

/** A lifted program: MOF keeps its sheet (and its index line) with this mark. */
const LIFTED_MARK = '【解除】';

/** Columns every program table has; a table without them is not MOF's format. */
const REQUIRED_COLUMNS = ['告示日付', '告示番号', '日本語表記', '英語表記'] as const;

/** How an alias column's header says what its names are. */
export interface AliasColumn {
  column: number;
  header: string;
  nameType: NameType;
  /** 確定に十分でない別名: "an alias not sufficient to identify", the UN's low-quality alias. */
  lowQuality: boolean;
}

/** Where a program table's fields are, found from its header row's text. */
export interface SheetColumns {
  noticeDate: number;
  noticeNumber: number;
  japanese: number;
  english: number;
  aliases: AliasColumn[];
  /** 生年月日 (or 生年月日・出生地): tells a person from an entity on sheets that mix both. */
  birthDate: number | null;
  /** 国籍: the nationalities, compared with travel-rule data (NAME_MATCH evidence). */
  nationality: number | null;
  /** 旅券番号, ID番号, 身分登録番号, 身分証番号: identification numbers in a sentence each. */
  idNumbers: Array<{ column: number; kind: string }>;
  /** Columns that may carry free-text notes with crypto addresses (all but names and notice). */
  notes: number[];
}

/** Header text without the line breaks and spaces MOF puts inside some headers. */
function headerText(cell: string): string {
  return cell.replace(/\s+/g, '');
}

export function isHeaderRow(cells: readonly string[]): boolean {
  const first = cells.find((cell) => cell.trim() !== '');
  return first !== undefined && headerText(first).startsWith(HEADER_START);
}

/**
 * Maps the header row to columns by their text: MOF's sheets order and name their columns
 * differently (別名, 別称・旧称, 確定に十分でない別名, ...), so no position is assumed.
 * Returns the missing required headers instead when there are any.
 */
export function columnsOf(cells: readonly string[]): SheetColumns | { missing: string[] } {
  const index = new Map<string, number>();
  cells.forEach((cell, column) => {
    const text = headerText(cell);
    if (text !== '' && !index.has(text)) index.set(text, column);
  });
  const missing = REQUIRED_COLUMNS.filter((name) => !index.has(name));
  if (missing.length > 0) return { missing };
  const [noticeDate, noticeNumber, japanese, english] = REQUIRED_COLUMNS.map((name) =>
    index.get(name)!,
  );
  const aliases: AliasColumn[] = [];
  const notes: number[] = [];
  for (const [header, column] of index) {
    const kind = aliasKind(header);
    if (kind) aliases.push({ column, header, ...kind });
    else if (![noticeDate, noticeNumber, japanese, english].includes(column)) notes.push(column);
  }
  const birthDate = [...index].find(([header]) => header.startsWith('生年月日'))?.[1] ?? null;
  const nationality = index.get('国籍') ?? null;
  const idNumbers = [...index]
    .filter(([header]) => ID_HEADERS.test(header))
    .map(([header, column]) => ({
      column,
      kind: header.includes('旅券') ? 'passport' : 'national id',
    }));
  return {
    noticeDate,
    noticeNumber,
    japanese,
    english,
    aliases,
    birthDate,
    nationality,
    idNumbers,
    notes,
  };
}

const ID_HEADERS = /^(旅券番号|ID番号|身分登録番号|身分証番号)$/;

/**
 * 別名/別称 are aliases; 旧称, 過去の別名, 以前の別名 former names; a header that mixes both
 * (別称・旧称) is read as aliases, the weaker claim. Anything else is not a name column.
 */
function aliasKind(header: string): { nameType: NameType; lowQuality: boolean } | null {
  if (!/別名|別称|旧称|呼称/.test(header)) return null;
  const lowQuality = header.includes('確定に十分でない');
  const former = /^(旧称|過去の別名|以前の別名|旧称・以前の呼称)$/.test(header);
  return { nameType: former ? 'fka' : 'aka', lowQuality };
}

/** The sheet's number in MOF's own numbering (`29.ロシア連邦(個人)` is 29), or null. */
export function sheetNumber(sheetName: string): string | null {
  return /^\s*(\d+)\s*[.．]/.exec(sheetName)?.[1] ?? null;
}

/**
 * The program's title: the text above the table (the first row; sheets 16 and 17 wrap it over
 * three), without MOF's notes (（注）...) that share it; merged cells repeat a text, kept once.
 */
export function titleOf(rowsAbove: ReadonlyArray<readonly string[]>): string {
  const parts: string[] = [];
  for (const row of rowsAbove) {
    for (const cell of row) {
      const text = collapse(cell.replace(/[(（]注[\d０-９]*[)）][\s\S]*$/, ''));
      if (text === '' || parts.includes(text)) continue;
      parts.push(text);
    }
  }
  return parts.join(' ');
}

export function isLifted(sheetName: string, title: string): boolean {
  return sheetName.includes(LIFTED_MARK) || title.includes(LIFTED_MARK);
}

/**
 * Individuals or entities, from the program's title (（個人）, （団体...）, 特定銀行); sheets that
 * mix both (タリバーン関係者等, テロリスト等) are told by the row: a birth date means a person.
 */
export function partyKindOf(title: string, hasBirthDate: boolean): PartyKind {
  if (/個人）|個人\)/.test(title) && !/団体及び個人）/.test(title)) return 'individual';
  if (/[（(]団体|特定銀行/.test(title)) return 'entity';
  return hasBirthDate ? 'individual' : 'other';
}

/** A notice date cell: `2001.9.22\n2008.6.25改訂\n2012.3.27改訂`, or `2011.11.18削除`. */
export interface NoticeDates {
  /** The designation date, `YYYY-MM-DD`; null when the cell holds no readable date. */
  designated: string | null;
  revised: string[];
  /** The entry was deleted from the list (its row stays, without names). */
  deleted: boolean;
  /** Every date in the cell, for the list's date of issue. */
  all: string[];
}

const DATE_IN_CELL = /(\d{4})\.(\d{1,2})\.(\d{1,2})/;

export function noticeDatesOf(cell: string): NoticeDates {
  const result: NoticeDates = { designated: null, revised: [], deleted: false, all: [] };
  for (const line of cell.split(/\n/)) {
    if (line.includes('削除')) result.deleted = true;
    const match = DATE_IN_CELL.exec(line);
    // MOF's own typos (`200812.19改訂`) have no readable date: the line is skipped, not guessed.
    const date = match ? isoDate(+match[1], +match[2], +match[3]) : null;
    if (date === null) continue;
    result.all.push(date);
    if (line.includes('改訂')) result.revised.push(date);
    else if (!line.includes('削除') && result.designated === null) result.designated = date;
  }
  return result;
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * The names of one alias cell. MOF separates them with `；`, `;`, line breaks, `、` between
 * Japanese names and `(a)`…`(z)` enumerations, and repeats the Latin spellings in brackets
 * after the Japanese ones. ASCII commas are kept: Latin aliases are written `CHO'N, Chin-yo'ng`.
 */
export function splitAliases(cell: string): string[] {
  const names: string[] = [];
  for (const piece of cell.split(/[；;\n、]|[(（][a-z][)）]/)) {
    const name = unbracket(collapse(piece));
    if (name === '' || name === '不明' || names.includes(name)) continue;
    names.push(name);
  }
  return names;
}

/** Drops a bracket that wraps the whole name, or one left unmatched by the split. */
function unbracket(text: string): string {
  let name = text;
  if (/^[(（].*[)）]$/.test(name)) name = name.slice(1, -1).trim();
  if (/^[(（]/.test(name) && !/[)）]/.test(name)) name = name.slice(1).trim();
  if (/[)）]$/.test(name) && !/[(（]/.test(name)) name = name.slice(0, -1).trim();
  return name;
}

/** Runs of spaces (ASCII and full-width) and line breaks as one space, trimmed. */
export function collapse(text: string): string {
  return text.replace(/[\s\u3000]+/g, ' ').trim();
}
