import { isWorkbookUrl, newestMofWorkbook } from './mof-index';

const PAGE =
  'https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/economic_sanctions/list.html';

describe('newestMofWorkbook', () => {
  it('picks the newest dated workbook and resolves it against the page', () => {
    const html = `
      <a href="./shisantouketsu20250110.xlsx">old</a>
      <a href='shisantouketsu20260305.xlsx'>new</a>
      <a href="./shisantouketsu20260305.csv">csv</a>
      <a href="/files/shisantouketsu20251201.xlsx">mid</a>`;
    expect(newestMofWorkbook(html, PAGE)).toEqual({
      url: PAGE.replace('list.html', 'shisantouketsu20260305.xlsx'),
      date: '20260305',
    });
  });

  it('finds nothing on a page without a workbook link (a CSV link alone does not count)', () => {
    expect(newestMofWorkbook('<a href="./shisantouketsu20260305.csv">csv</a>', PAGE)).toBeNull();
    expect(newestMofWorkbook('', PAGE)).toBeNull();
  });
});

describe('isWorkbookUrl', () => {
  it.each([
    [`${PAGE}`, false],
    ['https://mirror.example/jp/shisantouketsu20260305.xlsx', true],
    ['https://mirror.example/jp/LATEST.XLSX?token=1', true],
  ])('%s -> %s', (url, expected) => expect(isWorkbookUrl(url)).toBe(expected));
});
