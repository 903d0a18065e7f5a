import type { ListEntry } from './list-entry';
import { computeListVersion } from './list-version';

const entry = (patch: Partial<ListEntry> = {}): ListEntry => ({
  key: 'bitcoin:3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
  chain: 'bitcoin',
  address: '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
  entityId: '36025',
  entityName: 'GARANTEX EUROPE OU',
  programs: ['CYBER4', 'RUSSIA-EO14024'],
  tag: 'XBT',
  ...patch,
});

describe('computeListVersion', () => {
  const a = entry();
  const b = entry({
    key: 'tron:TL1k1U6SHohxBqb68kCodxHc9y2LXoDSep',
    chain: 'tron',
    entityId: '55045',
  });

  it('is 16 hex characters and ignores the order of entries and of programs', () => {
    const version = computeListVersion('ofac-sdn', [a, b]);
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(computeListVersion('ofac-sdn', [b, a])).toBe(version);
    expect(
      computeListVersion('ofac-sdn', [entry({ programs: ['RUSSIA-EO14024', 'CYBER4'] }), b]),
    ).toBe(version);
  });

  it.each<[string, Partial<ListEntry>]>([
    ['a program', { programs: ['CYBER4'] }],
    ['the name', { entityName: 'GARANTEX' }],
    ['the tag', { tag: 'USDT' }],
    ['the entity', { entityId: '1' }],
  ])('changes when %s changes', (_what, patch) => {
    expect(computeListVersion('ofac-sdn', [entry(patch)])).not.toBe(
      computeListVersion('ofac-sdn', [a]),
    );
  });

  it('depends on the list id and on removals', () => {
    expect(computeListVersion('other', [a, b])).not.toBe(computeListVersion('ofac-sdn', [a, b]));
    expect(computeListVersion('ofac-sdn', [a])).not.toBe(computeListVersion('ofac-sdn', [a, b]));
  });
});
