import { KeyLanes } from './key-lanes';

describe('KeyLanes', () => {
  it('starts a key past its lanes only as its own requests leave, in arrival order', () => {
    const lanes = new KeyLanes(2);
    const started: string[] = [];
    for (const name of ['a1', 'a2', 'a3', 'a4']) lanes.enter('a', () => started.push(name));
    lanes.enter('b', () => started.push('b1'));
    expect(started).toEqual(['a1', 'a2', 'b1']);
    expect(lanes.waitingCount).toBe(2);

    lanes.leave('b');
    expect(started).toEqual(['a1', 'a2', 'b1']);
    lanes.leave('a');
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    lanes.leave('a');
    lanes.leave('a');
    lanes.leave('a');
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
    expect(lanes.waitingCount).toBe(0);

    // Every lane free again: a new burst gets two at once.
    for (const name of ['a5', 'a6', 'a7']) lanes.enter('a', () => started.push(name));
    expect(started.slice(5)).toEqual(['a5', 'a6']);
  });

  it('refuses a cap that is not a whole number of lanes', () => {
    expect(() => new KeyLanes(0)).toThrow(RangeError);
    expect(() => new KeyLanes(1.5)).toThrow(RangeError);
  });
});
