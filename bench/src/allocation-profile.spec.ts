import { pathinfoBundle } from './__fixtures__/pathinfo-bundle';
import { attributeAllocations, type HeapProfileNode } from './allocation-profile';

const BUNDLE = 'file:///repo/dist/apps/screener/main.js';
// Two modules of a pathinfo bundle: lines 0-4 and 5 on.
const bundleText = pathinfoBundle([
  ['./libs/chains/src/normalize.ts', 'function normalize() {}'],
  ['./libs/screening/src/screen-transfers/alert-factory.ts', 'function buildAlert() {}'],
]);

const node = (
  functionName: string,
  url: string,
  lineNumber: number,
  selfSize: number,
  children: HeapProfileNode[] = [],
): HeapProfileNode => ({ callFrame: { functionName, url, lineNumber }, selfSize, children });

// root → normalize (1,000 B) → JSON.parse (3,000 B, a builtin: its caller's stage);
//      → buildAlert (500 B); → kafkajs produce encoder, no project caller (2,000 B);
//      → a timer with no known frame (100 B).
const head = node('(root)', '', 0, 0, [
  node('normalize', BUNDLE, 4, 1_000, [node('parse', '', 0, 3_000)]),
  node('buildAlert', BUNDLE, 8, 500),
  node('encode', 'file:///repo/node_modules/kafkajs/src/protocol/encoder.js', 10, 2_000),
  node('listOnTimeout', 'node:internal/timers', 500, 100),
]);

describe('attributeAllocations', () => {
  it('gives each sampled byte to the stage its stack belongs to, per event', () => {
    const a = attributeAllocations({ head }, { events: 10, bundles: { [BUNDLE]: bundleText } });
    expect(a.bundleMapped).toBe(true);
    expect(a.bytes).toBe(6_600);
    expect(a.perEventBytes['address normalisation']).toBe(400);
    expect(a.perEventBytes['alert and decision records']).toBe(50);
    expect(a.perEventBytes['produce and commit']).toBe(200);
    expect(a.perEventBytes['Node.js runtime, other libraries']).toBe(10);
    expect(a.topSites[0]).toEqual({
      name: 'parse',
      where: '',
      stage: 'address normalisation',
      perEventBytes: 300,
    });
    expect(a.topSites.map((s) => s.name)).toEqual([
      'parse',
      'encode',
      'normalize',
      'buildAlert',
      'listOnTimeout',
    ]);
  });

  it('without module banners, falls back to library frames and the runtime', () => {
    const a = attributeAllocations({ head }, { events: 1 });
    expect(a.bundleMapped).toBe(false);
    expect(a.perEventBytes['produce and commit']).toBe(2_000);
    expect(a.perEventBytes['address normalisation']).toBe(0);
  });
});
