import { createReadStream } from 'node:fs';
import type { SaxesTagPlain } from 'saxes';
import { ListParseError, type ParsedList } from '../list-entry';
import { SaxReader, type XmlHandler } from '../xml/sax-reader';
import {
  type NamedParty,
  type NameEntry,
  nameEntryOf,
  type NameType,
  type PartyKind,
} from '@sekimori/name-matching';
import {
  countriesInText,
  fromUnDateOfBirth,
  type IdNumber,
  listedId,
  listedIdentifiers,
} from '@sekimori/identifiers';

export const UN_CONSOLIDATED_LIST_ID = 'un-consolidated';

export interface ParseUnOptions {
  listId?: string;
}

export interface ParseUnResult extends ParsedList {
  /**
   * Every name of every listed individual and entity (NAME_MATCH): the primary name, each
   * alias, and the name in its original script; low-quality aliases included and flagged.
   */
  names: NameEntry[];
}

const ROOT = 'CONSOLIDATED_LIST';

/** The two kinds of record, the section that holds them and the element of their aliases. */
const RECORD_KINDS: Readonly<
  Record<string, { section: string; alias: string; partyKind: PartyKind }>
> = {
  INDIVIDUAL: { section: 'INDIVIDUALS', alias: 'INDIVIDUAL_ALIAS', partyKind: 'individual' },
  ENTITY: { section: 'ENTITIES', alias: 'ENTITY_ALIAS', partyKind: 'entity' },
};

/** Given name first, as the UN writes them; entities use FIRST_NAME alone. */
const NAME_PARTS = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'] as const;

/** The record's own fields the names need; everything else (addresses, documents) is skipped. */
const RECORD_FIELDS = new Set<string>([
  ...NAME_PARTS,
  'DATAID',
  'REFERENCE_NUMBER',
  'UN_LIST_TYPE',
  'NAME_ORIGINAL_SCRIPT',
]);
const ALIAS_FIELDS = new Set<string>(['QUALITY', 'ALIAS_NAME']);

/** A record's structured parts whose fields are kept: its birth dates and its documents. */
const PARTS = new Set<string>(['INDIVIDUAL_DATE_OF_BIRTH', 'INDIVIDUAL_DOCUMENT']);

/** Only the start of the document is needed to tell the format: the root element. */
const ROOT_PATTERN = /<CONSOLIDATED_LIST[\s>/]/;

/** True when the start of a file (a few KB, as text) is a UN Security Council Consolidated List. */
export function looksLikeUnConsolidated(head: string): boolean {
  return ROOT_PATTERN.test(head);
}

/**
 * Streams the UN Security Council Consolidated List XML
 * (https://scsanctions.un.org/resources/xml/en/consolidated.xml, schema sc-sanctions.xsd) and
 * keeps only the names, for NAME_MATCH. The UN list gives no crypto addresses, so the result has
 * no address entries and its address stats are zero.
 */
export async function parseUnConsolidated(
  path: string,
  options: ParseUnOptions = {},
): Promise<ParseUnResult> {
  const reader = new ConsolidatedListReader(path);
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    for await (const text of stream as AsyncIterable<string>) reader.write(text);
  } catch (error) {
    if (error instanceof ListParseError) throw error;
    throw new ListParseError(`cannot read list file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    stream.destroy();
  }
  reader.end(stream.bytesRead);
  return {
    listId: options.listId ?? UN_CONSOLIDATED_LIST_ID,
    source: path,
    issuedAt: reader.issuedAt,
    entries: [],
    stats: { parties: 0, features: 0, distinctAddresses: 0, byChain: {}, unclassified: {} },
    names: reader.names,
  };
}

interface UnRecord {
  partyKind: PartyKind;
  aliasElement: string;
  fields: Map<string, string>;
  aliases: Array<{ quality: string; name: string }>;
  /** INDIVIDUAL_DATE_OF_BIRTH and INDIVIDUAL_DOCUMENT, each as its fields. */
  parts: Array<{ element: string; fields: Map<string, string> }>;
  nationalities: string[];
}

/** Saxes event handling for one Consolidated List document. */
class ConsolidatedListReader implements XmlHandler {
  private readonly sax: SaxReader;
  private records = 0;

  private record: UnRecord | null = null;
  private alias: { quality: string; name: string } | null = null;
  private part: UnRecord['parts'][number] | null = null;
  private nationality = false;
  private captured: string | null = null;

  issuedAt = '';
  readonly names: NameEntry[] = [];

  constructor(private readonly path: string) {
    this.sax = new SaxReader(path, 'a UN Consolidated List file', this);
  }

  write(text: string): void {
    this.sax.write(text);
  }

  end(totalBytes: number): void {
    this.sax.end(totalBytes);
    // A renamed record element would otherwise publish an empty list and silence NAME_MATCH.
    if (this.records === 0) {
      throw new ListParseError(
        `${this.path} has no <INDIVIDUAL> or <ENTITY> records: the format may have changed`,
      );
    }
  }

  /** The parent decides what an element means. */
  openTag(tag: SaxesTagPlain, open: readonly string[]): void {
    const parent = open[open.length - 2];
    if (parent === undefined) {
      this.openRoot(tag);
      return;
    }
    const kind = RECORD_KINDS[tag.name];
    if (kind && parent === kind.section && open.length === 3) {
      this.record = {
        partyKind: kind.partyKind,
        aliasElement: kind.alias,
        fields: new Map(),
        aliases: [],
        parts: [],
        nationalities: [],
      };
    } else if (this.record && tag.name === this.record.aliasElement) {
      this.alias = { quality: '', name: '' };
    } else if (this.record && PARTS.has(tag.name) && RECORD_KINDS[parent]) {
      this.part = { element: tag.name, fields: new Map() };
    } else if (this.record && tag.name === 'VALUE' && parent === 'NATIONALITY') {
      this.nationality = true;
      this.captured = '';
    } else if (this.part !== null && parent === this.part.element) {
      this.captured = '';
    } else if (this.isRecordField(tag.name, parent) || this.isAliasField(tag.name, parent)) {
      this.captured = '';
    }
  }

  closeTag(name: string, open: readonly string[]): void {
    if (this.captured !== null) {
      this.keepText(name, collapseSpaces(this.captured));
      this.captured = null;
    }
    if (open.length === 0) return;
    if (this.record && name === this.record.aliasElement) {
      if (this.alias) this.record.aliases.push(this.alias);
      this.alias = null;
    } else if (this.record && this.part && name === this.part.element) {
      this.record.parts.push(this.part);
      this.part = null;
    } else if (this.record && open.length === 2 && RECORD_KINDS[name]) {
      this.finishRecord(this.record);
      this.record = null;
    }
  }

  text(text: string): void {
    if (this.captured !== null) this.captured += text;
  }

  cdata(text: string): void {
    this.text(text);
  }

  private keepText(name: string, value: string): void {
    if (this.alias && ALIAS_FIELDS.has(name)) {
      if (name === 'QUALITY') this.alias.quality = value;
      else this.alias.name = value;
    } else if (this.nationality) {
      this.nationality = false;
      this.record?.nationalities.push(value);
    } else if (this.part) {
      this.part.fields.set(name, value);
    } else if (this.record) {
      this.record.fields.set(name, value);
    }
  }

  private isRecordField(name: string, parent: string): boolean {
    return (
      this.record !== null &&
      this.alias === null &&
      RECORD_FIELDS.has(name) &&
      RECORD_KINDS[parent] !== undefined
    );
  }

  private isAliasField(name: string, parent: string): boolean {
    return this.alias !== null && ALIAS_FIELDS.has(name) && parent === this.record?.aliasElement;
  }

  private openRoot(tag: SaxesTagPlain): void {
    if (tag.name !== ROOT) {
      throw new ListParseError(
        `unexpected root element <${tag.name}> in ${this.path}: expected <${ROOT}> (UN Security Council Consolidated List)`,
      );
    }
    this.issuedAt = issueDate(tag.attributes.dateGenerated, this.path);
  }

  /** One NameEntry per distinct (name, type) of the record, the primary name first. */
  private finishRecord(record: UnRecord): void {
    this.records += 1;
    const { fields, partyKind } = record;
    const entityId = fields.get('REFERENCE_NUMBER') || fields.get('DATAID');
    if (!entityId) {
      throw new ListParseError(
        `${this.path}: a record without REFERENCE_NUMBER or DATAID ends at line ${this.sax.line}`,
      );
    }
    const primary = NAME_PARTS.map((part) => fields.get(part) ?? '')
      .filter((part) => part !== '')
      .join(' ');
    const names: Array<{ name: string; nameType: NameType; lowQuality: boolean }> = [
      { name: primary, nameType: 'primary', lowQuality: false },
      ...record.aliases.map(({ quality, name }) => ({ name, ...aliasKind(quality) })),
      // The same name in Arabic, Cyrillic, Korean...: a counterparty may be written that way.
      { name: fields.get('NAME_ORIGINAL_SCRIPT') ?? '', nameType: 'aka', lowQuality: false },
    ];
    const listType = fields.get('UN_LIST_TYPE');
    const programs = listType ? [listType] : [];
    const entityName = primary || (names.find((n) => n.name !== '')?.name ?? '');
    const listed: NamedParty = {
      entityId,
      entityName,
      partyKind,
      programs,
      ids: identifiersOf(record),
    };
    const seen = new Set<string>();
    for (const { name, nameType, lowQuality } of names) {
      const id = `${nameType}\u0000${name}`;
      if (name === '' || seen.has(id)) continue;
      seen.add(id);
      this.names.push(nameEntryOf(listed, name, nameType, lowQuality));
    }
  }
}

/** An individual's birth dates, nationalities and documents, compactly (NAME_MATCH evidence). */
function identifiersOf(record: UnRecord): string {
  const part = (element: string) => record.parts.filter((p) => p.element === element);
  const dates = part('INDIVIDUAL_DATE_OF_BIRTH').flatMap(({ fields }) =>
    fromUnDateOfBirth({
      typeOfDate: fields.get('TYPE_OF_DATE'),
      date: fields.get('DATE'),
      year: fields.get('YEAR'),
      fromYear: fields.get('FROM_YEAR'),
      toYear: fields.get('TO_YEAR'),
      note: fields.get('NOTE'),
    }),
  );
  const ids = part('INDIVIDUAL_DOCUMENT')
    .map(({ fields }) =>
      listedId(
        fields.get('NUMBER') ?? '',
        fields.get('TYPE_OF_DOCUMENT'),
        fields.get('ISSUING_COUNTRY') ?? fields.get('COUNTRY_OF_ISSUE'),
      ),
    )
    .filter((id): id is IdNumber => id !== null);
  return listedIdentifiers(dates, record.nationalities.flatMap(countriesInText), ids);
}

/**
 * QUALITY of an alias. Individuals' aliases are `Good` or `Low`: the UN's "low quality" alias
 * is too vague to identify the person on its own, which is OFAC's weak alias, so it is flagged
 * and never matched. Entities' aliases are `a.k.a.` or `f.k.a.` (a former name).
 */
function aliasKind(quality: string): { nameType: NameType; lowQuality: boolean } {
  const normalized = quality.toLowerCase();
  return {
    nameType: normalized === 'f.k.a.' ? 'fka' : 'aka',
    lowQuality: normalized === 'low',
  };
}

/**
 * `dateGenerated` is an ISO timestamp in UTC (`2025-11-20T23:00:09.067Z`); the list's date is
 * its calendar day as written, the day the UN published it in UTC.
 */
function issueDate(dateGenerated: string | undefined, path: string): string {
  if (dateGenerated === undefined) {
    throw new ListParseError(
      `${path}: <${ROOT}> has no dateGenerated: cannot tell the list's publication date`,
    );
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T|$)/.exec(dateGenerated.trim());
  const [year, month, day] = (match ?? []).slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls an impossible day over (02-30 becomes 03-02): compare to catch it.
  if (!match || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new ListParseError(
      `${path}: <${ROOT}> dateGenerated "${dateGenerated}" is not a date: cannot tell the list's publication date`,
    );
  }
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** Names in the file carry trailing spaces and line breaks from the UN's editors. */
function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
