import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveProviderApp } from '../../../src/providers/apps/provider-apps.repo.ts';
import { withProviderModules } from '../../../src/providers/registry.ts';
import { startScheduler } from '../../../src/sync/workers.ts';
import {
  databaseLegs,
  startTestServer,
  type TestServer,
  uniqueSuffix,
  waitForRun,
} from '../../support/harness.ts';
import { connectUser, eventually } from '../webhooks/setup.ts';
import { type BackfillMock, pushVendor, startBackfillMock } from './push-vendor.ts';

const DAY = 86_400_000;

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `vendor backfill control [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let server: TestServer;
      let mock: BackfillMock;
      let restore: () => void;
      let dev: { id: string; key: string };
      let userId: string;
      let connectionId: string;
      const providerUserId = `pv-${uniqueSuffix()}`;
      const auth = () => ({ key: dev.key });
      const base = () => `/api/v1/providers/pushvendor/users/${userId}`;
      const status = async () => {
        const res = await server.api.request('GET', `${base()}/backfill/status`, { auth: auth() });
        expect(res.status).toBe(200);
        return res.body as {
          active_run_id: string | null;
          last_run_id: string | null;
          types: Record<string, number | string | boolean | null>[];
        };
      };
      const ofType = async (type: string) => (await status()).types.find((t) => t.type === type);
      let nonce = 0;
      const push = async (key: string) => {
        const res = await server.api.request('POST', '/api/v1/webhooks/pushvendor', {
          json: { [key]: [{ userId: providerUserId, nonce: `${Date.now()}-${nonce++}` }] },
        });
        expect(res.status).toBe(200);
      };
      const ping = async (key: string) => {
        const res = await server.api.request('POST', '/api/v1/webhooks/pushvendor', {
          json: { [key]: [{ userId: providerUserId, callbackURL: `${mock.url}/ping/${key}?n=${nonce++}` }] },
        });
        expect(res.status).toBe(200);
      };
      const startHistorical = async () => {
        const res = await server.api.request('POST', `${base()}/sync/historical`, { auth: auth() });
        expect(res.status).toBe(202);
        return res.body.job_id as string;
      };

      beforeAll(async () => {
        mock = await startBackfillMock();
        restore = withProviderModules([pushVendor(mock.url)]);
        server = await startTestServer({
          database: leg,
          env: { BACKFILL_POLL_SECONDS: '0.2', PROVIDER_HTTP_ATTEMPTS: '1' },
        });
        dev = await server.api.registerDeveloper();
        await saveProviderApp(server.platform.deps, {
          developerId: dev.id,
          provider: 'pushvendor',
          clientId: 'pv-client',
          clientSecret: 'pv-secret',
          webhookSecret: undefined,
          scopes: null,
        });
        const connected = await connectUser(server, dev.key, dev.id, 'pushvendor', providerUserId);
        userId = connected.user.id;
        connectionId = connected.connection.id;
      });
      afterAll(async () => {
        await server?.close();
        await mock?.close();
        restore?.();
      });

      it('a historical sync requests every type in windows within its limit, and settles each window', async () => {
        mock.answers.sleeps = 409;
        mock.answers.bodyComps = 400;
        // The first type asked is rate limited once: the run is handed over and asks it again.
        mock.rateLimitOnce.add('activities');
        const metadata: Record<string, unknown>[] = [];
        const unsubscribe = server.platform.deps.events.subscribe(userId, ({ event }) => {
          if (event.metadata.backfill !== undefined)
            metadata.push(event.metadata.backfill as Record<string, unknown>);
        });
        const started = Date.now();
        const runId = await startHistorical();
        expect(runId).toMatch(/^backfill_pushvendor_/);
        // Windows are asked type by type (alphabetically): 3 dailies windows, one of each other type.
        await eventually(async () => (mock.calls.length >= 8 ? true : undefined), 'requests');
        // dailies: 30 days in 10-day windows; every other type one 30-day window.
        const [limited, ...rest] = mock.calls;
        expect(limited).toMatchObject({ type: 'activities', status: 429 });
        expect(rest.find((c) => c.type === 'activities')).toMatchObject({
          status: 202,
          from: limited?.from,
          to: limited?.to,
        });
        const dailies = mock.calls.filter((c) => c.type === 'dailies');
        expect(dailies).toHaveLength(3);
        for (const c of mock.calls) {
          expect(c.to - c.from).toBeLessThanOrEqual((c.type === 'dailies' ? 10 : 30) * DAY);
          expect(c.from).toBeGreaterThanOrEqual(started - 30 * DAY - 60_000);
        }
        expect(new Set(mock.calls.map((c) => c.type))).toEqual(
          new Set(['dailies', 'activities', 'sleeps', 'bodyComps', 'hrv']),
        );

        // While it waits, a retry is refused: one backfill at a time.
        const busy = await server.api.request('POST', `${base()}/backfill/bodyComps/retry`, { auth: auth() });
        expect(busy.status).toBe(409);
        expect(busy.body.code).toBe('backfill_running');
        expect((await status()).active_run_id).toBe(runId);

        // Deliveries: dailies pinged (its callback fetched), activities pushed under one of its two keys.
        // hrv never comes.
        await ping('dailies');
        await push('manuallyUpdatedActivities');
        await eventually(
          async () =>
            (await ofType('activities'))?.received === 1 && (await ofType('dailies'))?.received === 3
              ? true
              : undefined,
          'deliveries marked',
        );
        expect(mock.pinged.some((u) => u.startsWith('/ping/dailies'))).toBe(true);

        const run = await waitForRun(server.api, auth(), userId, runId, 30_000);
        expect(run.stage).toBe('completed');
        expect(run.status).toBe('partial');
        const s = await status();
        expect(s.active_run_id).toBeNull();
        expect(s.last_run_id).toBe(runId);
        const byType = Object.fromEntries(s.types.map((t) => [t.type, t]));
        expect(byType.dailies).toMatchObject({
          requested_windows: 3,
          received: 3,
          pending: 0,
          failed: 0,
          complete: true,
          last_run_id: runId,
        });
        expect(byType.activities).toMatchObject({ requested_windows: 1, received: 1, complete: true });
        expect(byType.sleeps).toMatchObject({
          requested_windows: 1,
          duplicate: 1,
          received: 0,
          pending: 0,
          complete: true,
        });
        expect(byType.bodyComps).toMatchObject({ requested_windows: 1, failed: 1, complete: false });
        expect(byType.hrv).toMatchObject({ requested_windows: 1, timed_out: 1, pending: 0, complete: false });
        // Progress events carried per-type counts.
        unsubscribe();
        expect(metadata.some((m) => (m.dailies as { requested?: number } | undefined)?.requested === 3)).toBe(
          true,
        );
      });

      it('a repeated historical sync asks only the gap, never a window twice; cancel ends it cancelled', async () => {
        const before = mock.calls.length;
        const firstEnd = Math.max(...mock.calls.map((c) => c.to));
        const runId = await startHistorical();
        // Failed and timed-out windows are gaps again; the rest only from where the last run ended.
        await eventually(async () => (mock.calls.length >= before + 5 ? true : undefined), 'gap requests');
        const asked = mock.calls.slice(before);
        for (const c of asked.filter(
          (c) => c.type === 'dailies' || c.type === 'activities' || c.type === 'sleeps',
        ))
          expect(c.from).toBe(firstEnd);
        const accepted = mock.calls.filter((c) => c.status === 202 || c.status === 409);
        const keys = accepted.map((c) => `${c.type}:${c.from}:${c.to}`);
        expect(new Set(keys).size).toBe(keys.length);

        const cancel = await server.api.request('POST', `${base()}/backfill/cancel`, { auth: auth() });
        expect(cancel.status).toBe(200);
        expect(cancel.body.run_id).toBe(runId);
        const run = await waitForRun(server.api, auth(), userId, runId, 15_000);
        expect(run.stage).toBe('cancelled');
        // Data already received stays received; windows not yet received are cancelled.
        expect(await ofType('dailies')).toMatchObject({ received: 3, pending: 0 });
        expect(((await ofType('dailies'))?.cancelled as number) >= 1).toBe(true);
        const again = await server.api.request('POST', `${base()}/backfill/cancel`, { auth: auth() });
        expect(again.status).toBe(409);
      });

      it("a retry re-requests only that type's failed windows, with the same bounds, as a new run", async () => {
        const failed = mock.calls.filter((c) => c.type === 'bodyComps' && c.status === 400);
        mock.answers.bodyComps = 202;
        const before = mock.calls.length;
        const res = await server.api.request('POST', `${base()}/backfill/bodyComps/retry`, { auth: auth() });
        expect(res.status).toBe(202);
        const runId = res.body.run_id as string;
        await eventually(async () => (mock.calls.length > before ? true : undefined), 'retry request');
        await push('bodyComps');
        const run = await waitForRun(server.api, auth(), userId, runId, 20_000);
        expect(run.stage).toBe('completed');
        const asked = mock.calls.slice(before);
        expect(asked.every((c) => c.type === 'bodyComps')).toBe(true);
        const bounds = (c: { from: number; to: number }) => `${c.from}-${c.to}`;
        expect(new Set(asked.map(bounds))).toEqual(new Set(failed.map(bounds)));
        expect(await ofType('bodyComps')).toMatchObject({ failed: 0, last_run_id: runId });
        expect(((await ofType('bodyComps'))?.received as number) >= 1).toBe(true);

        const nothing = await server.api.request('POST', `${base()}/backfill/bodyComps/retry`, {
          auth: auth(),
        });
        expect(nothing.status).toBe(409);
        expect(nothing.body.code).toBe('nothing_to_retry');
      });

      it('an incremental sync of a push vendor is 409 push_only, and the scheduler never picks it', async () => {
        const res = await server.api.request('POST', `${base()}/sync`, { auth: auth() });
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('push_only');
        const generic = await server.api.request('POST', '/api/v1/sync', {
          auth: auth(),
          json: { connection_id: connectionId },
        });
        expect(generic.status).toBe(409);
        expect(generic.body).toMatchObject({ code: 'push_only' });

        const { db } = server.platform.deps;
        await db
          .updateTable('connections')
          .set({ next_sync_at: new Date(Date.now() - 60_000) })
          .where('id', '=', connectionId)
          .execute();
        const scheduler = startScheduler(server.platform);
        try {
          await scheduler.tick();
        } finally {
          scheduler.stop();
        }
        const incremental = await db
          .selectFrom('sync_runs')
          .select('id')
          .where('connection_id', '=', connectionId)
          .where('mode', '=', 'incremental')
          .execute();
        expect(incremental).toHaveLength(0);
      });

      it('routes: 404 for another developer, an unknown type, or a provider without backfill', async () => {
        const other = await server.api.registerDeveloper('Other');
        for (const [method, path] of [
          ['GET', `${base()}/backfill/status`],
          ['POST', `${base()}/backfill/cancel`],
          ['POST', `${base()}/backfill/bodyComps/retry`],
        ] as const) {
          const res = await server.api.request(method, path, { auth: { key: other.key } });
          expect(res.status, path).toBe(404);
          expect(typeof res.body.detail).toBe('string');
        }
        const unknownType = await server.api.request('POST', `${base()}/backfill/nope/retry`, {
          auth: auth(),
        });
        expect(unknownType.status).toBe(404);
        const noBackfill = await server.api.request(
          'GET',
          `/api/v1/providers/oura/users/${userId}/backfill/status`,
          {
            auth: auth(),
          },
        );
        expect(noBackfill.status).toBe(404);
        const spec = await server.api.request('GET', '/api/v1/openapi.json');
        expect(Object.keys(spec.body.paths)).toEqual(
          expect.arrayContaining([
            '/api/v1/providers/{provider}/users/{user_id}/backfill/status',
            '/api/v1/providers/{provider}/users/{user_id}/backfill/cancel',
            '/api/v1/providers/{provider}/users/{user_id}/backfill/{type_name}/retry',
          ]),
        );
      });
    },
  );
}
