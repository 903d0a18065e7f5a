import fc from 'fast-check';
import { CHAIN_IDS, DeadLetterCode } from '@sekimori/contracts';
import { exchangeTransfer, onchainTransfer } from '../support/fixtures';

/**
 * A generated corpus of hostile input: malformed messages of every kind the contract names
 * (docs/shared-contract.md, "Dead-letter messages"), each with the dead-letter code it must get, and
 * good events to interleave with them. Deterministic for a seed: the same seed gives the same
 * shapes (event ids differ per run, as the fixtures make them unique).
 */

export type InputTopic = 'onchain' | 'exchange';

export interface BadMessage {
  category: string;
  code: DeadLetterCode;
  topic: InputTopic;
  key: string | null;
  value: Buffer | null;
}

export interface GoodEvent {
  topic: InputTopic;
  key: string;
  value: Buffer;
  eventId: string;
  /** The one alert this event must raise, or null for a clean event. */
  expectedRule: 'SANCTIONS_ADDRESS_MATCH' | null;
}

export const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
export const GARANTEX_TRON = 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD';
export const GARANTEX_BTC = '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1';

/** A valid address per supported chain, to corrupt. */
const VALID: Record<string, string[]> = {
  bitcoin: ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
  litecoin: ['LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z', 'ltc1qx88q7zjd74lxwgkjmmwlqv5pd3vujuehexfttt'],
  'bitcoin-cash': ['bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a'],
  tron: ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
  solana: ['42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi'],
  ripple: ['rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh'],
};
const EVM = CHAIN_IDS.filter((c) => !(c in VALID));
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const RIPPLE58 = 'rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const MARK = '\u0000raw\u0000';
/** The object as JSON text with one field's value replaced by raw JSON text. */
const withRaw = (object: Record<string, unknown>, field: string, rawJson: string): Buffer =>
  Buffer.from(JSON.stringify({ ...object, [field]: MARK }).replace(JSON.stringify(MARK), rawJson));

function sample<T>(arb: fc.Arbitrary<T>, n: number, seed: number): T[] {
  return fc.sample(arb, { seed, numRuns: n });
}

/**
 * One character of a checksummed address replaced by another of its alphabet. Base58Check
 * (4-byte double-SHA256), bech32 and CashAddr checksums all catch a single substitution
 * (bech32 and CashAddr by construction, BIP-173 and the CashAddr spec; Base58Check with
 * probability 1 - 2^-32).
 */
function substitute(address: string, position: number, pick: number): string {
  const sep = Math.max(address.lastIndexOf(':'), address.toLowerCase().lastIndexOf('1', 4));
  const bechLike = address.includes(':') || /^(bc|ltc)1/i.test(address);
  const alphabet = bechLike ? BECH32 : address.startsWith('r') ? RIPPLE58 : BASE58;
  const start = bechLike ? sep + 1 : 1;
  const at = start + (position % (address.length - start));
  const current = address[at];
  const choices = alphabet.replace(current, '');
  return address.slice(0, at) + choices[pick % choices.length] + address.slice(at + 1);
}

/** EIP-55: every letter's case is fixed by the hash, so flipping one breaks the checksum. */
function flipEvmCase(address: string, position: number): string {
  const letters = [...address.slice(2)]
    .map((c, i) => [c, i + 2] as const)
    .filter(([c]) => /[a-fA-F]/.test(c));
  const [c, at] = letters[position % letters.length];
  const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  return address.slice(0, at) + flipped + address.slice(at + 1);
}

function invalidAddresses(seed: number, perChain: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const picks = sample(fc.tuple(fc.nat(), fc.nat(), fc.nat(3)), perChain * 10, seed);
  let p = 0;
  const next = () => picks[p++ % picks.length];
  for (const [chain, addresses] of Object.entries(VALID)) {
    for (let i = 0; i < perChain; i++) {
      const [position, pick, how] = next();
      const base = addresses[position % addresses.length];
      if (chain === 'solana') {
        // No checksum: invalid means not base58 or not 32 bytes.
        const bad = ['0', 'O', 'I', 'l'][pick % 4];
        const at = position % base.length;
        out.push([
          chain,
          how % 2 === 0
            ? base.slice(0, at) + bad + base.slice(at + 1)
            : base.slice(0, 8 + (position % 20)),
        ]);
      } else if (how === 3) {
        out.push([chain, `${base}${BASE58[pick % BASE58.length]}`.slice(1)]);
      } else {
        out.push([chain, substitute(base, position, pick)]);
      }
    }
  }
  for (let i = 0; i < perChain; i++) {
    const [position, pick, how] = next();
    const chain = EVM[position % EVM.length];
    const body = GARANTEX_ETH.slice(2);
    const bad =
      how === 0
        ? flipEvmCase(GARANTEX_ETH, pick)
        : how === 1
          ? `0x${body.slice(0, 39)}`
          : how === 2
            ? `0x${body}${'a'.repeat(1 + (pick % 3))}`
            : `0x${body.slice(0, 10)}g${body.slice(11)}`;
    out.push([chain, bad]);
  }
  // An address of another chain is invalid on this one.
  out.push(['ethereum', VALID.bitcoin[0]], ['bitcoin', GARANTEX_ETH], ['tron', VALID.ripple[0]]);
  out.push(['solana', GARANTEX_ETH], ['ripple', VALID.tron[0]], ['litecoin', VALID.bitcoin[1]]);
  return out;
}

/** A value that is never right for a field of the given kind. */
function wrongFor(kind: 'string' | 'int' | 'array' | 'object' | 'enum' | 'time' | 'decimal') {
  const notString = fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  );
  switch (kind) {
    case 'string':
    case 'decimal':
    case 'time':
      return kind === 'string'
        ? notString
        : fc.oneof(
            notString,
            fc.constantFrom('yesterday', '', 'NaN', '2026-13-01T00:00:00Z', '2026-03-15 09:30'),
          );
    case 'enum':
      return fc.oneof(notString, fc.constantFrom('WITHDRAWAL', 'send', '', 'hosted ', 'unknownx'));
    case 'int':
      return fc.oneof(
        fc.integer({ max: -1 }),
        fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
        fc.constantFrom('0', '1', true, null, [], {}, 2 ** 53 + 2),
      );
    case 'array':
      return fc.oneof(
        fc.string({ minLength: 1, maxLength: 10 }),
        fc.integer(),
        fc.constant([]),
        fc.constant({ 0: '0x00000000219ab540356cbb839cbe05303d7705fa' }),
      );
    case 'object':
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

const ONCHAIN_FIELDS = {
  eventId: 'string',
  chain: 'string',
  txHash: 'string',
  index: 'int',
  blockTime: 'time',
  from: 'array',
  to: 'string',
  asset: 'string',
  amount: 'decimal',
} as const;
const EXCHANGE_FIELDS = {
  eventId: 'string',
  exchangeId: 'string',
  direction: 'enum',
  occurredAt: 'time',
  account: 'object',
  chain: 'string',
  asset: 'string',
  amount: 'decimal',
  address: 'string',
  counterparty: 'object',
} as const;

export function buildCorpus(seed: number): { bad: BadMessage[]; good: GoodEvent[] } {
  const bad: BadMessage[] = [];
  let n = 0;
  const add = (
    category: string,
    code: DeadLetterCode,
    topic: InputTopic,
    value: Buffer | null,
    key: string | null = `bad-${n}`,
  ) => {
    n += 1;
    bad.push({ category, code, topic, key, value });
  };
  const either = (i: number): InputTopic => (i % 2 === 0 ? 'onchain' : 'exchange');
  const eventFor = (topic: InputTopic, patch: Record<string, unknown> = {}) =>
    topic === 'onchain' ? onchainTransfer(patch) : exchangeTransfer(patch);
  let s = seed;

  // Not JSON: arbitrary text JSON.parse refuses, and valid events cut short.
  const notJson = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).filter((t) => {
    try {
      JSON.parse(t);
      return false;
    } catch {
      return true;
    }
  });
  sample(notJson, 40, s++).forEach((t, i) =>
    add('not JSON', DeadLetterCode.INVALID_JSON, either(i), Buffer.from(t)),
  );
  sample(fc.tuple(fc.nat(), fc.boolean()), 20, s++).forEach(([cut, onchain], i) => {
    const text = JSON.stringify(eventFor(onchain ? 'onchain' : 'exchange'));
    add(
      'truncated JSON',
      DeadLetterCode.INVALID_JSON,
      either(i + (onchain ? 0 : 1)),
      Buffer.from(text.slice(0, 1 + (cut % (text.length - 2)))),
    );
  });

  // Bytes that are not UTF-8 (RFC 3629: stray continuation, overlong, surrogate, 5-byte
  // lead, truncated sequence, 0xFE/0xFF) inside an otherwise valid event.
  const invalidUtf8 = [
    [0xff],
    [0xfe],
    [0x80],
    [0xc3, 0x28],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xe2, 0x82],
  ];
  sample(fc.tuple(fc.nat(invalidUtf8.length - 1), fc.nat()), 40, s++).forEach(([which, at], i) => {
    const topic = either(i);
    const text = Buffer.from(JSON.stringify(eventFor(topic)));
    const pos = 10 + (at % (text.length - 20));
    add(
      'not UTF-8',
      DeadLetterCode.INVALID_JSON,
      topic,
      Buffer.concat([text.subarray(0, pos), Buffer.from(invalidUtf8[which]), text.subarray(pos)]),
    );
  });

  // Empty values: no bytes, a tombstone, whitespace.
  for (let i = 0; i < 6; i++) {
    add('empty value', DeadLetterCode.INVALID_JSON, either(i), Buffer.alloc(0));
    add('tombstone', DeadLetterCode.EMPTY_VALUE, either(i + 1), null);
    add(
      'whitespace only',
      DeadLetterCode.INVALID_JSON,
      either(i),
      Buffer.from(' \n\t '.repeat(i + 1)),
    );
  }

  // JSON that is not an object: arrays (also of valid events), strings, numbers, null.
  const notObject = fc.oneof(
    fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 }),
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  sample(notObject, 35, s++).forEach((v, i) =>
    add('not an object', DeadLetterCode.SCHEMA_VIOLATION, either(i), bytes(v)),
  );
  for (let i = 0; i < 5; i++) {
    const topic = either(i);
    add('array of events', DeadLetterCode.SCHEMA_VIOLATION, topic, bytes([eventFor(topic)]));
  }

  // Huge strings and arrays, still under the size limit.
  sample(fc.tuple(fc.integer({ min: 201, max: 60_000 }), fc.nat(2)), 20, s++).forEach(
    ([length, field], i) => {
      const topic = either(i);
      const name = ['eventId', 'asset', 'chain'][field];
      add(
        'huge string',
        DeadLetterCode.SCHEMA_VIOLATION,
        topic,
        bytes({ ...eventFor(topic), [name]: 'x'.repeat(length) }),
      );
    },
  );
  sample(fc.integer({ min: 101, max: 1_200 }), 15, s++).forEach((count) =>
    add(
      'huge array',
      DeadLetterCode.SCHEMA_VIOLATION,
      'onchain',
      bytes(
        onchainTransfer({ from: Array(count).fill('0x00000000219ab540356cbb839cbe05303d7705fa') }),
      ),
    ),
  );

  // Deep nesting: in known fields, and very deep (over 4 KB of brackets) anywhere.
  sample(fc.tuple(fc.integer({ min: 9, max: 400 }), fc.nat(2)), 20, s++).forEach(
    ([depth, where]) => {
      if (where === 0) {
        const address = '"0x00000000219ab540356cbb839cbe05303d7705fa"';
        const nested = `${'['.repeat(depth)}${address}${']'.repeat(depth)}`;
        add(
          'deep nesting',
          DeadLetterCode.SCHEMA_VIOLATION,
          'onchain',
          withRaw(onchainTransfer(), 'from', nested),
        );
        return;
      }
      const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const field = where === 1 ? 'account' : 'counterparty';
      add(
        'deep nesting',
        DeadLetterCode.SCHEMA_VIOLATION,
        'exchange',
        withRaw(exchangeTransfer(), field, nested),
      );
    },
  );
  sample(fc.integer({ min: 2_100, max: 20_000 }), 10, s++).forEach((depth, i) => {
    const topic = either(i);
    // Over 4 KiB of nesting, under the 64 KiB limit.
    const objects = Math.floor(depth / 2);
    const nested =
      i % 2 === 0
        ? `${'['.repeat(depth)}${']'.repeat(depth)}`
        : `${'{"a":'.repeat(objects)}1${'}'.repeat(objects)}`;
    add(
      'very deep nesting',
      DeadLetterCode.SCHEMA_VIOLATION,
      topic,
      withRaw(eventFor(topic), 'extra', nested),
    );
  });

  // Prototype keys, spelled literally, at the top or inside a nested object.
  const protoKeys = ['__proto__', 'constructor', 'prototype'];
  sample(fc.tuple(fc.nat(2), fc.jsonValue({ maxDepth: 2 }), fc.boolean()), 40, s++).forEach(
    ([k, value, nested], i) => {
      const topic = either(i);
      const member = `"${protoKeys[k]}":${JSON.stringify(value) ?? 'null'}`;
      const event = eventFor(topic);
      let text = JSON.stringify(event);
      if (nested && topic === 'exchange')
        text = text.replace('"account":{', `"account":{${member},`);
      else if (nested) text = text.replace('"type":', `"observer":{${member}},"type":`);
      else text = `{${member},${text.slice(1)}`;
      add('prototype key', DeadLetterCode.SCHEMA_VIOLATION, topic, Buffer.from(text));
    },
  );

  // Wrong types, field by field.
  const onchainWrong = fc
    .constantFrom(...Object.entries(ONCHAIN_FIELDS))
    .chain(([field, kind]) => wrongFor(kind).map((value) => ({ field, value })));
  const exchangeWrong = fc
    .constantFrom(...Object.entries(EXCHANGE_FIELDS))
    .chain(([field, kind]) => wrongFor(kind).map((value) => ({ field, value })));
  sample(onchainWrong, 40, s++).forEach(({ field, value }) =>
    add(
      'wrong type',
      DeadLetterCode.SCHEMA_VIOLATION,
      'onchain',
      bytes(onchainTransfer({ [field]: value })),
    ),
  );
  sample(exchangeWrong, 40, s++).forEach(({ field, value }) =>
    add(
      'wrong type',
      DeadLetterCode.SCHEMA_VIOLATION,
      'exchange',
      bytes(exchangeTransfer({ [field]: value })),
    ),
  );

  // Float or negative amounts and values: money is a non-negative decimal string.
  const badMoney = fc.oneof(
    fc.double({ min: -1e12, max: 1e12, noNaN: true }),
    fc.integer({ min: -1e9, max: -1 }).map(String),
    fc.double({ min: -1e6, max: -1e-6, noNaN: true }).map(String),
    fc.constantFrom('1e5', '1E-3', '0x10', '+1', '.5', '5.', '1,000', ' 1', '01', '-0.0'),
  );
  sample(fc.tuple(badMoney, fc.boolean()), 40, s++).forEach(([amount, onValue], i) => {
    const topic = either(i);
    const patch = onValue && typeof amount !== 'string' ? { valueJpy: amount } : { amount };
    add('bad amount', DeadLetterCode.SCHEMA_VIOLATION, topic, bytes(eventFor(topic, patch)));
  });
  for (const [i, zero] of ['0', '0.0', '0.000000'].entries()) {
    add(
      'zero amount',
      DeadLetterCode.SCHEMA_VIOLATION,
      either(i),
      bytes(eventFor(either(i), { amount: zero })),
    );
  }

  // Missing required fields.
  sample(fc.constantFrom(...Object.keys(ONCHAIN_FIELDS), 'type'), 15, s++).forEach((field) => {
    const event = onchainTransfer();
    delete event[field];
    add('missing field', DeadLetterCode.SCHEMA_VIOLATION, 'onchain', bytes(event));
  });
  sample(
    fc.constantFrom(
      ...Object.keys(EXCHANGE_FIELDS),
      'type',
      'account.id',
      'counterparty.walletType',
    ),
    15,
    s++,
  ).forEach((field) => {
    const event = exchangeTransfer();
    const [outer, inner] = field.split('.');
    if (inner) delete (event[outer] as Record<string, unknown>)[inner];
    else delete event[field];
    add('missing field', DeadLetterCode.SCHEMA_VIOLATION, 'exchange', bytes(event));
  });

  // Impossible times (Date.parse would roll them onto another day) and unassigned countries.
  const impossibleTimes = [
    '2026-02-30T00:00:00Z',
    '2026-02-29T12:00:00+09:00',
    '2026-04-31T00:00:00Z',
    '2026-03-15T24:00:00Z',
    '2016-12-31T23:59:60Z',
  ];
  impossibleTimes.forEach((time, i) => {
    const topic = either(i);
    const patch = topic === 'onchain' ? { blockTime: time } : { occurredAt: time };
    add('impossible time', DeadLetterCode.SCHEMA_VIOLATION, topic, bytes(eventFor(topic, patch)));
  });
  const unassigned = ['XX', 'ZZ', 'AA', 'QZ', 'UK'];
  unassigned.forEach((code, i) => {
    const event = exchangeTransfer();
    const patches = [
      { account: { ...(event.account as object), residency: code } },
      { counterparty: { walletType: 'hosted', vaspCountry: code } },
      { ipCountry: code },
    ];
    add(
      'unassigned country',
      DeadLetterCode.SCHEMA_VIOLATION,
      'exchange',
      bytes({ ...event, ...patches[i % patches.length] }),
    );
  });

  // Events of the other type on a topic.
  for (let i = 0; i < 5; i++) {
    add('wrong topic', DeadLetterCode.SCHEMA_VIOLATION, 'onchain', bytes(exchangeTransfer()));
    add('wrong topic', DeadLetterCode.SCHEMA_VIOLATION, 'exchange', bytes(onchainTransfer()));
  }

  // Unknown chains: well-formed names the service does not support.
  const supported = new Set<string>(CHAIN_IDS);
  const unknownChain = fc.oneof(
    fc.stringMatching(/^[a-z][a-z0-9-]{1,20}$/).filter((c) => !supported.has(c)),
    fc.constantFrom('Ethereum', 'BTC', 'eth', 'dogecoin', 'monero', 'bitcoin ', ' tron', 'ＥＴＨ'),
  );
  sample(unknownChain, 35, s++).forEach((chain, i) => {
    const topic = either(i);
    add(
      'unknown chain',
      DeadLetterCode.UNSUPPORTED_CHAIN,
      topic,
      bytes(eventFor(topic, { chain })),
    );
  });

  // Addresses invalid for their chain, on every supported chain, on either side.
  invalidAddresses(s++, 6).forEach(([chain, address], i) => {
    const where = i % 3;
    const value =
      where === 0
        ? exchangeTransfer({ chain, address })
        : where === 1
          ? onchainTransfer({ chain, to: address, from: [VALID_ON[chain]] })
          : onchainTransfer({ chain, from: [VALID_ON[chain], address], to: VALID_ON[chain] });
    add(
      'invalid address',
      DeadLetterCode.INVALID_ADDRESS,
      where === 0 ? 'exchange' : 'onchain',
      bytes(value),
    );
  });

  // Over the size limit (64 KiB by default): padded events and plain noise.
  sample(fc.integer({ min: 65_537, max: 300_000 }), 10, s++).forEach((size, i) => {
    const topic = either(i);
    const event = eventFor(topic);
    const pad = size - JSON.stringify(event).length;
    add(
      'too large',
      DeadLetterCode.TOO_LARGE,
      topic,
      bytes({ ...event, note: 'x'.repeat(Math.max(pad, 1)) }),
    );
  });
  sample(fc.integer({ min: 65_537, max: 100_000 }), 5, s++).forEach((size, i) =>
    add('too large', DeadLetterCode.TOO_LARGE, either(i), Buffer.alloc(size, 0x5b)),
  );

  for (const trap of shapeTraps()) {
    add(
      'shape trap (escaped key, deep nesting, array for object)',
      'SCHEMA_VIOLATION',
      trap.topic,
      trap.value,
    );
  }
  return { bad, good: goodEvents(seed) };
}

const VALID_ON: Record<string, string> = {
  ...Object.fromEntries(Object.entries(VALID).map(([chain, a]) => [chain, a[0]])),
  ...Object.fromEntries(EVM.map((chain) => [chain, '0x00000000219ab540356cbb839cbe05303d7705fa'])),
};

function goodEvents(seed: number): GoodEvent[] {
  const good: GoodEvent[] = [];
  const kinds = sample(fc.nat(5), 160, seed + 1000);
  for (const kind of kinds) {
    let event: Record<string, unknown>;
    let expectedRule: GoodEvent['expectedRule'] = 'SANCTIONS_ADDRESS_MATCH';
    switch (kind) {
      case 0: {
        const chain = EVM[good.length % EVM.length];
        const spelling = good.length % 2 === 0 ? GARANTEX_ETH : GARANTEX_ETH.toLowerCase();
        event = onchainTransfer({ chain, to: spelling });
        break;
      }
      case 1:
        event = onchainTransfer({
          chain: 'tron',
          asset: 'USDT',
          from: [GARANTEX_TRON],
          to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
        });
        break;
      case 2:
        event = exchangeTransfer({ address: GARANTEX_BTC });
        break;
      case 3:
        event = onchainTransfer();
        expectedRule = null;
        break;
      case 4:
        event = onchainTransfer({
          chain: 'bitcoin',
          asset: 'BTC',
          from: ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
          to: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
        });
        expectedRule = null;
        break;
      default:
        event = exchangeTransfer();
        expectedRule = null;
    }
    const topic: InputTopic = event.type === 'onchain-transfer' ? 'onchain' : 'exchange';
    good.push({
      topic,
      key: String(event.eventId),
      value: bytes(event),
      eventId: String(event.eventId),
      expectedRule,
    });
  }
  return good;
}

/**
 * Shapes a byte search or a lax nested check once let through (the decoder now walks every
 * message): forbidden keys spelled with JSON escapes, deep nesting in an unknown field of a small
 * message, and arrays where the contract wants objects. Each is otherwise a sanctioned transfer,
 * so a regression would show as an alert instead of a dead letter.
 */
function shapeTraps(): Array<{ topic: InputTopic; value: Buffer }> {
  const traps: Array<Record<string, unknown> | string> = [
    `${JSON.stringify(onchainTransfer({ to: GARANTEX_ETH })).slice(0, -1)},"\\u005f_proto__":{"x":1}}`,
    `${JSON.stringify(onchainTransfer({ to: GARANTEX_ETH })).slice(0, -1)},"constructo\\u0072":"x"}`,
    `${JSON.stringify(onchainTransfer({ to: GARANTEX_ETH })).slice(0, -1)},"x":${'['.repeat(40)}${']'.repeat(40)}}`,
    exchangeTransfer({ address: GARANTEX_BTC, account: [] }),
    exchangeTransfer({ address: GARANTEX_BTC, counterparty: [] }),
    exchangeTransfer({
      address: GARANTEX_BTC,
      account: [{ id: 'acct-gap', residency: 'JP', kind: 'individual' }],
    }),
  ];
  return traps.map((trap) => {
    const text = typeof trap === 'string' ? trap : JSON.stringify(trap);
    const event = JSON.parse(text) as Record<string, unknown>;
    return {
      topic: event.type === 'onchain-transfer' ? 'onchain' : 'exchange',
      value: Buffer.from(text),
    };
  });
}
