import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { decodeInput } from './decode';
import { ExchangeTransfer } from './exchange-transfer';
import { acceptFast } from './fast-accept';
import { dropUndeclaredFields } from './travel-rule';
import { bytes, VALID_EXCHANGE, VALID_TRAVEL_RULE } from './__fixtures__/events';

type Plain = Record<string, unknown>;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function decode(travelRule: unknown, extra: Plain = {}) {
  return decodeInput(bytes({ ...VALID_EXCHANGE, ...extra, travelRule }), 'exchange-transfer');
}

function decoded(travelRule: unknown): ExchangeTransfer {
  const result = decode(travelRule);
  if (!result.ok) throw new Error(`refused: ${result.detail} ${result.fields.join(', ')}`);
  return result.value;
}

/** The fixture with one change made at a path: `set` replaces, `undefined` deletes. */
function patched(path: Array<string | number>, value: unknown): Plain {
  const rule = clone(VALID_TRAVEL_RULE) as unknown as Plain;
  let at: Record<string | number, unknown> = rule;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
  return rule;
}

const BEN = ['beneficiary', 'beneficiaryPersons', 0, 'naturalPerson'];
const ORG = ['originator', 'originatorPersons', 0, 'naturalPerson'];
const BEN_PATH = 'travelRule.beneficiary.beneficiaryPersons[0].naturalPerson';
const ORG_PATH = 'travelRule.originator.originatorPersons[0].naturalPerson';
const VASP = ['beneficiaryVASP', 'beneficiaryVASP', 'legalPerson'];
const VASP_PATH = 'travelRule.beneficiaryVASP.beneficiaryVASP.legalPerson';

describe('travelRule (IVMS101) on exchange transfers', () => {
  it('accepts a full record with natural and legal persons, and keeps every declared field', () => {
    const value = decoded(VALID_TRAVEL_RULE);
    expect(clone(value.travelRule)).toEqual(VALID_TRAVEL_RULE);
  });

  it.each<[string, Array<string | number>, unknown]>([
    ['no VASPs', ['beneficiaryVASP'], undefined],
    ['a person without birth date or residency', [...ORG, 'dateAndPlaceOfBirth'], undefined],
    ['a birth date without place', [...ORG, 'dateAndPlaceOfBirth'], { dateOfBirth: '2000-02-29' }],
    [
      'no local or phonetic names',
      [...ORG, 'name'],
      VALID_TRAVEL_RULE.beneficiary.beneficiaryPersons[0].naturalPerson.name,
    ],
    [
      'a legal person as beneficiary',
      ['beneficiary', 'beneficiaryPersons', 0],
      { legalPerson: VALID_TRAVEL_RULE.beneficiaryVASP.beneficiaryVASP.legalPerson },
    ],
    [
      'a name with a primary identifier only',
      [...BEN, 'name', 'nameIdentifier', 0, 'secondaryIdentifier'],
      undefined,
    ],
    [
      'every natural name type',
      [...BEN, 'name', 'nameIdentifier'],
      ['LEGL', 'ALIA', 'BIRT', 'MAID', 'MISC'].map((t) => ({
        primaryIdentifier: 'TAN',
        nameIdentifierType: t,
      })),
    ],
    [
      'an address with lines only',
      [...ORG, 'geographicAddress', 0],
      { addressType: 'GEOG', country: 'JP' },
    ],
    [
      'a national id without country',
      [...ORG, 'nationalIdentification', 'countryOfIssue'],
      undefined,
    ],
    [
      'two beneficiaries (a joint account)',
      ['beneficiary', 'beneficiaryPersons', 1],
      {
        naturalPerson: {
          name: { nameIdentifier: [{ primaryIdentifier: 'LIM', nameIdentifierType: 'LEGL' }] },
        },
      },
    ],
  ])('accepts %s', (_what, path, value) => {
    expect(decode(patched(path, value)).ok).toBe(true);
  });

  it.each<[string, Array<string | number>, unknown, string]>([
    ['no originator', ['originator'], undefined, 'travelRule.originator'],
    ['no beneficiary', ['beneficiary'], undefined, 'travelRule.beneficiary'],
    [
      'no beneficiary persons',
      ['beneficiary', 'beneficiaryPersons'],
      [],
      'travelRule.beneficiary.beneficiaryPersons',
    ],
    [
      'persons as an object',
      ['beneficiary', 'beneficiaryPersons'],
      { naturalPerson: {} },
      'travelRule.beneficiary.beneficiaryPersons',
    ],
    [
      'five beneficiaries',
      ['beneficiary', 'beneficiaryPersons'],
      Array(5).fill(VALID_TRAVEL_RULE.beneficiary.beneficiaryPersons[0]),
      'travelRule.beneficiary.beneficiaryPersons',
    ],
    [
      'a person neither natural nor legal',
      ['beneficiary', 'beneficiaryPersons', 0],
      {},
      'travelRule.beneficiary.beneficiaryPersons[0].naturalPerson',
    ],
    [
      'a person both natural and legal',
      ['beneficiary', 'beneficiaryPersons', 0, 'legalPerson'],
      VALID_TRAVEL_RULE.beneficiaryVASP.beneficiaryVASP.legalPerson,
      'travelRule.beneficiary.beneficiaryPersons[0].legalPerson',
    ],
    ['a natural person without name', [...BEN, 'name'], undefined, `${BEN_PATH}.name`],
    [
      'a name without identifiers',
      [...BEN, 'name', 'nameIdentifier'],
      [],
      `${BEN_PATH}.name.nameIdentifier`,
    ],
    [
      'nine name identifiers',
      [...BEN, 'name', 'nameIdentifier'],
      Array(9).fill({ primaryIdentifier: 'TAN', nameIdentifierType: 'LEGL' }),
      `${BEN_PATH}.name.nameIdentifier`,
    ],
    [
      'an unknown name type',
      [...BEN, 'name', 'nameIdentifier', 1, 'nameIdentifierType'],
      'NICK',
      `${BEN_PATH}.name.nameIdentifier[1].nameIdentifierType`,
    ],
    [
      'an empty primary identifier',
      [...BEN, 'name', 'nameIdentifier', 0, 'primaryIdentifier'],
      '',
      `${BEN_PATH}.name.nameIdentifier[0].primaryIdentifier`,
    ],
    [
      'a primary identifier over 100 characters',
      [...BEN, 'name', 'nameIdentifier', 0, 'primaryIdentifier'],
      'T'.repeat(101),
      `${BEN_PATH}.name.nameIdentifier[0].primaryIdentifier`,
    ],
    [
      'a numeric secondary identifier',
      [...BEN, 'name', 'nameIdentifier', 0, 'secondaryIdentifier'],
      7,
      `${BEN_PATH}.name.nameIdentifier[0].secondaryIdentifier`,
    ],
    [
      'a phonetic name without type',
      [...ORG, 'name', 'phoneticNameIdentifier', 0, 'nameIdentifierType'],
      undefined,
      `${ORG_PATH}.name.phoneticNameIdentifier[0].nameIdentifierType`,
    ],
    [
      'a local name as a string',
      [...ORG, 'name', 'localNameIdentifier', 0],
      '山田太郎',
      `${ORG_PATH}.name.localNameIdentifier[0]`,
    ],
    [
      'a birth date on 30 February',
      [...BEN, 'dateAndPlaceOfBirth'],
      { dateOfBirth: '1960-02-30' },
      `${BEN_PATH}.dateAndPlaceOfBirth.dateOfBirth`,
    ],
    [
      'a birth date with a time',
      [...BEN, 'dateAndPlaceOfBirth'],
      { dateOfBirth: '1960-01-01T00:00:00Z' },
      `${BEN_PATH}.dateAndPlaceOfBirth.dateOfBirth`,
    ],
    [
      'a birth date in Japanese',
      [...BEN, 'dateAndPlaceOfBirth'],
      { dateOfBirth: '昭和35年1月1日' },
      `${BEN_PATH}.dateAndPlaceOfBirth.dateOfBirth`,
    ],
    [
      'a place of birth without date',
      [...BEN, 'dateAndPlaceOfBirth'],
      { placeOfBirth: 'Tokyo' },
      `${BEN_PATH}.dateAndPlaceOfBirth.dateOfBirth`,
    ],
    [
      'a lower-case residency',
      [...BEN, 'countryOfResidence'],
      'sg',
      `${BEN_PATH}.countryOfResidence`,
    ],
    [
      'an alpha-3 residency',
      [...BEN, 'countryOfResidence'],
      'SGP',
      `${BEN_PATH}.countryOfResidence`,
    ],
    [
      'an unknown id type',
      [...ORG, 'nationalIdentification', 'nationalIdentifierType'],
      'PASS',
      `${ORG_PATH}.nationalIdentification.nationalIdentifierType`,
    ],
    [
      'an id over 35 characters',
      [...ORG, 'nationalIdentification', 'nationalIdentifier'],
      '1'.repeat(36),
      `${ORG_PATH}.nationalIdentification.nationalIdentifier`,
    ],
    [
      'an id country of issue XX',
      [...ORG, 'nationalIdentification', 'countryOfIssue'],
      'XX',
      `${ORG_PATH}.nationalIdentification.countryOfIssue`,
    ],
    [
      'an address without country',
      [...ORG, 'geographicAddress', 0, 'country'],
      undefined,
      `${ORG_PATH}.geographicAddress[0].country`,
    ],
    [
      'eight address lines',
      [...ORG, 'geographicAddress', 0, 'addressLine'],
      Array(8).fill('x'),
      `${ORG_PATH}.geographicAddress[0].addressLine`,
    ],
    [
      'an unknown address type',
      [...ORG, 'geographicAddress', 0, 'addressType'],
      'WORK',
      `${ORG_PATH}.geographicAddress[0].addressType`,
    ],
    [
      'a legal name type of a natural person',
      [...VASP, 'name', 'nameIdentifier', 0, 'legalPersonNameIdentifierType'],
      'ALIA',
      `${VASP_PATH}.name.nameIdentifier[0].legalPersonNameIdentifierType`,
    ],
    ['a legal person without name', [...VASP, 'name'], undefined, `${VASP_PATH}.name`],
    [
      'a VASP country in lower case',
      [...VASP, 'countryOfRegistration'],
      'sg',
      `${VASP_PATH}.countryOfRegistration`,
    ],
    [
      'a VASP without person',
      ['beneficiaryVASP', 'beneficiaryVASP'],
      undefined,
      'travelRule.beneficiaryVASP.beneficiaryVASP',
    ],
    [
      'an account number that is a number',
      ['beneficiary', 'accountNumber'],
      [7],
      'travelRule.beneficiary.accountNumber',
    ],
  ])('dead-letters %s, naming the field inside the record', (_what, path, value, field) => {
    const result = decode(patched(path, value));
    expect(result).toMatchObject({ ok: false, code: 'SCHEMA_VIOLATION' });
    if (!result.ok) expect(result.fields).toContain(field);
  });

  it.each<[string, unknown]>([
    ['a string', 'IVMS101'],
    ['an array', [VALID_TRAVEL_RULE]],
    ['a number', 101],
  ])('dead-letters a travelRule that is %s', (_what, travelRule) => {
    expect(decode(travelRule)).toMatchObject({ ok: false, fields: ['travelRule'] });
  });

  it('drops fields IVMS101 or this contract does not declare, at every level', () => {
    const rule = patched([...BEN, 'passportScan'], 'data:image/png;base64,AAAA');
    const person = (rule.beneficiary as Plain).beneficiaryPersons as Plain[];
    (person[0].naturalPerson as Plain).geographicAddress = [
      { addressType: 'HOME', country: 'SG', floor: '12', room: '1201' },
    ];
    Object.assign(rule, { transferPath: { transferPath: [] }, payloadMetadata: { x: 1 } });
    (rule.originator as Plain).note = 'private';
    const value = decoded(rule);
    const text = JSON.stringify(value);
    for (const dropped of [
      'passportScan',
      'floor',
      'room',
      'transferPath',
      'payloadMetadata',
      'note',
    ]) {
      expect(text).not.toContain(dropped);
    }
    expect(
      value.travelRule?.beneficiary.beneficiaryPersons[0].naturalPerson?.geographicAddress,
    ).toEqual([{ addressType: 'HOME', country: 'SG' }]);
  });

  it('keeps unknown fields outside the travel-rule record as before', () => {
    const result = decode(VALID_TRAVEL_RULE, { note: 'kept' });
    expect(result.ok && (result.value as unknown as Plain).note).toBe('kept');
  });

  it('refuses a record nested deeper than IVMS101 needs', () => {
    const rule = patched([...BEN, 'name', 'nameIdentifier', 0, 'primaryIdentifier'], [['TAN']]);
    expect(decode(rule)).toMatchObject({
      ok: false,
      code: 'SCHEMA_VIOLATION',
      detail: expect.stringMatching(/deeper than 10/),
    });
  });
});

describe('nameKana', () => {
  it.each([
    ['full-width katakana', 'ヤマダ タロウ'],
    ['an ideographic space', 'ヤマダ　タロウ'],
    ['the prolonged sound mark and a middle dot', 'ジョン・スミス・ジュニアー'],
    ["a double hyphen between a foreign name's parts", 'レオナルド゠ダ゠ヴィンチ'],
    ['half-width katakana, as bank systems hold it', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['small kana of the phonetic extensions', 'アㇻ'],
  ])('accepts %s', (_what, nameKana) => {
    const account = { ...VALID_EXCHANGE.account, nameKana };
    const counterparty = { ...VALID_EXCHANGE.counterparty, nameKana };
    const result = decodeInput(
      bytes({ ...VALID_EXCHANGE, account, counterparty }),
      'exchange-transfer',
    );
    expect(
      result.ok && [result.value.account.nameKana, result.value.counterparty.nameKana],
    ).toEqual([nameKana, nameKana]);
  });

  it.each<[string, unknown]>([
    ['hiragana', 'やまだ たろう'],
    ['kanji', '山田太郎'],
    ['Latin letters', 'YAMADA TARO'],
    ['katakana mixed with Latin', 'ヤマダ TARO'],
    ['only marks and spaces', 'ー・ '],
    ['an empty string', ''],
    ['a number', 7],
    ['over 300 characters', 'ア'.repeat(301)],
  ])('dead-letters %s, naming the field', (_what, nameKana) => {
    for (const side of ['account', 'counterparty'] as const) {
      const plain = { ...VALID_EXCHANGE, [side]: { ...VALID_EXCHANGE[side], nameKana } };
      expect(decodeInput(bytes(plain), 'exchange-transfer')).toMatchObject({
        ok: false,
        code: 'SCHEMA_VIOLATION',
        fields: [`${side}.nameKana`],
      });
    }
  });
});

describe('the travel-rule fast path against the decorated classes', () => {
  const SEED = 20261203;

  /** The slow path's verdict, exactly as decodeInput reaches it. */
  function slow(plain: Plain): object | null {
    const instance = plainToInstance(ExchangeTransfer, plain);
    const errors = validateSync(instance, {
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
    });
    if (errors.length > 0) return null;
    dropUndeclaredFields(instance.travelRule);
    return instance;
  }

  /**
   * The fast path's event equals the slow path's: the same classes at the top, the same fields
   * with the same values in the same order throughout. A travel-rule record with only declared
   * fields is kept as parsed, so its objects may be plain where the slow path's are the decorated
   * classes.
   */
  function expectSame(fast: object, slowEvent: object | null): void {
    expect(slowEvent).not.toBeNull();
    expect(fast.constructor).toBe(slowEvent?.constructor);
    expect(fast).toEqual(slowEvent);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slowEvent));
  }

  const full = clone(VALID_TRAVEL_RULE) as unknown as Plain;
  (full.beneficiary as Plain).beneficiaryPersons = [
    ...((full.beneficiary as Plain).beneficiaryPersons as unknown[]),
    { legalPerson: clone(VALID_TRAVEL_RULE.beneficiaryVASP.beneficiaryVASP.legalPerson) },
  ];

  // Every object and array in the fixture, by path, and every key it uses: where mutations land.
  const containers: Array<Array<string | number>> = [];
  const keys = new Set<string>(['extra', 'toString', 'floor', 'transferPath']);
  (function walk(value: unknown, path: Array<string | number>) {
    if (typeof value !== 'object' || value === null) return;
    containers.push(path);
    for (const [k, v] of Object.entries(value)) {
      if (!Array.isArray(value)) keys.add(k);
      walk(v, [...path, Array.isArray(value) ? Number(k) : k]);
    }
  })(full, []);
  const tricky = fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        '',
        'x',
        'T'.repeat(100),
        'T'.repeat(101),
        '1'.repeat(35),
        '1'.repeat(36),
        'JP',
        'jp',
        'XX',
        'LEGL',
        'ALIA',
        'SHRT',
        'CCPT',
        'HOME',
        'NICK',
        '1960-01-01',
        '1960-02-30',
        '1960',
        [],
        [{}],
        ['a'],
        Array(8).fill('a'),
        Array(9).fill({ primaryIdentifier: 'A', nameIdentifierType: 'LEGL' }),
        { primaryIdentifier: 'A', nameIdentifierType: 'LEGL' },
        { legalPersonName: 'B', legalPersonNameIdentifierType: 'LEGL' },
        {
          naturalPerson: {
            name: { nameIdentifier: [{ primaryIdentifier: 'A', nameIdentifierType: 'LEGL' }] },
          },
        },
        {},
        0,
        true,
      ),
    },
  );
  // Either a field of the fixture itself (its value replaced or removed), or any key anywhere.
  const leaves = containers.flatMap((path) => {
    let at: unknown = full;
    for (const step of path) at = (at as Record<string | number, unknown>)[step];
    return Object.keys(at as object).map((k) => ({
      at: path,
      key: Array.isArray(at) ? Number(k) : k,
    }));
  });
  const mutation = fc.oneof(
    fc
      .record({
        place: fc.constantFrom(...leaves),
        value: tricky,
        remove: fc.boolean(),
      })
      .map(({ place, value, remove }) => ({ ...place, value, remove })),
    fc.record({
      at: fc.constantFrom(...containers),
      key: fc.oneof(fc.constantFrom(...keys), fc.nat({ max: 9 })),
      value: tricky,
      remove: fc.boolean(),
    }),
  );

  it('accepts only what class-validator accepts, and then gives an equal record', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const rule = clone(full);
        for (const m of mutations) {
          let target: unknown = rule;
          for (const step of m.at) target = (target as Record<string | number, unknown>)?.[step];
          if (typeof target !== 'object' || target === null) continue;
          const record = target as Record<string | number, unknown>;
          if (m.remove) delete record[m.key];
          else record[m.key] = m.value;
        }
        const plain = JSON.parse(JSON.stringify({ ...VALID_EXCHANGE, travelRule: rule })) as Plain;
        const fast = acceptFast('exchange-transfer', plain);
        if (fast === null) return true;
        accepted += 1;
        expectSame(fast, slow(JSON.parse(JSON.stringify(plain)) as Plain));
        return true;
      }),
      { seed: SEED, numRuns: 3_000 },
    );
    expect(accepted).toBeGreaterThan(300);
  });

  it('takes the valid record on the fast path, as parsed: it is not copied', () => {
    const plain = JSON.parse(JSON.stringify({ ...VALID_EXCHANGE, travelRule: full })) as Plain;
    const fast = acceptFast('exchange-transfer', plain);
    expect(fast).not.toBeNull();
    expectSame(fast as object, slow(plain));
    expect((fast as ExchangeTransfer).travelRule).toBe(plain.travelRule);
  });

  // The optional lists (account numbers, address lines) once sent every record without them to
  // the slow path, about 1 ms each.
  it('takes a record without its optional lists on the fast path too', () => {
    const bare = clone(full) as Plain;
    delete (bare.originator as Plain).accountNumber;
    delete (bare.beneficiary as Plain).accountNumber;
    const plain = JSON.parse(JSON.stringify({ ...VALID_EXCHANGE, travelRule: bare })) as Plain;
    const fast = acceptFast('exchange-transfer', plain);
    expect(fast).not.toBeNull();
    expectSame(fast as object, slow(plain));
  });
});

describe('the dead-letter detail of a malformed travel-rule record', () => {
  it('names the field inside the record as the fields do', () => {
    const result = decode(
      patched([...BEN, 'dateAndPlaceOfBirth'], { dateOfBirth: '1960-02-30', placeOfBirth: 'X' }),
    );
    expect(result).toMatchObject({
      ok: false,
      detail: `${BEN_PATH}.dateAndPlaceOfBirth.dateOfBirth must be a date YYYY-MM-DD on the calendar`,
    });
    const item = decode(patched([...ORG, 'name', 'localNameIdentifier', 0], '山田太郎'));
    expect(item).toMatchObject({
      ok: false,
      detail: `${ORG_PATH}.name.localNameIdentifier[0] must be an object`,
    });
  });
});
