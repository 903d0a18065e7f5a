import { parseArgs, UsageError } from './cli-args';

const range = ['--topic', 'transfers.onchain.v1', '--from', '2026-03-01T00:00:00Z'];

describe('replay command line', () => {
  it('reads a range, versions and an output file', () => {
    expect(
      parseArgs([
        ...range,
        '--to',
        '2026-03-02T00:00:00+09:00',
        '--lists',
        'ofac-sdn:1a2b3c4d5e6f7a8b,jp-mof:0123',
        '--out',
        'report.json',
      ]),
    ).toEqual({
      topic: 'transfers.onchain.v1',
      fromMs: Date.parse('2026-03-01T00:00:00Z'),
      toMs: Date.parse('2026-03-01T15:00:00Z'),
      lists: { 'ofac-sdn': '1a2b3c4d5e6f7a8b', 'jp-mof': '0123' },
      out: 'report.json',
    });
  });

  it('--help wins', () => {
    expect(parseArgs(['--help', '--bogus'])).toBeNull();
  });

  it.each([
    [['--from', '2026-03-01T00:00:00Z', '--to', '2026-03-02T00:00:00Z'], /--topic is required/],
    [[...range], /--to is required/],
    [[...range, '--to', '2026-03-02'], /ISO-8601 time with a zone/],
    [[...range, '--to', '2026-03-02T00:00:00'], /ISO-8601 time with a zone/],
    [[...range, '--to', 'yesterdayZ'], /ISO-8601/],
    [[...range, '--to', '2026-02-01T00:00:00Z'], /--to must be after --from/],
    [[...range, '--to', '2026-03-02T00:00:00Z', '--lists', 'ofac-sdn'], /--lists: 'ofac-sdn'/],
    [[...range, '--to', '2026-03-02T00:00:00Z', '--lists', ','], /names no version/],
    [[...range, '--to', '2026-03-02T00:00:00Z', 'extra'], /unexpected argument extra/],
    [[...range, '--to', '2026-03-02T00:00:00Z', '--bogus'], /unknown option --bogus/],
  ])('refuses %p', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
