import {
  exchangeContext,
  exposure,
  exposurePath,
  hop,
  match,
  onchainContext,
} from '../__fixtures__/contexts';
import { exposingMatch } from '../fund-flows/exposure';
import { RulesConfig } from '../rules-config';
import { IndirectExposureRule } from './indirect-exposure.rule';

const rule = new IndirectExposureRule();
const config = new RulesConfig();

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const LAZARUS = '0x098b716b8aaf21512996dc57eb0615e2383e2f96';

describe('IndirectExposureRule', () => {
  it.each([
    ['on-chain event, no exposure', onchainContext(), []],
    ['exchange event, no exposure', exchangeContext(), []],
    ['on-chain event, exposed sender', onchainContext({}, [], [exposure()]), [A]],
    [
      'on-chain event, exposed recipient',
      onchainContext({}, [], [exposure({ side: 'to', address: B })]),
      [B],
    ],
    [
      'exchange withdrawal to an exposed wallet',
      exchangeContext({}, { exposures: [exposure({ side: 'address', chain: 'bsc' })] }),
      [A],
    ],
    [
      'exposed address that is also listed: left to SANCTIONS_ADDRESS_MATCH',
      onchainContext({}, [match({ address: A, side: 'from' })], [exposure()]),
      [],
    ],
    [
      'listed recipient, exposed sender: the sender is still raised',
      onchainContext({}, [match()], [exposure()]),
      [A],
    ],
    [
      'transfer from a listed sender to an already exposed address: it renews the exposure',
      onchainContext(
        { from: [LAZARUS] },
        [match({ address: LAZARUS, side: 'from' })],
        [exposure({ side: 'to', address: B })],
      ),
      [],
    ],
    [
      'an exchange account that receives: its exposure matters when funds leave',
      exchangeContext(
        { direction: 'deposit' },
        {
          exposures: [
            exposure({
              side: 'account',
              chain: 'bitcoin',
              address: 'account acct-1 at jp-exchange',
            }),
          ],
        },
      ),
      [],
    ],
    [
      'an exchange account that sends: raised, with no list match (an account has no address)',
      exchangeContext(
        {},
        {
          exposures: [
            exposure({
              side: 'account',
              chain: 'bitcoin',
              address: 'account acct-1 at jp-exchange',
            }),
          ],
        },
      ),
      ['account acct-1 at jp-exchange'],
    ],
    [
      'exposed sender and exposed recipient: both, in event order',
      onchainContext({}, [], [exposure(), exposure({ side: 'to', address: B })]),
      [A, B],
    ],
  ])('%s', (_name, ctx, raised) => {
    const found = rule.evaluate(ctx, config);
    expect(found?.exposurePaths?.map((x) => x.address) ?? []).toEqual(raised);
    if (found) {
      expect(found.ruleId).toBe('INDIRECT_EXPOSURE');
      expect(found.severity).toBe('high');
      expect(found.action).toBe('review');
      expect(found.reasons).toHaveLength(raised.length);
    }
  });

  it('a sending account is raised with its path but no list match', () => {
    const x = exposure({
      side: 'account',
      chain: 'bitcoin',
      address: 'account acct-1 at jp-exchange',
    });
    const found = rule.evaluate(exchangeContext({}, { exposures: [x] }), config);
    expect(found?.matches).toEqual([]);
    expect(found?.exposurePaths).toEqual([x]);
    expect(found?.reasons[0]).toMatch(
      /^Account acct-1 at jp-exchange received funds directly from/,
    );
  });

  it('names the path: the source, each hop with its transfer, time and amount, and the share', () => {
    const path = exposurePath(
      [
        hop(),
        hop({
          eventId: 'oc-1',
          at: '2026-03-15T00:00:00Z',
          from: A,
          to: B,
          amount: '4',
          valueJpy: '2000000',
        }),
      ],
      { attributedAmount: '1', attributedJpy: '500000', share: '0.25' },
    );
    const found = rule.evaluate(
      onchainContext({ from: [B], to: A, eventId: 'oc-2' }, [], [exposure({ address: B }, path)]),
      config,
    );
    expect(found?.reasons).toEqual([
      `Sending address ${B} on ethereum received funds 2 hops from LAZARUS GROUP's address ${LAZARUS} on ethereum (sanctions list ofac-sdn, entity 12345): ${LAZARUS} → ${A} in transfer oc-0 at 2026-03-14T09:30:00Z (1 ETH, ¥500,000); ${A} → ${B} in transfer oc-1 at 2026-03-15T00:00:00Z (4 ETH, ¥2,000,000). Up to 1 ETH (¥500,000), 25% of the last transfer, can be attributed to the listed source.`,
    ]);
    expect(found?.exposurePaths?.[0].path.hops).toHaveLength(2);
  });

  it('names the exposed address, the sanctioned source, its transfer and time; matches carry the source entity', () => {
    const found = rule.evaluate(
      exchangeContext({}, { exposures: [exposure({ side: 'address', chain: 'bsc' })] }),
      config,
    );
    expect(found?.reasons).toEqual([
      `External wallet address ${A} on bsc received funds directly from LAZARUS GROUP's address ${LAZARUS} on ethereum (sanctions list ofac-sdn, entity 12345): ${LAZARUS} → ${A} in transfer oc-0 at 2026-03-14T09:30:00Z (1 ETH, ¥500,000). Up to 1 ETH (¥500,000), 100% of the last transfer, can be attributed to the listed source.`,
    ]);
    expect(found?.matches).toEqual([
      {
        listId: 'ofac-sdn',
        listVersion: '2026-03-01',
        entityId: '12345',
        entityName: 'LAZARUS GROUP',
        programs: ['DPRK3', 'CYBER2'],
        chain: 'bsc',
        address: A,
        side: 'address',
      },
    ]);
    expect(found?.subject).toBe(`bsc:${A}`);
    expect(found?.legalBasis[0]).toContain('FSA request of 14 March 2022');
    expect(found?.legalBasis[1]).toContain('FATF');
    expect(found?.reasons.join(' ')).not.toContain('acct-1');
  });

  it('the subject is the sorted set of exposed addresses, whatever their order', () => {
    const one = rule.evaluate(
      onchainContext({}, [], [exposure({ side: 'to', address: B }), exposure()]),
      config,
    );
    const other = rule.evaluate(
      onchainContext({}, [], [exposure(), exposure({ side: 'to', address: B })]),
      config,
    );
    expect(one?.subject).toBe(`ethereum:${A},ethereum:${B}`);
    expect(other?.subject).toBe(one?.subject);
  });

  it.each([
    [
      'listed sender, clean recipient',
      onchainContext({}, [match({ side: 'from', address: A })]),
      true,
    ],
    ['listed recipient', onchainContext({}, [match(), match({ side: 'from', address: A })]), false],
    ['no match', onchainContext(), false],
    [
      'exchange deposit from a listed wallet: exposes the account',
      exchangeContext({ direction: 'deposit' }, { matches: [match({ side: 'address' })] }),
      true,
    ],
    [
      'exchange withdrawal to a listed wallet: exposes nothing',
      exchangeContext({}, { matches: [match({ side: 'address' })] }),
      false,
    ],
  ])('exposingMatch: %s', (_name, ctx, exposes) => {
    expect(exposingMatch(ctx) !== null).toBe(exposes);
  });
});
