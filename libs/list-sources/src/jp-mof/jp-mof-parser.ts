import { classifyListedAddress, type ListedAddress } from '@sekimori/chains';
import { type ListEntry, ListParseError, type ParsedList } from '../list-entry';
import {
  type NamedParty,
  type NameEntry,
  nameEntryOf,
  type NameType,
} from '@sekimori/name-matching';
import {
  countriesInText,
  fromMofCell,
  idNumbersInText,
  listedIdentifiers,
} from '@sekimori/identifiers';
import { cryptoAddressesIn } from './crypto-notes';
import {
  collapse,
  columnsOf,
  HEADER_START,
  isHeaderRow,
  isLifted,
  noticeDatesOf,
  partyKindOf,
  type SheetColumns,
  sheetNumber,
  splitAliases,
  titleOf,
} from './mof-sheet';
import { readSheets, type SheetRows } from './xlsx-rows';

export const JP_MOF_LIST_ID = 'jp-mof';

/** An xlsx file is a zip archive: `PK\x03\x04` (the local file header signature). */
export function looksLikeXlsx(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32BE(0) === 0x504b0304;
}

export interface ParseJpMofOptions {
  listId?: string;
  /** Defaults to `classifyListedAddress` from @sekimori/chains, as for OFAC's addresses. */
  classify?: (raw: string, tag: string) => ListedAddress | null;
}

/** One sheet of the workbook: a sanctions program, as MOF numbers and titles it. */
export interface MofProgram {
  sheet: string;
  /** MOF's number of the program (the sheet name's prefix), or null. */
  number: string | null;
  title: string;
  /** 【解除】: the program was lifted; recorded, never screened. */
  lifted: boolean;
  /** Listed parties (rows with a name) and rows of deleted entries. */
  parties: number;
  deleted: number;
  addresses: number;
}

export interface ParseJpMofResult extends ParsedList {
  /** Every name of every party: Japanese and English columns and each alias (NAME_MATCH). */
  names: NameEntry[];
  programs: MofProgram[];
  input: { sheets: number; indexSheet: string | null };
}

/**
 * Reads Japan's Ministry of Finance asset-freeze list (経済制裁措置及び対象者リスト, the xlsx MOF
 * publishes as `shisantouketsuYYYYMMDD.xlsx`): one sheet per program after an index sheet,
 * each a table under a title row. The date of issue is the latest notice date in the file
 * (告示日付 of a designation, revision or deletion): the day the list was last changed.
 */
export async function parseJpMof(
  path: string,
  options: ParseJpMofOptions = {},
): Promise<ParseJpMofResult> {
  const listId = options.listId ?? JP_MOF_LIST_ID;
  const reader = new MofWorkbookReader(path, options.classify ?? classifyListedAddress);
  let sheets = 0;
  for await (const sheet of readSheets(path)) {
    await reader.readSheet(sheet, sheets);
    sheets += 1;
  }
  return reader.result(listId, sheets);
}

/** Program sheets read so far, and what they list. */
class MofWorkbookReader {
  private readonly programs: MofProgram[] = [];
  private readonly names: NameEntry[] = [];
  private readonly entries: ListEntry[] = [];
  private readonly unclassified: Record<string, number> = {};
  private readonly rawAddresses = new Set<string>();
  private features = 0;
  private partiesWithAddresses = 0;
  private latestNotice = '';
  private indexSheet: string | null = null;

  constructor(
    private readonly path: string,
    private readonly classify: (raw: string, tag: string) => ListedAddress | null,
  ) {}

  async readSheet({ name, rows }: SheetRows, position: number): Promise<void> {
    const above: string[][] = [];
    let columns: SheetColumns | null = null;
    let program: MofProgram | null = null;
    for await (const { number, cells } of rows) {
      if (program && columns) {
        if (!program.lifted) this.readRow(program, columns, cells);
        continue;
      }
      if (!isHeaderRow(cells)) {
        above.push(cells);
        continue;
      }
      const found = columnsOf(cells);
      if ('missing' in found) {
        throw new ListParseError(
          `${this.path}: sheet "${name}" row ${number} lacks the column(s) ${found.missing.join(', ')}: not MOF's format`,
        );
      }
      columns = found;
      program = this.startProgram(name, titleOf(above));
    }
    if (program) return;
    // A lifted program keeps a sheet with its title and the date of the repeal only.
    const title = titleOf(above.slice(0, 1));
    if (isLifted(name, title)) {
      this.startProgram(name, title);
    } else if (position === 0) {
      this.indexSheet = name;
    } else {
      throw new ListParseError(
        `${this.path}: sheet "${name}" has no table (no row starting ${HEADER_START}): not a MOF asset-freeze list, or its format changed`,
      );
    }
  }

  private startProgram(sheet: string, title: string): MofProgram {
    const program: MofProgram = {
      sheet,
      number: sheetNumber(sheet),
      title,
      lifted: isLifted(sheet, title),
      parties: 0,
      deleted: 0,
      addresses: 0,
    };
    this.programs.push(program);
    return program;
  }

  private readRow(program: MofProgram, columns: SheetColumns, cells: string[]): void {
    const cell = (column: number): string => cells[column] ?? '';
    const dates = noticeDatesOf(cell(columns.noticeDate));
    for (const date of dates.all) if (date > this.latestNotice) this.latestNotice = date;
    const japanese = collapse(cell(columns.japanese));
    const english = collapse(cell(columns.english));
    if (japanese === '' && english === '') {
      // A deleted entry keeps its row and number, without names; anything else is blank.
      if (dates.deleted) program.deleted += 1;
      return;
    }
    program.parties += 1;
    const noticeNumber = collapse(cell(columns.noticeNumber));
    const entityId = `${program.number ?? program.sheet}-${noticeNumber || program.parties}`;
    const entityName = japanese && english ? `${english} / ${japanese}` : english || japanese;
    const notice = [
      `notice ${dates.designated ?? 'of unknown date'} No. ${noticeNumber || '?'}`,
      dates.revised.length > 0 ? ` (revised ${dates.revised.join(', ')})` : '',
    ].join('');
    const programName = program.number ? `${program.number}. ${program.title}` : program.title;
    const programs = [programName, notice];
    const bornOn = columns.birthDate === null ? '' : collapse(cell(columns.birthDate));
    const partyKind = partyKindOf(program.title, bornOn !== '' && bornOn !== '不明');
    const ids = listedIdentifiers(
      fromMofCell(bornOn),
      columns.nationality === null ? [] : countriesInText(cell(columns.nationality)),
      columns.idNumbers.flatMap(({ column, kind }) => idNumbersInText(cell(column), kind)),
    );

    const listed: NamedParty = { entityId, entityName, partyKind, programs, ids };
    const add = (name: string, nameType: NameType, lowQuality: boolean): void => {
      if (name !== '') this.names.push(nameEntryOf(listed, name, nameType, lowQuality));
    };
    add(japanese, 'primary', false);
    if (english !== japanese) add(english, 'primary', false);
    for (const alias of columns.aliases) {
      for (const name of splitAliases(cell(alias.column))) {
        if (name !== japanese && name !== english) add(name, alias.nameType, alias.lowQuality);
      }
    }

    const keys = new Set<string>();
    for (const column of columns.notes) {
      for (const raw of cryptoAddressesIn(cell(column))) {
        this.features += 1;
        this.rawAddresses.add(raw);
        const listed = this.classify(raw, '');
        if (!listed || listed.chain.startsWith('other:')) {
          this.unclassified.unknown = (this.unclassified.unknown ?? 0) + 1;
          continue;
        }
        if (keys.has(listed.key)) continue;
        keys.add(listed.key);
        this.entries.push(entryOf(listed, entityId, entityName, programs));
      }
    }
    if (keys.size > 0) this.partiesWithAddresses += 1;
    program.addresses += keys.size;
  }

  result(listId: string, sheets: number): ParseJpMofResult {
    const screened = this.programs.filter((p) => !p.lifted);
    if (screened.length === 0) {
      throw new ListParseError(
        `${this.path} has no sheet with a table starting ${HEADER_START}: not a MOF asset-freeze list (経済制裁措置及び対象者リスト)`,
      );
    }
    if (this.names.length === 0) {
      // Tables without a single name are a broken export, not the delisting of everyone.
      throw new ListParseError(`${this.path} lists no party: refusing to publish an empty list`);
    }
    if (this.latestNotice === '') {
      throw new ListParseError(
        `${this.path}: no readable ${HEADER_START} (YYYY.M.D): cannot tell the list's date of issue`,
      );
    }
    const byChain: Record<string, number> = {};
    for (const entry of this.entries) byChain[entry.chain] = (byChain[entry.chain] ?? 0) + 1;
    return {
      listId,
      source: this.path,
      issuedAt: this.latestNotice,
      entries: this.entries,
      stats: {
        parties: this.partiesWithAddresses,
        features: this.features,
        distinctAddresses: this.rawAddresses.size,
        byChain,
        unclassified: this.unclassified,
      },
      names: this.names,
      programs: this.programs,
      input: { sheets, indexSheet: this.indexSheet },
    };
  }
}

function entryOf(
  listed: ListedAddress,
  entityId: string,
  entityName: string,
  programs: string[],
): ListEntry {
  return {
    key: listed.key,
    chain: listed.chain,
    address: listed.canonical,
    entityId,
    entityName,
    programs,
    // MOF names no currency: the chain follows from the address format alone.
    tag: '',
  };
}
