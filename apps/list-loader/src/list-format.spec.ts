import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIST_ID, detectListFormat } from './list-format';

const ROOT = join(__dirname, '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'sekimori-format-'));

function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('detectListFormat', () => {
  it.each([
    [join(ROOT, 'data', 'sanctions', 'un', 'un-consolidated-2025-11-20.xml'), 'un-consolidated'],
    [
      join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml'),
      'ofac-sdn-advanced',
    ],
    [join(ROOT, 'data', 'sanctions', 'jp-mof', 'shisantouketsu20260305.xlsx'), 'jp-mof-xlsx'],
    // Any workbook goes to the MOF parser, which rejects a foreign one by its content.
    [join(ROOT, 'test', 'fixtures', 'lists', 'not-ok', 'uk-conlist-head.xlsx'), 'jp-mof-xlsx'],
    // Compressed: OFAC's, without reading it (the UN list is published as plain XML).
    [
      join(ROOT, 'data', 'sanctions', 'ofac', 'sdn_advanced-2025-11-19.xml.bz2'),
      'ofac-sdn-advanced',
    ],
  ])('%s is %s', async (path, format) => {
    expect(await detectListFormat(path)).toBe(format);
  });

  it('sends anything it does not recognise to the OFAC parser, which rejects it with its message', async () => {
    expect(await detectListFormat(file('other.xml', '<CONSOLIDATED_LISTS/>'))).toBe(
      'ofac-sdn-advanced',
    );
    expect(await detectListFormat(file('empty.xml', ''))).toBe('ofac-sdn-advanced');
  });

  it('publishes each format under its own list id by default', () => {
    expect(DEFAULT_LIST_ID).toEqual({
      'ofac-sdn-advanced': 'ofac-sdn',
      'un-consolidated': 'un-consolidated',
      'jp-mof-xlsx': 'jp-mof',
      'own-csv': '',
    });
  });

  it('fails on a file that cannot be read', async () => {
    await expect(detectListFormat(join(scratch, 'missing.xml'))).rejects.toThrow(/ENOENT/);
  });
});
