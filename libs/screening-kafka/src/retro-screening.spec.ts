import { type Alert, DEFAULT_TOPICS, RuleId } from '@sekimori/contracts';
import type { ConsumedBatch } from '@sekimori/kafka';
import { buildNameIndex, nameKey, normalizeName } from '@sekimori/name-matching';
import { defaultRules, RuleEngine, validateRulesConfig } from '@sekimori/rules';
import { ScreenTransfers } from '@sekimori/screening';
import { VALID_EXCHANGE, VALID_TRAVEL_RULE } from '../../contracts/src/__fixtures__/events';
// The use case's in-memory fakes: this adapter is tested on the real use case without Redis.
import { InMemoryStores } from '../../screening/src/__fixtures__/in-memory-stores';
import { type ActiveRetroJob, RetroScreening } from './retro-screening';

const LISTED_NAME = 'IVANOV, Mikhail';

/** The contract's withdrawal, its holder unnamed, its counterparty as `counterparty` says. */
function withdrawal(eventId: string, counterparty: Record<string, unknown>, travelRule?: unknown) {
  return {
    ...VALID_EXCHANGE,
    eventId,
    account: { ...VALID_EXCHANGE.account, id: `acct-${eventId}` },
    counterparty: { ...VALID_EXCHANGE.counterparty, ...counterparty },
    ...(travelRule === undefined ? {} : { travelRule }),
  };
}

/** The contract's IVMS101 record, with the listed person as the beneficiary. */
const BENEFICIARY_IVANOV = {
  ...VALID_TRAVEL_RULE,
  beneficiary: {
    ...VALID_TRAVEL_RULE.beneficiary,
    beneficiaryPersons: [
      {
        naturalPerson: {
          name: {
            nameIdentifier: [
              {
                primaryIdentifier: 'IVANOV',
                secondaryIdentifier: 'MIKHAIL',
                nameIdentifierType: 'LEGL',
              },
            ],
          },
        },
      },
    ],
  },
};

function batch(values: unknown[]): ConsumedBatch {
  return {
    topic: DEFAULT_TOPICS.exchange,
    partition: 0,
    messages: values.map((value, i) => ({
      offset: String(i),
      key: Buffer.from(`k${i}`),
      value: Buffer.from(JSON.stringify(value)),
      headers: {},
      timestamp: '0',
    })),
  };
}

/** A re-screen of `ofac-sdn` v1, the version that added the listed name. */
function setUp() {
  const stores = new InMemoryStores();
  stores.listedNames = [
    ...buildNameIndex([
      {
        entityId: '99998',
        entityName: LISTED_NAME,
        partyKind: 'individual',
        name: LISTED_NAME,
        nameType: 'primary',
        lowQuality: false,
        programs: ['RUSSIA-EO14024'],
      },
    ]).fields.values(),
  ].flat();
  const retro = new RetroScreening(
    new ScreenTransfers(stores.asStores(), new RuleEngine(defaultRules(), validateRulesConfig({}))),
    {
      notRaised: async (ids) => new Set(ids),
      markRaised: async () => undefined,
      count: async () => undefined,
    },
    { topics: { ...DEFAULT_TOPICS }, maxMessageBytes: 65_536 },
  );
  const active: ActiveRetroJob = {
    job: {
      listId: 'ofac-sdn',
      version: 'v1',
      previousVersion: null,
      issuedAt: '2026-06-01T00:00:00Z',
      switchedAt: '2026-06-01T01:00:00Z',
      createdAt: '2026-06-01T01:00:00Z',
      lookbackFrom: '2026-01-01T00:00:00Z',
      ends: { [`${DEFAULT_TOPICS.exchange}:0`]: '100' },
      state: 'running',
      scanned: 0,
      matched: 0,
    },
    addedAddresses: new Set(),
    addedNames: new Set([nameKey(normalizeName(LISTED_NAME))]),
    ends: new Map([[`${DEFAULT_TOPICS.exchange}:0`, 100n]]),
    lookbackFromMs: Date.parse('2026-01-01T00:00:00Z'),
  };
  return { retro, active };
}

const retroactiveNameAlerts = (records: { topic: string; value: string | Buffer | null }[]) =>
  records
    .filter((r) => r.topic === DEFAULT_TOPICS.alerts)
    .map((r) => JSON.parse(String(r.value)) as Alert)
    .filter((a) => a.ruleId === RuleId.NAME_MATCH && a.retroactive === true);

describe('RetroScreening (re-screening past transfers after a list version)', () => {
  it('raises a name the new version added wherever the transfer carried it: its own field or only its travel-rule data', async () => {
    const { retro, active } = setUp();
    const outcome = await retro.handle(
      batch([
        withdrawal('by-field', { name: 'Mikhail Ivanov' }),
        withdrawal('by-travel-rule', {}, BENEFICIARY_IVANOV),
        withdrawal('unnamed', {}),
      ]),
      active,
    );
    const alerts = retroactiveNameAlerts(outcome.records);
    expect(alerts.map((a) => a.eventId).sort()).toEqual(['by-field', 'by-travel-rule']);
    expect(alerts.every((a) => a.matches[0].entityId === '99998')).toBe(true);
  });
});
