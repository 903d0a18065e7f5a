/**
 * A listed birth date as the lists give it: a day, a month, a year, a range of them, or any of
 * those "circa". Held as the first and last possible day, each as the integer YYYYMMDD (whose order
 * is the calendar's), so that a person's dates cost a few numbers in memory and compare with `<=`.
 */
export interface BirthDateSpan {
  from: number;
  to: number;
  /** The list says "circa", "approximately" or 頃: compared with a tolerance of some years. */
  approximate: boolean;
}

export interface PartialDate {
  year: number;
  month?: number;
  day?: number;
}

const ymd = (year: number, month: number, day: number): number => year * 10_000 + month * 100 + day;

function valid({ year, month, day }: PartialDate): boolean {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return false;
  if (month === undefined) return day === undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return false;
  return day === undefined || (Number.isInteger(day) && day >= 1 && day <= 31);
}

/** The span from the first day of `start` to the last of `end` (`end` defaults to `start`). */
export function spanOf(
  start: PartialDate,
  end: PartialDate = start,
  approximate = false,
): BirthDateSpan | null {
  if (!valid(start) || !valid(end)) return null;
  const from = ymd(start.year, start.month ?? 1, start.day ?? 1);
  // Day 31 for a month's last day: YYYYMM31 sorts after every real day of the month.
  const to = ymd(end.year, end.month ?? 12, end.day ?? 31);
  return from <= to ? { from, to, approximate } : null;
}

/** `YYYY-MM-DD` (IVMS101's dateOfBirth, the contract has checked the calendar) as YYYYMMDD. */
export function dayNumber(isoDate: string): number | null {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return parts ? ymd(Number(parts[1]), Number(parts[2]), Number(parts[3])) : null;
}

/** Whether a full date falls in a span, "circa" spans widened by `toleranceYears` each way. */
export function spanContains(span: BirthDateSpan, day: number, toleranceYears: number): boolean {
  const widen = span.approximate ? toleranceYears * 10_000 : 0;
  return span.from - widen <= day && day <= span.to + widen;
}

/** The span as the lists would write it: `1960`, `1960-05`, `1960-05-02`, `1963..1968`, `~1963`. */
export function formatSpan(span: BirthDateSpan): string {
  const pad = (v: number) => String(v).padStart(2, '0');
  const split = (n: number) => [Math.floor(n / 10_000), Math.floor(n / 100) % 100, n % 100];
  const iso = (n: number) => {
    const [y, m, d] = split(n);
    return `${y}-${pad(m)}-${pad(d)}`;
  };
  const [fy, fm, fd] = split(span.from);
  const [ty, tm, td] = split(span.to);
  let text: string;
  if (span.from === span.to) text = iso(span.from);
  else if (fm === 1 && fd === 1 && tm === 12 && td === 31)
    text = fy === ty ? `${fy}` : `${fy}..${ty}`;
  else if (fy === ty && fm === tm && fd === 1 && td === 31) text = `${fy}-${pad(fm)}`;
  else text = `${iso(span.from)}..${iso(span.to)}`;
  return span.approximate ? `~${text}` : text;
}
