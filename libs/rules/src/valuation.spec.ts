import { valueInJpy } from './valuation';

describe('valueInJpy', () => {
  const table: Array<
    [
      string,
      { amount: string; valueJpy?: string },
      string | null,
      string | null,
      'event' | 'rate' | null,
    ]
  > = [
    ["the event's value wins over a rate", { amount: '2', valueJpy: '100' }, '999', '100', 'event'],
    [
      'a zero value from the event is a known value',
      { amount: '2', valueJpy: '0' },
      null,
      '0',
      'event',
    ],
    [
      'amount × rate when the event has no value',
      { amount: '1.5' },
      '20000000',
      '30000000',
      'rate',
    ],
    [
      'exact past 2^53 and past 20 digits',
      { amount: '123.456789012345678' },
      '15234000.123',
      '1880740738.999259107170518394',
      'rate',
    ],
    ['sub-sen products are kept exactly', { amount: '0.00000001' }, '15000000', '0.15', 'rate'],
    ['no value and no rate: unknown', { amount: '1' }, null, null, null],
  ];

  it.each(table)('%s', (_name, event, rate, value, source) => {
    const v = valueInJpy(event, rate);
    expect(v.valueJpy).toBe(value);
    expect(v.source).toBe(source);
    if (source === 'rate') expect(v.rateJpy).toBe(rate);
    else expect(v.rateJpy).toBeUndefined();
  });

  it('rounds up, never down, past 36 fraction digits', () => {
    const v = valueInJpy({ amount: '0.000000000000000000000000000000000001' }, '0.5');
    expect(v.valueJpy).toBe('0.000000000000000000000000000000000001');
  });
});
