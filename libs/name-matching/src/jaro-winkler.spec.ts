import { jaroWinkler } from './jaro-winkler';

describe('jaroWinkler', () => {
  it.each([
    ['martha', 'marhta', 0.961],
    ['dwayne', 'duane', 0.84],
    ['dixon', 'dicksonx', 0.813],
    ['sergei', 'serugei', 0.967],
    ['abc', 'xyz', 0],
    ['same', 'same', 1],
    ['', '', 0],
    ['a', '', 0],
  ])('%s ~ %s = %d', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
    expect(jaroWinkler(b, a)).toBeCloseTo(expected, 3);
  });

  it('gives the same result past 31 characters (the array path) as below (the mask path)', () => {
    const a = 'abcdefghijklmnopqrstuvwxyz';
    const b = 'abcdefghijklmnopqrstuvwxzy';
    const short = jaroWinkler(a, b);
    expect(jaroWinkler(`${a}${a}`, `${b}${b}`)).toBeGreaterThan(0.9);
    expect(short).toBeGreaterThan(0.9);
    expect(jaroWinkler(`${a}0123456`, `${b}0123456`)).toBeCloseTo(
      jaroWinkler(`${a}012345`, `${b}012345`),
      1,
    );
  });
});
