import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BirthDateSpan,
  decodeIdentifiers,
  type PartyIdentifiers,
} from '@sekimori/identifiers';
import { parseOfacSdnAdvanced, parseUnConsolidated } from '@sekimori/list-sources';
import {
  buildNameIndex,
  DEFAULT_NAME_THRESHOLDS,
  type ListNameIndex,
  NameSearchIndex,
  screenedNameOf,
} from '@sekimori/name-matching';
import {
  type ListNames,
  type Positive,
  seeded,
} from '../../../name-matching/src/__fixtures__/eval/eval-set';
import { listedPeople } from '../../../name-matching/src/__fixtures__/eval/listed-people';
import {
  buildNegatives,
  type NameParts,
} from '../../../name-matching/src/__fixtures__/eval/negatives';
import { matchTransferNames, type TransferName } from './travel-rule-screening';

/*
 * NAME_MATCH with travel-rule records (docs/rules.md, "Travel-rule data: quality"): the name
 * evaluation's positives and negatives (libs/name-matching name-quality.spec.ts), each given as a
 * travel-rule party with and without a birth date, and namesakes: listed people's exact names
 * with a birth date that is not theirs. Issue 20's targets below.
 */
const RECALL_TARGET = 0.98;
const NEGATIVES_ALERTED_WITH_BIRTH_DATE_MAX = 0.001;
const NAMESAKES_HELD_MAX = 0.05;

const ROOT = join(__dirname, '..', '..', '..', '..');
const EVAL = join(ROOT, 'libs', 'name-matching', 'src', '__fixtures__', 'eval');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(EVAL, name), 'utf8')) as T;

const iso = (day: number): string =>
  `${Math.floor(day / 10_000)}-${String(Math.floor(day / 100) % 100).padStart(2, '0')}-${String(day % 100).padStart(2, '0')}`;

/** A real day inside a listed span: its first day (day 31 of a short month never is one). */
const dayIn = (span: BirthDateSpan): string => iso(span.from);

/** A birth date in none of the spans (nor within `years` of a "circa" one), seeded. */
function otherDate(spans: readonly BirthDateSpan[], random: () => number): string {
  for (;;) {
    const year = 1930 + Math.floor(random() * 75);
    const day =
      year * 10_000 + (1 + Math.floor(random() * 12)) * 100 + 1 + Math.floor(random() * 28);
    const near = spans.some((s) => s.from - 20_000 <= day && day <= s.to + 20_000);
    if (!near) return iso(day);
  }
}

function party(given: string, birthDate: string | undefined): TransferName[] {
  const screened = screenedNameOf(given, 'counterparty');
  if (screened === null) return [];
  const identifiers: PartyIdentifiers = {
    ...(birthDate ? { birthDate } : {}),
    countries: [],
    ids: [],
  };
  return [
    {
      screened,
      from: {
        name: given,
        nameOf: 'counterparty',
        nameSource:
          'travelRule.beneficiary.beneficiaryPersons[0].naturalPerson.name.nameIdentifier[0]',
        script: 'name',
        person: 'natural',
        party: identifiers,
      },
    },
  ];
}

const share = (n: number, of: number): string => `${((100 * n) / of).toFixed(2)} %`;

describe('NAME_MATCH quality with travel-rule records, on the shipped OFAC and UN lists', () => {
  let indexes: ListNameIndex[];
  let lists: ListNames[];
  let spansOf: Map<string, BirthDateSpan[]>;

  beforeAll(async () => {
    const ofac = await parseOfacSdnAdvanced(
      join(ROOT, 'data', 'sanctions', 'ofac', 'sdn_advanced-2025-11-19.xml.bz2'),
    );
    const un = await parseUnConsolidated(
      join(ROOT, 'data', 'sanctions', 'un', 'un-consolidated-2025-11-20.xml'),
    );
    lists = [
      { listId: 'ofac-sdn', names: ofac.names },
      { listId: 'un-consolidated', names: un.names },
    ];
    indexes = lists.map(({ listId, names }) => ({
      listId,
      listVersion: 'eval',
      index: new NameSearchIndex([...buildNameIndex(names).fields.values()].flat()),
    }));
    spansOf = new Map();
    for (const { listId, names } of lists) {
      for (const n of names)
        spansOf.set(`${listId}:${n.entityId}`, [...decodeIdentifiers(n.ids).birthDates]);
    }
  }, 180_000);

  const matched = (names: TransferName[]): string[] =>
    matchTransferNames(names, indexes, DEFAULT_NAME_THRESHOLDS).map(
      (m) => `${m.listId}:${m.entityId}`,
    );

  it('meets recall, negatives alerted and namesakes held, with and without birth dates', () => {
    const random = seeded(20);
    const positives = readJson<Positive[]>('positives.json');
    const listed = listedPeople(lists);
    const negatives = buildNegatives(readJson<NameParts>('name-parts.json')).filter(
      (n) => !listed(n.given),
    );

    // Positives: the record carries the true birth date of the entry the name was built from.
    let found = 0;
    let foundDated = 0;
    const missedDated: string[] = [];
    for (const p of positives) {
      const spans = spansOf.get(p.expected[0]) ?? [];
      const birth = spans.length > 0 ? dayIn(spans[0]) : undefined;
      if (p.expected.some((id) => matched(party(p.given, undefined)).includes(id))) found += 1;
      if (p.expected.some((id) => matched(party(p.given, birth)).includes(id))) foundDated += 1;
      else missedDated.push(`${p.given} (${p.from}, ${birth ?? 'no date'})`);
    }

    // Negatives: ordinary customers, each with a birth date of their own.
    let alerted = 0;
    let alertedDated = 0;
    for (const n of negatives) {
      if (matched(party(n.given, undefined)).length > 0) alerted += 1;
      if (matched(party(n.given, otherDate([], random))).length > 0) alertedDated += 1;
    }

    // Namesakes: a listed person's exact name, and a birth date outside every listed span.
    const people = lists.flatMap(({ listId, names }) =>
      names
        .filter((n) => n.partyKind === 'individual' && n.nameType === 'primary')
        .filter((n) => (spansOf.get(`${listId}:${n.entityId}`) ?? []).length > 0)
        .map((n) => ({ id: `${listId}:${n.entityId}`, name: n.name })),
    );
    const namesakes = people.filter((_, i) => i % 20 === 0);
    let held = 0;
    let heldDated = 0;
    const heldExamples: string[] = [];
    for (const { id, name } of namesakes) {
      // Another listed person of the same name may be held: only this entry counts.
      if (matched(party(name, undefined)).includes(id)) held += 1;
      const other = otherDate(spansOf.get(id) ?? [], random);
      if (matched(party(name, other)).includes(id)) {
        heldDated += 1;
        heldExamples.push(`${name} ${other}`);
      }
    }

    const recall = found / positives.length;
    const recallDated = foundDated / positives.length;
    console.log(
      [
        '| travel-rule record | recall | ordinary negatives alerted | namesakes held |',
        '|---|---:|---:|---:|',
        `| without birth date | ${recall.toFixed(3)} (${found}/${positives.length}) | ${share(alerted, negatives.length)} (${alerted}/${negatives.length}) | ${share(held, namesakes.length)} (${held}/${namesakes.length}) |`,
        `| with birth date | ${recallDated.toFixed(3)} (${foundDated}/${positives.length}) | ${share(alertedDated, negatives.length)} (${alertedDated}/${negatives.length}) | ${share(heldDated, namesakes.length)} (${heldDated}/${namesakes.length}) |`,
        '',
        `missed with birth date: ${missedDated.slice(0, 15).join('; ')}`,
        `namesakes held: ${heldExamples.slice(0, 8).join('; ')}`,
      ].join('\n'),
    );
    expect(recallDated).toBeGreaterThanOrEqual(RECALL_TARGET);
    expect(alertedDated / negatives.length).toBeLessThanOrEqual(
      NEGATIVES_ALERTED_WITH_BIRTH_DATE_MAX,
    );
    expect(heldDated / namesakes.length).toBeLessThanOrEqual(NAMESAKES_HELD_MAX);
    // Without a birth date nothing changes: a namesake is held as before.
    expect(held / namesakes.length).toBeGreaterThan(0.9);
  }, 300_000);
});
