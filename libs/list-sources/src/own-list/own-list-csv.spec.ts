import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListParseError } from '../list-entry';
import { parseOwnListCsv } from './own-list-csv';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'lists');
const GOOD = join(FIXTURES, 'ok', 'own-list.csv');
const BAD = join(FIXTURES, 'not-ok', 'own-list-bad-rows.csv');
const scratch = mkdtempSync(join(tmpdir(), 'sekimori-own-list-'));

describe('parseOwnListCsv', () => {
  it('reads address rows with their chain and name rows with their party kind', async () => {
    const list = await parseOwnListCsv(GOOD, { listId: 'desk-watch' });
    expect(list.listId).toBe('desk-watch');
    expect(list.entries.map((e) => [e.chain, e.address, e.entityId, e.programs])).toEqual([
      [
        'ethereum',
        expect.stringMatching(/^0x7ff9cfad3877f21d41da833e2f775db0569ee3d9$/i),
        'C-1001',
        ['fraud report 2026-01-14, case 88'],
      ],
      [
        'bitcoin',
        '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
        'C-1001',
        ['fraud report 2026-01-14, case 88'],
      ],
      ['tron', 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD', 'C-1002', ['police request 2026-02-03']],
    ]);
    // EVM addresses share one key on every EVM chain, as OFAC's do.
    expect(list.entries[0].key).toMatch(/^evm:/);
    expect(list.names).toEqual([
      expect.objectContaining({
        name: 'ヤマダ タロウ',
        entityId: 'P-77',
        entityName: '山田太郎',
        partyKind: 'individual',
        programs: ['account takeover 2025-12'],
      }),
      expect.objectContaining({
        name: 'Example Trading LLC',
        entityName: 'Example Trading LLC',
        partyKind: 'entity',
      }),
    ]);
    expect(list.stats).toMatchObject({ parties: 2, features: 3, distinctAddresses: 3 });
    expect(list.input).toEqual({ rows: 5, addressRows: 3, nameRows: 2, skippedRows: 0 });
  });

  it('refuses the whole file on any bad row, naming each line and what is wrong', async () => {
    const parsing = parseOwnListCsv(BAD, { listId: 'desk-watch' });
    await expect(parsing).rejects.toThrow(ListParseError);
    const message = await parseOwnListCsv(BAD, { listId: 'desk-watch' }).catch(
      (e: Error) => e.message,
    );
    expect(message).toContain('4 bad row(s), the file is refused whole');
    expect(message).toContain(
      "line 3: invalid bitcoin address '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh2'",
    );
    expect(message).toContain("line 4: chain 'dogecoin' is not one of");
    expect(message).toContain('line 5: reason is empty');
    expect(message).toContain("line 6: party_kind 'person' is not one of");
  });

  it('loads the good rows and reports the bad ones with skipBadRows', async () => {
    const list = await parseOwnListCsv(BAD, { listId: 'desk-watch', skipBadRows: true });
    expect(list.entries.map((e) => e.entityId)).toEqual(['C-1001', 'C-1002']);
    expect(list.names).toEqual([]);
    expect(list.badRows.map((b) => b.line)).toEqual([3, 4, 5, 6]);
  });

  it.each([
    ['reserved id', 'kind,entity_id,reason\n', 'jp-mof', /reserved/],
    ['empty file', '', 'desk-watch', /no header row/],
    ['header only', 'kind,entity_id,reason\n', 'desk-watch', /lists no address and no name/],
    ['header without reason', 'kind,chain,address,entity_id\n', 'desk-watch', /lacks reason/],
    ['unclosed quote', 'kind,entity_id,reason\nname,"x,y\n', 'desk-watch', /cannot read .* as CSV/],
  ])('refuses a %s', async (_name, text, listId, message) => {
    const path = join(scratch, `${listId}-${text.length}.csv`);
    writeFileSync(path, text);
    await expect(parseOwnListCsv(path, { listId })).rejects.toThrow(message);
  });
});
