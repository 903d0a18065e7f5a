import { EnrichmentKeys } from './enrichment-keys';

/** Redis Cluster hashes only the text between the first '{' and the next '}'. */
const hashTag = (key: string): string => key.slice(key.indexOf('{') + 1, key.indexOf('}'));

describe('EnrichmentKeys', () => {
  const keys = new EnrichmentKeys('sekimori');

  it('all structuring keys share one hash tag, whatever the ids contain', () => {
    const tags = new Set(
      [
        keys.windowEvents('acct:1'),
        keys.windowValues('a{b}c'),
        keys.windowResult('ev}1'),
        keys.windowResult('x'),
      ].map(hashTag),
    );
    expect([...tags]).toEqual(['sekimori:structuring']);
  });

  it('rates and rate pins live under their own tag', () => {
    expect(keys.latestRates()).toBe('{sekimori:rates}:latest:v1');
    expect(hashTag(keys.ratePin('ev}1{x'))).toBe('sekimori:rates');
    expect(keys.ratePin('latest:v1')).not.toBe(keys.latestRates());
  });

  it('exposure paths and routing logs live under their own tags', () => {
    expect(keys.exposurePaths('evm:0xab')).toBe('{sekimori:exposure}:p:v2:evm:0xab');
    const routing = [
      keys.routingEntries('ex}1', 'a{b'),
      keys.routingTimes('ex', 'a'),
      keys.routingSeq('ex', 'a'),
    ];
    expect(new Set(routing.map(hashTag))).toEqual(new Set(['sekimori:routing']));
    expect(keys.routingEntries('a:b', 'c')).not.toBe(keys.routingEntries('a', 'b:c'));
  });

  it('kinds of key never collide', () => {
    expect(keys.windowEvents('x')).not.toBe(keys.windowValues('x'));
    expect(keys.windowEvents('v:v1:x')).not.toBe(keys.windowValues('x'));
  });

  it.each(['', 'a{b', 'a}b', 'a:b', 'a b'])('rejects the prefix %p', (prefix) => {
    expect(() => new EnrichmentKeys(prefix)).toThrow('invalid Redis key prefix');
  });
});
