import { exchangeContext, exposure, match } from '../__fixtures__/contexts';
import {
  appendRouting,
  decideRouting,
  type RoutingFinding,
  type RoutingLog,
  routingEntryOf,
} from './routing';
import { RulesConfig, validateRulesConfig } from '../rules-config';

/** One exchange transfer of account acct-1 in a routing scenario. */
interface Step {
  id: string;
  at: string;
  dir: 'in' | 'out' | 'internal';
  jpy?: string | null;
  amount?: string;
  asset?: string;
  /** The counterparty VASP's country (default: RU for deposits, SG for withdrawals). */
  country?: string | null;
  vasp?: string;
  residency?: string;
  listed?: boolean;
  exposed?: boolean;
}

function contextOf(step: Step) {
  const country = step.country === undefined ? (step.dir === 'in' ? 'RU' : 'SG') : step.country;
  return exchangeContext(
    {
      eventId: step.id,
      occurredAt: step.at,
      direction: step.dir === 'in' ? 'deposit' : step.dir === 'out' ? 'withdrawal' : 'internal',
      amount: step.amount ?? '1',
      asset: step.asset ?? 'BTC',
      valueJpy: step.jpy === null ? undefined : (step.jpy ?? '10000000'),
      counterparty: {
        walletType: country === null ? 'unhosted' : 'hosted',
        vaspCountry: country ?? undefined,
        vaspId: country === null ? undefined : (step.vasp ?? `vasp-${country}`),
        vaspName: country === null ? undefined : (step.vasp ?? `Exchange ${country}`),
        residency: step.residency,
      },
    },
    {
      matches: step.listed ? [match({ side: 'address', address: 'bc1qexternal' })] : [],
      exposures: step.exposed
        ? [exposure({ side: 'address', chain: 'bitcoin', address: 'bc1qexternal' })]
        : [],
    },
  );
}

/** Screens the steps in order against one account's log; per step, what it raised. */
function run(steps: Step[], config = new RulesConfig()): string[] {
  let log: RoutingLog = { nextSeq: 1, entries: [] };
  return steps.map((step) => {
    const entry = routingEntryOf(contextOf(step), config);
    if (entry === null) return `${step.id}:-`;
    const appended = appendRouting(log, entry, config);
    log = appended.log;
    const found = decideRouting(appended.own, appended.seen, config);
    return `${step.id}:${found.map(label).join('+') || 'none'}`;
  });
}

const label = (f: RoutingFinding): string =>
  `${f.pattern}${f.completedBy === 'late-inflow' ? '(late)' : ''}`;

const T = (day: number, hour = 0, second = 0) =>
  `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:${String(second).padStart(2, '0')}Z`;
const cfg = (patch: Record<string, unknown>) => validateRulesConfig(patch);
const IN: Step = { id: 'd1', at: T(1), dir: 'in', jpy: '10000000' };
const out = (id: string, at: string, patch: Partial<Step> = {}): Step => ({
  id,
  at,
  dir: 'out',
  jpy: '9000000',
  ...patch,
});

describe('THIRD_COUNTRY_ROUTING model', () => {
  const table: Array<[string, Step[], RulesConfig, string[]]> = [
    [
      'Russian VASP in, most of it to Singapore a day later',
      [IN, out('w1', T(2))],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through'],
    ],
    [
      '40% passed through: under the share',
      [IN, out('w1', T(2), { jpy: '4000000' })],
      new RulesConfig(),
      ['d1:none', 'w1:none'],
    ],
    [
      'exactly 50%: raised',
      [IN, out('w1', T(2), { jpy: '5000000' })],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through'],
    ],
    [
      'two withdrawals add up: the second crosses the share',
      [IN, out('w1', T(2), { jpy: '3000000' }), out('w2', T(3), { jpy: '3000000' })],
      new RulesConfig(),
      ['d1:none', 'w1:none', 'w2:pass-through'],
    ],
    [
      'exactly 72 hours after the inflow: raised',
      [IN, out('w1', T(4))],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through'],
    ],
    [
      '72 hours and a second: outside the window',
      [IN, out('w1', T(4, 0, 1))],
      new RulesConfig(),
      ['d1:none', 'w1:none'],
    ],
    [
      'a 24-hour window: a withdrawal two days later is outside',
      [IN, out('w1', T(3))],
      cfg({ routingWindowHours: 24, fanOutWindowHours: 24 }),
      ['d1:none', 'w1:none'],
    ],
    [
      'a withdrawal earlier than the inflow, screened after it: funds cannot leave before they arrive',
      [IN, out('w1', '2026-02-28T23:00:00Z')],
      new RulesConfig(),
      ['d1:none', 'w1:none'],
    ],
    [
      'out of order: the withdrawal screened first, the earlier deposit then completes it',
      [out('w1', T(2)), IN],
      new RulesConfig(),
      ['w1:none', 'd1:pass-through(late)'],
    ],
    [
      'out of order, but the withdrawal is more than 72 hours after the deposit',
      [out('w1', T(5)), IN],
      new RulesConfig(),
      ['w1:none', 'd1:none'],
    ],
    [
      'a withdrawal to a Japanese VASP is not routing',
      [IN, out('w1', T(2), { country: 'JP' })],
      new RulesConfig(),
      ['d1:none', 'w1:-'],
    ],
    [
      'a withdrawal to a US VASP is foreign but not a third country',
      [IN, out('w1', T(2), { country: 'US' })],
      new RulesConfig(),
      ['d1:none', 'w1:none'],
    ],
    [
      'an unhosted wallet of a counterparty resident in Singapore is a third country',
      [IN, out('w1', T(2), { country: null, residency: 'SG' })],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through'],
    ],
    [
      'a deposit from a Japanese VASP is no tainted inflow',
      [{ ...IN, country: 'JP' }, out('w1', T(2))],
      new RulesConfig(),
      ['d1:-', 'w1:none'],
    ],
    [
      'a deposit from a listed address is a tainted inflow',
      [{ ...IN, country: 'JP', listed: true }, out('w1', T(2))],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through'],
    ],
    [
      'a deposit from an exposed address is a tainted inflow',
      [{ ...IN, country: 'JP', exposed: true }, out('w1', T(2))],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through'],
    ],
    [
      'a deposit from a counterparty resident in Iran is a tainted inflow',
      [{ ...IN, country: null, residency: 'IR' }, out('w1', T(2))],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through'],
    ],
    [
      'a deposit from a Belarusian VASP (restricted) is a tainted inflow',
      [{ ...IN, country: 'BY' }, out('w1', T(2))],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through'],
    ],
    [
      'a third-country set of US only: US raises, Singapore does not',
      [IN, out('w1', T(2), { country: 'US' }), out('w2', T(2, 1))],
      cfg({ thirdCountries: ['US'] }),
      ['d1:none', 'w1:pass-through', 'w2:none'],
    ],
    [
      'a share of 0.95: 90% is not enough',
      [IN, out('w1', T(2))],
      cfg({ routingMinShare: '0.95' }),
      ['d1:none', 'w1:none'],
    ],
    [
      'a redelivered withdrawal raises the same again',
      [IN, out('w1', T(2)), out('w1', T(2))],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through', 'w1:pass-through'],
    ],
    [
      'a redelivered deposit after the withdrawal raises nothing new',
      [IN, out('w1', T(2)), IN],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through', 'd1:none'],
    ],
    [
      'a withdrawal under the share, redelivered after another crossed it, stays unraised',
      [
        IN,
        out('w1', T(2), { jpy: '3000000' }),
        out('w2', T(3), { jpy: '3000000' }),
        out('w1', T(2), { jpy: '3000000' }),
      ],
      new RulesConfig(),
      ['d1:none', 'w1:none', 'w2:pass-through', 'w1:none'],
    ],
    [
      'an internal transfer is not logged',
      [IN, { id: 'i1', at: T(2), dir: 'internal' }],
      new RulesConfig(),
      ['d1:none', 'i1:-'],
    ],
    [
      'no yen values, one asset: compared in BTC',
      [{ ...IN, jpy: null, amount: '2' }, out('w1', T(2), { jpy: null, amount: '1.5' })],
      new RulesConfig(),
      ['d1:none', 'w1:pass-through'],
    ],
    [
      'no yen values, two assets: the share cannot be known and nothing is raised',
      [{ ...IN, jpy: null }, out('w1', T(2), { jpy: null, asset: 'ETH' })],
      new RulesConfig(),
      ['d1:none', 'w1:none'],
    ],
    [
      'fan-out: three distinct foreign VASPs within a day of the inflow',
      [
        IN,
        out('w1', T(1, 2), { country: 'US', vasp: 'V1', jpy: '100000' }),
        out('w2', T(1, 3), { country: 'GB', vasp: 'V2', jpy: '100000' }),
        out('w3', T(1, 4), { country: 'CH', vasp: 'V3', jpy: '100000' }),
      ],
      new RulesConfig(),
      ['d1:none', 'w1:none', 'w2:none', 'w3:fan-out'],
    ],
    [
      'fan-out: the same VASP three times is one',
      [
        IN,
        out('w1', T(1, 2), { country: 'US', vasp: 'V1', jpy: '100000' }),
        out('w2', T(1, 3), { country: 'US', vasp: 'V1', jpy: '100000' }),
        out('w3', T(1, 4), { country: 'US', vasp: 'V1', jpy: '100000' }),
      ],
      new RulesConfig(),
      ['d1:none', 'w1:none', 'w2:none', 'w3:none'],
    ],
    [
      'fan-out: the third VASP exactly 24 hours after the inflow counts',
      [
        IN,
        out('w1', T(1, 2), { country: 'US', vasp: 'V1', jpy: '100000' }),
        out('w2', T(1, 3), { country: 'GB', vasp: 'V2', jpy: '100000' }),
        out('w3', T(2), { country: 'CH', vasp: 'V3', jpy: '100000' }),
      ],
      new RulesConfig(),
      ['d1:none', 'w1:none', 'w2:none', 'w3:fan-out'],
    ],
    [
      'fan-out: a second later it does not',
      [
        IN,
        out('w1', T(1, 2), { country: 'US', vasp: 'V1', jpy: '100000' }),
        out('w2', T(1, 3), { country: 'GB', vasp: 'V2', jpy: '100000' }),
        out('w3', T(2, 0, 1), { country: 'CH', vasp: 'V3', jpy: '100000' }),
      ],
      new RulesConfig(),
      ['d1:none', 'w1:none', 'w2:none', 'w3:none'],
    ],
    [
      'fan-out threshold 2: the second VASP raises',
      [
        IN,
        out('w1', T(1, 2), { country: 'US', vasp: 'V1', jpy: '100000' }),
        out('w2', T(1, 3), { country: 'GB', vasp: 'V2', jpy: '100000' }),
      ],
      cfg({ fanOutMinVasps: 2 }),
      ['d1:none', 'w1:none', 'w2:fan-out'],
    ],
    [
      'fan-out without a tainted inflow raises nothing',
      [
        { ...IN, country: 'JP' },
        out('w1', T(1, 2), { country: 'US', vasp: 'V1' }),
        out('w2', T(1, 3), { country: 'GB', vasp: 'V2' }),
        out('w3', T(1, 4), { country: 'CH', vasp: 'V3' }),
      ],
      new RulesConfig(),
      ['d1:-', 'w1:none', 'w2:none', 'w3:none'],
    ],
    [
      'fan-out out of order: the withdrawals first, the deposit completes it',
      [
        out('w1', T(1, 2), { country: 'US', vasp: 'V1', jpy: '100000' }),
        out('w2', T(1, 3), { country: 'GB', vasp: 'V2', jpy: '100000' }),
        out('w3', T(1, 4), { country: 'CH', vasp: 'V3', jpy: '100000' }),
        IN,
      ],
      new RulesConfig(),
      ['w1:none', 'w2:none', 'w3:none', 'd1:fan-out(late)'],
    ],
    [
      'pass-through and fan-out on one withdrawal to the third of three Singapore VASPs',
      [
        IN,
        out('w1', T(1, 2), { vasp: 'S1', jpy: '3000000' }),
        out('w2', T(1, 3), { vasp: 'S2', jpy: '3000000' }),
        out('w3', T(1, 4), { vasp: 'S3', jpy: '3000000' }),
      ],
      new RulesConfig(),
      ['d1:none', 'w1:none', 'w2:pass-through', 'w3:pass-through+fan-out'],
    ],
    [
      'the cap on entries drops the oldest: the inflow is gone when the outflow comes',
      [
        IN,
        ...Array.from({ length: 10 }, (_, i) =>
          out(`f${i}`, T(1, 1 + i), { country: 'US', vasp: 'V1', jpy: '1' }),
        ),
        out('w1', T(2)),
      ],
      cfg({ routingMaxEntriesPerAccount: 10 }),
      ['d1:none', ...Array.from({ length: 10 }, (_, i) => `f${i}:none`), 'w1:none'],
    ],
  ];

  it.each(table)('%s', (_name, steps, config, expected) => {
    expect(run(steps, config)).toEqual(expected);
  });

  it('the pass-through finding carries the inflows, outflows, sums and share', () => {
    const config = new RulesConfig();
    let log: RoutingLog = { nextSeq: 1, entries: [] };
    for (const step of [IN, out('w1', T(2), { jpy: '3000000' })]) {
      log = appendRouting(log, routingEntryOf(contextOf(step), config)!, config).log;
    }
    const entry = routingEntryOf(contextOf(out('w2', T(3), { jpy: '6000000' })), config)!;
    const { own, seen } = appendRouting(log, entry, config);
    const [found] = decideRouting(own, seen, config);
    expect(found).toMatchObject({
      pattern: 'pass-through',
      unit: 'JPY',
      inflowSum: '10000000',
      outflowSum: '9000000',
      share: '0.9',
      windowHours: 72,
    });
    expect(found.inflows.map((e) => e.eventId)).toEqual(['d1']);
    expect(found.outflows.map((e) => e.eventId)).toEqual(['w1', 'w2']);
    expect(found.inflows[0].why).toEqual(['from a VASP in RU (Exchange RU)']);
  });

  it('prunes entries two windows older than the newest', () => {
    const config = new RulesConfig();
    let log: RoutingLog = { nextSeq: 1, entries: [] };
    for (const step of [IN, out('w1', T(2)), out('w2', T(8))]) {
      log = appendRouting(log, routingEntryOf(contextOf(step), config)!, config).log;
    }
    expect(log.entries.map((e) => e.eventId)).toEqual(['w1', 'w2']);
    expect(log.nextSeq).toBe(4);
  });
});
