/*
 * Countries as ISO 3166-1 alpha-2 codes, from what the lists write: OFAC and the UN name
 * countries in English (with the UN's formal names: "Iran (Islamic Republic of)"), MOF in
 * Japanese (ロシア連邦), IVMS101 in codes. Names are read through the runtime's CLDR data, in
 * English and Japanese, with the formal names CLDR does not use added below.
 */

const FORMAL_NAMES: Readonly<Record<string, string>> = {
  'russian federation': 'RU',
  'iran islamic republic of': 'IR',
  'islamic republic of iran': 'IR',
  'syrian arab republic': 'SY',
  "democratic people's republic of korea": 'KP',
  'korea north': 'KP',
  'north korea': 'KP',
  'republic of korea': 'KR',
  'korea south': 'KR',
  'viet nam': 'VN',
  'united republic of tanzania': 'TZ',
  'bolivia plurinational state of': 'BO',
  'venezuela bolivarian republic of': 'VE',
  "lao people's democratic republic": 'LA',
  'republic of moldova': 'MD',
  'state of palestine': 'PS',
  'palestinian territories': 'PS',
  'democratic republic of the congo': 'CD',
  'congo democratic republic of the': 'CD',
  congo: 'CG',
  'republic of the congo': 'CG',
  "cote d'ivoire": 'CI',
  'ivory coast': 'CI',
  'united kingdom of great britain and northern ireland': 'GB',
  'united states of america': 'US',
  turkey: 'TR',
  burma: 'MM',
  'czech republic': 'CZ',
  swaziland: 'SZ',
  macedonia: 'MK',
  'the former yugoslav republic of macedonia': 'MK',
  'libyan arab jamahiriya': 'LY',
  'gaza strip': 'PS',
  'west bank': 'PS',
  北朝鮮: 'KP',
  朝鮮民主主義人民共和国: 'KP',
  大韓民国: 'KR',
  イラン・イスラム共和国: 'IR',
  シリア・アラブ共和国: 'SY',
  コンゴ民主共和国: 'CD',
  英国: 'GB',
  米国: 'US',
  アメリカ合衆国: 'US',
};

const key = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[(),.]/g, ' ')
    .replace(/^the\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();

let byName: Map<string, string> | undefined;

/**
 * The current code for a withdrawn one (YD, South Yemen, is YE; SU is RU): CLDR names the two
 * alike, and the withdrawn one comes first in A-Z order.
 */
function canonical(code: string): string {
  try {
    return new Intl.Locale(`und-${code}`).region ?? code;
  } catch {
    return code;
  }
}

function names(): Map<string, string> {
  if (byName !== undefined) return byName;
  byName = new Map();
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const codes = [...letters].flatMap((a) => [...letters].map((b) => a + b));
  for (const locale of ['en', 'ja']) {
    const display = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    for (const code of codes) {
      const name = display.of(code);
      if (name !== undefined && !byName.has(key(name))) byName.set(key(name), canonical(code));
    }
  }
  for (const [name, code] of Object.entries(FORMAL_NAMES)) byName.set(key(name), code);
  return byName;
}

// Codes CLDR names that are no country: EU, UN, the user-assigned range (but XK, Kosovo).
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ']);

/**
 * An ISO alpha-2 code for a code (any case) or a country's name in English or Japanese, or null.
 * Japanese names are read with and without a state's title (MOF writes ロシア連邦 and ロシア).
 */
export function toCountryCode(text: string | null | undefined): string | null {
  if (!text) return null;
  const trimmed = text.normalize('NFKC').trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    if (NOT_COUNTRIES.has(code)) return null;
    const region = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(code);
    return region === undefined ? null : code;
  }
  const table = names();
  const found =
    table.get(key(trimmed)) ?? table.get(key(trimmed.replace(/(連邦|共和国|王国|国)$/, '')));
  return found !== undefined && !NOT_COUNTRIES.has(found) ? found : null;
}
