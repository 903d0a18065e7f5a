import { assertListId, ListKeys } from './list-keys';

describe('ListKeys', () => {
  const keys = new ListKeys('sekimori');

  it('puts every key of the store behind one Redis Cluster hash tag', () => {
    const all = [
      keys.registry(),
      keys.current('ofac-sdn'),
      keys.versions('ofac-sdn'),
      keys.addresses('ofac-sdn', '1a2b3c4d5e6f7a8b'),
      keys.meta('ofac-sdn', '1a2b3c4d5e6f7a8b'),
      keys.names('ofac-sdn', '1a2b3c4d5e6f7a8b'),
      keys.switchChannel(),
    ];
    // Redis hashes only the text between the first `{` and the next `}`.
    for (const key of all) expect(key.match(/\{([^}]*)\}/)?.[1]).toBe('sekimori');
    expect(new Set(all).size).toBe(all.length);
    expect(keys.addresses('ofac-sdn', '1a2b3c4d5e6f7a8b')).toBe(
      '{sekimori}:lists:ofac-sdn:v:1a2b3c4d5e6f7a8b:addr',
    );
    expect(keys.addresses('x', 'v').startsWith(keys.base)).toBe(true);
  });

  it.each(['', 'a{b}', 'a:b', 'with space'])('rejects the prefix %j', (prefix) => {
    expect(() => new ListKeys(prefix)).toThrow(/invalid Redis key prefix/);
  });

  it.each(['OFAC', 'a:b', '', '-x'])('rejects the list id %j', (listId) => {
    expect(() => assertListId(listId)).toThrow(/invalid list id/);
  });
});
