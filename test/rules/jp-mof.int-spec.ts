import type { Alert } from '@sekimori/contracts';
import { exchangeTransfer, loadListWithCli, MOF_FILE } from '../support/fixtures';
import { disconnectProducer } from '../support/kafka';
import { RulesHarness } from './harness';

jest.setTimeout(120_000);

afterAll(async () => {
  await disconnectProducer();
});

/** A Lazarus Group address from MOF's notes (sheet 16, notice No. 68), checksummed as written. */
const LAZARUS_ETH = '0x3Cffd56B47B7b41c56258D9C7731ABaDc360E073';

/** A domestic withdrawal to a hosted wallet: no rule but the list rules has a reason to fire. */
function withdrawal(patch: Record<string, unknown>): Record<string, unknown> {
  return exchangeTransfer({
    counterparty: { walletType: 'hosted', vaspId: 'jp-vasp-2', vaspCountry: 'JP', residency: 'JP' },
    ...patch,
  });
}

const alertsOf = (alerts: Alert[], event: Record<string, unknown>): Alert[] =>
  alerts.filter((a) => a.eventId === event.eventId);

describe("Japan's MOF list end to end on the real broker and Redis", () => {
  let h: RulesHarness;

  beforeAll(async () => {
    h = await new RulesHarness().setUp();
    await loadListWithCli(h.prefix, MOF_FILE);
  });

  afterAll(async () => {
    await h.tearDown();
  });

  it('blocks a withdrawal to a MOF-listed address, citing jp-mof, the notice and FEFTA', async () => {
    await h.startScreener({ REQUIRED_LISTS: 'jp-mof' });
    const listed = withdrawal({
      chain: 'ethereum',
      asset: 'ETH',
      address: LAZARUS_ETH.toLowerCase(),
    });
    const named = withdrawal({
      counterparty: {
        walletType: 'hosted',
        vaspId: 'jp-vasp-2',
        vaspCountry: 'JP',
        residency: 'JP',
        name: 'セルゲイ・ラヴロフ',
      },
    });
    // The account holder, half-width as bank data holds it, and in Latin letters.
    const holder = withdrawal({
      account: { id: 'acct-mof-1', residency: 'JP', kind: 'individual', name: 'ｾﾙｹﾞｲ･ﾗｳﾞﾛﾌ' },
    });
    const clean = withdrawal({});
    await h.produce(h.topics.exchange, [listed, named, holder, clean]);
    const alerts = await h.drained();

    expect(alertsOf(alerts, clean)).toEqual([]);
    const [address] = alertsOf(alerts, listed);
    expect(alertsOf(alerts, listed).map((a) => a.ruleId)).toEqual(['SANCTIONS_ADDRESS_MATCH']);
    expect(address).toMatchObject({
      severity: 'critical',
      action: 'block',
      matches: [
        {
          listId: 'jp-mof',
          entityId: '16-68',
          entityName: 'Lazarus Group / ラザルス・グループ',
          programs: [expect.stringMatching(/^16\. 国際平和のための/), 'notice 2022-12-02 No. 68'],
          chain: 'ethereum',
          side: 'address',
        },
      ],
    });
    expect(address.reasons[0]).toContain('is on sanctions list jp-mof');
    expect(address.reasons[0]).toContain('notice 2022-12-02 No. 68');
    expect(address.legalBasis[0]).toMatch(
      /^Foreign Exchange and Foreign Trade Act \(外為法, FEFTA\)/,
    );
    expect(address.listVersion).toMatch(/(^|,)jp-mof:[0-9a-f]{16}(,|$)/);

    const [name] = alertsOf(alerts, named);
    expect(alertsOf(alerts, named).map((a) => a.ruleId)).toEqual(['NAME_MATCH']);
    expect(name.reasons[0]).toBe(
      `Counterparty's name matches Japan MOF asset-freeze list (外為法) entry セルゲイ・ラヴロフ exactly, score 1.00 (primary name, entry 29-2; programmes 29. 資産凍結等の措置の対象となるロシア連邦の団体及び個人（個人）, notice 2022-03-01 No. 2; list version ${name.matches[0].listVersion}).`,
    );
    expect(name.legalBasis[0]).toMatch(/外為法, FEFTA/);

    const [held] = alertsOf(alerts, holder);
    expect(alertsOf(alerts, holder).map((a) => a.ruleId)).toEqual(['NAME_MATCH']);
    expect(held.matches).toEqual([
      expect.objectContaining({
        listId: 'jp-mof',
        entityId: '29-2',
        nameOf: 'account',
        givenName: 'ｾﾙｹﾞｲ･ﾗｳﾞﾛﾌ',
        score: 1,
      }),
    ]);
  });
});
