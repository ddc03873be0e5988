import { expect, it } from 'vitest';
import { describeEachDatabase, type TestServer, uniqueSuffix } from '../support/harness.ts';
import { addMember } from '../team/support.ts';

const ROOT = 'root-admin@example.com';
const SECOND = 'second-admin@example.com';
const PASSWORD = 'correct horse battery staple';
/** Routes under /api/v1/admin that answer without a credential (the spec's public exceptions). */
const PUBLIC_ADMIN = new Set(['/api/v1/admin/announcements/active']);

function login(server: TestServer, email: string, password = PASSWORD) {
  return server.api.request('POST', '/api/v1/auth/login', {
    body: new URLSearchParams({ username: email, password }),
  });
}

async function register(server: TestServer, email: string, name = 'Dev') {
  const res = await server.api.request('POST', '/api/v1/auth/register', {
    json: { email, password: PASSWORD, name },
  });
  if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${res.text}`);
  return { id: res.body.id as string, email, key: res.body.api_key.key as string };
}

const admins = new WeakMap<
  TestServer,
  Promise<{ root: Awaited<ReturnType<typeof register>>; second: Awaited<ReturnType<typeof register>> }>
>();
/** The two configured superusers of a server (registered once per server). */
function adminsOf(server: TestServer) {
  let known = admins.get(server);
  if (known === undefined) {
    known = (async () => ({
      root: await register(server, ROOT, 'Root'),
      second: await register(server, SECOND, 'Second'),
    }))();
    admins.set(server, known);
  }
  return known;
}

/** Audit rows of one action naming one target, on any trail. */
function auditRows(server: TestServer, action: string, targetId: string) {
  return server.platform.deps.db
    .selectFrom('audit_logs')
    .select(['developer_id', 'actor_type', 'actor_id', 'action', 'target_type', 'target_id', 'detail'])
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .execute();
}

describeEachDatabase(
  'admin core',
  (ctx) => {
    it('is a plain 404 on every /api/v1/admin route for no credential, a developer (key or session), a team member of a superuser and an SDK token', async () => {
      const server = ctx();
      const { api } = server;
      const { root } = await adminsOf(server);
      const dev = await register(server, `plain-${uniqueSuffix()}@example.com`);
      const session = (await login(server, dev.email)).body.access_token as string;
      const user = await api.createUser(dev.key);
      const sdk = (await api.request('POST', `/api/v1/users/${user.id}/token`, { auth: { key: dev.key } }))
        .body.access_token as string;
      // A member of the root admin's tenant acts for that tenant but is not a superuser itself.
      const member = await addMember(api, root.key, 'admin');
      const doc = await api.request('GET', '/api/v1/openapi.json');
      const operations: { method: string; path: string }[] = [];
      for (const [template, item] of Object.entries(
        doc.body.paths as Record<string, Record<string, unknown>>,
      )) {
        if (!template.startsWith('/api/v1/admin') || PUBLIC_ADMIN.has(template)) continue;
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === 'name' ? 'data-retention' : '00000000-0000-4000-8000-000000000000',
        );
        for (const method of Object.keys(item)) {
          if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) operations.push({ method, path });
        }
      }
      // This helper's routes at least; the other sections' routes are walked too, whatever they are.
      const paths = new Set(operations.map((o) => o.path));
      for (const p of ['overview', 'developers', 'end-users', 'audit', 'system/health', 'jobs']) {
        expect(paths.has(`/api/v1/admin/${p}`), p).toBe(true);
      }
      expect(paths.has('/api/v1/admin/jobs/data-retention/run')).toBe(true);
      const credentials = [
        { name: 'none', auth: undefined, headers: {} },
        { name: 'garbage bearer', auth: undefined, headers: { authorization: 'Bearer nope' } },
        { name: 'developer key', auth: { key: dev.key }, headers: {} },
        { name: 'developer session', auth: { bearer: session }, headers: {} },
        { name: 'member of a superuser', auth: { bearer: member.bearer }, headers: {} },
        { name: 'sdk token', auth: { bearer: sdk }, headers: {} },
      ];
      for (const { method, path } of operations) {
        for (const credential of credentials) {
          const res = await api.request(method.toUpperCase(), path, {
            auth: credential.auth,
            headers: credential.headers,
            ...(method === 'get' || method === 'delete' ? {} : { json: {} }),
          });
          expect(res.status, `${method} ${path} as ${credential.name}: ${res.text}`).toBe(404);
          expect(res.body).toEqual({ detail: 'Not found' });
        }
      }
      // And the root answers (the routes exist).
      expect((await api.request('GET', '/api/v1/admin/overview', { auth: { key: root.key } })).status).toBe(
        200,
      );
    });

    it('the superuser toggle is the root admin’s alone: another superuser gets 403 root_only, one audit row per change', async () => {
      const server = ctx();
      const { api } = server;
      const { root, second } = await adminsOf(server);
      const third = await register(server, `third-${uniqueSuffix()}@example.com`);
      const path = `/api/v1/admin/developers/${third.id}/superuser`;

      const refused = await api.request('POST', path, {
        auth: { key: second.key },
        json: { is_superuser: true },
      });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'root_only' });
      const byThird = await api.request('POST', path, {
        auth: { key: third.key },
        json: { is_superuser: true },
      });
      expect(byThird.status).toBe(404);
      expect(await auditRows(server, 'admin.developer.superuser_granted', third.id)).toHaveLength(0);
      expect((await api.request('GET', '/api/v1/admin/overview', { auth: { key: third.key } })).status).toBe(
        404,
      );

      const granted = await api.request('POST', path, {
        auth: { key: root.key },
        json: { is_superuser: true },
      });
      expect(granted.status, granted.text).toBe(200);
      expect(granted.body).toMatchObject({
        id: third.id,
        is_superuser: true,
        superuser_flag: true,
        superuser_by_config: false,
        is_root: false,
      });
      expect((await api.request('GET', '/api/v1/admin/overview', { auth: { key: third.key } })).status).toBe(
        200,
      );
      // A flagged superuser is still not the root.
      const byFlagged = await api.request('POST', `/api/v1/admin/developers/${second.id}/superuser`, {
        auth: { key: third.key },
        json: { is_superuser: true },
      });
      expect(byFlagged.body).toMatchObject({ code: 'root_only' });

      const rows = await auditRows(server, 'admin.developer.superuser_granted', third.id);
      expect(rows).toEqual([
        {
          developer_id: root.id,
          actor_type: 'admin',
          actor_id: root.id,
          action: 'admin.developer.superuser_granted',
          target_type: 'developer',
          target_id: third.id,
          detail: { email: third.email, is_superuser: true },
        },
      ]);
      const revoked = await api.request('POST', path, {
        auth: { key: root.key },
        json: { is_superuser: false },
      });
      expect(revoked.body).toMatchObject({ is_superuser: false, superuser_flag: false });
      expect(await auditRows(server, 'admin.developer.superuser_revoked', third.id)).toHaveLength(1);
      expect((await api.request('GET', '/api/v1/admin/overview', { auth: { key: third.key } })).status).toBe(
        404,
      );
      // An address in SUPERUSER_EMAILS stays a superuser whatever the flag.
      const second_ = await api.request('POST', `/api/v1/admin/developers/${second.id}/superuser`, {
        auth: { key: root.key },
        json: { is_superuser: false },
      });
      expect(second_.body).toMatchObject({
        is_superuser: true,
        superuser_by_config: true,
        superuser_flag: false,
      });
      expect(
        (
          await api.request(
            'POST',
            `/api/v1/admin/developers/00000000-0000-4000-8000-000000000000/superuser`,
            {
              auth: { key: root.key },
              json: { is_superuser: true },
            },
          )
        ).status,
      ).toBe(404);
    });

    it('a lock blocks login and ends existing sessions; unlock restores both; one audit row each', async () => {
      const server = ctx();
      const { api } = server;
      const { root, second } = await adminsOf(server);
      const dev = await register(server, `locked-${uniqueSuffix()}@example.com`);
      const session = (await login(server, dev.email)).body.access_token as string;
      // A few failures first: unlock resets the counter.
      for (let i = 0; i < 2; i++)
        expect((await login(server, dev.email, 'wrong password!')).status).toBe(401);

      const locked = await api.request('POST', `/api/v1/admin/developers/${dev.id}/lock`, {
        auth: { key: second.key },
      });
      expect(locked.status, locked.text).toBe(200);
      expect(locked.body).toMatchObject({ locked: true, failed_login_count: 2 });
      const until = Date.parse(locked.body.locked_until);
      expect(until).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
      expect(until).toBeLessThan(Date.now() + 7.1 * 86_400_000);

      const refusedLogin = await login(server, dev.email);
      expect(refusedLogin.status).toBe(403);
      expect(refusedLogin.body).toMatchObject({
        code: 'account_locked',
        locked_until: locked.body.locked_until,
      });
      const refusedSession = await api.request('GET', '/api/v1/auth/me', { auth: { bearer: session } });
      expect(refusedSession.status).toBe(401);
      expect(refusedSession.body).toMatchObject({ code: 'account_locked' });
      const listed = await api.request('GET', '/api/v1/admin/developers?locked=true&limit=200', {
        auth: { key: root.key },
      });
      expect(listed.body.data.map((d: { id: string }) => d.id)).toContain(dev.id);

      const unlocked = await api.request('POST', `/api/v1/admin/developers/${dev.id}/unlock`, {
        auth: { key: root.key },
      });
      expect(unlocked.status).toBe(200);
      expect(unlocked.body).toMatchObject({ locked: false, locked_until: null, failed_login_count: 0 });
      expect((await api.request('GET', '/api/v1/auth/me', { auth: { bearer: session } })).status).toBe(200);
      expect((await login(server, dev.email)).status).toBe(200);

      const lockRows = await auditRows(server, 'admin.developer.locked', dev.id);
      expect(lockRows).toHaveLength(1);
      expect(lockRows[0]).toMatchObject({
        developer_id: second.id,
        actor_type: 'admin',
        actor_id: second.id,
      });
      const unlockRows = await auditRows(server, 'admin.developer.unlocked', dev.id);
      expect(unlockRows).toHaveLength(1);
      expect(unlockRows[0]).toMatchObject({
        developer_id: root.id,
        actor_id: root.id,
        detail: { failed_login_count: 2 },
      });

      // The root cannot be locked, nor can an admin lock themselves; neither is audited.
      const lockRoot = await api.request('POST', `/api/v1/admin/developers/${root.id}/lock`, {
        auth: { key: second.key },
      });
      expect(lockRoot.body).toMatchObject({ code: 'root_protected' });
      const lockSelf = await api.request('POST', `/api/v1/admin/developers/${second.id}/lock`, {
        auth: { key: second.key },
      });
      expect(lockSelf.body).toMatchObject({ code: 'cannot_lock_self' });
      expect(await auditRows(server, 'admin.developer.locked', root.id)).toHaveLength(0);
      expect(await auditRows(server, 'admin.developer.locked', second.id)).toHaveLength(0);
    });

    it('runs a scheduled job now, once per call, with one audit row each; unknown is 404, disabled 400', async () => {
      const server = ctx();
      const { api } = server;
      const { root } = await adminsOf(server);
      const before = (await auditRows(server, 'admin.job.run', 'data-retention')).length;
      const run = await api.request('POST', '/api/v1/admin/jobs/data-retention/run', {
        auth: { key: root.key },
      });
      expect(run.status, run.text).toBe(200);
      expect(run.body).toMatchObject({ name: 'data-retention', result: { queued: true } });
      const scheduler = await api.request('POST', '/api/v1/admin/jobs/sync-scheduler/run', {
        auth: { key: root.key },
      });
      expect(scheduler.body).toMatchObject({ result: { syncs_started: 0 } });
      expect((await auditRows(server, 'admin.job.run', 'data-retention')).length).toBe(before + 1);
      expect((await auditRows(server, 'admin.job.run', 'sync-scheduler')).length).toBeGreaterThanOrEqual(1);
      const jobs = await api.request('GET', '/api/v1/admin/jobs', { auth: { key: root.key } });
      const retention = jobs.body.data.find((j: { name: string }) => j.name === 'data-retention');
      expect(retention).toMatchObject({ enabled: true, last_manual_run: { by: root.id } });
      expect(jobs.body.data.map((j: { name: string }) => j.name)).toEqual([
        'sync-scheduler',
        'orphaned-runs-reaper',
        'data-retention',
        'meal-photo-retention',
        'provider-app-subscriptions',
      ]);
      expect(
        (await api.request('POST', '/api/v1/admin/jobs/nope/run', { auth: { key: root.key } })).status,
      ).toBe(404);
      const disabled = await api.request('POST', '/api/v1/admin/jobs/meal-photo-retention/run', {
        auth: { key: root.key },
      });
      expect(disabled.status).toBe(400);
      expect(disabled.body).toMatchObject({ code: 'job_disabled' });
      expect(await auditRows(server, 'admin.job.run', 'meal-photo-retention')).toHaveLength(0);
    });

    it('reports system health: table sizes, Redis when configured, queue depth, a blob store probe', async () => {
      const server = ctx();
      const { root } = await adminsOf(server);
      const res = await server.api.request('GET', '/api/v1/admin/system/health', { auth: { key: root.key } });
      expect(res.status, res.text).toBe(200);
      const developers = res.body.database.tables.find((t: { table: string }) => t.table === 'developers');
      expect(developers.total_bytes).toBeGreaterThan(0);
      expect(res.body.blob_store).toMatchObject({ ok: true });
      expect(res.body.queues.map((q: { queue: string }) => q.queue)).toEqual(
        expect.arrayContaining(['sync', 'data-rights', 'nutrition']),
      );
      if (server.platform.redis === undefined) expect(res.body.redis).toEqual({ configured: false });
      else expect(res.body.redis).toMatchObject({ configured: true, ok: true, keys: expect.any(Number) });
    });
  },
  {
    env: { SUPERUSER_EMAILS: `${ROOT}, ${SECOND}`, LOGIN_LOCKOUT_THRESHOLD: '10' },
    worker: false,
  },
);
