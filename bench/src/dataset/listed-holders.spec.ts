import type { StreamMessage } from './stream';
import { LISTED_HOLDER_NAMES, nameAccounts } from './listed-holders';

const ex = (eventId: string, account: string): StreamMessage => ({
  kind: 'exchange',
  key: account,
  value: Buffer.from(JSON.stringify({ eventId, account: { id: account, name: '佐藤 太郎' } })),
  eventId,
});

describe('accounts with a listed holder name', () => {
  const messages: StreamMessage[] = [];
  for (let i = 0; i < 400; i++) messages.push(ex(`ex-${i}`, `acct-${i % 100}`));
  messages.push({ kind: 'rates', key: 'BTC', value: Buffer.from('{}') });

  it('renames a share of the accounts on every event of theirs, the rest untouched', () => {
    const { messages: out, named } = nameAccounts(messages, 0.05, 42);
    expect(named).toHaveLength(5);
    expect(out).toHaveLength(messages.length);
    const renamed = new Set(named);
    out.forEach((m, i) => {
      if (m.kind !== 'exchange' || !renamed.has(m.key)) {
        expect(m).toBe(messages[i]);
        return;
      }
      const value = JSON.parse(m.value.toString('utf8')) as { account: { name: string } };
      expect(LISTED_HOLDER_NAMES).toContain(value.account.name);
      expect(m.eventId).toBe(messages[i].eventId);
    });
    // Every listed spelling is used once with five accounts.
    const names = new Set(
      out
        .filter((m) => renamed.has(m.key))
        .map(
          (m) =>
            (JSON.parse(m.value.toString('utf8')) as { account: { name: string } }).account.name,
        ),
    );
    expect(names.size).toBe(LISTED_HOLDER_NAMES.length);
  });

  it('draws the same accounts for a seed, others for another, at least one', () => {
    expect(nameAccounts(messages, 0.05, 42).named).toEqual(nameAccounts(messages, 0.05, 42).named);
    expect(nameAccounts(messages, 0.05, 7).named).not.toEqual(
      nameAccounts(messages, 0.05, 42).named,
    );
    expect(nameAccounts(messages, 0.001, 42).named).toHaveLength(1);
    expect(nameAccounts(messages, 0, 42)).toEqual({ messages, named: [] });
  });
});
