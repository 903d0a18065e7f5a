import { alertIdOf, subjectKeyOf } from './alert-factory';
import { decodeTransfer, type ScreenableTransfer } from './transfer-decoder';

function transfer(patch: Record<string, unknown>): ScreenableTransfer {
  const decoded = decodeTransfer(
    Buffer.from(
      JSON.stringify({
        type: 'onchain-transfer',
        eventId: 'e1',
        chain: 'bitcoin',
        txHash: 'ab',
        index: 0,
        blockTime: '2026-03-15T09:30:00Z',
        from: ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
        to: 'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ',
        asset: 'BTC',
        amount: '1',
        ...patch,
      }),
    ),
    'onchain-transfer',
    65536,
  );
  if (!decoded.ok) throw new Error(decoded.detail);
  return decoded;
}

describe('alertIdOf', () => {
  it('is the same for the same event, rule and subject, and differs otherwise', () => {
    const id = alertIdOf('e1', 'SANCTIONS_ADDRESS_MATCH');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(alertIdOf('e1', 'SANCTIONS_ADDRESS_MATCH')).toBe(id);
    expect(alertIdOf('e2', 'SANCTIONS_ADDRESS_MATCH')).not.toBe(id);
    expect(alertIdOf('e1', 'STRUCTURING')).not.toBe(id);
    expect(alertIdOf('e1', 'SANCTIONS_ADDRESS_MATCH', 'x')).not.toBe(id);
    // No ambiguity between fields: "a" + "bc" is not "ab" + "c".
    expect(alertIdOf('a', 'bc')).not.toBe(alertIdOf('ab', 'c'));
  });
});

describe('subjectKeyOf', () => {
  it('is the receiving address, normalised, when no observer is set', () => {
    expect(subjectKeyOf(transfer({}))).toBe('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq');
  });

  it("is the observer's own wallet: the sender's when the exchange sent it", () => {
    expect(subjectKeyOf(transfer({ observer: { exchangeId: 'jp-1', side: 'sender' } }))).toBe(
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    );
    expect(subjectKeyOf(transfer({ observer: { exchangeId: 'jp-1', side: 'receiver' } }))).toBe(
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    );
  });
});
