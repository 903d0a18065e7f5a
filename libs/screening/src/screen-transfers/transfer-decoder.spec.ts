import { decodeTransfer } from './transfer-decoder';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const onchain = {
  type: 'onchain-transfer',
  eventId: 'e1',
  chain: 'ethereum',
  txHash: '0x1',
  index: 0,
  blockTime: '2026-03-15T09:30:00Z',
  from: [
    '0x00000000219ab540356cbb839cbe05303d7705fa',
    '0xDE0B295669A9FD93D5F28D9EC85E40F4CB697BAE',
  ],
  to: '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9',
  asset: 'ETH',
  amount: '1',
};

describe('decodeTransfer', () => {
  it('normalises every address of an on-chain transfer to its lookup key, with its side', () => {
    const result = decodeTransfer(json(onchain), 'onchain-transfer', 65536);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.addresses).toEqual([
      {
        side: 'from',
        field: 'from[0]',
        canonical: '0x00000000219ab540356cbb839cbe05303d7705fa',
        key: 'evm:0x00000000219ab540356cbb839cbe05303d7705fa',
      },
      {
        side: 'from',
        field: 'from[1]',
        canonical: '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae',
        key: 'evm:0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae',
      },
      {
        side: 'to',
        field: 'to',
        canonical: '0x7ff9cfad3877f21d41da833e2f775db0569ee3d9',
        key: 'evm:0x7ff9cfad3877f21d41da833e2f775db0569ee3d9',
      },
    ]);
  });

  it('gives the same key to one EVM address on two EVM chains', () => {
    const a = decodeTransfer(json(onchain), 'onchain-transfer', 65536);
    const b = decodeTransfer(
      json({ ...onchain, chain: 'polygon', to: onchain.to.toLowerCase() }),
      'onchain-transfer',
      65536,
    );
    expect(a.ok && b.ok && a.addresses[2].key === b.addresses[2].key).toBe(true);
  });

  it('dead-letters an unsupported chain with its own code', () => {
    expect(
      decodeTransfer(json({ ...onchain, chain: 'dogecoin' }), 'onchain-transfer', 65536),
    ).toMatchObject({
      ok: false,
      code: 'UNSUPPORTED_CHAIN',
    });
  });

  it('dead-letters a bad EIP-55 checksum and names the field without the address', () => {
    const bad = { ...onchain, to: '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D8' };
    const result = decodeTransfer(json(bad), 'onchain-transfer', 65536);
    expect(result).toMatchObject({ ok: false, code: 'INVALID_ADDRESS' });
    if (!result.ok) {
      expect(result.detail).toMatch(/^to is not a valid ethereum address/);
      expect(result.detail).not.toContain(bad.to);
    }
  });

  it('checks the exchange address, and lets an internal transfer go without one', () => {
    const exchange = {
      type: 'exchange-transfer',
      eventId: 'x1',
      exchangeId: 'jp-1',
      direction: 'withdrawal',
      occurredAt: '2026-03-15T09:30:00Z',
      account: { id: 'a1', residency: 'JP', kind: 'individual' },
      chain: 'tron',
      asset: 'USDT',
      amount: '10',
      address: 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD',
      counterparty: { walletType: 'unhosted' },
    };
    expect(decodeTransfer(json(exchange), 'exchange-transfer', 65536)).toMatchObject({
      ok: true,
      addresses: [{ side: 'address', key: 'tron:TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD' }],
    });
    expect(
      decodeTransfer(
        json({ ...exchange, address: 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbd' }),
        'exchange-transfer',
        65536,
      ),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_ADDRESS',
    });
    const internal = {
      ...exchange,
      direction: 'internal',
      address: undefined,
      counterparty: { walletType: 'hosted', accountId: 'a2' },
    };
    expect(decodeTransfer(json(internal), 'exchange-transfer', 65536)).toMatchObject({
      ok: true,
      addresses: [],
    });
  });
});
