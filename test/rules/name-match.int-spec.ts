import type { Alert } from '@sekimori/contracts';
import { SanctionsListStore } from '@sekimori/list-store';
import { counterpartyNameKey } from '@sekimori/name-matching';
import { exchangeTransfer, loadListWithCli, UN_FILE, withdrawalToName } from '../support/fixtures';
import { disconnectProducer } from '../support/kafka';
import { RulesHarness } from './harness';

jest.setTimeout(120_000);

afterAll(async () => {
  await disconnectProducer();
});

const withdrawalTo = withdrawalToName;

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
          listedName: 'GARANTEX EUROPE OU',
          givenName: 'Garantex Europe OU',
          nameOf: 'counterparty',
          score: 1,
          method: 'exact',
        },
      ],
    });
    expect(g.reasons).toEqual([
      expect.stringMatching(
        /^Counterparty's name matches OFAC SDN entry GARANTEX EUROPE OU exactly, score 1\.00 \(primary name, UID 36025; /,
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
      'OFAC SDN entry YAN, Xiaobing with its words in another order, score 1.00 (primary name, UID 25308;',
    );
    const [l] = alertsOf(alerts, lazarus);
    expect(l.matches[0]).toMatchObject({ entityId: '27307', programs: ['DPRK3'] });
    const [a] = alertsOf(alerts, alias);
    expect(a.reasons[0]).toContain(
      'entry Garantex exactly, score 1.00 (alias of GARANTEX EUROPE OU, UID 36025;',
    );

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
          /^Counterparty's name matches UN Security Council Consolidated List entry KOREA MINING DEVELOPMENT TRADING CORPORATION exactly, score 1\.00 \(primary name, reference KPe\.001; programmes DPRK; /,
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

  it('matches across scripts on both names: the account holder and the counterparty', async () => {
    const screener = await h.startScreener();
    const holder = (name: string, patch: Record<string, unknown> = {}) =>
      exchangeTransfer({
        account: {
          id: `acct-${name.length}-${Date.now()}`,
          residency: 'JP',
          kind: 'individual',
          name,
        },
        ...patch,
      });
    // OFAC UID 35173: Shoigu, Sergei Kuzhugetovich (alias Shoigu, Sergey).
    const halfWidth = holder('ｾﾙｹﾞｲ･ｼｮｲｸﾞ');
    const cyrillic = withdrawalTo('Сергей Шойгу');
    // OFAC UID 16133: 後藤, 忠正 (Goto Tadamasa), written without the comma and space.
    const kanji = holder('後藤忠正');
    const both = holder('せるげい・しょいぐ', {
      counterparty: {
        walletType: 'hosted',
        vaspId: 'jp-vasp-2',
        vaspCountry: 'JP',
        residency: 'JP',
        name: 'Garantex',
      },
    });
    const clean = holder('山田 太郎', {
      counterparty: {
        walletType: 'hosted',
        vaspId: 'jp-vasp-2',
        vaspCountry: 'JP',
        residency: 'JP',
        name: 'ヤマダ タロウ',
      },
    });
    await h.produce(h.topics.exchange, [halfWidth, cyrillic, kanji, both, clean]);
    const alerts = await h.drained();

    const only = (event: Record<string, unknown>): Alert => {
      const found = alertsOf(alerts, event);
      expect(found.map((a) => a.ruleId)).toEqual(['NAME_MATCH']);
      return found[0];
    };
    const shoigu = (a: Alert, nameOf: string, givenName: string): void => {
      const m = a.matches.find((x) => x.entityId === '35173');
      expect(m).toMatchObject({ listId: 'ofac-sdn', nameOf, givenName });
      expect(m?.method).toMatch(/^(transliterated|partial|fuzzy)$/);
      expect(m?.score).toBeGreaterThanOrEqual(0.9);
      expect(m?.score).toBeLessThanOrEqual(1);
    };
    shoigu(only(halfWidth), 'account', 'ｾﾙｹﾞｲ･ｼｮｲｸﾞ');
    expect(only(halfWidth).reasons.join(' ')).toMatch(
      /^Account holder's name matches OFAC SDN entry Shoigu, /,
    );
    shoigu(only(cyrillic), 'counterparty', 'Сергей Шойгу');
    expect(only(kanji).matches).toEqual([
      expect.objectContaining({
        entityId: '16133',
        listedName: '後藤, 忠正',
        nameOf: 'account',
        method: 'exact',
        score: 1,
      }),
    ]);
    const two = only(both);
    shoigu(two, 'account', 'せるげい・しょいぐ');
    expect(two.matches.find((m) => m.nameOf === 'counterparty')).toMatchObject({
      entityId: '36025',
      method: 'exact',
    });
    expect(alertsOf(alerts, clean)).toEqual([]);

    const logged = JSON.stringify(screener.logs);
    for (const wording of ['ｾﾙｹﾞｲ', 'Сергей Шойгу', '後藤忠正', 'せるげい', '山田 太郎']) {
      expect(logged).not.toContain(wording);
    }
  });
});
