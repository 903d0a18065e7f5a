import { parseArgs, UsageError } from './cli-args';

describe('list-loader arguments', () => {
  it('reads --force (publish a file older than the current version)', () => {
    expect(parseArgs(['--force', 'a.xml'])).toMatchObject({ file: 'a.xml', force: true });
  });

  it('takes a file and leaves the list id to its format', () => {
    expect(parseArgs(['list.xml.bz2'])).toEqual({
      file: 'list.xml.bz2',
      ifEmpty: false,
      decompressor: 'auto',
      skipBadRows: false,
      force: false,
    });
  });

  it('takes an own list with its id and --skip-bad-rows', () => {
    expect(parseArgs(['--list-id', 'desk-watch', '--skip-bad-rows', 'own.csv'])).toMatchObject({
      file: 'own.csv',
      listId: 'desk-watch',
      skipBadRows: true,
    });
  });

  it('reads --if-empty, --list-id and --decompressor in any order', () => {
    expect(
      parseArgs(['--list-id', 'ofac-test', 'f.xml', '--if-empty', '--decompressor', 'js']),
    ).toEqual({
      file: 'f.xml',
      listId: 'ofac-test',
      ifEmpty: true,
      decompressor: 'js',
      skipBadRows: false,
      force: false,
    });
    expect(parseArgs(['--list-id=ofac-b', 'f.xml'])?.listId).toBe('ofac-b');
  });

  it.each([['--help'], ['-h'], ['a.xml', '--help'], ['--bogus', '-h']])(
    'asks for the usage on %j, whatever else is on the line',
    (...argv) => {
      expect(parseArgs(argv)).toBeNull();
    },
  );

  it.each([
    [[], /no list file given/],
    [['a.xml', 'b.xml'], /at most 1 list file, got a.xml b.xml/],
    [['--overwrite', 'a.xml'], /unknown option --overwrite/],
    [['-f', 'a.xml'], /unknown option -f/],
    [['--list-id'], /--list-id needs a value/],
    [['--list-id', '--if-empty', 'a.xml'], /--list-id needs a value/],
    [['--if-empty=yes', 'a.xml'], /--if-empty takes no value/],
    [['--list-id', 'OFAC', 'a.xml'], /invalid --list-id/],
    [['--decompressor', 'gzip', 'a.xml'], /must be auto, system or js/],
    [['own.csv'], /an own list needs --list-id/],
    [['--list-id', 'jp-mof', 'own.csv'], /--list-id jp-mof is reserved/],
    [['--list-id', 'ofac-sdn', 'own.csv'], /--list-id ofac-sdn is reserved/],
    [['--skip-bad-rows', 'a.xml'], /own lists \(.csv\) only/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseArgs(argv as string[])).toThrow(message);
  });
});
