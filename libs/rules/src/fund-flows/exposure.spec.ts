import type { ExposurePath, ListMatch } from '@sekimori/contracts';
import {
  exchangeContext,
  exposurePath,
  exposureSource,
  hop,
  match,
  onchainContext,
} from '../__fixtures__/contexts';
import type { ScreeningContext } from '../context';
import {
  accountNodeKey,
  type AddressExposure,
  exposureStep,
  type FlowAddress,
  flowOf,
  mergePaths,
  pathRank,
} from './exposure';
import { RulesConfig, validateRulesConfig } from '../rules-config';

/** Listed addresses of these scenarios (G: Garantex-like source; H: another listed entity). */
const LISTED: Record<string, string> = { G: 'GARANTEX', H: 'HYDRA' };

/** One transfer of a scenario: on-chain by default; `deposit`/`withdrawal` at exchange `ex`. */
interface Step {
  id: string;
  at: string;
  from?: string[];
  to?: string;
  amount?: string;
  asset?: string;
  jpy?: string | null;
  deposit?: { account: string; from: string };
  withdrawal?: { account: string; to: string };
  internal?: { account: string; to: string };
}

const key = (label: string) => `evm:${label}`;

function listedMatch(label: string, side: ListMatch['side']): ListMatch {
  return match({
    address: label,
    side,
    entityId: LISTED[label],
    entityName: LISTED[label],
  });
}

function contextOf(step: Step): { ctx: ScreeningContext; addresses: FlowAddress[] } {
  const money = {
    amount: step.amount ?? '1',
    asset: step.asset ?? 'ETH',
    valueJpy: step.jpy === null ? undefined : (step.jpy ?? '1000000'),
  };
  const ex = step.deposit ?? step.withdrawal ?? step.internal;
  if (ex !== undefined) {
    const wallet = step.deposit?.from ?? step.withdrawal?.to;
    const direction = step.deposit ? 'deposit' : step.withdrawal ? 'withdrawal' : 'internal';
    const addresses: FlowAddress[] =
      wallet === undefined ? [] : [{ side: 'address', canonical: wallet, key: key(wallet) }];
    const matches = wallet && LISTED[wallet] ? [listedMatch(wallet, 'address')] : [];
    const ctx = exchangeContext(
      {
        eventId: step.id,
        occurredAt: step.at,
        direction,
        address: wallet,
        account: { id: ex.account },
        counterparty: { accountId: step.internal?.to },
        ...money,
      },
      { matches },
    );
    return { ctx, addresses };
  }
  const from = step.from ?? [];
  const to = step.to as string;
  const addresses: FlowAddress[] = [
    ...from.map((a): FlowAddress => ({ side: 'from', canonical: a, key: key(a) })),
    { side: 'to', canonical: to, key: key(to) },
  ];
  const matches = addresses
    .filter((a) => LISTED[a.canonical])
    .map((a) => listedMatch(a.canonical, a.side));
  const ctx = onchainContext({ eventId: step.id, blockTime: step.at, from, to, ...money }, matches);
  return { ctx, addresses };
}

/** Runs the steps in order against an in-memory record per node, as the store keeps it. */
function run(steps: Step[], config = new RulesConfig()) {
  const records = new Map<string, ExposurePath[]>();
  const seen = new Map<string, AddressExposure[]>();
  for (const step of steps) {
    const { ctx, addresses } = contextOf(step);
    const flow = flowOf(ctx.event, addresses);
    const valued = { ...ctx, valueJpy: ctx.valuation.valueJpy };
    const result = exposureStep(valued, flow, (k) => records.get(k) ?? [], config);
    seen.set(step.id, result.seen);
    if (flow.recipient && result.created.length > 0) {
      const k = flow.recipient.key;
      records.set(
        k,
        mergePaths(records.get(k) ?? [], result.created, config.exposureMaxPathsPerAddress),
      );
    }
  }
  return { records, seen };
}

function hopsTo(records: Map<string, ExposurePath[]>, node: string): string[] {
  return (records.get(node) ?? []).map((p) => p.hops.map((h) => h.eventId).join('>'));
}

const D = (day: number, hour = 0) =>
  `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
const config = (patch: Record<string, unknown>) => validateRulesConfig(patch);

describe('exposure over several hops', () => {
  const chain: Step[] = [
    { id: 'e1', at: D(1), from: ['G'], to: 'A' },
    { id: 'e2', at: D(2), from: ['A'], to: 'B' },
    { id: 'e3', at: D(3), from: ['B'], to: 'C' },
    { id: 'e4', at: D(4), from: ['C'], to: 'D' },
  ];

  const table: Array<[string, Step[], RulesConfig, string, string[]]> = [
    [
      'a listed sender exposes the recipient: one hop',
      chain.slice(0, 1),
      new RulesConfig(),
      'A',
      ['e1'],
    ],
    ['two hops', chain.slice(0, 2), new RulesConfig(), 'B', ['e1>e2']],
    ['three hops: the default limit', chain.slice(0, 3), new RulesConfig(), 'C', ['e1>e2>e3']],
    ['a fourth hop is past the limit', chain, new RulesConfig(), 'D', []],
    [
      'limit 1: the second hop carries nothing',
      chain.slice(0, 2),
      config({ exposureMaxHops: 1 }),
      'B',
      [],
    ],
    [
      'limit 4: the fourth hop carries',
      chain,
      config({ exposureMaxHops: 4 }),
      'D',
      ['e1>e2>e3>e4'],
    ],
    [
      'dust from the listed address exposes its direct recipient (contract)',
      [{ ...chain[0], jpy: '500' }],
      new RulesConfig(),
      'A',
      ['e1'],
    ],
    [
      'but passes nothing on',
      [
        { ...chain[0], jpy: '500' },
        { ...chain[1], jpy: '500' },
      ],
      new RulesConfig(),
      'B',
      [],
    ],
    [
      'exactly the minimum yen passes on',
      [
        { ...chain[0], jpy: '10000' },
        { ...chain[1], jpy: '10000' },
      ],
      new RulesConfig(),
      'B',
      ['e1>e2'],
    ],
    [
      'one sen under the minimum does not',
      [
        { ...chain[0], jpy: '9999.99' },
        { ...chain[1], jpy: '9999.99' },
      ],
      new RulesConfig(),
      'B',
      [],
    ],
    [
      'minimum 0: dust passes on too',
      [
        { ...chain[0], jpy: '1' },
        { ...chain[1], jpy: '1' },
      ],
      config({ exposureMinJpy: '0' }),
      'B',
      ['e1>e2'],
    ],
    [
      'an unknown yen value is not dust',
      [{ ...chain[0], jpy: null }],
      new RulesConfig(),
      'A',
      ['e1'],
    ],
    [
      'a small tainted part of a much larger transfer does not carry (5% < 10%)',
      [chain[0], { ...chain[1], jpy: '20000000' }],
      new RulesConfig(),
      'B',
      [],
    ],
    [
      'exactly the minimum share carries (10%)',
      [chain[0], { ...chain[1], jpy: '10000000' }],
      new RulesConfig(),
      'B',
      ['e1>e2'],
    ],
    [
      'a tainted part that is dust by yen does not carry',
      [chain[0], { ...chain[1], jpy: '5000' }],
      new RulesConfig(),
      'B',
      [],
    ],
    [
      'weakened on the way: 1M in, 4M out (25%), then 12M out (1M of 12M = 8.3%) stops',
      [chain[0], { ...chain[1], jpy: '4000000' }, { ...chain[2], jpy: '12000000' }],
      new RulesConfig(),
      'C',
      [],
    ],
    [
      'a transfer earlier than the one that tainted its sender carries nothing',
      [chain[0], { ...chain[1], at: '2026-02-28T23:59:59Z' }],
      new RulesConfig(),
      'B',
      [],
    ],
    [
      'a transfer at the same time carries',
      [chain[0], { ...chain[1], at: D(1) }],
      new RulesConfig(),
      'B',
      ['e1>e2'],
    ],
    [
      'exactly the exposure lifetime after the last hop still carries',
      [chain[0], { ...chain[1], at: '2026-05-30T00:00:00Z' }],
      new RulesConfig(),
      'B',
      ['e1>e2'],
    ],
    [
      'a second past the exposure lifetime carries nothing',
      [chain[0], { ...chain[1], at: '2026-05-30T00:00:01Z' }],
      new RulesConfig(),
      'B',
      [],
    ],
    [
      'a listed recipient gets no path',
      [{ id: 'e1', at: D(1), from: ['G'], to: 'H' }],
      new RulesConfig(),
      'H',
      [],
    ],
    [
      'a clean and an exposed input: the recipient is exposed through the exposed one',
      [chain[0], { id: 'e2', at: D(2), from: ['X', 'A'], to: 'B' }],
      new RulesConfig(),
      'B',
      ['e1>e2'],
    ],
    [
      'two sources reach one address: both paths, fewest hops first',
      [chain[0], chain[1], { id: 'e5', at: D(3), from: ['H'], to: 'B' }],
      new RulesConfig(),
      'B',
      ['e5', 'e1>e2'],
    ],
    [
      'the cap keeps the paths with the fewest hops',
      [chain[0], chain[1], { id: 'e5', at: D(3), from: ['H'], to: 'B' }],
      config({ exposureMaxPathsPerAddress: 1 }),
      'B',
      ['e5'],
    ],
    [
      'a loop back to the first address is one more hop',
      [chain[0], chain[1], { id: 'e3', at: D(3), from: ['B'], to: 'A' }],
      new RulesConfig(),
      'A',
      ['e1', 'e1>e2>e3'],
    ],
    [
      'a redelivered transfer adds no second path',
      [chain[0], chain[0], chain[1], chain[1]],
      new RulesConfig(),
      'B',
      ['e1>e2'],
    ],
    [
      'a deposit from an exposed address exposes the account',
      [chain[0], chain[1], { id: 'x1', at: D(3), deposit: { account: 'acct-9', from: 'B' } }],
      new RulesConfig(),
      accountNodeKey('jp-exchange', 'acct-9'),
      ['e1>e2>x1'],
    ],
    [
      'a deposit from a listed address exposes the account',
      [{ id: 'x1', at: D(3), deposit: { account: 'acct-9', from: 'G' } }],
      new RulesConfig(),
      accountNodeKey('jp-exchange', 'acct-9'),
      ['x1'],
    ],
    [
      'a withdrawal from an exposed account exposes the wallet',
      [
        { id: 'x1', at: D(3), deposit: { account: 'acct-9', from: 'G' } },
        { id: 'x2', at: D(4), withdrawal: { account: 'acct-9', to: 'W' } },
      ],
      new RulesConfig(),
      key('W'),
      ['x1>x2'],
    ],
    [
      'an internal transfer passes exposure to the other account',
      [
        { id: 'x1', at: D(3), deposit: { account: 'acct-9', from: 'G' } },
        { id: 'x2', at: D(4), internal: { account: 'acct-9', to: 'acct-10' } },
      ],
      new RulesConfig(),
      accountNodeKey('jp-exchange', 'acct-10'),
      ['x1>x2'],
    ],
    [
      'G → A → B → exchange → W is four hops: past the default limit',
      [
        chain[0],
        chain[1],
        { id: 'x1', at: D(3), deposit: { account: 'acct-9', from: 'B' } },
        { id: 'x2', at: D(4), withdrawal: { account: 'acct-9', to: 'W' } },
      ],
      new RulesConfig(),
      key('W'),
      [],
    ],
  ];

  it.each(table)('%s', (_name, steps, cfg, node, paths) => {
    const { records } = run(steps, cfg);
    const k = node.includes(':') ? node : key(node);
    expect(hopsTo(records, k)).toEqual(paths);
  });

  it('the attributed amount is capped by what was attributed before, in yen and in the asset', () => {
    const { records } = run([
      { ...chain[0], amount: '2', jpy: '1000000' },
      { ...chain[1], amount: '1', jpy: '500000' },
      { ...chain[2], amount: '8', jpy: '2000000' },
    ]);
    const [atC] = records.get(key('C')) ?? [];
    expect(atC).toMatchObject({ attributedJpy: '500000', attributedAmount: '2', share: '0.25' });
    const { records: noYen } = run([
      { ...chain[0], amount: '1', jpy: null },
      { ...chain[1], amount: '4', jpy: null },
    ]);
    expect(noYen.get(key('B'))?.[0]).toMatchObject({
      attributedAmount: '1',
      attributedJpy: null,
      share: '0.25',
    });
  });

  it('another asset with no yen value: the whole transfer is attributed', () => {
    const { records } = run([
      { ...chain[0], amount: '1', jpy: null },
      { ...chain[1], amount: '4000', asset: 'USDT', jpy: null },
    ]);
    expect(records.get(key('B'))?.[0]).toMatchObject({ attributedAmount: '4000', share: '1' });
  });

  const seenTable: Array<[string, Step[], string, string[]]> = [
    ['the exposed sender of the next transfer is seen', chain.slice(0, 2), 'e2', ['A:e1']],
    ['nothing is seen on the transfer that creates the exposure', chain.slice(0, 1), 'e1', []],
    [
      'a redelivery of the creating transfer sees nothing (its own path is left out)',
      [chain[0], chain[0]],
      'e1',
      [],
    ],
    [
      'a redelivery of A → B after B → C sees what it saw the first time',
      [chain[0], chain[1], chain[2], chain[1]],
      'e2',
      ['A:e1'],
    ],
    [
      'a path that ends after the event is not held against it (out of order)',
      [chain[0], { id: 'e0', at: '2026-02-27T00:00:00Z', from: ['X'], to: 'A' }],
      'e0',
      [],
    ],
  ];

  it.each(seenTable)('seen: %s', (_name, steps, eventId, expected) => {
    const { seen } = run(steps);
    expect(
      (seen.get(eventId) ?? []).map(
        (x) => `${x.address}:${x.path.hops.map((h) => h.eventId).join('>')}`,
      ),
    ).toEqual(expected);
  });

  it('mergePaths keeps an id it holds and sorts by hops then id', () => {
    const one = exposurePath([hop({ eventId: 'b' })]);
    const two = exposurePath([hop({ eventId: 'a' }), hop({ eventId: 'c' })]);
    const again = { ...one, share: '0.5' };
    expect(mergePaths([two, one], [again], 4)).toEqual([one, two]);
    expect(pathRank(two)).toBe('2|ofac-sdn|12345|a>c');
  });

  it('a tracked address holding the most paths stays under 6 KB as JSON (docs/rules.md)', () => {
    const long = 'x'.repeat(64);
    const worst = Array.from({ length: 4 }, (_, p) =>
      exposurePath(
        Array.from({ length: 3 }, (_, i) =>
          hop({
            eventId: `${long}-${p}-${i}`,
            from: `0x${'a'.repeat(40)}`,
            to: `0x${'b'.repeat(40)}`,
            amount: '123456.123456789012345678',
            valueJpy: '123456789012.12',
          }),
        ),
        { source: exposureSource(), attributedAmount: '1.123456789012345678', share: '0.123456' },
      ),
    );
    const bytes = Buffer.byteLength(JSON.stringify(worst));
    expect(bytes).toBeLessThan(6144);
  });
});
