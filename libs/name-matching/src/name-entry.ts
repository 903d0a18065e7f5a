/** What kind of party a list names; OFAC: PartyType and PartySubType of the profile. */
export type PartyKind = 'individual' | 'entity' | 'vessel' | 'aircraft' | 'other';

/**
 * How the list gives the name: the party's primary name or one of its aliases (OFAC AliasType:
 * `Name` for the primary name, `A.K.A.`, `F.K.A.`, `N.K.A.`).
 */
export type NameType = 'primary' | 'aka' | 'fka' | 'nka';

/** One name of one listed party, as the parser reads it (every name, weak aliases included). */
export interface NameEntry {
  /** The list's id for the party (OFAC: the UID, i.e. the DistinctParty FixedRef). */
  entityId: string;
  /** The party's primary name, written as in the address entries (`LAST, First` for people). */
  entityName: string;
  partyKind: PartyKind;
  /** This name as the list writes it (individuals `LAST, First`, as OFAC's SDN.csv does). */
  name: string;
  nameType: NameType;
  /**
   * OFAC's "weak" alias (`LowQuality="true"` on the Alias): a broad nickname or cover name that
   * OFAC itself says is not expected to identify the party; never matched (docs/rules.md).
   */
  lowQuality: boolean;
  programs: string[];
  /**
   * The party's birth dates, nationalities and identification numbers as one compact string
   * (@sekimori/identifiers encodeIdentifiers); absent when the list gives none.
   */
  ids?: string;
}

/** What every name of one listed party shares, as a parser reads it. */
export type NamedParty = Pick<NameEntry, 'entityId' | 'entityName' | 'partyKind' | 'programs'> & {
  /** The party's compact identifiers; empty or absent when the list gives none. */
  ids?: string;
};

/**
 * One name of a listed party, with the party's fields in the order every parser stores them
 * (the stored JSON, and so a list version's content hash, depends on it).
 */
export function nameEntryOf(
  party: NamedParty,
  name: string,
  nameType: NameType,
  lowQuality: boolean,
): NameEntry {
  const { entityId, entityName, partyKind, programs, ids } = party;
  return {
    entityId,
    entityName,
    partyKind,
    name,
    nameType,
    lowQuality,
    programs,
    ...(ids ? { ids } : {}),
  };
}
