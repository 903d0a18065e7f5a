import { buildNameIndex, NameSearchIndex } from '@sekimori/name-matching';
import { defaultRules, RuleEngine, validateRulesConfig } from '@sekimori/rules';
import { InMemoryReviews } from '../__fixtures__/in-memory-reviews';
import { InMemoryStores } from '../__fixtures__/in-memory-stores';
import { ScreenTransfers } from './screen-transfers';
import { decodeTransfer, type ScreenableTransfer } from './transfer-decoder';

const LISTED = [
  ...buildNameIndex([
    {
      entityId: '25308',
      entityName: 'YAN, Xiaobing',
      partyKind: 'individual',
      name: 'YAN, Xiaobing',
      nameType: 'primary',
      lowQuality: false,
      programs: ['ILLICIT-DRUGS-EO14059'],
    },
  ]).fields.values(),
].flat();

/** A withdrawal of the listed person's namesake, made at `occurredAt`. */
function withdrawal(eventId: string, occurredAt: string): ScreenableTransfer {
  const decoded = decodeTransfer(
    Buffer.from(
      JSON.stringify({
        type: 'exchange-transfer',
        eventId,
        exchangeId: 'jp-exchange-1',
        direction: 'withdrawal',
        occurredAt,
        account: { id: 'acct-1', residency: 'JP', kind: 'individual', name: 'Xiaobing Yan' },
        chain: 'bitcoin',
        asset: 'BTC',
        amount: '0.1',
        valueJpy: '1500000',
        address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
        counterparty: {
          walletType: 'hosted',
          vaspId: 'jp-vasp-2',
          vaspCountry: 'JP',
          residency: 'JP',
        },
      }),
    ),
    'exchange-transfer',
    65_536,
  );
  if (!decoded.ok) throw new Error(`${decoded.code}: ${decoded.detail}`);
  return decoded;
}

async function setUp() {
  const stores = new InMemoryStores();
  stores.listedNames = LISTED;
  const reviews = new InMemoryReviews();
  const fingerprint = new NameSearchIndex(LISTED).entryFingerprint('25308');
  const screening = new ScreenTransfers(
    { ...stores.asStores(), clearances: reviews, freezes: reviews },
    new RuleEngine(defaultRules(), validateRulesConfig({})),
    () => new Date('2026-06-01T00:00:00Z'),
  );
  // Cleared on 1 March, revoked on 1 April; frozen on 1 April by another review, released 1 May.
  await reviews.put([
    {
      clearanceId: 'c1',
      subjectKey: 'acct-1',
      ruleId: 'NAME_MATCH',
      listId: 'ofac-sdn',
      entityId: '25308',
      fingerprint,
      reviewId: 'rv-clear',
      alertId: 'a0',
      reviewer: 'officer-3',
      clearedAt: '2026-03-01T00:00:00Z',
      expiresAt: '2027-03-01T00:00:00Z',
    },
  ]);
  await reviews.revoke('c1', '2026-04-01T00:00:00Z');
  await reviews.freeze({
    subjectKey: 'acct-1',
    reviewId: 'rv-freeze',
    alertId: 'a1',
    reviewer: 'officer-9',
    confirmedAt: '2026-04-01T00:00:00Z',
  });
  await reviews.release('acct-1', 'a1', '2026-05-01T00:00:00Z');
  return screening;
}

describe("ScreenTransfers: reviews in force at the event's time (re-screens, replays)", () => {
  it('applies the clearance and freeze that stood when each event happened; now, neither', async () => {
    const screening = await setUp();
    const events = [
      withdrawal('before-any', '2026-02-15T00:00:00Z'),
      withdrawal('cleared', '2026-03-15T00:00:00Z'),
      withdrawal('frozen', '2026-04-15T00:00:00Z'),
      withdrawal('after-all', '2026-05-15T00:00:00Z'),
    ];
    const atEvent = await screening.screen(events, 'preview', 'event');
    const summary = atEvent.map(({ decision, context }) => ({
      decision: decision.decision,
      suppressed: (decision.suppressed ?? []).map((s) => s.clearanceId),
      frozenBy: (context.freezes ?? []).map((f) => f.reviewId),
    }));
    expect(summary).toEqual([
      { decision: 'hold', suppressed: [], frozenBy: [] },
      { decision: 'pass', suppressed: ['c1'], frozenBy: [] },
      { decision: 'block', suppressed: [], frozenBy: ['rv-freeze'] },
      { decision: 'hold', suppressed: [], frozenBy: [] },
    ]);

    // The live stream's answer for the same events: the revoked clearance and the lifted
    // freeze count for none of them.
    const now = await screening.screen(events, 'preview');
    expect(now.map(({ decision }) => decision.decision)).toEqual(['hold', 'hold', 'hold', 'hold']);
    expect(now.every(({ decision }) => decision.suppressed === undefined)).toBe(true);
  });
});
