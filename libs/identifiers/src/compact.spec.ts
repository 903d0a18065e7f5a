import { decodeIdentifiers, encodeIdentifiers } from './compact';
import { ListedIdentifiers } from './evidence';
import { parseBirthDateText } from './list-birth-dates';

describe('encodeIdentifiers / decodeIdentifiers', () => {
  const person: ListedIdentifiers = {
    birthDates: parseBirthDateText('(a)1960年頃\n(b)1963年6月6日'),
    countries: ['KP', 'RU'],
    ids: [
      { number: 'PS472123', type: 'CCPT', country: 'KP' },
      { number: '12345', type: 'MISC' },
      { number: '998877' },
    ],
  };

  it('writes a person in a few dozen bytes and reads it back', () => {
    const text = encodeIdentifiers(person);
    expect(text).toBe(
      'b=19600101-19601231~,19630606;c=KP,RU;i=CCPT:KP:PS472123,MISC::12345,::998877',
    );
    expect(decodeIdentifiers(text)).toEqual(person);
  });

  it('writes nothing for a person without identifiers, and reads nothing back', () => {
    const none = { birthDates: [], countries: [], ids: [] };
    expect(encodeIdentifiers(none)).toBe('');
    expect(decodeIdentifiers('')).toEqual(none);
    expect(decodeIdentifiers(undefined)).toEqual(none);
  });

  it('leaves out what it cannot read', () => {
    expect(
      decodeIdentifiers('b=1960,19700101-19600101,19600101;c=jp,JP;i=CCPT:JP:,XXXX:J:77;z=1'),
    ).toEqual({
      birthDates: [{ from: 19600101, to: 19600101, approximate: false }],
      countries: ['JP'],
      ids: [{ number: '77' }],
    });
  });
});
