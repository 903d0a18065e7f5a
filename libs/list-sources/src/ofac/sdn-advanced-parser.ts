import { classifyListedAddress, type ListedAddress } from '@sekimori/chains';
import type { SaxesTagPlain } from 'saxes';
import { StringDecoder } from 'node:string_decoder';
import { type ListEntry, ListParseError, type ParsedList } from '../list-entry';
import { SaxReader, type XmlHandler } from '../xml/sax-reader';
import {
  type NameEntry,
  nameEntryOf,
  type NamedParty,
  type NameType,
  type PartyKind,
} from '@sekimori/name-matching';
import { PartyIdentifiersReader } from './party-identifiers';
import { type DecompressorChoice, openListFile, type Decompressor } from './list-file-source';

export const OFAC_SDN_LIST_ID = 'ofac-sdn';

/**
 * OFAC's name for the features that carry crypto addresses: `Digital Currency Address - XBT`,
 * `... - ETH`, `... - USDT`, ... (ReferenceValueSets/FeatureTypeValues). The ids differ from file
 * to file in principle, so they are read from the file, never hard-coded.
 */
const ADDRESS_FEATURE_PREFIX = 'Digital Currency Address - ';

export interface ParseOfacOptions {
  listId?: string;
  decompressor?: DecompressorChoice;
  /** Defaults to `classifyListedAddress` from @sekimori/chains. */
  classify?: (raw: string, tag: string) => ListedAddress | null;
}

export interface ParseOfacResult extends ParsedList {
  /** Which decompressor was used and how many uncompressed XML bytes were read. */
  input: { decompressor: Decompressor; xmlBytes: number; partiesInFile: number };
  /**
   * Every name of every party (NAME_MATCH): the primary name and all aliases, in every script,
   * weak aliases included and flagged; the index builder decides what is matched.
   */
  names: NameEntry[];
}

/** OFAC AliasType values (ReferenceValueSets/AliasTypeValues) and what the index calls them. */
const ALIAS_TYPES: Readonly<Record<string, NameType>> = {
  Name: 'primary',
  'A.K.A.': 'aka',
  'F.K.A.': 'fka',
  'N.K.A.': 'nka',
};

/**
 * A copy of `text` that does not share memory with the XML chunk it was cut from. V8 keeps a
 * substring of a long string as a slice that holds the whole parent alive: the names, UIDs and
 * programs of all 18,367 parties, kept as slices, would hold nearly every 1 MB chunk of the
 * 121 MB document (peak RSS measured 320 MB instead of ~115 MB).
 */
function detach(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** One Alias of a party's primary identity: its documented names, as name parts. */
interface AliasNames {
  type: NameType;
  lowQuality: boolean;
  documented: Array<Array<{ group: string; value: string }>>;
}

interface ListedParty {
  fixedRef: string;
  profileId: string;
  name: string;
  addresses: Array<{ raw: string; tag: string }>;
  programs: string[];
}

/**
 * Streams OFAC's "SDN Advanced" XML (https://ofac.treasury.gov/sdn-list-data-formats-data-schemas,
 * schema ADVANCED_XML.xsd) and keeps only what address screening needs: the parties that carry
 * `Digital Currency Address` features, their primary names, and their programs. Memory stays
 * flat whatever the file size: the 121 MB file is never held, only the ~80 parties with addresses.
 *
 * The document order matters: ReferenceValueSets (feature type ids) come before DistinctParties,
 * which come before SanctionsEntries (the programs); each section is resolved with what the
 * earlier ones left behind.
 */
export async function parseOfacSdnAdvanced(
  path: string,
  options: ParseOfacOptions = {},
): Promise<ParseOfacResult> {
  const listId = options.listId ?? OFAC_SDN_LIST_ID;
  const classify = options.classify ?? classifyListedAddress;
  const source = await openListFile(path, options.decompressor);
  const reader = new SdnAdvancedReader(path);
  const decoder = new StringDecoder('utf8');
  let xmlBytes = 0;
  try {
    try {
      for await (const chunk of source.bytes as AsyncIterable<Buffer>) {
        xmlBytes += chunk.length;
        reader.write(decoder.write(chunk));
      }
    } catch (error) {
      if (error instanceof ListParseError) throw error;
      // A failing decompressor also breaks the byte stream; its own error says more.
      await source.completed;
      throw new ListParseError(`cannot read ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    // A truncated archive yields a clean prefix of the XML before bzip2 gives up: check the
    // decompressor first so that the message names the real cause.
    await source.completed;
    reader.write(decoder.end());
    reader.end(xmlBytes);
  } finally {
    source.destroy();
  }
  const parsed = reader.result(listId, classify);
  return {
    ...parsed,
    input: { decompressor: source.decompressor, xmlBytes, partiesInFile: reader.partiesInFile },
    names: reader.names,
  };
}

/** Saxes event handling for one SDN Advanced document. */
class SdnAdvancedReader implements XmlHandler {
  private readonly sax: SaxReader;

  // Text of the leaf element being captured, if any.
  private capturing = false;
  private captured = '';
  private captureId = '';

  // ReferenceValueSets
  private readonly addressFeatureTags = new Map<string, string>();
  private readonly namePartTypes = new Map<string, string>();
  private programTypeId: string | undefined;
  private primaryLatinStatusId: string | undefined;
  private readonly aliasTypes = new Map<string, NameType>();
  private readonly partyTypes = new Map<string, string>();
  /** PartySubType id -> its PartyType id and its own value (`Vessel`, `Aircraft`, `Unknown`). */
  private readonly partySubTypes = new Map<string, { partyTypeId: string; value: string }>();

  // DateOfIssue
  private inDateOfIssue = false;
  private readonly dateParts: { Year?: string; Month?: string; Day?: string } = {};
  private dateOfIssueSeen = false;

  /** Countries, locations, documents and each party's birth dates and nationalities. */
  private readonly identifiers = new PartyIdentifiersReader();

  // DistinctParties
  private party:
    | (ListedParty & {
        nameParts: Array<{ group: string; value: string }> | null;
        partySubTypeId: string;
        aliases: AliasNames[];
      })
    | null = null;
  private alias: AliasNames | null = null;
  private documentedParts: Array<{ group: string; value: string }> | null = null;
  private inPrimaryIdentity = false;
  private inPrimaryAlias = false;
  private collectingName = false;
  private readonly groupTypes = new Map<string, string>();
  private addressTag: string | null = null;
  private readonly listed = new Map<string, ListedParty>();
  /** Every party's program list by profile id (shared with its listed entry and its names). */
  private readonly programsByProfile = new Map<string, string[]>();
  private readonly programNames = new Map<string, string>();
  /** Every name of every party, for NAME_MATCH. */
  readonly names: NameEntry[] = [];
  /** Every DistinctParty seen, with or without addresses (for logs). */
  partiesInFile = 0;

  // SanctionsEntries
  private entryPrograms: string[] | null = null;
  private inProgramMeasure = false;

  constructor(private readonly path: string) {
    this.sax = new SaxReader(path, 'an SDN Advanced file', this);
  }

  write(text: string): void {
    this.sax.write(text);
  }

  end(totalBytes: number): void {
    this.sax.end(totalBytes);
    if (!this.dateOfIssueSeen) {
      throw new ListParseError(
        `${this.path} has no <DateOfIssue>: cannot tell the list's publication date`,
      );
    }
    if (this.addressFeatureTags.size === 0) {
      throw new ListParseError(
        `${this.path} defines no '${ADDRESS_FEATURE_PREFIX}<TAG>' feature types: the format may have changed`,
      );
    }
  }

  result(listId: string, classify: (raw: string, tag: string) => ListedAddress | null): ParsedList {
    const entries: ListEntry[] = [];
    const byChain: Record<string, number> = {};
    const unclassified: Record<string, number> = {};
    const distinct = new Set<string>();
    let features = 0;
    for (const party of this.listed.values()) {
      const merged = new Map<string, { entry: ListEntry; tags: Set<string> }>();
      for (const { raw, tag } of party.addresses) {
        features += 1;
        distinct.add(raw);
        const listed = classify(raw, tag);
        if (listed === null) {
          unclassified[tag] = (unclassified[tag] ?? 0) + 1;
          continue;
        }
        const same = merged.get(listed.key);
        if (same) {
          same.tags.add(tag);
          continue;
        }
        const entry: ListEntry = {
          key: listed.key,
          chain: listed.chain,
          address: listed.canonical,
          entityId: party.fixedRef,
          entityName: party.name,
          programs: party.programs,
          tag,
        };
        merged.set(listed.key, { entry, tags: new Set([tag]) });
      }
      for (const { entry, tags } of merged.values()) {
        entry.tag = [...tags].sort().join(',');
        byChain[entry.chain] = (byChain[entry.chain] ?? 0) + 1;
        entries.push(entry);
      }
    }
    const { Year, Month, Day } = this.dateParts;
    return {
      listId,
      source: this.path,
      issuedAt: `${Year}-${Month}-${Day}`,
      entries,
      stats: {
        parties: this.listed.size,
        features,
        distinctAddresses: distinct.size,
        byChain,
        unclassified,
      },
    };
  }

  openTag(tag: SaxesTagPlain, open: readonly string[]): void {
    const depth = open.length;
    const attrs = tag.attributes;
    if (depth === 1) {
      // The default namespace is OFAC's ADVANCED_XML; the local name is what tells the format.
      if (tag.name !== 'Sanctions') {
        throw new ListParseError(
          `unexpected root element <${tag.name}> in ${this.path}: expected <Sanctions> (OFAC SDN Advanced XML)`,
        );
      }
      return;
    }
    switch (tag.name) {
      case 'DateOfIssue':
        if (depth === 2) this.inDateOfIssue = true;
        break;
      case 'Year':
      case 'Month':
      case 'Day':
        if (this.inDateOfIssue || this.identifiers.inDate()) this.capture('');
        break;
      case 'FeatureType':
      case 'SanctionsType':
      case 'NamePartType':
      case 'DocNameStatus':
      case 'AliasType':
      case 'PartyType':
        this.capture(attrs.ID ?? '');
        break;
      case 'PartySubType':
        this.capture(`${attrs.ID ?? ''}\u0000${attrs.PartyTypeID ?? ''}`);
        break;
      case 'DistinctParty':
        this.startParty(attrs.FixedRef);
        break;
      case 'Profile':
        if (this.party && !this.party.profileId) {
          this.party.profileId = detach(attrs.ID ?? '');
          this.party.partySubTypeId = attrs.PartySubTypeID ?? '';
        }
        break;
      case 'Identity':
        this.inPrimaryIdentity = this.party !== null && attrs.Primary === 'true';
        if (this.party) this.identifiers.identity(attrs.ID);
        break;
      case 'Alias':
        this.inPrimaryAlias = this.inPrimaryIdentity && attrs.Primary === 'true';
        if (this.party && this.inPrimaryIdentity) {
          this.alias = {
            type: this.aliasTypes.get(attrs.AliasTypeID ?? '') ?? 'aka',
            lowQuality: attrs.LowQuality === 'true',
            documented: [],
          };
          this.party.aliases.push(this.alias);
        }
        break;
      case 'DocumentedName':
        if (this.alias) this.alias.documented.push((this.documentedParts = []));
        // The primary alias has one name per script; the "Primary Latin" one is the list's name.
        if (this.inPrimaryAlias && this.party?.nameParts === null) {
          const status = attrs.DocNameStatusID;
          if (this.primaryLatinStatusId === undefined || status === this.primaryLatinStatusId) {
            this.party.nameParts = [];
            this.collectingName = true;
          }
        }
        break;
      case 'NamePartValue':
        if (this.collectingName || this.documentedParts !== null)
          this.capture(attrs.NamePartGroupID ?? '');
        break;
      case 'NamePartGroup':
        if (this.inPrimaryIdentity && attrs.ID && attrs.NamePartTypeID) {
          this.groupTypes.set(attrs.ID, attrs.NamePartTypeID);
        }
        break;
      case 'Feature':
        if (this.party) {
          this.addressTag = this.addressFeatureTags.get(attrs.FeatureTypeID ?? '') ?? null;
          this.identifiers.feature(attrs.FeatureTypeID);
        }
        break;
      case 'VersionDetail':
        if (this.addressTag !== null) this.capture('');
        break;
      case 'SanctionsEntry':
        this.entryPrograms = this.programsByProfile.get(attrs.ProfileID ?? '') ?? null;
        break;
      default:
        if (this.identifiers.open(tag.name, attrs)) this.capture(attrs.ID ?? '');
        break;
      case 'SanctionsMeasure':
        this.inProgramMeasure =
          this.entryPrograms !== null && attrs.SanctionsTypeID === this.programTypeId;
        break;
      case 'Comment':
        if (this.inProgramMeasure) this.capture('');
        break;
    }
  }

  text(text: string): void {
    if (this.capturing) this.captured += text;
  }

  closeTag(name: string): void {
    if (this.capturing) {
      this.capturing = false;
      this.closeCaptured(name, this.captured.trim(), this.captureId);
      this.captured = '';
    }
    switch (name) {
      case 'DateOfIssue':
        if (this.inDateOfIssue) this.finishDateOfIssue();
        break;
      case 'DocumentedName':
        this.collectingName = false;
        this.documentedParts = null;
        break;
      case 'Alias':
        this.inPrimaryAlias = false;
        this.alias = null;
        break;
      case 'Identity':
        if (this.inPrimaryIdentity) this.finishPrimaryName();
        this.inPrimaryIdentity = false;
        break;
      case 'Feature':
        this.addressTag = null;
        this.identifiers.close(name);
        break;
      case 'DistinctParty':
        this.finishParty();
        break;
      case 'SanctionsEntry':
        this.entryPrograms = null;
        break;
      case 'SanctionsMeasure':
        this.inProgramMeasure = false;
        break;
      default:
        this.identifiers.close(name);
        break;
    }
  }

  private capture(id: string): void {
    this.capturing = true;
    this.captured = '';
    this.captureId = id;
  }

  private closeCaptured(name: string, value: string, id: string): void {
    switch (name) {
      case 'Year':
      case 'Month':
      case 'Day':
        if (this.inDateOfIssue) this.dateParts[name] = value;
        else this.identifiers.datePart(name, value);
        break;
      case 'FeatureType':
        this.identifiers.featureType(id, value);
        if (value.startsWith(ADDRESS_FEATURE_PREFIX)) {
          this.addressFeatureTags.set(id, value.slice(ADDRESS_FEATURE_PREFIX.length).trim());
        }
        break;
      case 'SanctionsType':
        // Program codes (CYBER2, RUSSIA-EO14024, DPRK3, ...) are the comments of the measures
        // of type "Program"; the other measure types (Block, Reject, directives) carry none.
        if (value === 'Program') this.programTypeId = id;
        break;
      case 'NamePartType':
        this.namePartTypes.set(id, value);
        break;
      case 'DocNameStatus':
        if (value === 'Primary Latin') this.primaryLatinStatusId = id;
        break;
      case 'AliasType': {
        const type = ALIAS_TYPES[value];
        if (type) this.aliasTypes.set(id, type);
        break;
      }
      case 'PartyType':
        this.partyTypes.set(id, value);
        break;
      case 'PartySubType': {
        const [subTypeId, partyTypeId] = id.split('\u0000');
        this.partySubTypes.set(subTypeId, { partyTypeId, value });
        break;
      }
      case 'NamePartValue': {
        const part = { group: id, value: detach(value) };
        if (this.collectingName) this.party?.nameParts?.push(part);
        this.documentedParts?.push(part);
        break;
      }
      case 'VersionDetail':
        if (this.party && this.addressTag !== null && value) {
          this.party.addresses.push({ raw: value, tag: this.addressTag });
        }
        break;
      case 'IDRegDocType':
      case 'IDRegistrationNo':
      case 'Value':
        this.identifiers.text(name, id, value);
        break;
      case 'Comment':
        if (this.entryPrograms && value && !this.entryPrograms.includes(value)) {
          this.entryPrograms.push(this.programName(value));
        }
        break;
    }
  }

  private finishDateOfIssue(): void {
    this.inDateOfIssue = false;
    const { Year, Month, Day } = this.dateParts;
    const valid =
      /^\d{4}$/.test(Year ?? '') && /^\d{1,2}$/.test(Month ?? '') && /^\d{1,2}$/.test(Day ?? '');
    if (!valid) {
      throw new ListParseError(
        `${this.path}: <DateOfIssue> is incomplete or not numeric (Year=${Year}, Month=${Month}, Day=${Day})`,
      );
    }
    this.dateParts.Month = Month!.padStart(2, '0');
    this.dateParts.Day = Day!.padStart(2, '0');
    this.dateOfIssueSeen = true;
  }

  private startParty(fixedRef: string | undefined): void {
    if (!fixedRef) {
      throw new ListParseError(
        `${this.path}: <DistinctParty> without FixedRef at line ${this.sax.line}`,
      );
    }
    this.party = {
      fixedRef: detach(fixedRef),
      profileId: '',
      name: '',
      addresses: [],
      programs: [],
      nameParts: null,
      partySubTypeId: '',
      aliases: [],
    };
    this.groupTypes.clear();
  }

  private finishParty(): void {
    const party = this.party;
    this.party = null;
    if (!party) return;
    this.partiesInFile += 1;
    this.programsByProfile.set(party.profileId || party.fixedRef, party.programs);
    this.collectNames(party, this.identifiers.finishParty());
    if (party.addresses.length === 0) return;
    const { nameParts: _unused, partySubTypeId: _type, aliases: _aliases, ...listed } = party;
    this.listed.set(party.profileId || party.fixedRef, listed);
  }

  /** One NameEntry per distinct spelling of each alias; programs are filled in later. */
  private collectNames(party: NonNullable<SdnAdvancedReader['party']>, ids: string): void {
    const listed: NamedParty = {
      entityId: party.fixedRef,
      entityName: party.name,
      partyKind: this.partyKindOf(party.partySubTypeId),
      programs: party.programs,
      ids,
    };
    const seen = new Set<string>();
    for (const alias of party.aliases) {
      for (const parts of alias.documented) {
        const name = this.formatName(parts);
        if (!name || seen.has(name)) continue;
        seen.add(name);
        this.names.push(nameEntryOf(listed, name, alias.type, alias.lowQuality));
      }
    }
  }

  /** Program codes are few and shared by thousands of parties: one detached copy each. */
  private programName(value: string): string {
    let name = this.programNames.get(value);
    if (name === undefined) this.programNames.set((name = detach(value)), name);
    return name;
  }

  private partyKindOf(subTypeId: string): PartyKind {
    const subType = this.partySubTypes.get(subTypeId);
    if (subType?.value === 'Vessel') return 'vessel';
    if (subType?.value === 'Aircraft') return 'aircraft';
    const type = this.partyTypes.get(subType?.partyTypeId ?? '');
    if (type === 'Individual') return 'individual';
    if (type === 'Entity') return 'entity';
    return 'other';
  }

  /**
   * Writes the name the way OFAC's own SDN.csv does: individuals as `LAST, First Middle`,
   * entities and vessels as the name itself. The NamePartGroups that say which part is the last
   * name follow the aliases inside the Identity, hence the resolution at </Identity>.
   */
  private finishPrimaryName(): void {
    const party = this.party;
    if (!party?.nameParts || party.name) return;
    party.name = this.formatName(party.nameParts);
  }

  /** `LAST, First Middle` when the parts say which is the last name, else the parts in order. */
  private formatName(parts: ReadonlyArray<{ group: string; value: string }>): string {
    const last: string[] = [];
    const rest: string[] = [];
    for (const { group, value } of parts) {
      const type = this.namePartTypes.get(this.groupTypes.get(group) ?? '');
      (type === 'Last Name' ? last : rest).push(value);
    }
    return last.length > 0 && rest.length > 0
      ? `${last.join(' ')}, ${rest.join(' ')}`
      : [...last, ...rest].join(' ');
  }
}
