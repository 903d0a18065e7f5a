import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOfacSdnAdvanced, parseUnConsolidated } from '@sekimori/list-sources';
import {
  buildPositives,
  type ListNames,
  type MofPersonName,
  type Positive,
  type PositiveKind,
} from './__fixtures__/eval/eval-set';
import { listedPeople } from './__fixtures__/eval/listed-people';
import { buildNegatives, type NameParts, type NegativeKind } from './__fixtures__/eval/negatives';
import { buildNameIndex } from './name-index';
import { nameFormsOf } from './name-forms';
import { DEFAULT_NAME_THRESHOLDS, NameSearchIndex } from './name-search-index';

const ROOT = join(__dirname, '..', '..', '..');
const EVAL = join(__dirname, '__fixtures__', 'eval');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(EVAL, name), 'utf8')) as T;

/**
 * Floors per kind, at or just under the measured figures (docs/rules.md, "NAME_MATCH: quality"):
 * one or two misses of margin per kind, so a change that loses a kind's names fails here.
 */
const RECALL_FLOORS: Record<PositiveKind, number> = {
  'width-case': 1,
  reordered: 1,
  'missing-middle': 0.95,
  typo: 0.95,
  romanisation: 0.95,
  cyrillic: 0.95,
  'katakana-russia': 0.97,
  'katakana-other': 0.9,
  'half-width-katakana': 0.97,
  hiragana: 0.96,
  'katakana-unspaced': 0.93,
  kanji: 1,
};
/**
 * Issue 9's targets: recall 0.95 and at most 0.5 % of negatives alerted. The set measures 0.979
 * overall (katakana of Korean, African and Arabic names 0.917); the floor holds that less two
 * misses, and every kind but that one together must reach the target.
 */
const RECALL_TARGET = 0.95;
const RECALL_FLOOR_ALL = 0.97;
const NEGATIVES_ALERTED_MAX = 0.005;

describe('NAME_MATCH quality on the shipped OFAC and UN lists', () => {
  let indexes: Array<{ listId: string; index: NameSearchIndex }>;
  let lists: ListNames[];

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
      index: new NameSearchIndex([...buildNameIndex(names).fields.values()].flat()),
    }));
  }, 120_000);

  const matchIds = (given: string, thresholds = DEFAULT_NAME_THRESHOLDS): string[] => {
    const forms = nameFormsOf(given);
    return indexes.flatMap(({ listId, index }) =>
      index.search(forms, thresholds).map((c) => `${listId}:${c.stored.entityId}`),
    );
  };
  const exactIds = (name: string): string[] =>
    indexes.flatMap(({ listId, index }) =>
      index
        .search(nameFormsOf(name), { person: 1, entity: 1 })
        .filter((c) => c.method === 'exact' || c.method === 'reordered')
        .map((c) => `${listId}:${c.stored.entityId}`),
    );

  it('evaluates the committed set, built from the real lists', () => {
    const built = buildPositives(
      lists,
      readJson<MofPersonName[]>('mof-person-names.json'),
      exactIds,
    );
    expect(built).toEqual(readJson<Positive[]>('positives.json'));
    expect(built.length).toBeGreaterThanOrEqual(300);
  });

  it('finds the positives and leaves the negatives alone, per kind', () => {
    const positives = readJson<Positive[]>('positives.json');
    const generated = buildNegatives(readJson<NameParts>('name-parts.json'));
    const listed = listedPeople(lists);
    const negatives = generated.filter((n) => !listed(n.given));
    // A generated name that is a listed person's name (all its words among theirs, or the
    // same Japanese characters) is a true hit for a name screen, not a negative.
    console.log(
      `negatives: ${generated.length} generated, ${generated.length - negatives.length} dropped as listed names`,
    );
    expect(negatives.length).toBeGreaterThanOrEqual(3000);

    const recall = new Map<PositiveKind, { found: number; total: number; missed: string[] }>();
    let started = process.hrtime.bigint();
    for (const p of positives) {
      const row = recall.get(p.kind) ?? { found: 0, total: 0, missed: [] };
      recall.set(p.kind, row);
      row.total += 1;
      const ids = matchIds(p.given);
      if (p.expected.some((id) => ids.includes(id))) row.found += 1;
      else row.missed.push(`${p.given} (${p.from})`);
    }
    const alerted = new Map<NegativeKind, { alerted: number; total: number; examples: string[] }>();
    for (const n of negatives) {
      const row = alerted.get(n.kind) ?? { alerted: 0, total: 0, examples: [] };
      alerted.set(n.kind, row);
      row.total += 1;
      if (matchIds(n.given).length > 0) {
        row.alerted += 1;
        row.examples.push(n.given);
      }
    }
    const perName =
      Number(process.hrtime.bigint() - started) / 1000 / (positives.length + negatives.length);
    started = process.hrtime.bigint();

    const tp = [...recall.values()].reduce((s, r) => s + r.found, 0);
    const fnTotal = positives.length;
    const fp = [...alerted.values()].reduce((s, r) => s + r.alerted, 0);
    const overallRecall = tp / fnTotal;
    const precision = tp / (tp + fp);
    const f1 = (2 * precision * overallRecall) / (precision + overallRecall);
    const lines = [
      '| positive kind | pairs | found | recall |',
      '|---|---:|---:|---:|',
      ...[...recall].map(
        ([k, r]) => `| ${k} | ${r.total} | ${r.found} | ${(r.found / r.total).toFixed(3)} |`,
      ),
      `| **all positives** | ${fnTotal} | ${tp} | ${overallRecall.toFixed(3)} |`,
      '',
      '| negative kind | names | alerted | share |',
      '|---|---:|---:|---:|',
      ...[...alerted].map(
        ([k, r]) =>
          `| ${k} | ${r.total} | ${r.alerted} | ${((100 * r.alerted) / r.total).toFixed(2)} % |`,
      ),
      `| **all negatives** | ${negatives.length} | ${fp} | ${((100 * fp) / negatives.length).toFixed(2)} % |`,
      '',
      `precision ${precision.toFixed(3)}, recall ${overallRecall.toFixed(3)}, F1 ${f1.toFixed(3)}; ` +
        `${perName.toFixed(0)} µs per name under jest (both lists)`,
    ];
    // The table for docs/rules.md, and what was missed, for whoever tunes the matcher next.
    console.log(lines.join('\n'));
    console.log(
      [...recall]
        .filter(([, r]) => r.missed.length > 0)
        .map(([k, r]) => `${k}: ${r.missed.slice(0, 8).join('; ')}`)
        .join('\n'),
    );
    console.log(
      [...alerted]
        .filter(([, r]) => r.examples.length > 0)
        .map(([k, r]) => `${k}: ${r.examples.slice(0, 8).join('; ')}`)
        .join('\n'),
    );

    const under = [...recall]
      .filter(([kind, r]) => r.found / r.total < RECALL_FLOORS[kind])
      .map(([kind, r]) => `${kind} ${(r.found / r.total).toFixed(3)} < ${RECALL_FLOORS[kind]}`);
    expect(under).toEqual([]);
    expect(overallRecall).toBeGreaterThanOrEqual(RECALL_FLOOR_ALL);
    expect(overallRecall).toBeGreaterThanOrEqual(RECALL_TARGET);
    const known = [...recall].filter(([kind]) => kind !== 'katakana-other').map(([, r]) => r);
    const knownRecall =
      known.reduce((s, r) => s + r.found, 0) / known.reduce((s, r) => s + r.total, 0);
    expect(knownRecall).toBeGreaterThanOrEqual(RECALL_TARGET);
    expect(fp / negatives.length).toBeLessThanOrEqual(NEGATIVES_ALERTED_MAX);
  });
});
