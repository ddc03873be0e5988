import { expect, it } from 'vitest';
import { type ApiClient, type Credential, describeEachDatabase } from '../support/harness.ts';
import { type Received, startReceiver, verify, waitUntil } from './receiver.ts';

/**
 * Delivery fairness (issue: "no endpoint can starve others; a receiver timeout never blocks other
 * deliveries"), against a real server and real HTTP receivers. Small pools, so the limits are reached.
 */
const TIMEOUT_MS = 2000;
const CONCURRENCY = 4;
const PER_ENDPOINT = 2;
/** How much later than the sender the receiver may notice a dropped request (see `peak`). */
const DROP_SLACK_MS = 50;
/** Delay before the second attempt. */
const RETRY_MS = 200;

const env = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
  WEBHOOK_CONCURRENCY: String(CONCURRENCY),
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: String(PER_ENDPOINT),
  WEBHOOK_POLL_INTERVAL_MS: '25',
  // A failed first attempt is retried soon (a hanging endpoint keeps claiming its share), the next much later.
  WEBHOOK_RETRY_SCHEDULE_SECONDS: `0,${RETRY_MS / 1000},60`,
};

async function createEndpoint(api: ApiClient, auth: Credential, url: string, disabled = false) {
  const created = await api.request('POST', '/api/v1/webhooks/endpoints', { auth, json: { url, disabled } });
  expect(created.status, created.text).toBe(201);
  const secret = await api.request('GET', `/api/v1/webhooks/endpoints/${created.body.id}/secret`, { auth });
  return { id: created.body.id as string, secret: secret.body.key as string };
}

async function setDisabled(api: ApiClient, auth: Credential, id: string, disabled: boolean) {
  const res = await api.request('PATCH', `/api/v1/webhooks/endpoints/${id}`, { auth, json: { disabled } });
  expect(res.status, res.text).toBe(200);
}

/** `count` test messages to an endpoint, `parallel` requests at a time; message id → time just before its request. */
async function sendTests(api: ApiClient, auth: Credential, id: string, count: number, parallel = 8) {
  const sentAt = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        next += 1;
        const before = Date.now();
        const res = await api.request('POST', `/api/v1/webhooks/endpoints/${id}/test`, { auth });
        expect(res.status, res.text).toBe(202);
        sentAt.set(res.body.message_id, before);
      }
    }),
  );
  return sentAt;
}

/** First arrival of each message, by `webhook-id`. */
function firstArrivals(requests: readonly Received[]): Map<string, number> {
  const first = new Map<string, number>();
  for (const r of requests) {
    const id = String(r.headers['webhook-id']);
    if (!first.has(id)) first.set(id, r.at);
  }
  return first;
}

/** Enqueue→first-arrival latency of every message in `sentAt` (all must have arrived). */
function latencies(sentAt: Map<string, number>, arrivals: Map<string, number>): number[] {
  return [...sentAt].map(([id, at]) => (arrivals.get(id) ?? Number.POSITIVE_INFINITY) - at);
}

describeEachDatabase(
  'webhook delivery fairness',
  (ctx) => {
    it('a receiver that never answers holds only its own share: another endpoint is served meanwhile, and the hung attempts are recorded as timeouts with a retry', async () => {
      const { api } = ctx();
      const receiver = await startReceiver((path) => (path === '/hang' ? 'hang' : 200));
      try {
        const dev = await api.registerDeveloper();
        const auth = { key: dev.key };
        const a = await createEndpoint(api, auth, receiver.url('/hang'));
        const b = await createEndpoint(api, auth, receiver.url('/healthy'));

        // A: more messages than its share, and the receiver never answers. Waiting on A would cost
        // TIMEOUT_MS per request: 6 s serially, 4 s two at a time.
        const aSent = await sendTests(api, auth, a.id, 3);
        await waitUntil(() => receiver.open('/hang') === PER_ENDPOINT, 10_000, 'A holding its share open');

        // B: while A's requests hang, B's messages go out at once, on the slots A may not take.
        const bSent = await sendTests(api, auth, b.id, 8);
        await waitUntil(
          () => [...bSent.keys()].every((id) => firstArrivals(receiver.on('/healthy')).has(id)),
          10_000,
          "all of B's messages",
        );
        const bArrivals = firstArrivals(receiver.on('/healthy'));
        const lastB = Math.max(...bArrivals.values());
        // Well under one timeout: B did not wait for even one of A's hanging requests.
        expect(Math.max(...latencies(bSent, bArrivals))).toBeLessThan(TIMEOUT_MS / 2);
        // …and all of it happened while A's first requests were still open.
        expect(receiver.on('/hang').filter((r) => r.abortedAt !== undefined && r.abortedAt <= lastB)).toEqual(
          [],
        );
        expect(receiver.open('/hang')).toBe(PER_ENDPOINT);
        expect(receiver.on('/healthy')).toHaveLength(bSent.size);
        for (const r of receiver.on('/healthy')) expect(verify(b.secret, r).type).toBe('webhook.test');

        // A's attempts end at the deadline and are recorded as timeouts, each with its next attempt.
        await waitUntil(
          () => receiver.on('/hang').filter((r) => r.abortedAt !== undefined).length >= PER_ENDPOINT,
          10_000,
          "A's first requests dropped",
        );
        // The sender, not the receiver, ended each dropped request, at the deadline.
        for (const r of receiver.on('/hang').filter((q) => q.abortedAt !== undefined)) {
          expect((r.abortedAt ?? 0) - r.at).toBeGreaterThanOrEqual(TIMEOUT_MS - 250);
          expect((r.abortedAt ?? 0) - r.at).toBeLessThan(TIMEOUT_MS + 1000);
        }
        let attempts: any[] = [];
        await waitUntil(
          async () => {
            const res = await api.request('GET', `/api/v1/webhooks/endpoints/${a.id}/attempts`, { auth });
            attempts = res.body.data;
            return attempts.length >= PER_ENDPOINT;
          },
          10_000,
          "A's attempts recorded",
        );
        for (const attempt of attempts) {
          expect(aSent.has(attempt.message_id)).toBe(true);
          expect(attempt).toMatchObject({
            attempt: 1,
            status_code: null,
            response_excerpt: null,
            error: `timed out after ${TIMEOUT_MS} ms`,
            delivery_status: 'pending',
          });
          expect(attempt.duration_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
          expect(attempt.duration_ms).toBeLessThan(TIMEOUT_MS + 1000);
          // Scheduled RETRY_MS after the outcome (created_at is when it was written, a moment later; the
          // database's clock, hence a little slack).
          const scheduled = Date.parse(attempt.next_attempt_at) - Date.parse(attempt.created_at);
          expect(scheduled).toBeGreaterThan(RETRY_MS - 500);
          expect(scheduled).toBeLessThanOrEqual(RETRY_MS + 50);
        }
        // …and the retry comes: the same message again, not before the next attempt it was given.
        const retried = () =>
          receiver
            .on('/hang')
            .find(
              (r, i, all) => all.findIndex((q) => q.headers['webhook-id'] === r.headers['webhook-id']) < i,
            );
        await waitUntil(() => retried() !== undefined, 10_000, 'the retry of a timed-out attempt');
        const retry = retried() as Received;
        const history = await api.request('GET', `/api/v1/webhooks/endpoints/${a.id}/attempts`, { auth });
        const first = (history.body.data as any[]).find(
          (x) => x.message_id === retry.headers['webhook-id'] && x.attempt === 1,
        );
        expect(first?.error).toBe(`timed out after ${TIMEOUT_MS} ms`);
        expect(retry.at).toBeGreaterThanOrEqual(Date.parse(first.next_attempt_at) - 50);
        // A never held more than its share, through timeouts and retries; nor did both more than the pool.
        expect(receiver.peak('/hang', DROP_SLACK_MS)).toBeLessThanOrEqual(PER_ENDPOINT);
        expect(receiver.peak(undefined, DROP_SLACK_MS)).toBeLessThanOrEqual(CONCURRENCY);
        // B: one attempt per message, each a success.
        const bAttempts = await api.request('GET', `/api/v1/webhooks/endpoints/${b.id}/attempts`, { auth });
        expect(bAttempts.body.data.map((x: any) => [x.attempt, x.status_code, x.delivery_status])).toEqual(
          Array.from({ length: bSent.size }, () => [1, 200, 'succeeded']),
        );
        // Stop A; closing the receiver drops what is still hanging.
        await setDisabled(api, auth, a.id, true);
      } finally {
        await receiver.close();
      }
    });

    it('a backlog on one slow endpoint does not starve another: the newcomer is served without waiting for the backlog to drain', async () => {
      const { api } = ctx();
      // Slow and uneven (150 or 250 ms per request), so A's requests end at different times.
      const receiver = await startReceiver((path, count) =>
        path === '/backlog' ? { status: 200, delayMs: count % 2 === 0 ? 250 : 150 } : 200,
      );
      try {
        const dev = await api.registerDeveloper();
        const auth = { key: dev.key };
        const backlog = 300;
        // The backlog is committed while A is disabled, then released at once.
        const a = await createEndpoint(api, auth, receiver.url('/backlog'), true);
        await sendTests(api, auth, a.id, backlog);
        const b = await createEndpoint(api, auth, receiver.url('/newcomer'));
        await setDisabled(api, auth, a.id, false);
        // A takes its share and keeps it: with 2 at a time and ~200 ms each, draining takes ~30 s.
        await waitUntil(() => receiver.on('/backlog').length >= 2 * PER_ENDPOINT, 10_000, 'A under way');

        const bSent = await sendTests(api, auth, b.id, 10);
        await waitUntil(
          () => [...bSent.keys()].every((id) => firstArrivals(receiver.on('/newcomer')).has(id)),
          10_000,
          "all of B's messages",
        );
        const bArrivals = firstArrivals(receiver.on('/newcomer'));
        // Bounded by the newcomer's own round trips, not by A's backlog (≥ 15 s even with the whole pool).
        expect(Math.max(...latencies(bSent, bArrivals))).toBeLessThan(2000);
        const aDelivered = firstArrivals(receiver.on('/backlog')).size;
        expect(aDelivered).toBeLessThan(backlog / 3);
        for (const r of receiver.on('/newcomer')) expect(verify(b.secret, r).type).toBe('webhook.test');
        // The per-endpoint cap held throughout (that is what left room for B), and so did the pool.
        expect(receiver.peak('/backlog')).toBeLessThanOrEqual(PER_ENDPOINT);
        expect(receiver.peak()).toBeLessThanOrEqual(CONCURRENCY);
        await setDisabled(api, auth, a.id, true);
        await waitUntil(() => receiver.open() === 0, 10_000, 'in-flight requests finished');
      } finally {
        await receiver.close();
      }
    });
  },
  { env },
);
