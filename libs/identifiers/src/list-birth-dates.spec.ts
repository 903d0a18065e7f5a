import { BirthDateSpan, formatSpan, spanOf } from './birth-date';
import {
  eraYear,
  fromMofCell,
  fromOfacDatePeriod,
  fromUnDateOfBirth,
  parseBirthDateText,
} from './list-birth-dates';

const show = (spans: BirthDateSpan[]) => spans.map(formatSpan);

describe('eraYear', () => {
  it.each<[string, string, number | null]>([
    ['明治', '元', 1868],
    ['大正', '15', 1926],
    ['昭和', '元', 1926],
    ['昭和', '35', 1960],
    ['昭和', '64', 1989],
    ['平成', '元', 1989],
    ['平成', '31', 2019],
    ['令和', '元', 2019],
    ['令和', '6', 2024],
    ['S', '35', 1960],
    ['H', '2', 1990],
    ['慶応', '3', null],
    ['昭和', '0', null],
  ])('%s %s年 is %s', (era, year, western) => {
    expect(eraYear(era, year)).toBe(western);
  });
});

describe('parseBirthDateText', () => {
  // The MOF strings are quoted from the birth-date column of shisantouketsu20260305.xlsx; the
  // English ones from the UN list's NOTE fields and MOF's bilingual cells.
  it.each<[string, string[]]>([
    ['1969年', ['1969']],
    ['1963年頃', ['~1963']],
    ['1963年6月6日', ['1963-06-06']],
    ['1973 年1月15日', ['1973-01-15']],
    ['\n1969年11月19日\n', ['1969-11-19']],
    ['1966年3月18日又は1967年3月10日', ['1966-03-18', '1967-03-10']],
    ['1965年又は1966年', ['1965', '1966']],
    ['1963年から1968年の間', ['1963..1968']],
    ['1972年から1973年までの間', ['1972..1973']],
    ['1961年1月1日から\n1963年12月31日の間', ['1961..1963']],
    ['1960年-1962年頃', ['~1960..1962']],
    ['1954年-1955年', ['1954..1955']],
    ['1937年～1945年', ['1937..1945']],
    ['(a)1973年5月27日\n(b)1975年1月1日', ['1973-05-27', '1975-01-01']],
    ['（a）1960年12月30日 \n（b）1960年12月13日', ['1960-12-30', '1960-12-13']],
    ['（a）1960年頃（b）1966年', ['~1960', '1966']],
    ['(a)1955年-1958年頃\n(b)１945年-1950年頃', ['~1955..1958', '~1945..1950']],
    ['（a）1958年頃 （b）1967年1月1日', ['~1958', '1967-01-01']],
    ['1991年7月14日又は6月14日', ['1991-07-14', '1991-06-14']],
    ['1974年3月14日又は1974年4月13日', ['1974-03-14', '1974-04-13']],
    ['1957年4月15日；1958年2月22日', ['1957-04-15', '1958-02-22']],
    ['1977年または1978年の頃', ['1977', '~1978']],
    ['1970年生\nBorn 1970', ['1970']],
    ['1942年7月10日生\nBorn on 10 July 1942', ['1942-07-10']],
    [
      '1941年8月20日セルビア共和国ポジャレヴァッツ生\nBorn at Pozarevac, Republic of Serbia, on 20 August 1941',
      ['1941-08-20'],
    ],
    ['1966/2/2', ['1966-02-02']],
    ['１９７９年', ['1979']],
    ['昭和35年1月1日', ['1960-01-01']],
    ['昭和３５年１月１日', ['1960-01-01']],
    ['平成元年5月22日', ['1989-05-22']],
    ['令和2年', ['2020']],
    ['大正15年12月25日', ['1926-12-25']],
    ['明治45年7月30日', ['1912-07-30']],
    ['S35.1.1', []],
    ['born 16 Dec. 1948, in Izo South Sudan', ['1948-12-16']],
    ['Nov. 1973', ['1973-11']],
    ['July 1970', ['1970-07']],
    ['circa 1963', ['~1963']],
    ['born in 1976', ['1976']],
    ['1960-05-02', ['1960-05-02']],
    ['不明', []],
    ['10月10日（year unknown）', []],
    ['', []],
    ['２００５年頃にパキスタンにおいてアル・カーイダの「基礎訓練」キャンプを運営していた。', []],
  ])('reads %j', (text, spans) => {
    expect(show(parseBirthDateText(text))).toEqual(spans);
  });
});

describe('fromUnDateOfBirth', () => {
  it.each<[string, Parameters<typeof fromUnDateOfBirth>[0], string[]]>([
    ['EXACT with DATE', { typeOfDate: 'EXACT', date: '1963-06-06' }, ['1963-06-06']],
    ['EXACT with YEAR', { typeOfDate: 'EXACT', year: '1969' }, ['1969']],
    ['APPROXIMATELY with YEAR', { typeOfDate: 'APPROXIMATELY', year: '1963' }, ['~1963']],
    ['BETWEEN', { typeOfDate: 'BETWEEN', fromYear: '1963', toYear: '1968' }, ['1963..1968']],
    [
      'BETWEEN with NOTE Approximately',
      { typeOfDate: 'BETWEEN', fromYear: '1954', toYear: '1955', note: 'Approximately' },
      ['~1954..1955'],
    ],
    [
      'EXACT with a month in NOTE',
      { typeOfDate: 'EXACT', year: '1962', note: 'Sep.' },
      ['1962-09'],
    ],
    ['EXACT with only NOTE', { typeOfDate: 'EXACT', note: 'Nov. 1973' }, ['1973-11']],
    ['nothing', { typeOfDate: 'EXACT' }, []],
  ])('reads %s', (_what, dob, spans) => {
    expect(show(fromUnDateOfBirth(dob))).toEqual(spans);
  });
});

describe('fromOfacDatePeriod', () => {
  const day = (year: number, month: number, d: number) => ({ year, month, day: d });
  it.each<[string, Parameters<typeof fromOfacDatePeriod>, string[]]>([
    [
      'a day (UID 4420 style: 1948-12-10 in all four places)',
      [
        { from: day(1948, 12, 10), to: day(1948, 12, 10) },
        { from: day(1948, 12, 10), to: day(1948, 12, 10) },
      ],
      ['1948-12-10'],
    ],
    [
      'a year (1 January to 31 December)',
      [
        { from: day(1961, 1, 1), to: day(1961, 1, 1) },
        { from: day(1961, 12, 31), to: day(1961, 12, 31) },
      ],
      ['1961'],
    ],
    [
      'circa a year (Approximate="true")',
      [
        { from: day(1951, 1, 1), to: day(1951, 1, 1), approximate: true },
        { from: day(1951, 12, 31), to: day(1951, 12, 31), approximate: true },
      ],
      ['~1951'],
    ],
    [
      'a range of years',
      [
        { from: day(1957, 1, 1), to: day(1957, 1, 1) },
        { from: day(1959, 12, 31), to: day(1959, 12, 31) },
      ],
      ['1957..1959'],
    ],
    [
      'a month',
      [
        { from: day(1970, 7, 1), to: day(1970, 7, 1) },
        { from: day(1970, 7, 31), to: day(1970, 7, 31) },
      ],
      ['1970-07'],
    ],
    [
      'no year',
      [
        { from: {}, to: {} },
        { from: {}, to: {} },
      ],
      [],
    ],
  ])('reads %s', (_what, args, spans) => {
    expect(show(fromOfacDatePeriod(...args))).toEqual(spans);
  });
});

describe('fromMofCell', () => {
  it.each<[string, Date | number | string | null, string[]]>([
    ['an Excel date', new Date(Date.UTC(1986, 4, 19)), ['1986-05-19']],
    ['a serial number (23830 is 1965-03-29)', 23830, ['1965-03-29']],
    ['text', '1963年頃', ['~1963']],
    ['an empty cell', null, []],
  ])('reads %s', (_what, value, spans) => {
    expect(show(fromMofCell(value))).toEqual(spans);
  });
});

describe('spanOf', () => {
  it('refuses impossible dates and reversed ranges', () => {
    expect(spanOf({ year: 1960, month: 13 })).toBeNull();
    expect(spanOf({ year: 1960, day: 3 })).toBeNull();
    expect(spanOf({ year: 99 })).toBeNull();
    expect(spanOf({ year: 1970 }, { year: 1960 })).toBeNull();
  });
});
