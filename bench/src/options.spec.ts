import { readFileSync } from 'node:fs';
import { UsageError } from '@sekimori/config';
import { USAGE, parseOptions } from './options';
import { VARIANT_IDS } from './variants';
import { DRAIN_BACKLOG } from './api-load';

describe('bench options', () => {
  it('defaults to the full run', () => {
    expect(parseOptions([])).toMatchObject({
      events: 200_000,
      variants: [...VARIANT_IDS],
      loader: true,
      updateDocs: null,
    });
  });

  it('reads the runs and the API phase, short for a small run', () => {
    expect(parseOptions(['--events', '5000', '--runs', '3'])).toMatchObject({
      runs: 3,
      api: { seconds: 3, connections: 32, rate: 1000 },
    });
    expect(parseOptions(['--api-seconds', '20', '--api-rate=500'])?.api).toEqual({
      seconds: 20,
      connections: 32,
      rate: 500,
    });
    expect(parseOptions(['--no-api'])?.api).toBeNull();
  });

  it('bounds the latency knee search, to one step in a small run', () => {
    expect(parseOptions([])?.knee).toEqual({ steps: 8, minutes: 6 });
    expect(parseOptions(['--events', '5000'])?.knee).toEqual({ steps: 1, minutes: 6 });
    expect(parseOptions(['--knee-steps', '5', '--knee-minutes=3'])?.knee).toEqual({
      steps: 5,
      minutes: 3,
    });
  });

  it('reads the compression, one of KAFKA_COMPRESSION values', () => {
    expect(parseOptions([])?.compression).toBeNull();
    expect(parseOptions(['--compression', 'zstd'])?.compression).toBe('zstd');
    expect(() => parseOptions(['--compression', 'brotli'])).toThrow(UsageError);
  });

  it('samples every allocation or only the survivors of a scavenge, when asked', () => {
    expect(parseOptions([])?.allocProfile).toBeNull();
    expect(parseOptions(['--alloc-profile'])?.allocProfile).toBe('allocated');
    expect(parseOptions(['--alloc-survivors'])?.allocProfile).toBe('survivors');
  });

  it('reads every kind of flag', () => {
    expect(
      parseOptions([
        '--events=5000',
        '--variants',
        'screener,baseline',
        '--node-flag=--trace-gc',
        '--node-flag=--max-semi-space-size=64',
        '--no-loader',
        '--no-docs',
        '--rate',
        '900',
      ]),
    ).toMatchObject({
      events: 5000,
      variants: ['baseline', 'screener'],
      nodeFlags: ['--trace-gc', '--max-semi-space-size=64'],
      loader: false,
      updateDocs: false,
      rate: 900,
    });
  });

  it('runs the phases of issues 10-12 in a full run, and in a small one only when asked', () => {
    expect(parseOptions([])).toMatchObject({
      retro: { events: 1_000_000, added: 300, live: 20_000 },
      exposureGraph: { events: 200_000, sources: 40, fanOut: 5, depth: 5 },
      scaleOut: { events: 200_000, partitions: 12 },
    });
    expect(parseOptions(['--events', '5000'])).toMatchObject({
      retro: null,
      exposureGraph: null,
      scaleOut: null,
    });
    expect(
      parseOptions([
        '--events=5000',
        '--retro',
        '20000',
        '--exposure-graph',
        '--graph-sources=3',
        '--scale-out',
        '--scale-out-events',
        '3000',
      ]),
    ).toMatchObject({
      retro: { events: 20_000, added: 300, live: 20_000 },
      exposureGraph: { events: 5_000, sources: 3 },
      scaleOut: { events: 3_000, partitions: 12 },
    });
    expect(parseOptions(['--no-retro', '--no-scale-out'])).toMatchObject({
      retro: null,
      scaleOut: null,
    });
  });

  it('measures the reviews of issue 18 in a full run, in a small one when asked', () => {
    expect(parseOptions([])).toMatchObject({ clearances: 2, reviews: 5_000 });
    expect(parseOptions(['--events', '20000'])).toMatchObject({ clearances: 0, reviews: 0 });
    expect(parseOptions(['--events', '20000', '--clearances', '2', '--reviews=300'])).toMatchObject(
      { clearances: 2, reviews: 300 },
    );
    expect(parseOptions(['--clearances', '0.5'])?.clearances).toBe(0.5);
    expect(parseOptions(['--clearances', '0', '--reviews', '0'])).toMatchObject({
      clearances: 0,
      reviews: 0,
    });
  });

  it.each([[['--help']], [['--events', '5000', '-h']]])('asks for the usage on %j', (argv) => {
    expect(parseOptions(argv)).toBeNull();
  });

  it.each([
    [['--event', '5000'], 'unknown option --event'],
    [['--events', '50'], '--events needs an integer ≥ 100'],
    [['--variants', 'fast'], 'unknown variant fast'],
    [['5000'], 'unexpected argument 5000'],
    [['--node-flag', '--trace-gc'], '--node-flag needs a value'],
    [['--retro', '10'], '--retro needs an integer ≥ 1000'],
    [['--scale-out', '--no-scale-out'], '--scale-out and --no-scale-out together'],
    [['--clearances', '101'], '--clearances: a percentage from 0 to 100, got 101'],
    [['--clearances=-1'], '--clearances: a percentage from 0 to 100, got -1'],
    [['--clearances', 'two'], '--clearances: a percentage from 0 to 100, got two'],
    [['--reviews=-5'], '--reviews needs an integer ≥ 0'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(UsageError);
    expect(() => parseOptions(argv)).toThrow(message);
  });

  it('documents every flag it reads and every variant, in the text scripts/bench.sh prints', () => {
    for (const id of VARIANT_IDS) expect(USAGE).toContain(id);
    const source = readFileSync(`${__dirname}/options.ts`, 'utf8');
    for (const [, flag] of source.matchAll(/^ {6}'?([a-z-]+)'?: \{ type:/gm)) {
      expect(USAGE).toContain(`--${flag}`);
    }
    // The help text is plain text: it names the draining backlog the API phase really uses.
    expect(USAGE).toContain(`a backlog of ${DRAIN_BACKLOG.toLocaleString('en-US')} events`);
  });
});
