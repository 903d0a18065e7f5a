import { createReadStream } from 'node:fs';
import { CHAIN_IDS, isSupportedChain } from '@sekimori/contracts';
import { normalizeAddress } from '@sekimori/chains';
import { parse } from 'csv-parse';
import { type ListEntry, ListParseError, type ParsedList } from '../list-entry';
import type { NameEntry, PartyKind } from '@sekimori/name-matching';

/** The ids the project's own loaders publish under: an operator's list may not take them. */
export const RESERVED_LIST_IDS: readonly string[] = ['ofac-sdn', 'un-consolidated', 'jp-mof'];

/**
 * The header of an own-list CSV (docs/lists.md). One row per listed address or name:
 * `kind` is `address` (chain, address, entity_id, entity_name, reason) or `name` (name,
 * entity_id, reason, party_kind; entity_name defaults to the name).
 */
export const OWN_LIST_COLUMNS = [
  'kind',
  'chain',
  'address',
  'name',
  'entity_id',
  'entity_name',
  'reason',
  'party_kind',
] as const;

type Column = (typeof OWN_LIST_COLUMNS)[number];

const PARTY_KINDS: readonly PartyKind[] = ['individual', 'entity', 'vessel', 'aircraft', 'other'];
const MAX_FIELD = 500;

export interface BadRow {
  /** 1-based line of the file where the row ends. */
  line: number;
  error: string;
}

export interface ParseOwnListOptions {
  listId: string;
  /** Publish the good rows and report the bad ones instead of refusing the whole file. */
  skipBadRows?: boolean;
}

export interface ParseOwnListResult extends ParsedList {
  names: NameEntry[];
  badRows: BadRow[];
  input: { rows: number; addressRows: number; nameRows: number; skippedRows: number };
}

/**
 * Reads an exchange's own list from CSV (RFC 4180, UTF-8, header row first). Every row is
 * checked; any bad row (an address invalid for its chain above all) refuses the whole file
 * unless `skipBadRows`: a list with a silently missing address would let that address through.
 */
export async function parseOwnListCsv(
  path: string,
  options: ParseOwnListOptions,
): Promise<ParseOwnListResult> {
  const { listId } = options;
  if (RESERVED_LIST_IDS.includes(listId)) {
    throw new ListParseError(`list id ${listId} is reserved for the official list it names`);
  }
  const entries: ListEntry[] = [];
  const names: NameEntry[] = [];
  const badRows: BadRow[] = [];
  let header: Map<Column, number> | null = null;
  let rows = 0;
  const parser = createReadStream(path).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (header === null) {
        header = headerOf(record, path);
        continue;
      }
      rows += 1;
      const field = (name: Column): string => record[header!.get(name) ?? -1] ?? '';
      const row = readRow(field);
      if ('error' in row) badRows.push({ line: info.lines, error: row.error });
      else if ('entry' in row) entries.push(row.entry);
      else names.push(row.name);
    }
  } catch (error) {
    if (error instanceof ListParseError) throw error;
    throw new ListParseError(`cannot read ${path} as CSV: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (header === null) throw new ListParseError(`${path} is empty: no header row`);
  if (badRows.length > 0 && !options.skipBadRows) {
    const shown = badRows.slice(0, 20).map((b) => `line ${b.line}: ${b.error}`);
    const more = badRows.length > 20 ? `\n... and ${badRows.length - 20} more` : '';
    throw new ListParseError(
      `${path}: ${badRows.length} bad row(s), the file is refused whole (--skip-bad-rows loads the others):\n${shown.join('\n')}${more}`,
    );
  }
  if (entries.length === 0 && names.length === 0) {
    throw new ListParseError(`${path} lists no address and no name: refusing an empty list`);
  }
  const byChain: Record<string, number> = {};
  for (const entry of entries) byChain[entry.chain] = (byChain[entry.chain] ?? 0) + 1;
  return {
    listId,
    source: path,
    // An own list has no publication date: the day it is loaded.
    issuedAt: new Date().toISOString().slice(0, 10),
    entries,
    stats: {
      parties: new Set(entries.map((e) => e.entityId)).size,
      features: entries.length,
      distinctAddresses: new Set(entries.map((e) => e.key)).size,
      byChain,
      unclassified: {},
    },
    names,
    badRows,
    input: {
      rows,
      addressRows: entries.length,
      nameRows: names.length,
      skippedRows: badRows.length,
    },
  };
}

function headerOf(record: string[], path: string): Map<Column, number> {
  const header = new Map<Column, number>();
  record.forEach((cell, column) => {
    const name = cell.trim().toLowerCase() as Column;
    if (OWN_LIST_COLUMNS.includes(name)) header.set(name, column);
  });
  const missing = ['kind', 'entity_id', 'reason'].filter((c) => !header.has(c as Column));
  if (missing.length > 0) {
    throw new ListParseError(
      `${path}: the header row lacks ${missing.join(', ')}; expected the columns ${OWN_LIST_COLUMNS.join(',')}`,
    );
  }
  return header;
}

type Row = { entry: ListEntry } | { name: NameEntry } | { error: string };

function readRow(field: (name: Column) => string): Row {
  const kind = field('kind').toLowerCase();
  const entityId = field('entity_id');
  const reason = field('reason');
  const long = OWN_LIST_COLUMNS.find((c) => field(c).length > MAX_FIELD);
  if (long) return { error: `${long} is longer than ${MAX_FIELD} characters` };
  if (entityId === '') return { error: 'entity_id is empty' };
  if (reason === '') return { error: 'reason is empty' };
  if (kind === 'address') {
    const chain = field('chain').toLowerCase();
    const raw = field('address');
    const entityName = field('entity_name');
    if (!isSupportedChain(chain)) {
      return { error: `chain '${chain}' is not one of ${CHAIN_IDS.join(', ')}` };
    }
    if (entityName === '') return { error: 'entity_name is empty' };
    const normalized = normalizeAddress(chain, raw);
    if (!normalized.ok) return { error: `invalid ${chain} address '${raw}': ${normalized.reason}` };
    return {
      entry: {
        key: normalized.key,
        chain: normalized.chain,
        address: normalized.canonical,
        entityId,
        entityName,
        programs: [reason],
        tag: '',
      },
    };
  }
  if (kind === 'name') {
    const name = field('name');
    const partyKind = field('party_kind').toLowerCase() as PartyKind;
    if (name === '') return { error: 'name is empty' };
    if (!PARTY_KINDS.includes(partyKind)) {
      return { error: `party_kind '${partyKind}' is not one of ${PARTY_KINDS.join(', ')}` };
    }
    const entityName = field('entity_name') || name;
    return {
      name: {
        entityId,
        entityName,
        partyKind,
        name,
        nameType: 'primary',
        lowQuality: false,
        programs: [reason],
      },
    };
  }
  return { error: `kind '${kind}' is neither address nor name` };
}
