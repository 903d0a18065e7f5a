import { classifyListedAddress, normalizeAddress } from '@sekimori/chains';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ListEntry, ListParseError } from '../list-entry';
import { computeListVersion } from '../list-version';
import { hasSystemBzip2 } from './list-file-source';
import { type ParseOfacResult, parseOfacSdnAdvanced } from './sdn-advanced-parser';

const ROOT = join(__dirname, '..', '..', '..', '..');
const OFAC_DIR = join(ROOT, 'data', 'sanctions', 'ofac');
const SHIPPED = join(OFAC_DIR, 'sdn_advanced-2025-11-19.xml.bz2');
const DERIVED_CSV = join(OFAC_DIR, 'digital-currency-addresses-2025-11-19.csv');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'lists');
const ok = (name: string): string => join(FIXTURES, 'ok', name);
const notOk = (name: string): string => join(FIXTURES, 'not-ok', name);

const entriesOf = (list: ParseOfacResult, entityId: string): ListEntry[] =>
  list.entries.filter((e) => e.entityId === entityId);
const keyOf = (raw: string, tag: string): string => classifyListedAddress(raw, tag)!.key;

/** Just enough CSV for the derived file: commas, double quotes, no embedded newlines. */
function readCsv(path: string): Array<Record<string, string>> {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const split = (line: string): string[] =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
      .slice(0, -1)
      .map(([, cell]) => (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell));
  const names = split(header);
  return rows.map((row) => Object.fromEntries(split(row).map((cell, i) => [names[i], cell])));
}

describe('parseOfacSdnAdvanced on the shipped OFAC file (2025-11-19)', () => {
  let list: ParseOfacResult;

  beforeAll(async () => {
    list = await parseOfacSdnAdvanced(SHIPPED);
  }, 60_000);

  it('reads the date of issue, the list id and the counts of the derived CSV', () => {
    expect(list.listId).toBe('ofac-sdn');
    expect(list.source).toBe(SHIPPED);
    expect(list.issuedAt).toBe('2025-11-19');
    expect(list.stats).toMatchObject({
      parties: 79,
      features: 761,
      distinctAddresses: 745,
      unclassified: {},
    });
    expect(list.input).toMatchObject({ xmlBytes: 120_977_559, partiesInFile: 18_367 });
    const byChainTotal = Object.values(list.stats.byChain).reduce((a, b) => a + b, 0);
    expect(byChainTotal).toBe(list.entries.length);
  });

  it('agrees with every row of the derived CSV: holder, UID, programs, address', () => {
    const rows = readCsv(DERIVED_CSV);
    expect(rows).toHaveLength(761);
    for (const row of rows) {
      const key = keyOf(row.address, row.currency);
      const entry = list.entries.find((e) => e.entityId === row.ofac_uid && e.key === key);
      expect(entry).toMatchObject({
        entityName: row.holder_name,
        programs: row.programs.split(';'),
      });
      expect(entry?.tag.split(',')).toContain(row.currency);
    }
  });

  it('lists Garantex Europe OU with its BTC, ETH and TRON addresses under CYBER4 and RUSSIA-EO14024', () => {
    const garantex = entriesOf(list, '36025');
    expect(garantex.length).toBeGreaterThanOrEqual(3);
    for (const entry of garantex) {
      expect(entry.entityName).toBe('GARANTEX EUROPE OU');
      expect(entry.programs).toEqual(['CYBER4', 'RUSSIA-EO14024']);
    }
    const btc = garantex.find((e) => e.address === '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1');
    expect(btc).toMatchObject({ chain: 'bitcoin', tag: 'XBT' });
    const eth = normalizeAddress('ethereum', '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9');
    expect(eth.ok).toBe(true);
    expect(garantex.find((e) => e.key === (eth.ok && eth.key))).toMatchObject({
      chain: 'ethereum',
      tag: 'ETH',
    });
    const tron = garantex.find((e) => e.address === 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD');
    // OFAC tags this one TRX; its USDT-tagged T… addresses are TRON too (the format decides).
    expect(tron).toMatchObject({ chain: 'tron', tag: 'TRX' });
    expect(garantex.filter((e) => e.tag.includes('USDT')).length).toBeGreaterThan(0);
  });

  it('lists Grinex (TRON), Suex OTC (BTC) and Lazarus Group (DPRK3) with their programs', () => {
    expect(
      entriesOf(list, '55045').find((e) => e.address === 'TL1k1U6SHohxBqb68kCodxHc9y2LXoDSep'),
    ).toMatchObject({
      entityName: 'Grinex',
      chain: 'tron',
      programs: ['CYBER4'],
    });
    expect(
      entriesOf(list, '33151').find((e) => e.address === '12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx'),
    ).toMatchObject({
      entityName: 'SUEX OTC, S.R.O.',
      chain: 'bitcoin',
      programs: ['CYBER2'],
    });
    const lazarus = entriesOf(list, '27307');
    expect(lazarus).toHaveLength(8);
    expect(lazarus.every((e) => e.entityName === 'Lazarus Group' && e.chain === 'ethereum')).toBe(
      true,
    );
    expect(lazarus[0].programs).toEqual(['DPRK3']);
  });

  it('writes individuals as "LAST, First" like OFAC SDN.csv', () => {
    expect(entriesOf(list, '25308')[0].entityName).toBe('YAN, Xiaobing');
  });

  it('merges one party listing one address under several tags, keeping every tag', () => {
    const valerian = entriesOf(list, '45314');
    const key = keyOf('0x983a81ca6FB1e441266D2FbcB7D8E530AC2E05A2', 'ETH');
    expect(valerian.filter((e) => e.key === key)).toEqual([
      expect.objectContaining({ tag: 'ETH,USDC,USDT' }),
    ]);
    // Same address under ETH and ETC for one person: one EVM key, one entry.
    const karasavidi = entriesOf(list, '29585').filter(
      (e) => e.key === keyOf('0xd882cfc20f52f2599d84b8e8d58c7fb62cfe344b', 'ETH'),
    );
    expect(karasavidi).toEqual([expect.objectContaining({ tag: 'ETC,ETH' })]);
  });

  it('keeps one entry per party when two parties list the same address', () => {
    const shared = list.entries.filter((e) => e.address === 'LeKvNdNEzgQkzVVnRdV3fAu2DSF1nLsNw6');
    expect(shared.map((e) => [e.entityId, e.entityName]).sort()).toEqual([
      ['30518', 'Secondeye Solution'],
      ['30520', 'RAZA, Mujtaba Ali'],
    ]);
  });

  it('never has two entries with the same key for one party', () => {
    const seen = new Set(list.entries.map((e) => `${e.entityId}|${e.key}`));
    expect(seen.size).toBe(list.entries.length);
  });

  it('reads every name of every party (NAME_MATCH), weak aliases flagged', () => {
    // 18,367 parties, each with a primary name, many with aliases and non-Latin spellings.
    expect(new Set(list.names.map((n) => n.entityId)).size).toBe(18_367);
    expect(list.names.length).toBe(48_469);
    expect(list.names.filter((n) => n.nameType === 'primary').length).toBeGreaterThanOrEqual(
      18_367,
    );
    expect(list.names.filter((n) => n.lowQuality)).toHaveLength(4_454);
    const named = (entityId: string): string[] =>
      list.names.filter((n) => n.entityId === entityId).map((n) => n.name);
    expect(named('36025')).toEqual(['GARANTEX EUROPE OU', 'GARANTEX EUROPE OÜ', 'Garantex']);
    expect(list.names.find((n) => n.name === 'Grinex')).toMatchObject({
      partyKind: 'entity',
      nameType: 'primary',
    });
    expect(list.names.find((n) => n.name === 'Hidden Cobra')).toMatchObject({
      entityId: '27307',
      entityName: 'Lazarus Group',
      nameType: 'aka',
      lowQuality: true,
      programs: ['DPRK3'],
    });
    expect(list.names.find((n) => n.entityId === '25308' && n.nameType === 'primary')).toEqual({
      entityId: '25308',
      entityName: 'YAN, Xiaobing',
      partyKind: 'individual',
      name: 'YAN, Xiaobing',
      nameType: 'primary',
      lowQuality: false,
      programs: ['SDNTK'],
      // Birthdate and Nationality Country features, and two IDRegDocuments of his Identity.
      ids: 'b=19770325;c=CN;i=MISC:CN:421002197703250019,MISC::734625560365',
    });
    // Parties without addresses get their programs too.
    const withoutAddress = list.names.find(
      (n) => n.name === 'BARAKAT TRANSNATIONAL CRIMINAL ORGANIZATION',
    );
    expect(withoutAddress?.programs.length).toBeGreaterThan(0);
    const kinds = new Set(list.names.map((n) => n.partyKind));
    expect([...kinds].sort()).toEqual(['aircraft', 'entity', 'individual', 'vessel']);
  });

  it('has a content version that ignores the order of entries', () => {
    const version = computeListVersion(list.listId, list.entries);
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(computeListVersion(list.listId, [...list.entries].reverse())).toBe(version);
  });
});

describe('parseOfacSdnAdvanced on fixture excerpts', () => {
  it('parses a real excerpt (8 parties) from plain XML', async () => {
    const list = await parseOfacSdnAdvanced(ok('sdn-advanced-excerpt.xml'));
    expect(list.issuedAt).toBe('2025-11-19');
    expect(list.input).toMatchObject({ decompressor: 'none', partiesInFile: 8 });
    // FixedRef 36 (AEROCARIBBEAN AIRLINES) has no address and yields nothing.
    expect(list.stats.parties).toBe(7);
    expect(list.entries.some((e) => e.entityId === '36')).toBe(false);
    expect(entriesOf(list, '36025')[0].programs).toEqual(['CYBER4', 'RUSSIA-EO14024']);
  });

  const decompressors = hasSystemBzip2() ? (['system', 'js'] as const) : (['js'] as const);

  it.each(decompressors)(
    'gives the same entries from the .bz2 with the %s decompressor',
    async (decompressor) => {
      const plain = await parseOfacSdnAdvanced(ok('sdn-advanced-excerpt.xml'));
      const packed = await parseOfacSdnAdvanced(ok('sdn-advanced-excerpt.xml.bz2'), {
        decompressor,
      });
      expect(packed.input.decompressor).toBe(
        decompressor === 'system' ? 'bzip2' : 'unbzip2-stream',
      );
      expect(packed.entries).toEqual(plain.entries);
      expect(packed.stats).toEqual(plain.stats);
    },
  );

  it.each([
    [
      'truncated.xml',
      /^unexpected end of XML at byte 43889 of .*truncated\.xml: the file looks truncated/,
    ],
    [
      'mismatched-tag.xml',
      /^malformed XML in .* at line 1029, column \d+: unexpected close tag where <\/VersionDetail>/,
    ],
    ['missing-date-of-issue.xml', /has no <DateOfIssue>/],
    [
      'un-consolidated-root.xml',
      /unexpected root element <CONSOLIDATED_LIST>.*expected <Sanctions>/,
    ],
    ['empty.xml', /holds no XML element \(0 bytes\)/],
    ['does-not-exist.xml', /^cannot open list file .*does-not-exist\.xml/],
  ])('rejects not-ok/%s with a message saying what is wrong', async (name, message) => {
    const parsing = parseOfacSdnAdvanced(notOk(name));
    await expect(parsing).rejects.toThrow(ListParseError);
    await expect(parsing).rejects.toThrow(message);
  });

  it.each(decompressors)(
    'rejects a truncated .bz2 with the %s decompressor',
    async (decompressor) => {
      const parsing = parseOfacSdnAdvanced(notOk('truncated.xml.bz2'), { decompressor });
      await expect(parsing).rejects.toThrow(ListParseError);
      await expect(parsing).rejects.toThrow(/truncated\.xml\.bz2.*truncated or corrupt/);
    },
  );

  it('rejects a date of issue that is not numeric', async () => {
    const text = readFileSync(ok('sdn-advanced-excerpt.xml'), 'utf8').replace(
      '<Month>11</Month>',
      '<Month>XI</Month>',
    );
    const dir = mkdtempSync(join(tmpdir(), 'sdn-'));
    try {
      writeFileSync(join(dir, 'bad-date.xml'), text);
      await expect(parseOfacSdnAdvanced(join(dir, 'bad-date.xml'))).rejects.toThrow(
        /<DateOfIssue> is incomplete/,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
