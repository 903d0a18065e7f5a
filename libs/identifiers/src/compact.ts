import { BirthDateSpan } from './birth-date';
import { ListedIdentifiers } from './evidence';
import { IdNumber, IdType } from './id-number';

/*
 * A listed person's identifiers as one short string, for the list store beside each name entry
 * (a few dozen bytes a person; most have one birth date and one nationality):
 *   b=19600101-19601231~,19630606;c=KP,RU;i=CCPT:KP:PS472123,MISC::12345
 * `~` marks a "circa" span, a single day is written once. Numbers are normalised (no `,` `:`
 * `;` in them), and an empty part is left out.
 */

const ID_TYPES = new Set<string>([
  'ARNU',
  'CCPT',
  'RAID',
  'DRLC',
  'FIIN',
  'TXID',
  'SOCS',
  'IDCD',
  'LEIX',
  'MISC',
]);

const SEPARATORS = /[,:;=]/g;

function span(s: BirthDateSpan): string {
  const range = s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`;
  return s.approximate ? `${range}~` : range;
}

export function encodeIdentifiers(listed: ListedIdentifiers): string {
  const parts: string[] = [];
  if (listed.birthDates.length > 0) parts.push(`b=${listed.birthDates.map(span).join(',')}`);
  if (listed.countries.length > 0) parts.push(`c=${listed.countries.join(',')}`);
  if (listed.ids.length > 0) {
    const ids = listed.ids.map(
      (id) => `${id.type ?? ''}:${id.country ?? ''}:${id.number.replace(SEPARATORS, '')}`,
    );
    parts.push(`i=${ids.join(',')}`);
  }
  return parts.join(';');
}

function readSpan(text: string): BirthDateSpan | null {
  const m = /^(\d{8})(?:-(\d{8}))?(~?)$/.exec(text);
  if (m === null) return null;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from <= to ? { from, to, approximate: m[3] === '~' } : null;
}

function readId(text: string): IdNumber | null {
  const [type, country, number] = text.split(':');
  if (number === undefined || number === '') return null;
  return {
    number,
    ...(ID_TYPES.has(type) ? { type: type as IdType } : {}),
    ...(/^[A-Z]{2}$/.test(country) ? { country } : {}),
  };
}

/** The identifiers back from `encodeIdentifiers`; a part it cannot read is left out. */
export function decodeIdentifiers(text: string | null | undefined): ListedIdentifiers {
  const out = {
    birthDates: [] as BirthDateSpan[],
    countries: [] as string[],
    ids: [] as IdNumber[],
  };
  for (const part of (text ?? '').split(';')) {
    const [key, value] = [part.slice(0, 2), part.slice(2)];
    if (value === '') continue;
    const items = value.split(',');
    if (key === 'b=') {
      out.birthDates.push(...items.map(readSpan).filter((s): s is BirthDateSpan => s !== null));
    } else if (key === 'c=') {
      out.countries.push(...items.filter((c) => /^[A-Z]{2}$/.test(c)));
    } else if (key === 'i=') {
      out.ids.push(...items.map(readId).filter((id): id is IdNumber => id !== null));
    }
  }
  return out;
}
