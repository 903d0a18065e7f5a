import type { RedisScript } from '@sekimori/redis';
import {
  DROP_OLD_SCRIPT,
  LOOKUP_AT_SCRIPT,
  LOOKUP_SCRIPT,
  SWITCH_SCRIPT,
  VERSIONS_SCRIPT,
} from './list-scripts';

/** The first argument of every redis.call but PUBLISH (whose argument is a channel, not a key). */
function keyArguments(script: RedisScript): string[] {
  const calls = [...script.lua.matchAll(/redis\.call\('(\w+)',\s*([^,)]+)/g)];
  return calls.filter(([, command]) => command !== 'PUBLISH').map(([, , key]) => key.trim());
}

describe('the list scripts', () => {
  // Redis Cluster routes a script by its declared keys; a key built inside the script may live
  // in a slot the node does not serve (https://redis.io/docs/latest/develop/interact/programmability/eval-intro/).
  it.each([
    ['lookup', LOOKUP_SCRIPT],
    ['lookup-at', LOOKUP_AT_SCRIPT],
    ['versions', VERSIONS_SCRIPT],
    ['switch', SWITCH_SCRIPT],
    ['drop-old', DROP_OLD_SCRIPT],
  ])('%s touches only keys it was given in KEYS', (_name, script) => {
    const keys = keyArguments(script);
    expect(keys.length).toBeGreaterThan(0);
    // `hash` is hmget's parameter, called with KEYS[...] only.
    for (const key of keys) expect(key).toMatch(/^(KEYS\[[^\]]+\]|hash)$/);
    expect(script.lua).not.toMatch(/hmget\((?!KEYS\[|hash,)/);
  });
});
