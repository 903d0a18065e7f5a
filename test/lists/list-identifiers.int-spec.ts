import type { PublishableList } from '@sekimori/list-store';
import { NameIndexCache, SanctionsListStore } from '@sekimori/list-store';
import { DEFAULT_NAME_THRESHOLDS, type NameEntry, nameFormsOf } from '@sekimori/name-matching';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';

jest.setTimeout(60_000);

/** Two listed people, as a parser before identifiers were kept gave them, or with them. */
function list(withIds: boolean): PublishableList {
  const person = (entityId: string, name: string, ids: string): NameEntry => ({
    entityId,
    entityName: name,
    partyKind: 'individual',
    name,
    nameType: 'primary',
    lowQuality: false,
    programs: ['TEST'],
    ...(withIds ? { ids } : {}),
  });
  return {
    listId: 'ids-test',
    source: 'test',
    issuedAt: '2026-03-01',
    entries: [],
    stats: { parties: 0, features: 0, distinctAddresses: 0, byChain: {}, unclassified: {} },
    names: [
      person('P-1', 'KIM SONG CHOL', 'b=19680326,19701015;c=KP;i=CCPT::381420565'),
      person('P-2', 'YAN, Xiaobing', 'b=19770325;c=CN'),
    ],
  };
}

describe('the first load that keeps identifiers (docs/lists.md)', () => {
  const redis = redisClient();
  const prefix = freshPrefix();
  const store = new SanctionsListStore(redis, prefix);

  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('is a new version that adds and removes nothing, so nothing is re-screened; then unchanged', async () => {
    const before = await store.publish(list(false));
    const upgraded = await store.publish(list(true));
    expect(upgraded.unchanged).toBe(false);
    expect(upgraded.version).not.toBe(before.version);
    expect(upgraded.previousVersion).toBe(before.version);
    expect(upgraded.added).toEqual({ addresses: 0, names: 0 });
    expect(upgraded.removed).toEqual({ addresses: 0, names: 0 });
    const again = await store.publish(list(true));
    expect(again.unchanged).toBe(true);
    expect(again.version).toBe(upgraded.version);

    // The screener reads them back with the names, and finds a party by its passport number.
    const [{ index }] = await new NameIndexCache(redis, prefix).indexesFor({
      'ids-test': upgraded.version,
    });
    const [kim] = index.search(nameFormsOf('Kim Song Chol'), DEFAULT_NAME_THRESHOLDS);
    expect(index.identifiersOf(kim.stored)).toMatchObject({
      countries: ['KP'],
      ids: [{ number: '381420565', type: 'CCPT' }],
    });
    expect(index.identifiersOf(kim.stored).birthDates).toHaveLength(2);
    const byNumber = index.searchIdNumbers(() => nameFormsOf('KIMM SUNG CHOL'), ['381420565']);
    expect(byNumber.map((c) => [c.stored.entityId, c.score])).toEqual([['P-1', 0.889]]);
  });
});
