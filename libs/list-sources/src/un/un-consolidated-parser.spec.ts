import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListParseError } from '../list-entry';
import type { NameEntry } from '@sekimori/name-matching';
import {
  looksLikeUnConsolidated,
  parseUnConsolidated,
  type ParseUnResult,
  UN_CONSOLIDATED_LIST_ID,
} from './un-consolidated-parser';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SHIPPED = join(ROOT, 'data', 'sanctions', 'un', 'un-consolidated-2025-11-20.xml');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'un-consolidated-'));
});
afterAll(() => rmSync(dir, { recursive: true }));

/** Writes `content` to a fresh file in the test's temporary folder and returns its path. */
function fileWith(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('parseUnConsolidated on the shipped UN file (2025-11-20)', () => {
  let list: ParseUnResult;

  beforeAll(async () => {
    list = await parseUnConsolidated(SHIPPED);
  });

  const namesOf = (entityId: string): NameEntry[] =>
    list.names.filter((n) => n.entityId === entityId);

  it('reads the date generated, the list id, and no addresses', () => {
    expect(list.listId).toBe(UN_CONSOLIDATED_LIST_ID);
    expect(list.source).toBe(SHIPPED);
    expect(list.issuedAt).toBe('2025-11-20');
    expect(list.entries).toEqual([]);
    expect(list.stats).toEqual({
      parties: 0,
      features: 0,
      distinctAddresses: 0,
      byChain: {},
      unclassified: {},
    });
  });

  it('names all 727 individuals and 273 entities', () => {
    const ids = (kind: string): Set<string> =>
      new Set(list.names.filter((n) => n.partyKind === kind).map((n) => n.entityId));
    expect(ids('individual').size).toBe(727);
    expect(ids('entity').size).toBe(273);
    expect(new Set(list.names.map((n) => n.partyKind))).toEqual(new Set(['individual', 'entity']));
    // One primary name per record; counted independently with Python's ElementTree.
    expect(list.names.filter((n) => n.nameType === 'primary')).toHaveLength(1000);
    expect(list.names).toHaveLength(4122);
  });

  it('lists ERIC BADEGE (CDi.001) under DRC with his name parts joined', () => {
    expect(namesOf('CDi.001')).toEqual([
      {
        entityId: 'CDi.001',
        entityName: 'ERIC BADEGE',
        partyKind: 'individual',
        name: 'ERIC BADEGE',
        nameType: 'primary',
        lowQuality: false,
        programs: ['DRC'],
        // INDIVIDUAL_DATE_OF_BIRTH YEAR 1971, NATIONALITY Democratic Republic of the Congo.
        ids: 'b=19710101-19711231;c=CD',
      },
    ]);
  });

  it('lists KOMID (KPe.001) under DPRK with its aliases', () => {
    const komid = namesOf('KPe.001');
    expect(komid.map((n) => [n.name, n.nameType])).toEqual([
      ['KOREA MINING DEVELOPMENT TRADING CORPORATION', 'primary'],
      ['CHANGGWANG SINYONG CORPORATION', 'aka'],
      ['EXTERNAL TECHNOLOGY GENERAL CORPORATION', 'aka'],
      ['DPRKN MINING DEVELOPMENT TRADING COOPERATION', 'aka'],
      ['"KOMID"', 'aka'],
    ]);
    for (const name of komid) {
      expect(name).toMatchObject({
        entityName: 'KOREA MINING DEVELOPMENT TRADING CORPORATION',
        partyKind: 'entity',
        lowQuality: false,
        programs: ['DPRK'],
      });
    }
  });

  it('reads four name parts, good and low aliases and the original script (QDi.306)', () => {
    const names = namesOf('QDi.306');
    expect(names[0]).toMatchObject({
      name: 'MUSTAFA HAJJI MUHAMMAD KHAN',
      nameType: 'primary',
      programs: ['Al-Qaida'],
    });
    expect(names.find((n) => n.name === 'Khalid Mahmud')).toMatchObject({
      nameType: 'aka',
      lowQuality: false,
    });
    expect(names.find((n) => n.name === 'Ahmad Shahji')).toMatchObject({
      nameType: 'aka',
      lowQuality: true,
    });
    expect(names.find((n) => n.name === 'مصطفى حجي محمد خان')).toMatchObject({
      nameType: 'aka',
      lowQuality: false,
    });
    expect(names).toHaveLength(8);
  });

  it('flags the low-quality aliases and reads former names as fka', () => {
    expect(list.names.filter((n) => n.lowQuality)).toHaveLength(615);
    expect(list.names.filter((n) => n.lowQuality).every((n) => n.partyKind === 'individual')).toBe(
      true,
    );
    expect(list.names.filter((n) => n.nameType === 'fka')).toHaveLength(19);
    expect(list.names.find((n) => n.name === 'KOREA CHANGGWANG CREDIT BANK')).toMatchObject({
      entityId: 'KPe.003',
      nameType: 'fka',
      programs: ['DPRK'],
    });
  });

  it('collapses the line breaks and trailing spaces the file has inside names', () => {
    expect(namesOf('QDi.426').map((n) => n.name)).toContain('أمیر محمد سعید عبد الرحمن السلبي');
    expect(namesOf('HTe.002')[0]).toMatchObject({ name: 'VIV ANSANM', nameType: 'primary' });
    for (const { name } of list.names) {
      expect(name).not.toBe('');
      expect(name).toBe(name.replace(/\s+/g, ' ').trim());
    }
  });

  it('never repeats a name of one type for one party', () => {
    const keys = list.names.map((n) => `${n.entityId}|${n.nameType}|${n.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('takes another list id when asked', async () => {
    const other = await parseUnConsolidated(SHIPPED, { listId: 'un-test' });
    expect(other.listId).toBe('un-test');
  });
});

describe('parseUnConsolidated on a small sample', () => {
  const sample = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2025-01-07T23:00:01.5Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>42</DATAID>
      <FIRST_NAME>IVAN </FIRST_NAME>
      <SECOND_NAME>PETROVICH</SECOND_NAME>
      <THIRD_NAME>
        SIDOROV</THIRD_NAME>
      <FOURTH_NAME/>
      <UN_LIST_TYPE>Test</UN_LIST_TYPE>
      <REFERENCE_NUMBER/>
      <INDIVIDUAL_ALIAS>
        <QUALITY>LOW</QUALITY>
        <ALIAS_NAME>Vanya  &amp; Co</ALIAS_NAME>
        <NOTE>not a name</NOTE>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS>
        <QUALITY>Low</QUALITY>
        <ALIAS_NAME>Vanya &amp; Co</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS>
        <QUALITY/>
        <ALIAS_NAME/>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><CITY>Nowhere</CITY></INDIVIDUAL_ADDRESS>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>
`;

  it('gives exactly the expected names', async () => {
    const list = await parseUnConsolidated(fileWith('sample.xml', sample));
    expect(list.issuedAt).toBe('2025-01-07');
    const programs = ['Test'];
    const base = { entityId: '42', entityName: 'IVAN PETROVICH SIDOROV', partyKind: 'individual' };
    expect(list.names).toEqual([
      { ...base, name: 'IVAN PETROVICH SIDOROV', nameType: 'primary', lowQuality: false, programs },
      { ...base, name: 'Vanya & Co', nameType: 'aka', lowQuality: true, programs },
    ]);
  });

  it('rejects a list without dateGenerated, or with an impossible one', async () => {
    const without = fileWith('no-date.xml', sample.replace(/ dateGenerated="[^"]*"/, ''));
    await expect(parseUnConsolidated(without)).rejects.toThrow(ListParseError);
    await expect(parseUnConsolidated(without)).rejects.toThrow(/has no dateGenerated/);
    const impossible = fileWith('bad-date.xml', sample.replace('2025-01-07', '2025-02-30'));
    await expect(parseUnConsolidated(impossible)).rejects.toThrow(
      /dateGenerated "2025-02-30T23:00:01.5Z" is not a date/,
    );
  });

  it('rejects a list with no records at all', async () => {
    const empty = fileWith(
      'empty-list.xml',
      '<CONSOLIDATED_LIST dateGenerated="2025-01-07"><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>',
    );
    await expect(parseUnConsolidated(empty)).rejects.toThrow(/has no <INDIVIDUAL> or <ENTITY>/);
  });
});

describe('parseUnConsolidated on files it cannot use', () => {
  it('rejects the first half of the real file as truncated', async () => {
    const bytes = readFileSync(SHIPPED);
    const half = fileWith('half.xml', bytes.subarray(0, Math.floor(bytes.length / 2)));
    const parsing = parseUnConsolidated(half);
    await expect(parsing).rejects.toThrow(ListParseError);
    await expect(parsing).rejects.toThrow(
      /^unexpected end of XML at byte 1013766 of .*half\.xml: the file looks truncated .*inside <CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>/,
    );
  });

  it.each([
    [
      'an OFAC root element',
      '<?xml version="1.0"?><Sanctions><DateOfIssue/></Sanctions>',
      /unexpected root element <Sanctions>.*expected <CONSOLIDATED_LIST>/,
    ],
    [
      'a mismatched close tag',
      '<CONSOLIDATED_LIST dateGenerated="2025-01-07">\n<INDIVIDUALS><INDIVIDUAL>\n<DATAID>1</DATAID><FIRST_NAME>X</SECOND_NAME>',
      /^malformed XML in .* at line 3, column \d+: unexpected close tag/,
    ],
    [
      'a record left open',
      '<CONSOLIDATED_LIST dateGenerated="2025-01-07">\n<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID></INDIVIDUALS>',
      /^malformed XML in .* at line 2, column \d+: unexpected close tag where <\/INDIVIDUAL> was expected/,
    ],
    [
      'an unescaped ampersand',
      '<CONSOLIDATED_LIST dateGenerated="2025-01-07">\n<INDIVIDUALS><INDIVIDUAL><DATAID>1 & 2; 3</DATAID></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>',
      /^malformed XML in .* at line 2, column \d+: disallowed character in entity name inside <DATAID>/,
    ],
    ['an empty file', '', /holds no XML element \(0 bytes\)/],
  ])('rejects a file with %s', async (name, content, message) => {
    const parsing = parseUnConsolidated(fileWith(`${name.replace(/\W+/g, '-')}.xml`, content));
    await expect(parsing).rejects.toThrow(ListParseError);
    await expect(parsing).rejects.toThrow(message);
  });

  it('rejects a file that does not exist', async () => {
    const parsing = parseUnConsolidated(join(dir, 'does-not-exist.xml'));
    await expect(parsing).rejects.toThrow(ListParseError);
    await expect(parsing).rejects.toThrow(/^cannot read list file .*does-not-exist\.xml: ENOENT/);
  });
});

describe('looksLikeUnConsolidated', () => {
  it('recognises the head of the real file and nothing else', () => {
    const head = readFileSync(SHIPPED).subarray(0, 4096).toString('utf8');
    expect(looksLikeUnConsolidated(head)).toBe(true);
    expect(looksLikeUnConsolidated('<?xml version="1.0"?>\n<Sanctions xmlns="x">')).toBe(false);
    expect(looksLikeUnConsolidated('<CONSOLIDATED_LISTS>')).toBe(false);
    expect(looksLikeUnConsolidated('')).toBe(false);
  });
});
