import type { Alert, Decision } from '@sekimori/contracts';
import { exchangeTransfer, json } from '../support/fixtures';
import { produce } from '../support/kafka';
import { waitFor } from '../support/env';
import { screenerFixture } from '../support/screener-fixture';

jest.setTimeout(180_000);

const GARANTEX_BTC = '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1';
// Fields IVMS101 or a VASP adds that the contract does not declare: none may leave the decoder.
const PRIVATE = `passport-scan-${process.pid}-${Date.now()}`;

function travelRule(dateOfBirth: string): Record<string, unknown> {
  return {
    originator: {
      originatorPersons: [
        {
          naturalPerson: {
            name: {
              nameIdentifier: [{ primaryIdentifier: 'YAMADA', nameIdentifierType: 'LEGL' }],
              localNameIdentifier: [{ primaryIdentifier: '山田', nameIdentifierType: 'LEGL' }],
              phoneticNameIdentifier: [{ primaryIdentifier: 'ヤマダ', nameIdentifierType: 'LEGL' }],
            },
            dateAndPlaceOfBirth: { dateOfBirth },
            attachment: PRIVATE,
          },
        },
      ],
    },
    beneficiary: {
      beneficiaryPersons: [
        {
          naturalPerson: {
            name: { nameIdentifier: [{ primaryIdentifier: 'TAN', nameIdentifierType: 'LEGL' }] },
            countryOfResidence: 'SG',
          },
        },
      ],
    },
    beneficiaryVASP: {
      beneficiaryVASP: {
        legalPerson: {
          name: {
            nameIdentifier: [
              { legalPersonName: 'Lion Digital', legalPersonNameIdentifierType: 'LEGL' },
            ],
          },
          countryOfRegistration: 'SG',
        },
      },
    },
    payloadMetadata: { note: PRIVATE },
  };
}

describe('travel-rule records on the real broker and Redis', () => {
  const world = screenerFixture();

  it('screens a transfer that carries one, dead-letters a malformed one by its path, and lets no undeclared field out', async () => {
    const prefix = await world.prefixWithList();
    const alerts = await world.collect(world.topics.alerts);
    const decisions = await world.collect(world.topics.decisions);
    const dlq = await world.collect(world.topics.deadLetters);
    const screener = await world.start(prefix);

    const account = { id: 'acct-tr', residency: 'JP', kind: 'individual', nameKana: 'ﾔﾏﾀﾞ' };
    const listed = exchangeTransfer({
      address: GARANTEX_BTC,
      account,
      travelRule: travelRule('1960-01-01'),
    });
    const clean = exchangeTransfer({ account, travelRule: travelRule('1971-02-03') });
    const malformed = exchangeTransfer({ account, travelRule: travelRule('1960-02-30') });
    await produce(world.topics.exchange, [
      { key: 'acct-tr', value: json(malformed) },
      { key: 'acct-tr', value: json(listed) },
      { key: 'acct-tr', value: json(clean) },
    ]);

    const [letter] = await dlq.waitForCount(1);
    expect(letter.headers['dlq-error-code']).toBe('SCHEMA_VIOLATION');
    expect(letter.headers['dlq-error-detail']).toBe(
      'travelRule.originator.originatorPersons[0].naturalPerson.dateAndPlaceOfBirth.dateOfBirth must be a date YYYY-MM-DD on the calendar',
    );

    await waitFor('a decision for each screened event', () => {
      const seen = new Set(decisions.json<Decision>().map((d) => d.eventId));
      return seen.has(String(listed.eventId)) && seen.has(String(clean.eventId));
    });
    const byEvent = new Map(decisions.json<Decision>().map((d) => [d.eventId, d.decision]));
    expect(byEvent.get(String(listed.eventId))).toBe('block');
    expect(byEvent.get(String(clean.eventId))).toBe('pass');
    expect(alerts.json<Alert>().map((a) => [a.eventId, a.ruleId])).toContainEqual([
      listed.eventId,
      'SANCTIONS_ADDRESS_MATCH',
    ]);

    await waitFor(
      'the log line of the dead letter',
      () => screener.logsWith('dead letter').length >= 1,
    );
    const out = [
      ...alerts.messages.map((m) => m.value?.toString() ?? ''),
      ...decisions.messages.map((m) => m.value?.toString() ?? ''),
      ...screener.logs.map((l) => JSON.stringify(l)),
    ].join('\n');
    expect(out).not.toContain(PRIVATE);
    expect(screener.running).toBe(true);
  });
});
