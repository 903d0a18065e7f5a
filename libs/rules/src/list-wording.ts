import { LegalBasis } from './legal-basis';

/** How alerts name a list, its ids for an entry, and the law behind its address and name matches. */
export interface ListWording {
  list: string;
  idLabel: string;
  addressBasis: string;
  nameBasis: string;
  /** What the entry's `programs` hold: programmes, or (own lists) the operator's reason. */
  programsLabel: 'programmes' | 'reason';
}

const OFAC_LIST = /ofac|sdn/i;
const UN_LIST = /^un(-|$)/i;
const JP_MOF_LIST = /^jp-mof(-|$)/i;

export function listWording(listId: string): ListWording {
  if (OFAC_LIST.test(listId)) {
    return {
      list: 'OFAC SDN',
      idLabel: 'UID',
      addressBasis: LegalBasis.OFAC_SDN,
      nameBasis: LegalBasis.OFAC_SDN_NAMES,
      programsLabel: 'programmes',
    };
  }
  if (UN_LIST.test(listId)) {
    return {
      list: 'UN Security Council Consolidated List',
      idLabel: 'reference',
      addressBasis: LegalBasis.SANCTIONS_LIST(listId),
      nameBasis: LegalBasis.UN_CONSOLIDATED_NAMES,
      programsLabel: 'programmes',
    };
  }
  if (JP_MOF_LIST.test(listId)) {
    // Japan's own list: FEFTA is the law a Japanese exchange is bound by, not a foreign regime.
    return {
      list: 'Japan MOF asset-freeze list (外為法)',
      idLabel: 'entry',
      addressBasis: LegalBasis.JP_MOF,
      nameBasis: LegalBasis.JP_MOF_NAMES,
      programsLabel: 'programmes',
    };
  }
  // Any other id is one an operator gave its own list (npm run lists:load -- --list-id).
  return {
    list: `own list ${listId}`,
    idLabel: 'id',
    addressBasis: LegalBasis.OWN_LIST(listId),
    nameBasis: LegalBasis.OWN_LIST(listId),
    programsLabel: 'reason',
  };
}

/** `programmes A, B`, `reason R` or `no programme given`, as a reason sentence cites them. */
export function describePrograms(listId: string, programs: readonly string[]): string {
  if (programs.length === 0) return 'no programme given';
  return `${listWording(listId).programsLabel} ${programs.join(', ')}`;
}
