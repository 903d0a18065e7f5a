import type { NameEntry } from '../name-entry';

/** A name of a listed party as the OFAC parser gives it: Garantex's primary name unless patched. */
export function nameEntry(patch: Partial<NameEntry> = {}): NameEntry {
  return {
    entityId: '36025',
    entityName: 'GARANTEX EUROPE OU',
    partyKind: 'entity',
    name: 'GARANTEX EUROPE OU',
    nameType: 'primary',
    lowQuality: false,
    programs: ['CYBER4', 'RUSSIA-EO14024'],
    ...patch,
  };
}
