import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInboundWebhook } from '../../../src/providers/webhooks/process.ts';
import { databaseLegs, uniqueSuffix, waitForRun } from '../../support/harness.ts';
import { connectUser, eventually, startWebhookWorld, type WebhookWorld, whoopHeaders } from './setup.ts';

/**
 * Inbound vendor webhooks through the real app, on both storage legs: a signed vendor (test module on
 * slug `whoop`), verified against every configured app, stored before the answer, processed by the job
 * queue into targeted pull runs or revocations.
 */
for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `inbound vendor webhooks [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let world: WebhookWorld;
      beforeAll(async () => {
        world = await startWebhookWorld(leg);
      });
      afterAll(async () => {
        await world?.close();
      });

      /** Developer A with an own WHOOP app, developer B on the instance default; both with user 10129. */
      async function twoDevelopers(providerUserId: string) {
        const { api } = world.server;
        const a = await api.registerDeveloper('A');
        const b = await api.registerDeveloper('B');
        const put = await api.request('PUT', '/api/v1/developer/providers/whoop', {
          auth: { key: a.key },
          json: { client_id: `whoop-a-${uniqueSuffix()}`, client_secret: `whoop-a-secret-${a.id}` },
        });
        expect(put.status, put.text).toBeLessThan(300);
        const ca = await connectUser(world.server, a.key, a.id, 'whoop', providerUserId);
        const cb = await connectUser(world.server, b.key, b.id, 'whoop', providerUserId);
        return { a, b, ca, cb, secretA: `whoop-a-secret-${a.id}` };
      }

      const db = () => world.server.platform.deps.db;
      const inboundRows = () =>
        db().selectFrom('inbound_webhooks').selectAll().where('provider', '=', 'whoop').execute();
      const runsOf = (connectionId: string) =>
        db().selectFrom('sync_runs').selectAll().where('connection_id', '=', connectionId).execute();
      const settled = (id: string) =>
        eventually(async () => {
          const row = await db()
            .selectFrom('inbound_webhooks')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirst();
          return row && row.status !== 'received' ? row : undefined;
        }, `inbound webhook ${id} processed`);
      const post = (body: string, headers: Record<string, string>, path = '/api/v1/webhooks/whoop') =>
        world.server.api.request('POST', path, { body, headers });

      it('verifies against the right app, stores, acknowledges, then pulls exactly the named object for that developer only', async () => {
        const userId = `u${uniqueSuffix()}`;
        const { a, ca, cb, secretA } = await twoDevelopers(userId);
        const body = JSON.stringify({
          user_id: userId,
          id: 'sleep-1',
          type: 'sleep.updated',
          trace_id: uniqueSuffix(),
        });
        const res = await post(body, whoopHeaders(secretA, body));
        expect(res.status, res.text).toBe(200);
        expect(res.body).toMatchObject({ status: 'accepted', id: expect.any(String) });

        const row = await settled(res.body.id);
        expect(row).toMatchObject({ status: 'processed', developer_id: a.id });
        expect(Buffer.from(row.body).toString('utf8')).toBe(body); // the raw bytes, as signed
        const [run] = await runsOf(ca.connection.id);
        expect(run).toMatchObject({ source: 'webhook', mode: 'webhook' });
        expect(run?.targets).toEqual([{ resource: 'sleep', objectId: 'sleep-1' }]);
        expect(await runsOf(cb.connection.id)).toEqual([]); // B's user is another app's grant

        // The run pulls that object from the vendor with the connection's token.
        const ended = await waitForRun(world.server.api, { key: a.key }, ca.user.id, run?.id as string);
        expect(ended.stage, JSON.stringify(ended)).toBe('completed');
        expect(world.mock.calls.objects).toContain('sleep/sleep-1');

        // Signed with the instance default's secret: B's connection (no app of its own), not A's.
        const other = JSON.stringify({
          user_id: userId,
          id: 'act-7',
          type: 'activity.updated',
          trace_id: uniqueSuffix(),
        });
        const res2 = await post(other, whoopHeaders('whoop-instance-secret', other), '/v1/webhooks/whoop');
        expect(res2.status, res2.text).toBe(200);
        expect(await settled(res2.body.id)).toMatchObject({ status: 'processed', developer_id: null });
        expect((await runsOf(cb.connection.id)).map((r) => r.targets)).toEqual([
          [{ resource: 'activity', objectId: 'act-7' }],
        ]);
        expect(await runsOf(ca.connection.id)).toHaveLength(1);
      });

      it('refuses a wrong, missing or replayed signature with 401 and stores nothing', async () => {
        const { secretA } = await twoDevelopers(`u${uniqueSuffix()}`);
        const before = (await inboundRows()).length;
        const body = JSON.stringify({ user_id: 1, id: 'x', type: 'sleep.updated', trace_id: uniqueSuffix() });
        const cases: [Record<string, string>, string][] = [
          [whoopHeaders('not-the-secret', body), 'invalid_signature'],
          [{ 'Content-Type': 'application/json' }, 'invalid_signature'],
          [
            { ...whoopHeaders(secretA, body), 'X-WHOOP-Signature-Timestamp': String(Date.now() - 1000) },
            'invalid_signature',
          ],
          [whoopHeaders(secretA, body, Date.now() - 301_000), 'stale_timestamp'],
        ];
        for (const [headers, code] of cases) {
          const res = await post(body, headers);
          expect(res.status, res.text).toBe(401);
          expect(res.body).toEqual({ detail: expect.any(String), code });
        }
        // Tampered after signing.
        const tampered = await post(body.replace('sleep', 'activity'), whoopHeaders(secretA, body));
        expect(tampered.status).toBe(401);
        expect((await inboundRows()).length).toBe(before);
      });

      it('stores a redelivery once and runs one pull', async () => {
        const userId = `u${uniqueSuffix()}`;
        const { ca, secretA } = await twoDevelopers(userId);
        const body = JSON.stringify({
          user_id: userId,
          id: 'sleep-2',
          type: 'sleep.updated',
          trace_id: uniqueSuffix(),
        });
        const first = await post(body, whoopHeaders(secretA, body));
        // The vendor's retry: same delivery, signed again later.
        const second = await post(body, whoopHeaders(secretA, body, Date.now() + 1000));
        expect(first.body).toMatchObject({ status: 'accepted' });
        expect(second.status).toBe(200);
        expect(second.body).toEqual({ status: 'duplicate', id: first.body.id });
        await settled(first.body.id);
        expect(await runsOf(ca.connection.id)).toHaveLength(1);
        expect((await inboundRows()).filter((r) => Buffer.from(r.body).toString() === body)).toHaveLength(1);
      });

      it('a job retried after it queued the pull (crash before settling the row) does not queue it again', async () => {
        const userId = `u${uniqueSuffix()}`;
        const { ca, secretA } = await twoDevelopers(userId);
        const body = JSON.stringify({
          user_id: userId,
          id: 'sleep-3',
          type: 'sleep.updated',
          trace_id: uniqueSuffix(),
        });
        const res = await post(body, whoopHeaders(secretA, body));
        await settled(res.body.id);
        // As if the first attempt died between requestTargets and settling the row.
        await db()
          .updateTable('inbound_webhooks')
          .set({ status: 'received', detail: null })
          .where('id', '=', res.body.id)
          .execute();
        await processInboundWebhook(world.server.platform.deps, res.body.id, {
          count: 1,
          limit: 5,
          jobId: 'retry',
        });
        const row = await settled(res.body.id);
        expect(row.status).toBe('processed');
        expect(row.detail).toMatch(/already requested/);
        expect(await runsOf(ca.connection.id)).toHaveLength(1);
      });

      it('answers 200 for an unknown vendor user and records it as ignored', async () => {
        const { secretA } = await twoDevelopers(`u${uniqueSuffix()}`);
        const body = JSON.stringify({
          user_id: 'nobody-here',
          id: 's',
          type: 'sleep.updated',
          trace_id: uniqueSuffix(),
        });
        const res = await post(body, whoopHeaders(secretA, body));
        expect(res.status).toBe(200);
        const row = await settled(res.body.id);
        expect(row.status).toBe('ignored');
        expect(row.detail).toMatch(/no active connection for WHOOP \(test\) user nobody-here/);
      });

      it('revokes the connection on a deauthorization and emits connection.revoked', async () => {
        const userId = `u${uniqueSuffix()}`;
        const { a, ca, cb, secretA } = await twoDevelopers(userId);
        const endpoint = await world.server.api.request('POST', '/api/v1/webhooks/endpoints', {
          auth: { key: a.key },
          json: { url: 'http://127.0.0.1:9/hooks' },
        });
        expect(endpoint.status, endpoint.text).toBe(201);
        const body = JSON.stringify({ user_id: userId, type: 'user.deauthorized', trace_id: uniqueSuffix() });
        const res = await post(body, whoopHeaders(secretA, body));
        expect((await settled(res.body.id)).status).toBe('processed');
        const conn = (id: string) =>
          db().selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        expect(await conn(ca.connection.id)).toMatchObject({ status: 'revoked', tokens_sealed: null });
        expect((await conn(cb.connection.id)).status).toBe('active');
        const events = await db()
          .selectFrom('webhook_messages')
          .selectAll()
          .where('developer_id', '=', a.id)
          .execute();
        const revoked = events.filter((e) => e.event_type === 'connection.revoked');
        expect(revoked).toHaveLength(1);
        expect(JSON.parse(revoked[0]?.payload as string).data).toMatchObject({
          connection_id: ca.connection.id,
        });
        // One row in the developer's audit trail: the end user withdrew consent at the vendor.
        const trail = await db()
          .selectFrom('audit_logs')
          .selectAll()
          .where('developer_id', '=', a.id)
          .where('action', '=', 'connection.revoked')
          .execute();
        expect(trail).toHaveLength(1);
        expect(trail[0]).toMatchObject({
          actor_type: 'end_user',
          target_id: ca.connection.id,
          detail: { via: 'vendor_deauthorization' },
        });
      });

      it('refuses an oversized body with 413 and a malformed signed one with 400 (stored as failed)', async () => {
        const { secretA } = await twoDevelopers(`u${uniqueSuffix()}`);
        const before = (await inboundRows()).length;
        const big = JSON.stringify({ user_id: 1, type: 'sleep.updated', pad: 'x'.repeat(5000) });
        const res = await post(big, whoopHeaders(secretA, big));
        expect(res.status).toBe(413);
        expect(res.body).toEqual({ detail: expect.stringMatching(/exceeds/) });
        expect((await inboundRows()).length).toBe(before);

        const junk = `not json ${uniqueSuffix()}`;
        for (let i = 0; i < 2; i++) {
          const bad = await post(junk, whoopHeaders(secretA, junk));
          expect(bad.status).toBe(400);
          expect(bad.body).toMatchObject({
            code: 'malformed_notification',
            detail: expect.stringMatching(/not a JSON object/),
          });
        }
        const failed = (await inboundRows()).filter((r) => Buffer.from(r.body).toString() === junk);
        expect(failed).toMatchObject([{ status: 'failed', detail: 'body is not a JSON object' }]);
      });

      it('answers 404 for unknown providers and leaves the outgoing-webhook API alone', async () => {
        const res = await post('{}', { 'Content-Type': 'application/json' }, '/api/v1/webhooks/nope');
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: expect.stringMatching(/nope/) });
        // A registered provider without webhooks (the sandbox) is not a webhook target either.
        const sandbox = await post('{}', { 'Content-Type': 'application/json' }, '/api/v1/webhooks/sandbox');
        expect(sandbox.status).toBe(404);
        expect(sandbox.body.detail).toMatch(/No provider "sandbox" takes webhooks/);
        const outgoing = await post(
          '{}',
          { 'Content-Type': 'application/json' },
          '/api/v1/webhooks/endpoints',
        );
        expect(outgoing.status).toBe(401); // WearLink's own API: needs a key
        // Documented for developers, under both paths.
        const doc = await world.server.api.request('GET', '/api/v1/openapi.json');
        expect(doc.status).toBe(200);
        for (const path of ['/api/v1/webhooks/{provider}', '/v1/webhooks/{provider}'])
          expect(Object.keys(doc.body.paths[path] ?? {}).sort()).toEqual(['get', 'post']);
      });

      it("answers the vendors' handshakes", async () => {
        const { api } = world.server;
        const oura = await api.request(
          'GET',
          '/api/v1/webhooks/oura?verification_token=oura-verify-token&challenge=c-123',
        );
        expect(oura.status).toBe(200);
        expect(oura.body).toEqual({ challenge: 'c-123' });
        const wrong = await api.request(
          'GET',
          '/api/v1/webhooks/oura?verification_token=guess&challenge=c-123',
        );
        expect(wrong.status).toBe(403);
        const strava = await api.request(
          'GET',
          '/v1/webhooks/strava?hub.mode=subscribe&hub.challenge=h-9&hub.verify_token=strava-verify-token',
        );
        expect(strava.status).toBe(200);
        expect(strava.body).toEqual({ 'hub.challenge': 'h-9' });
        const head = await api.request('HEAD', '/api/v1/webhooks/strava');
        expect(head.status).toBe(200);
        const plainGet = await api.request('GET', '/api/v1/webhooks/whoop');
        expect(plainGet.status).toBe(405);
      });

      it('an unsigned vendor: accepted without signature, scoped by the vendor user, deauthorization revokes', async () => {
        const { api } = world.server;
        const dev = await api.registerDeveloper('S');
        const athlete = String(2 ** 53 + Math.floor(Math.random() * 1000));
        const { connection } = await connectUser(world.server, dev.key, dev.id, 'strava', athlete);
        const event = (extra: Record<string, unknown>) =>
          JSON.stringify({
            owner_id: athlete,
            object_id: 12345678901234567890n.toString(),
            event_time: Date.now(),
            ...extra,
          });
        const create = await post(
          event({ object_type: 'activity', aspect_type: 'create' }),
          { 'Content-Type': 'application/json' },
          '/api/v1/webhooks/strava',
        );
        expect(create.status, create.text).toBe(200);
        expect((await settled(create.body.id)).status).toBe('processed');
        expect((await runsOf(connection.id)).map((r) => r.targets)).toEqual([
          [{ resource: 'activity', objectId: '12345678901234567890' }],
        ]);
        const deauth = await post(
          event({ object_type: 'athlete', aspect_type: 'update', updates: { authorized: 'false' } }),
          { 'Content-Type': 'application/json' },
          '/api/v1/webhooks/strava',
        );
        expect((await settled(deauth.body.id)).status).toBe('processed');
        const row = await db()
          .selectFrom('connections')
          .select('status')
          .where('id', '=', connection.id)
          .executeTakeFirstOrThrow();
        expect(row.status).toBe('revoked');
      });
    },
  );
}
