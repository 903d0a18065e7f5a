import { waitFor } from '../support/env';
import { screenerFixture } from '../support/screener-fixture';
import { LISTED_PERSON, review, Reviews, withdrawalTo } from './support';

jest.setTimeout(240_000);

const EVENTS = 60;

describe('kill -9 while reviews are being applied (exactly-once)', () => {
  const f = screenerFixture();
  const r = new Reviews(f);

  it('gives every reviewed event exactly one final decision under read_committed', async () => {
    await r.start();
    const events = Array.from({ length: EVENTS }, () => withdrawalTo(LISTED_PERSON));
    await r.transfers(events);
    await r.decided(events);
    const reviews = events.map((e) => review(r.alertOf(e, 'NAME_MATCH').alertId, 'cleared'));

    // Reviews arrive a few at a time, so the kill lands while some are being applied.
    const sending = (async () => {
      for (let i = 0; i < reviews.length; i += 3) {
        await r.send(...reviews.slice(i, i + 3));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const finals = () => events.filter((e) => r.finalsOf(e).length > 0).length;
    await waitFor('the first final decisions', () => finals() >= 5, 60_000, 20);
    await f.screener?.stop('SIGKILL');
    const atKill = finals();
    await sending;
    await r.restart();
    await waitFor('a final decision for every event', () => finals() === EVENTS, 120_000);
    await r.drained([r.topics.reviews, r.topics.exchange]);

    expect(atKill).toBeLessThan(EVENTS);
    for (const event of events) {
      expect(r.finalsOf(event)).toHaveLength(1);
      expect(r.decisionsOf(event).at(-1)).toMatchObject({ final: true, decision: 'pass' });
    }
  });
});
