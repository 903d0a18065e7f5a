export * from './list-entry';
export * from './list-version';
export { OFAC_SDN_LIST_ID, parseOfacSdnAdvanced } from './ofac/sdn-advanced-parser';
export type { ParseOfacOptions, ParseOfacResult } from './ofac/sdn-advanced-parser';
export type { Decompressor, DecompressorChoice } from './ofac/list-file-source';
export {
  UN_CONSOLIDATED_LIST_ID,
  parseUnConsolidated,
  looksLikeUnConsolidated,
} from './un/un-consolidated-parser';
export type { ParseUnOptions, ParseUnResult } from './un/un-consolidated-parser';
export { hasSystemBzip2 } from './ofac/list-file-source';
export { JP_MOF_LIST_ID, looksLikeXlsx, parseJpMof } from './jp-mof/jp-mof-parser';
export type { MofProgram, ParseJpMofOptions, ParseJpMofResult } from './jp-mof/jp-mof-parser';
export { OWN_LIST_COLUMNS, RESERVED_LIST_IDS, parseOwnListCsv } from './own-list/own-list-csv';
export type { BadRow, ParseOwnListOptions, ParseOwnListResult } from './own-list/own-list-csv';
