import {
  type CommandLineSpec,
  UsageError,
  booleanFlag,
  integerFlag,
  parseCommandLine,
  stringFlag,
  stringFlags,
} from './command-line';

const spec: CommandLineSpec = {
  flags: {
    topic: { type: 'string' },
    'from-end': { type: 'boolean' },
    tag: { type: 'string', multiple: true },
    count: { type: 'string' },
  },
  operands: { min: 0, max: 1, name: 'topic' },
};

describe('parseCommandLine', () => {
  it('reads flags in both spellings, repeated flags and operands', () => {
    const line = parseCommandLine(
      ['--topic=a', 'x', '--from-end', '--tag', 'p', '--tag=q', '--count', '7'],
      spec,
    );
    expect(line.help).toBe(false);
    expect(line.operands).toEqual(['x']);
    expect(stringFlag(line, 'topic')).toBe('a');
    expect(booleanFlag(line, 'from-end')).toBe(true);
    expect(stringFlags(line, 'tag')).toEqual(['p', 'q']);
    expect(integerFlag(line, 'count', 1, 1)).toBe(7);
    expect(integerFlag(parseCommandLine([], spec), 'count', 5, 1)).toBe(5);
  });

  it.each([[['--help']], [['-h']], [['--nope', '--help']], [['a', 'b', 'c', '-h']]])(
    'gives help for %j before judging the rest',
    (argv) => {
      expect(parseCommandLine(argv, spec).help).toBe(true);
    },
  );

  it.each([
    [['--nope'], 'unknown option --nope'],
    [['-x'], 'unknown option -x'],
    [['--topic'], '--topic needs a value'],
    [
      ['--topic', '--from-end'],
      '--topic needs a value (write --topic=-... for one that starts with -)',
    ],
    [['--from-end=1'], '--from-end takes no value'],
    [['a', 'b'], 'at most 1 topic, got a b'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseCommandLine(argv, spec)).toThrow(new UsageError(message));
  });

  it('names the missing operand and refuses operands a command does not take', () => {
    const one = { flags: {}, operands: { min: 1, max: 1, name: 'list file' } };
    expect(() => parseCommandLine([], one)).toThrow('no list file given');
    const none = { flags: {}, operands: { min: 0, max: 0, name: 'argument' } };
    expect(() => parseCommandLine(['x'], none)).toThrow('unexpected argument x');
  });

  it.each(['0', '-3', '1.5', 'ten'])('refuses --count %s as an integer ≥ 1', (value) => {
    expect(() => integerFlag(parseCommandLine(['--count', value], spec), 'count', 1, 1)).toThrow(
      UsageError,
    );
  });
});
