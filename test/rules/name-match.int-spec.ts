import type { Alert } from '@sekimori/contracts';
import { counterpartyNameKey, SanctionsListStore } from '@sekimori/sanctions';
import { exchangeTransfer, loadListWithCli, UN_FILE } from '../support/fixtures';
import { disconnectProducer } from '../support/kafka';
import { RulesHarness } from './harness';

jest.setTimeout(120_000);

afterAll(async () => {
  await disconnectProducer();
});

/** A domestic withdrawal (no other rule fires) to a counterparty of the given name. */
function withdrawalTo(name: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return exchangeTransfer({
    counterparty: {
      walletType: 'hosted',
      vaspId: 'jp-vasp-2',
      vaspCountry: 'JP',
      residency: 'JP',
      name,
    },
    ...patch,
  });
}

const alertsOf = (alerts: Alert[], event: Record<string, unknown>): Alert[] =>
  alerts.filter((a) => a.eventId === event.eventId);

describe('NAME_MATCH end to end on the real broker and Redis, with the real OFAC list', () => {
  let h: RulesHarness;

  beforeAll(async () => {
    h = await new RulesHarness().setUp();
    // The built loader, as an operator loads the list: the name index is written with it.
    await loadListWithCli(h.prefix);
    await loadListWithCli(h.prefix, UN_FILE);
  });

  afterAll(async () => {
    await h.tearDown();
  });

  it('the loaded version carries a name index that one lookup reads beside the addresses', async () => {
    const store = new SanctionsListStore(h.redis, h.prefix);
    const ofac = (await store.currentVersions()).find((m) => m.listId === 'ofac-sdn');
    expect(ofac?.counts.names).toEqual({
      names: 48_469,
      indexed: expect.any(Number),
      skippedWeak: 4_454,
      skippedGeneric: expect.any(Number),
      keys: expect.any(Number),
    });
    const key = counterpartyNameKey('Garantex Europe OU')!;
    const lookup = await store.lookup(['bitcoin:3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1'], [key]);
    expect(lookup.hits.get('bitcoin:3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1')).toBeDefined();
    expect(lookup.nameHits.get(key)).toEqual([
      expect.objectContaining({
        listId: 'ofac-sdn',
        listVersion: ofac?.version,
        entityId: '36025',
        name: 'GARANTEX EUROPE OU',
        nameType: 'primary',
      }),
    ]);
  });

  it('raises NAME_MATCH once for a listed name or alias, and nothing for other names', async () => {
    const screener = await h.startScreener();
    const garantex = withdrawalTo('Garantex Europe OU');
    const reordered = withdrawalTo('Xiaobing Yan'); // OFAC: YAN, Xiaobing (UID 25308)
    const lazarus = withdrawalTo('LAZARUS GROUP', { direction: 'deposit' });
    const alias = withdrawalTo('garantex');
    const common = withdrawalTo('John Smith');
    const partial = withdrawalTo('Garantex Europe');
    const weakAlias = withdrawalTo('Hidden Cobra'); // Lazarus Group's weak alias
    const shortName = withdrawalTo('Grinex'); // listed, but one word under 8 letters: not matched
    const noName = exchangeTransfer();
    const clean = [common, partial, weakAlias, shortName, noName];
    await h.produce(h.topics.exchange, [garantex, reordered, lazarus, alias, ...clean]);
    const alerts = await h.drained();

    for (const event of [garantex, reordered, lazarus, alias]) {
      expect(alertsOf(alerts, event).map((a) => a.ruleId)).toEqual(['NAME_MATCH']);
    }
    for (const event of clean) expect(alertsOf(alerts, event)).toEqual([]);
    expect(alerts).toHaveLength(4);

    const [g] = alertsOf(alerts, garantex);
    expect(g).toMatchObject({
      severity: 'high',
      action: 'hold',
      eventType: 'exchange-transfer',
      subjectKey: (garantex.account as { id: string }).id,
      matches: [
        {
          listId: 'ofac-sdn',
          entityId: '36025',
          entityName: 'GARANTEX EUROPE OU',
          programs: ['CYBER4', 'RUSSIA-EO14024'],
          chain: '',
          address: '',
          side: 'address',
        },
      ],
    });
    expect(g.reasons).toEqual([
      expect.stringMatching(
        /^Counterparty name matches OFAC SDN entry GARANTEX EUROPE OU \(primary name, UID 36025; /,
      ),
    ]);
    expect(g.matches[0].listVersion).toBe(
      g.listVersion
        .split(',')
        .find((v) => v.startsWith('ofac-sdn:'))
        ?.slice(9),
    );
    const [r] = alertsOf(alerts, reordered);
    expect(r.reasons[0]).toContain(
      'OFAC SDN entry YAN, Xiaobing (primary name, words in another order, UID 25308;',
    );
    const [l] = alertsOf(alerts, lazarus);
    expect(l.matches[0]).toMatchObject({ entityId: '27307', programs: ['DPRK3'] });
    const [a] = alertsOf(alerts, alias);
    expect(a.reasons[0]).toContain('entry Garantex (alias of GARANTEX EUROPE OU, UID 36025;');

    // The customer's wording of a name appears in no log line (the list's own spelling may).
    const logged = JSON.stringify(screener.logs);
    for (const wording of ['Garantex Europe OU', 'Xiaobing Yan', 'John Smith', 'Hidden Cobra']) {
      expect(logged).not.toContain(wording);
    }
  });

  it('raises NAME_MATCH from the UN consolidated list, naming the UN entry', async () => {
    await h.startScreener();
    // Both are on both lists: OFAC carries most UN designations.
    const komid = withdrawalTo('Korea Mining Development Trading Corporation');
    const badege = withdrawalTo('Eric Badege'); // UN CDi.001, DRC
    await h.produce(h.topics.exchange, [komid, badege]);
    const alerts = await h.drained();

    const [k] = alertsOf(alerts, komid);
    expect(k.ruleId).toBe('NAME_MATCH');
    expect(k.matches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          listId: 'un-consolidated',
          entityId: 'KPe.001',
          entityName: 'KOREA MINING DEVELOPMENT TRADING CORPORATION',
          programs: ['DPRK'],
        }),
      ]),
    );
    expect(k.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Counterparty name matches UN Security Council Consolidated List entry KOREA MINING DEVELOPMENT TRADING CORPORATION \(primary name, reference KPe\.001; programmes DPRK; /,
        ),
      ]),
    );
    expect(k.legalBasis.some((b) => b.startsWith('UN Security Council Consolidated List'))).toBe(
      true,
    );
    // The same person on both lists: one alert, naming both entries.
    expect(alertsOf(alerts, badege)).toHaveLength(1);
    const [b] = alertsOf(alerts, badege);
    expect(b.matches.map((m) => [m.listId, m.entityId]).sort()).toEqual([
      ['ofac-sdn', '15718'],
      ['un-consolidated', 'CDi.001'],
    ]);
  });
});
