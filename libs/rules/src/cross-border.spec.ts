import { crossBorderVerdict } from './cross-border';
import { exchangeEvent, EventPatch } from './__fixtures__/contexts';

const none = { vaspCountry: undefined, residency: undefined };

describe('crossBorderVerdict', () => {
  const table: Array<[string, EventPatch, boolean | null, string | null, string | null]> = [
    // name, event patch, crossBorder, origin, destination
    ['domestic: JP resident to a JP VASP customer resident in JP', {}, false, 'JP', 'JP'],
    [
      'foreign VASP, counterparty resident in SG',
      { counterparty: { vaspCountry: 'SG', residency: 'SG' } },
      true,
      'JP',
      'SG',
    ],
    [
      'foreign VASP with a resident (JP) counterparty',
      { counterparty: { vaspCountry: 'SG', residency: 'JP' } },
      true,
      'JP',
      'SG',
    ],
    [
      'JP VASP with a non-resident counterparty',
      { counterparty: { vaspCountry: 'JP', residency: 'US' } },
      true,
      'JP',
      'JP',
    ],
    [
      'internal: resident → non-resident customer of the same exchange',
      {
        direction: 'internal',
        address: undefined,
        counterparty: { vaspCountry: undefined, residency: 'US' },
      },
      true,
      'JP',
      'US',
    ],
    [
      'internal: non-resident → resident customer of the same exchange',
      {
        direction: 'internal',
        address: undefined,
        account: { residency: 'SG' },
        counterparty: { vaspCountry: undefined, residency: 'JP' },
      },
      true,
      'SG',
      'JP',
    ],
    [
      'internal: two residents',
      {
        direction: 'internal',
        address: undefined,
        counterparty: { vaspCountry: undefined, residency: 'JP' },
      },
      false,
      'JP',
      'JP',
    ],
    [
      'internal, counterparty residency not given, resident account: everything known is JP',
      { direction: 'internal', address: undefined, counterparty: none },
      false,
      'JP',
      null,
    ],
    [
      'internal, counterparty residency not given, non-resident account: unknown',
      {
        direction: 'internal',
        address: undefined,
        account: { residency: 'US' },
        counterparty: none,
      },
      null,
      'US',
      null,
    ],
    [
      'unhosted wallet, nothing known: unknown',
      { counterparty: { walletType: 'unhosted', ...none } },
      null,
      'JP',
      null,
    ],
    [
      'unhosted wallet of a JP resident: domestic',
      { counterparty: { walletType: 'unhosted', vaspCountry: undefined, residency: 'JP' } },
      false,
      'JP',
      'JP',
    ],
    [
      'unhosted wallet of a non-resident: cross-border by residency',
      { counterparty: { walletType: 'unhosted', vaspCountry: undefined, residency: 'KR' } },
      true,
      'JP',
      'KR',
    ],
    [
      'non-resident account to their own-country unhosted wallet: unknown (neither contract test holds)',
      {
        account: { residency: 'US' },
        counterparty: { walletType: 'unhosted', vaspCountry: undefined, residency: 'US' },
      },
      null,
      'US',
      'US',
    ],
    [
      'unknown wallet type, nothing known',
      { counterparty: { walletType: 'unknown', ...none } },
      null,
      'JP',
      null,
    ],
    [
      'hosted wallet, VASP country not given, JP resident counterparty: domestic',
      { counterparty: { vaspCountry: undefined, residency: 'JP' } },
      false,
      'JP',
      'JP',
    ],
    [
      'JP VASP, residency not given, non-resident account: unknown',
      { account: { residency: 'US' }, counterparty: { vaspCountry: 'JP', residency: undefined } },
      null,
      'US',
      'JP',
    ],
    [
      'deposit from a foreign VASP: origin is the counterparty side',
      { direction: 'deposit', counterparty: { vaspCountry: 'KR', residency: 'KR' } },
      true,
      'KR',
      'JP',
    ],
    [
      'deposit from an unknown source',
      { direction: 'deposit', counterparty: { walletType: 'unknown', ...none } },
      null,
      null,
      'JP',
    ],
    [
      'non-resident account to a VASP in its own country: the VASP is outside Japan',
      { account: { residency: 'US' }, counterparty: { vaspCountry: 'US', residency: 'US' } },
      true,
      'US',
      'US',
    ],
  ];

  it.each(table)('%s', (_name, patch, crossBorder, origin, destination) => {
    const verdict = crossBorderVerdict(exchangeEvent(patch));
    expect(verdict.crossBorder).toBe(crossBorder);
    expect(verdict.origin).toBe(origin);
    expect(verdict.destination).toBe(destination);
    expect(verdict.reasons.length).toBeGreaterThan(0);
  });

  it('ipCountry does not make a transfer cross-border', () => {
    expect(crossBorderVerdict(exchangeEvent({ ipCountry: 'US' })).crossBorder).toBe(false);
  });

  it('reasons name the countries that decided', () => {
    const { reasons } = crossBorderVerdict(
      exchangeEvent({ counterparty: { vaspCountry: 'SG', residency: 'JP' } }),
    );
    expect(reasons.join(' ')).toContain('SG, outside JP');
  });

  it('honours another home country', () => {
    const event = exchangeEvent({
      account: { residency: 'SG' },
      counterparty: { vaspCountry: 'SG', residency: 'SG' },
    });
    expect(crossBorderVerdict(event, 'SG').crossBorder).toBe(false);
    expect(crossBorderVerdict(event, 'JP').crossBorder).toBe(true);
  });
});
