import { BirthDateSpan, PartialDate, spanOf } from './birth-date';

/*
 * Birth dates in the forms the three shipped lists write them. OFAC and the UN give structured
 * dates; MOF's workbook gives a cell: an Excel date, a serial number, or text in Japanese (Western
 * years, era years such as 昭和35年, full-width digits, 頃, ranges, alternatives (a)(b), 又は) with
 * an English sentence beside it at times. A value that says nothing usable (不明, a month without
 * year, prose) gives no span: the evidence is then `unknown`, never a guess.
 */

/** Japanese eras from Meiji: the Western year of each era's first year (元年). */
const ERAS: Readonly<Record<string, number>> = {
  明治: 1868,
  大正: 1912,
  昭和: 1926,
  平成: 1989,
  令和: 2019,
  M: 1868,
  T: 1912,
  S: 1926,
  H: 1989,
  R: 2019,
};

/** An era year (`昭和`, `35` or `元`) as a Western year, or null for an unknown era. */
export function eraYear(era: string, year: string): number | null {
  const start = ERAS[era];
  if (start === undefined) return null;
  const n = year === '元' ? 1 : Number(year);
  return Number.isInteger(n) && n >= 1 ? start + n - 1 : null;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';

// One date, in the order tried: Japanese (era or Western year, 年, optional 月 and 日), a month and
// day without year (it takes the year of the date before it: 1991年7月14日又は6月14日), numeric
// (1966/2/2, 1960-01-01), English (10 July 1942, Nov. 1973), and a bare year.
const DATE = new RegExp(
  [
    `(?:(明治|大正|昭和|平成|令和|[MTSHR])\\s*(元|\\d{1,2})|(\\d{4}))\\s*年(?:\\s*(\\d{1,2})\\s*月(?:\\s*(\\d{1,2})\\s*日)?)?`,
    `(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日`,
    `(\\d{4})[/.-](\\d{1,2})[/.-](\\d{1,2})`,
    `(\\d{1,2})\\s+${MONTH}\\s+(\\d{4})`,
    `${MONTH}\\s+(\\d{4})`,
    `(?<![\\d/.-])(\\d{4})(?![\\d/.-]*\\d)`,
  ].join('|'),
  'giu',
);
const RANGE_BETWEEN = /^\s*(から|~|-|–|—|to|and)\s*$/i;
// Japanese marks an approximate date after it (1963年頃), English before it (circa 1963).
const APPROXIMATE_AFTER = /頃|ごろ|推定|approx/i;
const APPROXIMATE_BEFORE = /circa|approx|about|\bca\.|\bc\./i;
const ALTERNATIVES = /[\n;；、,]|又は|または|\([a-z]\)/;
// MOF's birth-date column holds notes for some entries: prose is no date.
const PROSE = /。/;

interface Found {
  date: PartialDate;
  start: number;
  end: number;
}

function found(m: RegExpExecArray, previous: PartialDate | undefined): PartialDate | null {
  const n = (i: number): number | undefined => (m[i] === undefined ? undefined : Number(m[i]));
  if (m[3] !== undefined || m[1] !== undefined) {
    const year = m[3] !== undefined ? Number(m[3]) : eraYear(m[1], m[2]);
    return year === null ? null : { year, month: n(4), day: n(5) };
  }
  if (m[6] !== undefined) {
    return previous ? { year: previous.year, month: n(6), day: n(7) } : null;
  }
  if (m[8] !== undefined) return { year: Number(m[8]), month: n(9), day: n(10) };
  if (m[11] !== undefined) {
    return { year: Number(m[13]), month: MONTHS[m[12].toLowerCase()], day: n(11) };
  }
  if (m[14] !== undefined) return { year: Number(m[15]), month: MONTHS[m[14].toLowerCase()] };
  return { year: Number(m[16]) };
}

const key = (s: BirthDateSpan) => `${s.from}-${s.to}-${s.approximate}`;

function unique(spans: Array<BirthDateSpan | null>): BirthDateSpan[] {
  const out = new Map<string, BirthDateSpan>();
  for (const span of spans) if (span && !out.has(key(span))) out.set(key(span), span);
  return [...out.values()];
}

/**
 * The birth dates a list's text gives: each date, each range (a date, から/-/～/to, a date), and
 * each alternative ((a), (b), 又は, ；, a new line) as its own span. 頃 or "circa" after a date or
 * range marks it approximate. A text in two languages gives each date once.
 */
export function parseBirthDateText(text: string): BirthDateSpan[] {
  const normal = text.normalize('NFKC');
  if (PROSE.test(normal) || normal.length > 300) return [];
  const dates: Found[] = [];
  let previous: PartialDate | undefined;
  for (const m of normal.matchAll(DATE)) {
    const date = found(m as RegExpExecArray, previous);
    if (date === null) continue;
    dates.push({ date, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
    previous = date;
  }
  const spans: Array<BirthDateSpan | null> = [];
  for (let i = 0; i < dates.length; i += 1) {
    const here = dates[i];
    const next = dates[i + 1];
    const between = next ? normal.slice(here.end, next.start) : '';
    const ranged = next !== undefined && RANGE_BETWEEN.test(between.replace(/\n/g, ''));
    const last = ranged ? next : here;
    const after = normal.slice(last.end, dates[i + (ranged ? 2 : 1)]?.start ?? normal.length);
    const before = normal.slice(i === 0 ? 0 : dates[i - 1].end, here.start);
    const approximate =
      APPROXIMATE_AFTER.test(after.split(ALTERNATIVES)[0] ?? '') ||
      APPROXIMATE_BEFORE.test(before.split(ALTERNATIVES).pop() ?? '');
    spans.push(spanOf(here.date, last.date, approximate));
    if (ranged) i += 1;
  }
  return unique(spans);
}

/** The UN list's INDIVIDUAL_DATE_OF_BIRTH: TYPE_OF_DATE with DATE, YEAR, FROM_YEAR/TO_YEAR. */
export interface UnDateOfBirth {
  typeOfDate?: string;
  date?: string;
  year?: string;
  fromYear?: string;
  toYear?: string;
  note?: string;
}

export function fromUnDateOfBirth(dob: UnDateOfBirth): BirthDateSpan[] {
  const type = (dob.typeOfDate ?? 'EXACT').toUpperCase();
  const approximate = type === 'APPROXIMATELY' || /approx/i.test(dob.note ?? '');
  if (type === 'BETWEEN' && dob.fromYear && dob.toYear) {
    return unique([
      spanOf({ year: Number(dob.fromYear) }, { year: Number(dob.toYear) }, approximate),
    ]);
  }
  if (dob.date) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(dob.date);
    if (parts) {
      const [year, month, day] = parts.slice(1, 4).map(Number);
      return unique([spanOf({ year, month, day }, undefined, approximate)]);
    }
  }
  if (dob.year) {
    // "Sep." in NOTE beside a YEAR: the month the UN could not put in a field of its own.
    const withNote = dob.note ? parseBirthDateText(`${dob.note} ${dob.year}`) : [];
    if (withNote.length > 0) return withNote.map((s) => ({ ...s, approximate }));
    return unique([spanOf({ year: Number(dob.year) }, undefined, approximate)]);
  }
  return dob.note ? parseBirthDateText(dob.note) : [];
}

/** One end of an OFAC SDN Advanced `DatePeriod`: its From and To, each a partial date. */
export interface OfacDateBoundary {
  from: Partial<PartialDate>;
  to: Partial<PartialDate>;
  approximate?: boolean;
}

/** OFAC SDN Advanced DateOfBirth (FeatureType 8): a DatePeriod from Start.From to End.To. */
export function fromOfacDatePeriod(
  start: OfacDateBoundary,
  end: OfacDateBoundary,
): BirthDateSpan[] {
  const first = start.from;
  const last = end.to;
  if (first.year === undefined || last.year === undefined) return [];
  const span = spanOf(
    { year: first.year, month: first.month, day: first.month ? first.day : undefined },
    { year: last.year, month: last.month, day: last.month ? last.day : undefined },
    start.approximate === true || end.approximate === true,
  );
  return unique([span]);
}

// Excel's day 0 is 30 December 1899 (its day 60, 29 February 1900, never existed).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** A cell of MOF's birth-date column as exceljs reads it: a Date, a serial number or text. */
export function fromMofCell(value: Date | number | string | null | undefined): BirthDateSpan[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return parseBirthDateText(value);
  const date = typeof value === 'number' ? new Date(EXCEL_EPOCH_MS + value * DAY_MS) : value;
  if (Number.isNaN(date.getTime())) return [];
  const day = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
  };
  return unique([spanOf(day)]);
}
