import { Rng } from './rng';
import type { StreamMessage } from './stream';

/**
 * Account holders' names that match an entry of the shipped OFAC SDN list, in the scripts an
 * exchange holds them in (the same spellings test/rules/name-match.int-spec.ts matches): Shoigu
 * (UID 35173) in half-width katakana, hiragana and Cyrillic, YAN Xiaobing (UID 25308) in another
 * order, GOTO Tadamasa (UID 16133) in kanji. The generated customer names match no entry.
 */
export const LISTED_HOLDER_NAMES = [
  'ｾﾙｹﾞｲ･ｼｮｲｸﾞ',
  'せるげい・しょいぐ',
  'Сергей Шойгу',
  'Xiaobing Yan',
  '後藤忠正',
] as const;

/**
 * The share of accounts whose holder's name matches a listed entry when the reviews phase is on
 * (issue 18: "2 % of the named accounts hold a clearance" needs named accounts).
 */
export const NAMED_ACCOUNT_SHARE = 0.05;

/**
 * The stream with `share` of its exchange accounts (at least one) renamed to a listed name, on
 * every event of theirs: drawn with their own generator, so the rest of the stream is the same
 * event for event. Returns the messages (the renamed ones new, the others as they were) and the
 * accounts renamed.
 */
export function nameAccounts(
  messages: readonly StreamMessage[],
  share: number,
  seed: number,
): { messages: StreamMessage[]; named: string[] } {
  const accounts = [
    ...new Set(messages.filter((m) => m.kind === 'exchange' && !m.malformed).map((m) => m.key)),
  ].sort();
  if (share <= 0 || accounts.length === 0) return { messages: [...messages], named: [] };
  const k = Math.min(accounts.length, Math.max(1, Math.round(accounts.length * share)));
  const rng = new Rng(seed ^ 0x4e4d);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(accounts.length - i);
    [accounts[i], accounts[j]] = [accounts[j], accounts[i]];
  }
  const named = accounts.slice(0, k).sort();
  const nameOf = new Map(
    named.map((id, i) => [id, LISTED_HOLDER_NAMES[i % LISTED_HOLDER_NAMES.length]]),
  );
  const out = messages.map((m) => {
    const name = m.kind === 'exchange' && !m.malformed ? nameOf.get(m.key) : undefined;
    if (name === undefined) return m;
    const value = JSON.parse(m.value.toString('utf8')) as { account: { name: string } };
    value.account.name = name;
    return { ...m, value: Buffer.from(JSON.stringify(value)) };
  });
  return { messages: out, named };
}
