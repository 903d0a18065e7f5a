import { clearanceFixture } from '../__fixtures__/clearance';
import { InMemoryReviews } from '../__fixtures__/in-memory-reviews';
import type { ReviewEffect } from './apply-reviews';
import { revokeClearance } from './revoke-clearance';

const clearance = clearanceFixture();

async function withClearance() {
  const records = new InMemoryReviews();
  await records.put([clearance]);
  const recorded: ReviewEffect[] = [];
  return { records, recorded, record: async (e: ReviewEffect) => void recorded.push(e) };
}

describe('revokeClearance: the durable record first', () => {
  it('records the revocation, then revokes the clearance for good: applied again, it is not kept', async () => {
    const { records, recorded, record } = await withClearance();
    const at = '2026-04-01T00:00:00.000Z';
    expect(await revokeClearance(records, 'c1', record, at)).toEqual({
      kind: 'revoked',
      clearance,
    });
    // With the clearance: a compacted topic that keeps only the revocation still knows it.
    expect(recorded).toEqual([{ kind: 'revoke', clearanceId: 'c1', revokedAt: at, clearance }]);
    expect(await records.clearance('c1')).toBeNull();
    // A retried review batch puts the same clearance again: it stays revoked.
    expect(await records.put([clearance])).toEqual([]);
    // Kept, marked, for replays of events before the revocation.
    expect(await records.forSubjects(['acct-1'])).toEqual(
      new Map([['acct-1', [{ ...clearance, revokedAt: at }]]]),
    );
  });

  it('leaves the clearance in force when the record cannot be written', async () => {
    const { records } = await withClearance();
    const down = async () => {
      throw new Error('the effects topic does not answer');
    };
    await expect(revokeClearance(records, 'c1', down)).rejects.toThrow(/does not answer/);
    expect(await records.clearance('c1')).toEqual(clearance);
  });

  it('says so when the record is written but Redis could not apply it', async () => {
    const { records, recorded, record } = await withClearance();
    const failing = Object.assign(Object.create(records) as InMemoryReviews, {
      revoke: async () => {
        throw new Error('Redis is gone');
      },
    });
    const result = await revokeClearance(failing, 'c1', record);
    expect(result).toMatchObject({ kind: 'recorded', clearance });
    expect(recorded).toHaveLength(1);
  });

  it('answers unknown, recording nothing, for a clearance that is not there', async () => {
    const { records, recorded, record } = await withClearance();
    expect(await revokeClearance(records, 'nope', record)).toEqual({ kind: 'unknown' });
    expect(recorded).toEqual([]);
  });
});
