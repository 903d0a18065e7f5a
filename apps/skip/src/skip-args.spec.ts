import { parseArgs, UsageError } from './skip-args';

const base = ['--topic', 'transfers.onchain.v1', '--partition', '2', '--offset', '120'];

describe('npm run skip: command line', () => {
  it('reads the batch to skip and the reason', () => {
    expect(parseArgs([...base, '--reason', '  INC-42, checked by ops  '])).toEqual({
      topic: 'transfers.onchain.v1',
      partition: 2,
      offset: '120',
      reason: 'INC-42, checked by ops',
      waitSeconds: 60,
    });
    expect(parseArgs([...base, '--reason', 'r', '--group', 'g', '--wait', '0'])).toMatchObject({
      group: 'g',
      waitSeconds: 0,
    });
  });

  it('answers --help', () => {
    expect(parseArgs(['--help'])).toBeNull();
    expect(parseArgs(['-h'])).toBeNull();
  });

  it.each([
    ['no reason', base, /--reason is required/],
    ['an empty reason', [...base, '--reason', ' '], /--reason is required/],
    ['no offset', ['--topic', 't', '--partition', '0', '--reason', 'r'], /--offset is required/],
    ['no partition', ['--topic', 't', '--offset', '0', '--reason', 'r'], /--partition is required/],
    ['no topic', ['--partition', '0', '--offset', '0', '--reason', 'r'], /--topic is required/],
    ['a negative offset', [...base.slice(0, 4), '--offset=-1', '--reason', 'r'], /integer/],
    ['an unknown flag', [...base, '--reason', 'r', '--force'], /force/],
    ['an operand', [...base, '--reason', 'r', 'extra'], /extra|operand/],
  ])('refuses %s', (_what, argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
