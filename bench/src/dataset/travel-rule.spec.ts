import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeInput } from '@sekimori/contracts';
import { generateStream } from './stream';

const OFAC = join(__dirname, '..', '..', '..', 'data', 'sanctions', 'ofac');
const CSV = join(
  OFAC,
  readdirSync(OFAC)
    .filter((n) => /^digital-currency-addresses-.*\.csv$/.test(n))
    .sort()
    .reverse()[0],
);

describe('travel-rule records in the bench stream', () => {
  const { messages, summary } = generateStream(4_000, 5, CSV);
  const exchange = messages.filter((m) => m.kind === 'exchange' && !m.malformed);
  type Vasp = { legalPerson: { countryOfRegistration: string } };
  type Event = {
    eventId: string;
    direction: string;
    counterparty: { walletType: string; vaspCountry?: string };
    travelRule?: {
      originatingVASP: { originatingVASP: Vasp };
      beneficiaryVASP: { beneficiaryVASP: Vasp };
    };
  };
  const events = exchange.map((m) => JSON.parse(m.value.toString('utf8')) as Event);

  it('go with every transfer to or from another VASP, and only with those', () => {
    const withRecord = events.filter((e) => e.travelRule !== undefined);
    const toVasp = events.filter(
      (e) => e.counterparty.walletType === 'hosted' && e.direction !== 'internal',
    );
    expect(withRecord.map((e) => e.eventId)).toEqual(toVasp.map((e) => e.eventId));
    expect(summary.travelRule).toBe(withRecord.length);
    expect(withRecord.length / events.length).toBeGreaterThan(0.4);
  });

  it('decode as the screener decodes them, the customer on its own side', () => {
    for (const m of exchange) {
      const decoded = decodeInput(m.value, 'exchange-transfer');
      if (!decoded.ok) throw new Error(`${m.eventId}: ${decoded.detail}`);
    }
    const withdrawal = events.find((e) => e.travelRule && e.direction === 'withdrawal')!;
    const record = withdrawal.travelRule!;
    expect(record.originatingVASP.originatingVASP.legalPerson.countryOfRegistration).toBe('JP');
    expect(record.beneficiaryVASP.beneficiaryVASP.legalPerson.countryOfRegistration).toBe(
      withdrawal.counterparty.vaspCountry,
    );
  });
});
