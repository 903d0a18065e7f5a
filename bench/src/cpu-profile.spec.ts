import { pathinfoBundle } from './__fixtures__/pathinfo-bundle';
import { type CpuProfile, attributeProfile, bundleModules } from './cpu-profile';

const BUNDLE = 'file:///repo/dist/apps/screener/main.js';
// Three modules of a pathinfo bundle: lines 0-4, 5-9 and 10 on.
const bundleText = pathinfoBundle([
  ['./libs/chains/src/normalize.ts', 'function normalize() {}'],
  ['./libs/rules/src/rules/name-match.rule.ts', 'function nameRule() {}'],
  ['external "node:v8"', 'module.exports = require("node:v8");'],
]);

const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

// root → (program), (garbage collector), (idle), normalize → JSON.parse, nameRule,
// kafkajs fetch decoder (no project caller), ioredis reply parser under a socket callback.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4, 5, 7, 8, 9] },
    { id: 2, callFrame: frame('(program)', '') },
    { id: 3, callFrame: frame('(garbage collector)', '') },
    { id: 4, callFrame: frame('(idle)', '') },
    { id: 5, callFrame: frame('normalize', BUNDLE, 4), children: [6] },
    { id: 6, callFrame: frame('parse', '') },
    { id: 7, callFrame: frame('nameRule', BUNDLE, 9) },
    {
      id: 8,
      callFrame: frame(
        'decode',
        'file:///repo/node_modules/kafkajs/src/protocol/recordBatch/v0/index.js',
      ),
    },
    { id: 9, callFrame: frame('onData', 'node:net'), children: [10] },
    {
      id: 10,
      callFrame: frame('returnReply', 'file:///repo/node_modules/ioredis/built/DataHandler.js'),
    },
  ],
  startTime: 1_000,
  // One sample of each leaf, 10 µs apart; the first (at 1,010) falls before the window.
  samples: [2, 2, 3, 4, 6, 7, 8, 10],
  timeDeltas: [10, 10, 10, 10, 10, 10, 10, 10],
  endTime: 1_090,
};

describe('attributeProfile', () => {
  it('reads the module banners of a pathinfo bundle', () => {
    expect(bundleModules(bundleText)).toEqual([
      { line: 2, path: './libs/chains/src/normalize.ts' },
      { line: 7, path: './libs/rules/src/rules/name-match.rule.ts' },
      { line: 12, path: 'external "node:v8"' },
    ]);
  });

  it('gives each sample to the nearest frame that tells its stage, per event, in the window', () => {
    const b = attributeProfile(profile, {
      events: 2,
      fromUs: 1_015,
      bundles: { [BUNDLE]: bundleText },
    });
    expect(b.bundleMapped).toBe(true);
    expect(b.samples).toBe(7);
    expect(b.perEventUs).toMatchObject({
      'program (V8, native, outside JS)': 5,
      GC: 5,
      // A native frame (JSON.parse) is its caller's: the address normaliser.
      'address normalisation': 5,
      names: 5,
      'decode and validation': 5,
      'Redis client (replies, all stores)': 5,
      rules: 0,
    });
    expect(b.idleUs).toBe(10);
    // Idle is not CPU; the last sample runs to the profile's end.
    expect(b.cpuUs).toBe(60);
    expect(b.unattributedUs).toBe(0);
    expect(b.topFunctions[0]).toMatchObject({ stage: expect.any(String), perEventUs: 5 });
  });

  it('without banners, bundle frames are project code it cannot place', () => {
    const b = attributeProfile(profile, { events: 1 });
    expect(b.bundleMapped).toBe(false);
    expect(b.perEventUs['address normalisation']).toBe(0);
    expect(b.unattributedUs).toBe(20);
  });
});
