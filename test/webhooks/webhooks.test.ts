import { afterAll, beforeAll, expect, it } from 'vitest';
import { appleBatch } from '../fixtures/sdk-batches.ts';
import { describeEachDatabase, startTestServer, waitForRun } from '../support/harness.ts';
import { startReceiver, verify, waitUntil } from './receiver.ts';

const env = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,0.1,0.1,0.1,0.1,0.1',
  WEBHOOK_POLL_INTERVAL_MS: '25',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_DISABLE_AFTER_SECONDS: '0',
  WEBHOOK_DISABLE_MIN_FAILURES: '5',
};

describeEachDatabase(
  'outgoing webhooks',
  (ctx) => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    beforeAll(async () => {
      receiver = await startReceiver((path, count) => {
        if (path.startsWith('/flaky')) return count <= 3 ? 503 : 200;
        if (path.startsWith('/down')) return 500;
        return 200;
      });
    });
    afterAll(async () => receiver.close());

    async function setup(path: string, filterTypes?: string[]) {
      const { api } = ctx();
      const dev = await api.registerDeveloper();
      const auth = { key: dev.key };
      const created = await api.request('POST', '/api/v1/webhooks/endpoints', {
        auth,
        json: {
          url: receiver.url(path),
          description: 'test',
          ...(filterTypes ? { filter_types: filterTypes } : {}),
        },
      });
      expect(created.status, created.text).toBe(201);
      const secret = await api.request('GET', `/api/v1/webhooks/endpoints/${created.body.id}/secret`, {
        auth,
      });
      expect(secret.body.key).toMatch(/^whsec_/);
      return { dev, auth, endpoint: created.body, secret: secret.body.key as string };
    }

    it('delivers the events of an SDK upload, signed so svix verifies every one, with filters and wildcards', async () => {
      const { api } = ctx();
      const all = await setup('/all');
      const filtered = await api.request('POST', '/api/v1/webhooks/endpoints', {
        auth: all.auth,
        json: {
          url: receiver.url('/filtered'),
          filter_types: ['workout.*', 'series.heart_rate.created', 'sync.completed'],
        },
      });
      const filteredSecret = (
        await api.request('GET', `/api/v1/webhooks/endpoints/${filtered.body.id}/secret`, { auth: all.auth })
      ).body.key;
      const user = await api.createUser(all.dev.key);
      const upload = await api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
        auth: all.auth,
        json: appleBatch(),
      });
      expect(upload.status, upload.text).toBe(202);
      await waitForRun(api, all.auth, user.id, upload.body.run_id);

      const expectedAll = [
        'sync.started',
        'sync.completed',
        'workout.created',
        'sleep.created',
        'series.heart_rate.created',
        'metrics.heart.created',
        'series.steps.created',
      ];
      const expectedFiltered = ['workout.created', 'series.heart_rate.created', 'sync.completed'];
      // Deliveries are concurrent and unordered: wait for every expected type, not for the last one sent.
      const seen = (path: string, type: string) =>
        receiver.on(path).some((r) => (JSON.parse(r.body) as { type: string }).type === type);
      await waitUntil(() => expectedAll.every((t) => seen('/all', t)), 15_000, 'all event types');
      await waitUntil(() => expectedFiltered.every((t) => seen('/filtered', t)), 15_000, 'filtered');
      const types = receiver.on('/all').map((r) => verify(all.secret, r));
      const names = new Set(types.map((p) => p.type));
      for (const expected of expectedAll) expect(names, expected).toContain(expected);
      for (const p of types) {
        expect(p.data.user_id).toBe(user.id);
        expect(Date.parse(p.timestamp)).not.toBeNaN();
      }
      const hr = types.find((p) => p.type === 'series.heart_rate.created');
      expect(hr?.data).toMatchObject({ series_type: 'heart_rate', count: expect.any(Number) });
      const filteredTypes = receiver.on('/filtered').map((r) => verify(filteredSecret, r).type);
      expect(new Set(filteredTypes)).toEqual(new Set(expectedFiltered));

      // Re-sending the same batch stores nothing new and fires no data events again.
      const before = receiver.on('/all').length;
      const again = await api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
        auth: all.auth,
        json: appleBatch(),
      });
      await waitForRun(api, all.auth, user.id, again.body.run_id);
      await waitUntil(() => receiver.on('/all').length >= before + 2, 15_000, 'second run events');
      await new Promise((r) => setTimeout(r, 300));
      const secondRun = receiver
        .on('/all')
        .slice(before)
        .map((r) => verify(all.secret, r).type);
      expect(secondRun.sort()).toEqual(['sync.completed', 'sync.started']);
    });

    it('emits connection.created and connection.revoked', async () => {
      const { api } = ctx();
      const s = await setup('/connections', ['connection.*']);
      const user = await api.createUser(s.dev.key);
      const created = await api.request('POST', `/api/v1/users/${user.id}/connections`, {
        auth: s.auth,
        json: { provider: 'sandbox' },
      });
      expect(created.status, created.text).toBe(201);
      const revoked = await api.request('DELETE', `/api/v1/users/${user.id}/connections/sandbox`, {
        auth: s.auth,
      });
      expect(revoked.status).toBe(204);
      await waitUntil(() => receiver.on('/connections').length >= 2, 15_000, 'connection events');
      const events = receiver.on('/connections').map((r) => verify(s.secret, r));
      expect(events.map((e) => e.type).sort()).toEqual(['connection.created', 'connection.revoked']);
      expect(events[0]?.data).toMatchObject({
        user_id: user.id,
        provider: 'sandbox',
        connection_id: created.body.id,
      });
    });

    it('retries a failing receiver: delivered on the 4th attempt, and the attempts endpoint shows all four', async () => {
      const { api } = ctx();
      const s = await setup('/flaky');
      const sent = await api.request('POST', `/api/v1/webhooks/endpoints/${s.endpoint.id}/test`, {
        auth: s.auth,
      });
      expect(sent.status).toBe(202);
      await waitUntil(() => receiver.on('/flaky').length >= 4, 15_000, '4 attempts');
      const seen = receiver.on('/flaky');
      for (const r of seen) {
        expect(r.headers['webhook-id']).toBe(sent.body.message_id);
        expect(verify(s.secret, r).type).toBe('webhook.test');
      }
      let attempts: any;
      for (let i = 0; i < 100; i++) {
        attempts = await api.request('GET', `/api/v1/webhooks/endpoints/${s.endpoint.id}/attempts`, {
          auth: s.auth,
        });
        if (attempts.body.data.length === 4 && attempts.body.data[0].delivery_status === 'succeeded') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(attempts.body.data.map((a: any) => [a.attempt, a.status_code])).toEqual([
        [4, 200],
        [3, 503],
        [2, 503],
        [1, 503],
      ]);
      expect(attempts.body.data[1].next_attempt_at).not.toBeNull();
      expect(attempts.body.data[0].response_excerpt).toContain('"ok":true');
      expect(attempts.body.data[0].duration_ms).toBeGreaterThanOrEqual(0);
      expect(attempts.body.pagination).toMatchObject({ has_more: false, total_count: 4 });
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.on('/flaky')).toHaveLength(4);
    });

    it('disables an endpoint that keeps failing, and says so with an endpoint.disabled event', async () => {
      const { api } = ctx();
      const s = await setup('/down-1');
      const watcher = await api.request('POST', '/api/v1/webhooks/endpoints', {
        auth: s.auth,
        json: { url: receiver.url('/watcher'), filter_types: ['endpoint.disabled'] },
      });
      await api.request('POST', `/api/v1/webhooks/endpoints/${s.endpoint.id}/test`, { auth: s.auth });
      let endpoint: any;
      for (let i = 0; i < 200; i++) {
        endpoint = (await api.request('GET', `/api/v1/webhooks/endpoints/${s.endpoint.id}`, { auth: s.auth }))
          .body;
        if (endpoint.disabled) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(endpoint.disabled).toBe(true);
      expect(endpoint.disabled_reason).toMatch(/failing/);
      await waitUntil(() => receiver.on('/watcher').length === 1, 10_000, 'endpoint.disabled');
      const watcherSecret = (
        await api.request('GET', `/api/v1/webhooks/endpoints/${watcher.body.id}/secret`, { auth: s.auth })
      ).body.key;
      const event = verify(watcherSecret, receiver.on('/watcher')[0]!);
      expect(event).toMatchObject({ type: 'endpoint.disabled', data: { endpoint_id: s.endpoint.id } });
      const attempts = receiver.on('/down-1').length;
      expect(attempts).toBeGreaterThanOrEqual(5);
      // Re-enabling clears the failure state.
      const enabled = await api.request('PATCH', `/api/v1/webhooks/endpoints/${s.endpoint.id}`, {
        auth: s.auth,
        json: { disabled: false },
      });
      expect(enabled.body).toMatchObject({ disabled: false, disabled_reason: null, failing_since: null });
    });

    it('signs with both secrets during a rotation overlap', async () => {
      const { api } = ctx();
      const s = await setup('/rotate');
      const rotated = await api.request('POST', `/api/v1/webhooks/endpoints/${s.endpoint.id}/secret/rotate`, {
        auth: s.auth,
      });
      expect(rotated.status).toBe(200);
      expect(rotated.body.key).not.toBe(s.secret);
      expect(rotated.body.previous_key).toBe(s.secret);
      await api.request('POST', `/api/v1/webhooks/endpoints/${s.endpoint.id}/test`, { auth: s.auth });
      await waitUntil(() => receiver.on('/rotate').length === 1, 10_000, 'rotated delivery');
      const r = receiver.on('/rotate')[0]!;
      expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(verify(s.secret, r).type).toBe('webhook.test');
      expect(verify(rotated.body.key, r).type).toBe('webhook.test');
      expect(() => verify('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', r)).toThrow();
    });

    it('splits a payload over 1 MB into chunks (a workout with a long route)', async () => {
      const { api } = ctx();
      const s = await setup('/chunks', ['workout.created']);
      const user = await api.createUser(s.dev.key);
      const start = Date.UTC(2026, 3, 1, 6);
      const route = Array.from({ length: 20_000 }, (_, i) => ({
        timestamp: new Date(start + i * 1000).toISOString(),
        latitude: 52.5 + i / 1e5,
        longitude: 13.4 + i / 1e5,
        altitude: 34.5,
      }));
      const upload = await api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
        auth: s.auth,
        json: {
          provider: 'apple',
          data: {
            records: [],
            sleep: [],
            workouts: [
              {
                id: 'long-run',
                type: 'HKWorkoutActivityTypeRunning',
                startDate: new Date(start).toISOString(),
                endDate: new Date(start + 20_000_000).toISOString(),
                route,
              },
            ],
          },
        },
      });
      expect(upload.status, upload.text).toBe(202);
      await waitForRun(api, s.auth, user.id, upload.body.run_id);
      await waitUntil(
        () => {
          const got = receiver.on('/chunks');
          return got.length > 0 && got.length === verify(s.secret, got[0]!).data.total_chunks;
        },
        15_000,
        'all chunks',
      );
      const chunks = receiver.on('/chunks').map((r) => {
        expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(1_000_000);
        return verify(s.secret, r);
      });
      expect(chunks.length).toBeGreaterThan(1);
      chunks.sort((a, b) => a.data.chunk_index - b.data.chunk_index);
      expect(chunks.map((c) => c.data.chunk_index)).toEqual(chunks.map((_, i) => i));
      expect(new Set(chunks.map((c) => c.data.chunk_group_id)).size).toBe(1);
      expect(chunks.flatMap((c) => c.data.route)).toHaveLength(20_000);
    });

    it('keeps endpoints per developer: another developer gets 404 everywhere', async () => {
      const { api } = ctx();
      const a = await setup('/tenant-a');
      const b = await api.registerDeveloper();
      const auth = { key: b.key };
      const id = a.endpoint.id;
      for (const [method, path] of [
        ['GET', `/api/v1/webhooks/endpoints/${id}`],
        ['PATCH', `/api/v1/webhooks/endpoints/${id}`],
        ['DELETE', `/api/v1/webhooks/endpoints/${id}`],
        ['GET', `/api/v1/webhooks/endpoints/${id}/secret`],
        ['POST', `/api/v1/webhooks/endpoints/${id}/secret/rotate`],
        ['POST', `/api/v1/webhooks/endpoints/${id}/test`],
        ['GET', `/api/v1/webhooks/endpoints/${id}/attempts`],
      ] as const) {
        const res = await api.request(method, path, {
          auth,
          ...(method === 'PATCH' ? { json: { description: 'x' } } : {}),
        });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      expect((await api.request('GET', '/api/v1/webhooks/endpoints', { auth })).body.data).toEqual([]);
      expect(
        (await api.request('GET', '/api/v1/webhooks/endpoints', { auth: a.auth })).body.data,
      ).toHaveLength(1);
      // Dashboard sessions work too.
      const login = new FormData();
      login.set('username', a.dev.email);
      login.set('password', a.dev.password);
      const session = await api.request('POST', '/api/v1/auth/login', { body: login });
      const list = await api.request('GET', '/api/v1/webhooks/endpoints', {
        auth: { bearer: session.body.access_token },
      });
      expect(list.body.data.map((e: any) => e.id)).toEqual([id]);
    });

    it('validates filters, lists the event catalogue, and deletes endpoints', async () => {
      const { api } = ctx();
      const s = await setup('/crud');
      const bad = await api.request('PATCH', `/api/v1/webhooks/endpoints/${s.endpoint.id}`, {
        auth: s.auth,
        json: { filter_types: ['workout.created', 'nope.*', 'bogus'] },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail.map((d: any) => d.loc)).toEqual([
        ['body', 'filter_types', 1],
        ['body', 'filter_types', 2],
      ]);
      const types = await api.request('GET', '/api/v1/webhooks/event-types', { auth: s.auth });
      const names: string[] = types.body.data.map((t: any) => t.name);
      for (const n of [
        'workout.created',
        'sleep.created',
        'connection.created',
        'connection.revoked',
        'sync.started',
        'sync.completed',
        'sync.failed',
        'sync.cancelled',
        'series.heart_rate.created',
        'metrics.heart.created',
        'nutrition.log.created',
        'nutrition.log.recognized',
        'nutrition.log.corrected',
      ]) {
        expect(names).toContain(n);
      }
      expect(names.length).toBeGreaterThan(80);
      expect(types.body.groups).toEqual(expect.arrayContaining(['workout.*', 'series.*', 'sync.*']));
      const deleted = await api.request('DELETE', `/api/v1/webhooks/endpoints/${s.endpoint.id}`, {
        auth: s.auth,
      });
      expect(deleted.status).toBe(204);
      expect(
        (await api.request('GET', `/api/v1/webhooks/endpoints/${s.endpoint.id}`, { auth: s.auth })).status,
      ).toBe(404);
    });
  },
  { env },
);

it('refuses private and loopback URLs unless WEBHOOK_ALLOW_PRIVATE_URLS is set', async () => {
  const server = await startTestServer({ worker: false });
  try {
    const dev = await server.api.registerDeveloper();
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:192.168.0.1]/hook',
      'ftp://example.com/hook',
    ]) {
      const res = await server.api.request('POST', '/api/v1/webhooks/endpoints', {
        auth: { key: dev.key },
        json: { url },
      });
      expect(res.status, url).toBe(422);
      expect(res.body.detail[0].loc).toEqual(['body', 'url']);
    }
  } finally {
    await server.close();
  }
});
