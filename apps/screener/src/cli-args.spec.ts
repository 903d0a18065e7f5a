import { parseScreenerArgs, UsageError } from './cli-args';

describe('the screener command line', () => {
  it('screens with no arguments', () => {
    expect(parseScreenerArgs([])).toEqual({ openapi: undefined, listMetrics: false });
  });

  it.each([['--help'], ['-h'], ['--openapi', 'x.json', '--help'], ['--nope', '-h']])(
    '%s asks for the usage',
    (...argv) => {
      expect(parseScreenerArgs(argv)).toBeNull();
    },
  );

  it('reads --openapi and --list-metrics', () => {
    expect(parseScreenerArgs(['--openapi', 'doc.json'])).toMatchObject({ openapi: 'doc.json' });
    expect(parseScreenerArgs(['--list-metrics'])).toMatchObject({ listMetrics: true });
  });

  it.each([
    [['--nope'], /unknown option --nope/],
    [['--openapi'], /--openapi needs a value/],
    [['start'], /unexpected argument start/],
  ])('refuses %p', (argv, message) => {
    expect(() => parseScreenerArgs(argv)).toThrow(UsageError);
    expect(() => parseScreenerArgs(argv)).toThrow(message);
  });
});
