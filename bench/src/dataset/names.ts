import type { Rng } from './rng';

/**
 * Customer and counterparty names for the benchmark stream, in the scripts a Japanese exchange
 * holds them (kanji, full- and half-width katakana, Latin) and the Cyrillic and Latin of foreign
 * counterparties: NAME_MATCH is measured on names that look like production's, most of which
 * match nothing. Each [kanji, katakana, half-width katakana, romaji] row is one Japanese name part.
 */
const JAPANESE_FAMILY: ReadonlyArray<readonly [string, string, string, string]> = [
  ['佐藤', 'サトウ', 'ｻﾄｳ', 'Sato'],
  ['鈴木', 'スズキ', 'ｽｽﾞｷ', 'Suzuki'],
  ['高橋', 'タカハシ', 'ﾀｶﾊｼ', 'Takahashi'],
  ['田中', 'タナカ', 'ﾀﾅｶ', 'Tanaka'],
  ['伊藤', 'イトウ', 'ｲﾄｳ', 'Ito'],
  ['渡辺', 'ワタナベ', 'ﾜﾀﾅﾍﾞ', 'Watanabe'],
  ['山本', 'ヤマモト', 'ﾔﾏﾓﾄ', 'Yamamoto'],
  ['中村', 'ナカムラ', 'ﾅｶﾑﾗ', 'Nakamura'],
  ['小林', 'コバヤシ', 'ｺﾊﾞﾔｼ', 'Kobayashi'],
  ['加藤', 'カトウ', 'ｶﾄｳ', 'Kato'],
  ['吉田', 'ヨシダ', 'ﾖｼﾀﾞ', 'Yoshida'],
  ['山田', 'ヤマダ', 'ﾔﾏﾀﾞ', 'Yamada'],
];
const JAPANESE_GIVEN: ReadonlyArray<readonly [string, string, string, string]> = [
  ['太郎', 'タロウ', 'ﾀﾛｳ', 'Taro'],
  ['花子', 'ハナコ', 'ﾊﾅｺ', 'Hanako'],
  ['翔太', 'ショウタ', 'ｼｮｳﾀ', 'Shota'],
  ['陽菜', 'ヒナ', 'ﾋﾅ', 'Hina'],
  ['大輔', 'ダイスケ', 'ﾀﾞｲｽｹ', 'Daisuke'],
  ['美咲', 'ミサキ', 'ﾐｻｷ', 'Misaki'],
  ['健一', 'ケンイチ', 'ｹﾝｲﾁ', 'Kenichi'],
  ['由美', 'ユミ', 'ﾕﾐ', 'Yumi'],
  ['直樹', 'ナオキ', 'ﾅｵｷ', 'Naoki'],
  ['恵', 'メグミ', 'ﾒｸﾞﾐ', 'Megumi'],
];
const FOREIGN_PERSONS = [
  'John Smith',
  'Maria Garcia',
  'David Miller',
  'Emma Johnson',
  'Wang Wei',
  'Li Na',
  'Kim Min-jun',
  'Park Ji-yeon',
  'Иван Петров',
  'Ольга Смирнова',
  'Dmitri Sokolov',
  'Nguyen Van An',
];
const COMPANIES = [
  '株式会社サンプル商事',
  'ｶﾌﾞｼｷｶﾞｲｼｬ ﾐﾗｲﾄﾚｰﾄﾞ',
  'Sakura Digital Assets Co., Ltd.',
  'Blue Harbor Trading Pte. Ltd.',
  'Northwind Ventures LLC',
  'ООО Альфа Трейд',
];

/** Japanese family and given names as [kanji, katakana, half-width katakana, romaji] rows. */
export const JAPANESE_NAME_PARTS = { family: JAPANESE_FAMILY, given: JAPANESE_GIVEN } as const;

/** A name of an exchange customer, in one of the scripts exchanges hold them in. */
export function customerName(rng: Rng, corporate: boolean): string {
  if (corporate) return rng.pick(COMPANIES);
  const family = rng.pick(JAPANESE_FAMILY);
  const given = rng.pick(JAPANESE_GIVEN);
  const script = rng.weighted([
    [0, 40],
    [1, 30],
    [2, 20],
    [3, 10],
  ] as const);
  return script === 3 ? `${given[3]} ${family[3]}` : `${family[script]} ${given[script]}`;
}

/** A counterparty's name: mostly Japanese, some foreign persons and companies. */
export function counterpartyName(rng: Rng): string {
  const kind = rng.weighted([
    ['japanese', 60],
    ['foreign', 30],
    ['company', 10],
  ] as const);
  if (kind === 'foreign') return rng.pick(FOREIGN_PERSONS);
  return customerName(rng, kind === 'company');
}
