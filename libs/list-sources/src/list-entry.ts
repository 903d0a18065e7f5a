/** One listed address of one listed party, as the screener matches it. */
export interface ListEntry {
  /** Lookup key from `classifyListedAddress` (@sekimori/chains): equal keys are the same address. */
  key: string;
  chain: string;
  /** The address in its chain's canonical spelling. */
  address: string;
  /** The list's own id for the party (OFAC: the UID, i.e. the DistinctParty FixedRef). */
  entityId: string;
  entityName: string;
  programs: string[];
  /**
   * The currency tag(s) the list gave the address (OFAC: `XBT`, `ETH`, `USDT`, ...). When one
   * party lists the same address under several tags, they are joined with `,` in sorted order.
   */
  tag: string;
}

export interface ParsedListStats {
  /** Parties that carry at least one address feature. */
  parties: number;
  /** Address features (one per listed address per party, before any merging). */
  features: number;
  /** Distinct address strings as written in the file. */
  distinctAddresses: number;
  /** Entries per chain (after merging). */
  byChain: Record<string, number>;
  /**
   * Address features that no supported chain recognises (e.g. Monero, Zcash), by tag. They
   * cannot appear in a screened transfer, so they produce no entry; counted so that nothing
   * is dropped silently.
   */
  unclassified: Record<string, number>;
}

export interface ParsedList {
  listId: string;
  /** Where the list came from: the file path given to the parser. */
  source: string;
  /** Publication date of the list, `YYYY-MM-DD`. */
  issuedAt: string;
  entries: ListEntry[];
  stats: ParsedListStats;
}

/** A list file that cannot be used: truncated, malformed, or not the expected format. */
export class ListParseError extends Error {
  readonly code = 'LIST_PARSE_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ListParseError';
  }
}
