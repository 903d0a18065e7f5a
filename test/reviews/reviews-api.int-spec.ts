import { createHash } from 'node:crypto';
import { ConfigResourceTypes } from 'kafkajs';
import type { Clearance } from '@sekimori/contracts';
import { httpGet, httpPortOf, metricValue } from '../health/http-probe';
import { waitFor } from '../support/env';
import { kafka } from '../support/kafka';
import { screenerFixture } from '../support/screener-fixture';
import { listedPersonAccount, review, Reviews, withdrawalTo } from './support';

jest.setTimeout(240_000);

const SCREENING_TOKEN = 'screening-token-for-the-reviews-api';
const REVIEWER_TOKEN = 'reviewer-token-for-the-reviews-api';
const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';

async function call<T = Record<string, unknown>>(
  port: number,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  token: string | null = REVIEWER_TOKEN,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/**
 * The broker refuses every write to `topic` (a record batch is always over 1 byte) or takes them
 * again: a real broker fault for one topic, set through the topic's own configuration.
 */
async function refuseWrites(topic: string, refuse: boolean): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: [{ name: 'max.message.bytes', value: refuse ? '1' : '1048588' }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
  // Until the broker applies it: a harmless effect (a revocation of no clearance) as the probe,
  // from a producer of its own (a refused batch must not disturb another's sequence numbers).
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    const probe = { kind: 'revoke', clearanceId: 'probe' };
    await waitFor(
      refuse ? `${topic} refusing writes` : `${topic} taking writes`,
      async () => {
        const sent = await producer
          .send({
            topic,
            acks: -1,
            messages: [{ key: 'clearance:probe', value: JSON.stringify(probe) }],
          })
          .then(
            () => true,
            () => false,
          );
        return sent !== refuse;
      },
      30_000,
      200,
    );
  } finally {
    await producer.disconnect();
  }
}

describe('reviews over HTTP: POST /v1/reviews, GET and DELETE /v1/clearances', () => {
  const f = screenerFixture();
  const r = new Reviews(f);

  it('a reviewer clears a hold with one request; keys, refusals, clearances listed and revoked', async () => {
    await r.start({
      HTTP_PORT: '0',
      SCREENING_API_KEYS: digest(SCREENING_TOKEN),
      REVIEW_API_KEYS: digest(REVIEWER_TOKEN),
    });
    const port = await httpPortOf(f.screener!);
    const account = listedPersonAccount(`acct-api-${r.groupId}`);
    const held = withdrawalTo('Hanako Suzuki', { account });
    const blocked = withdrawalTo('Hanako Suzuki', {
      chain: 'ethereum',
      asset: 'ETH',
      address: GARANTEX_ETH,
    });
    await r.transfers([held, blocked]);
    await r.decided([held, blocked]);
    const alert = r.alertOf(held, 'NAME_MATCH');
    const body = review(alert.alertId, 'cleared', { reviewer: 'officer-5' });

    expect((await call(port, 'POST', '/v1/reviews', body, null)).status).toBe(401);
    expect((await call(port, 'POST', '/v1/reviews', body, 'wrong')).status).toBe(401);
    expect((await call(port, 'POST', '/v1/reviews', body, SCREENING_TOKEN)).status).toBe(403);
    // The screening API takes no reviewer key either.
    expect((await call(port, 'POST', '/v1/screen', held, REVIEWER_TOKEN)).status).toBe(401);

    const unknown = await call(port, 'POST', '/v1/reviews', review('f'.repeat(32), 'cleared'));
    expect(unknown).toMatchObject({ status: 404, body: { code: 'UNKNOWN_ALERT' } });
    const address = await call(
      port,
      'POST',
      '/v1/reviews',
      review(r.alertOf(blocked, 'SANCTIONS_ADDRESS_MATCH').alertId, 'cleared'),
    );
    expect(address).toMatchObject({ status: 400, body: { code: 'OUTCOME_NOT_ALLOWED' } });
    const malformed = await call(port, 'POST', '/v1/reviews', { ...body, outcome: 'maybe' });
    expect(malformed).toMatchObject({
      status: 400,
      body: { code: 'SCHEMA_VIOLATION', fields: ['outcome'] },
    });

    const accepted = await call(port, 'POST', '/v1/reviews', body);
    expect(accepted).toMatchObject({
      status: 202,
      body: {
        reviewId: body.reviewId,
        alertId: alert.alertId,
        eventId: held.eventId,
        outcome: 'cleared',
      },
    });
    expect(await r.finalised(held)).toMatchObject({ decision: 'pass', reviewIds: [body.reviewId] });
    // Only the accepted review reached the topic: the refused ones were answered, not produced.
    expect(r.refusals().size).toBe(0);

    const listed = await call<{ clearances: Clearance[]; freeze: unknown }>(
      port,
      'GET',
      `/v1/clearances?subjectKey=${encodeURIComponent(account.id)}`,
      undefined,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.freeze).toBeNull();
    expect(listed.body.clearances).toEqual([
      expect.objectContaining({
        ruleId: 'NAME_MATCH',
        listId: 'ofac-sdn',
        entityId: '25308',
        reviewer: 'officer-5',
      }),
    ]);
    const [clearance] = listed.body.clearances;
    const screened = await call<{ decision: { decision: string; suppressed?: unknown[] } }>(
      port,
      'POST',
      '/v1/screen',
      withdrawalTo('Hanako Suzuki', { account }),
      SCREENING_TOKEN,
    );
    expect(screened.body.decision).toMatchObject({
      decision: 'pass',
      suppressed: [expect.objectContaining({ clearanceId: clearance.clearanceId })],
    });

    const suppressed = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([suppressed]);
    await r.decided([suppressed]);
    expect(r.decisionsOf(suppressed)[0].suppressed).toHaveLength(1);
    const metrics = async () => (await httpGet<string>(port, '/metrics')).text;
    const counted = async () =>
      metricValue(await metrics(), 'sekimori_matches_suppressed_total', { rule: 'NAME_MATCH' });
    await waitFor('the suppressed match counted', async () => (await counted()) === 1, 15_000);
    const exposition = await metrics();
    const reviewed = { outcome: 'cleared', result: 'applied' };
    expect(metricValue(exposition, 'sekimori_reviews_total', reviewed)).toBe(1);
    expect(metricValue(exposition, 'sekimori_hold_to_final_seconds_count')).toBe(1);
    expect(metricValue(exposition, 'sekimori_review_effects_total', { effect: 'cleared' })).toBe(1);
    expect(metricValue(exposition, 'sekimori_clearances_in_force')).toBe(1);
    expect(metricValue(exposition, 'sekimori_frozen_subjects')).toBe(0);

    // The effects topic cannot take the revocation: nothing changes, the clearance stays in force.
    await refuseWrites(r.topics.reviewEffects, true);
    const unrecorded = await call(
      port,
      'DELETE',
      `/v1/clearances/${clearance.clearanceId}`,
      undefined,
    );
    await refuseWrites(r.topics.reviewEffects, false);
    expect(unrecorded).toMatchObject({
      status: 503,
      body: {
        code: 'BROKER_UNAVAILABLE',
        message: expect.stringContaining('nothing was changed (a clearance stays in force)'),
      },
    });
    const still = await call<{ clearances: Clearance[] }>(
      port,
      'GET',
      `/v1/clearances?subjectKey=${encodeURIComponent(account.id)}`,
      undefined,
    );
    expect(still.body.clearances.map((c) => c.clearanceId)).toEqual([clearance.clearanceId]);
    const stillSuppressed = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([stillSuppressed]);
    await r.decided([stillSuppressed]);
    expect(r.decisionsOf(stillSuppressed)[0]).toMatchObject({
      decision: 'pass',
      suppressed: [expect.objectContaining({ clearanceId: clearance.clearanceId })],
    });

    expect(
      (
        await call(
          port,
          'DELETE',
          `/v1/clearances/${clearance.clearanceId}`,
          undefined,
          SCREENING_TOKEN,
        )
      ).status,
    ).toBe(403);
    const revoked = await call(
      port,
      'DELETE',
      `/v1/clearances/${clearance.clearanceId}`,
      undefined,
    );
    expect(revoked).toMatchObject({ status: 200, body: { clearanceId: clearance.clearanceId } });
    expect(
      await call(port, 'DELETE', `/v1/clearances/${clearance.clearanceId}`, undefined),
    ).toMatchObject({
      status: 404,
      body: { code: 'UNKNOWN_CLEARANCE' },
    });
    const after = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([after]);
    await r.decided([after]);
    expect(r.decisionsOf(after)[0].decision).toBe('hold');
    await waitFor(
      'the gauge without the revoked clearance',
      async () => metricValue(await metrics(), 'sekimori_clearances_in_force') === 0,
      15_000,
    );

    // Redis loses the review state: the rebuild replays the clearance and its revocation, and
    // the revoked clearance does not come back.
    await r.dropReviewState();
    const rebuilt = withdrawalTo('Hanako Suzuki', { account });
    await r.transfers([rebuilt]);
    await r.decided([rebuilt]);
    expect(r.decisionsOf(rebuilt)[0]).toMatchObject({ decision: 'hold' });
    expect(r.decisionsOf(rebuilt)[0].suppressed).toBeUndefined();
    expect(metricValue(await metrics(), 'sekimori_clearances_in_force')).toBe(0);
  });
});
