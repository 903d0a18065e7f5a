import { DeadLetterCode, moreSevere } from '@sekimori/contracts';
import { unscreenableDecision, unscreenableEventOf } from './decision';

const raw = (value: unknown): Buffer =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('decisions', () => {
  it.each([
    ['block', 'hold', 'block'],
    ['review', 'hold', 'hold'],
    ['report', 'review', 'review'],
    ['pass', 'report', 'report'],
    ['pass', 'pass', 'pass'],
  ] as const)('%s against %s: %s', (a, b, more) => {
    expect(moreSevere(a, b)).toBe(more);
    expect(moreSevere(b, a)).toBe(more);
  });

  it.each([
    ['not JSON', 'not json', null],
    ['no value', null, null],
    ['an array', [{ eventId: 'e-1' }], null],
    ['no eventId', { type: 'onchain-transfer' }, null],
    ['an empty eventId', { eventId: '' }, null],
    ['an eventId that is not a string', { eventId: 7 }, null],
    ['an eventId over 200 characters', { eventId: 'x'.repeat(201) }, null],
    [
      'an exchange event with an account and a real time',
      {
        type: 'exchange-transfer',
        eventId: 'e-1',
        account: { id: 'a-1' },
        occurredAt: '2026-03-15T09:30:00Z',
      },
      {
        eventId: 'e-1',
        eventType: 'exchange-transfer',
        subjectKey: 'a-1',
        occurredAt: '2026-03-15T09:30:00Z',
      },
    ],
    [
      'an on-chain event with an unreadable time',
      { type: 'onchain-transfer', eventId: 'e-2', blockTime: 'yesterday' },
      { eventId: 'e-2', eventType: 'onchain-transfer', subjectKey: null, occurredAt: null },
    ],
    [
      'an unknown type',
      { type: 'rate', eventId: 'e-3', account: { id: 'a-1' } },
      { eventId: 'e-3', eventType: null, subjectKey: null, occurredAt: null },
    ],
  ])('reads what it can of a dead-lettered input: %s', (_what, value, expected) => {
    expect(unscreenableEventOf(value === null ? null : raw(value))).toEqual(expected);
  });

  it('an unscreenable event is held, with its dead-letter code and no list version', () => {
    const event = { eventId: 'e-1', eventType: null, subjectKey: null, occurredAt: null };
    expect(
      unscreenableDecision(event, DeadLetterCode.INVALID_ADDRESS, '2026-03-15T10:00:00Z'),
    ).toEqual({
      type: 'decision',
      ...event,
      decision: 'hold',
      ruleIds: [],
      alertIds: [],
      listVersion: '',
      screenedAt: '2026-03-15T10:00:00Z',
      retroactive: false,
      unscreenable: 'INVALID_ADDRESS',
    });
  });
});
