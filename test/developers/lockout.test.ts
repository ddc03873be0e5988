import { expect, it } from 'vitest';
import { describeEachDatabase, type TestServer } from '../support/harness.ts';

const THRESHOLD = 3;

function login(server: TestServer, email: string, password: string) {
  return server.api.request('POST', '/api/v1/auth/login', {
    body: new URLSearchParams({ username: email, password }),
  });
}

async function account(server: TestServer, id: string) {
  return server.platform.deps.db
    .selectFrom('developers')
    .select(['failed_login_count', 'locked_until', 'last_failed_login_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function actions(server: TestServer, developerId: string) {
  const rows = await server.platform.deps.db
    .selectFrom('audit_logs')
    .select(['action', 'actor_type', 'detail'])
    .where('developer_id', '=', developerId)
    .orderBy('seq')
    .execute();
  return rows;
}

describeEachDatabase(
  'login lockout',
  (ctx) => {
    it(`locks the account after ${THRESHOLD} failures in a row, refuses even the right password, and says until when`, async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper('Lockout');
      for (let i = 1; i < THRESHOLD; i++) {
        const res = await login(server, dev.email, 'wrong password!');
        expect(res.status).toBe(401);
        expect((await account(server, dev.id)).failed_login_count).toBe(i);
      }
      const locking = await login(server, dev.email, 'wrong password!');
      expect(locking.status, locking.text).toBe(403);
      expect(locking.body).toMatchObject({ code: 'account_locked' });
      const lockedUntil = new Date(locking.body.locked_until).getTime();
      // LOGIN_LOCKOUT_MINUTES=5
      expect(lockedUntil).toBeGreaterThan(Date.now() + 4 * 60_000);
      expect(lockedUntil).toBeLessThan(Date.now() + 6 * 60_000);

      const right = await login(server, dev.email, dev.password);
      expect(right.status).toBe(403);
      expect(right.body).toEqual({
        detail: expect.stringContaining('locked'),
        code: 'account_locked',
        locked_until: locking.body.locked_until,
      });
      // Guesses at a locked account neither count nor extend the lock.
      await login(server, dev.email, 'wrong again!!');
      const state = await account(server, dev.id);
      expect(state.failed_login_count).toBe(THRESHOLD);
      expect(state.locked_until?.toISOString()).toBe(locking.body.locked_until);

      const trail = await actions(server, dev.id);
      const locked = trail.filter((r) => r.action === 'developer.locked');
      expect(locked).toHaveLength(1);
      expect(locked[0]).toMatchObject({
        actor_type: 'system',
        detail: { reason: 'failed_logins', failed_login_count: THRESHOLD },
      });
      expect(trail.filter((r) => r.action === 'developer.login_failed')).toHaveLength(THRESHOLD + 2);
      expect(
        trail.filter(
          (r) =>
            r.action === 'developer.login_failed' &&
            (r.detail as { reason?: string }).reason === 'account_locked',
        ),
      ).toHaveLength(2);
    });

    it('ends the sessions of a locked account (its API key keeps working) and restores them when the lock is gone', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper('Sessions');
      const session = (await login(server, dev.email, dev.password)).body.access_token as string;
      expect((await server.api.request('GET', '/api/v1/auth/me', { auth: { bearer: session } })).status).toBe(
        200,
      );
      await server.platform.deps.db
        .updateTable('developers')
        .set({ locked_until: new Date(Date.now() + 60_000) })
        .where('id', '=', dev.id)
        .execute();
      const refused = await server.api.request('GET', '/api/v1/auth/me', { auth: { bearer: session } });
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: 'account_locked' });
      expect((await server.api.request('GET', '/api/v1/auth/me', { auth: { key: dev.key } })).status).toBe(
        200,
      );

      // The lock ends by itself: the session works again, and the next failure counts from 1.
      await server.platform.deps.db
        .updateTable('developers')
        .set({ locked_until: new Date(Date.now() - 1000), failed_login_count: THRESHOLD })
        .where('id', '=', dev.id)
        .execute();
      expect((await server.api.request('GET', '/api/v1/auth/me', { auth: { bearer: session } })).status).toBe(
        200,
      );
      expect((await login(server, dev.email, 'wrong password!')).status).toBe(401);
      const state = await account(server, dev.id);
      expect(state.failed_login_count).toBe(1);
      expect(state.locked_until).toBeNull();
    });

    it('a successful login resets the counter', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper('Reset');
      for (let i = 1; i < THRESHOLD; i++) await login(server, dev.email, 'wrong password!');
      expect((await account(server, dev.id)).failed_login_count).toBe(THRESHOLD - 1);
      expect((await login(server, dev.email, dev.password)).status).toBe(200);
      expect((await account(server, dev.id)).failed_login_count).toBe(0);
      // Another THRESHOLD - 1 failures do not lock: the count started over.
      for (let i = 1; i < THRESHOLD; i++) {
        expect((await login(server, dev.email, 'wrong password!')).status).toBe(401);
      }
      expect((await login(server, dev.email, dev.password)).status).toBe(200);
    });

    it('counts concurrent failures each (no lost updates) and locks once', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper('Concurrent');
      const results = await Promise.all(
        Array.from({ length: THRESHOLD + 2 }, () => login(server, dev.email, 'wrong password!')),
      );
      expect(results.filter((r) => r.status === 403).length).toBeGreaterThanOrEqual(3);
      expect(results.every((r) => r.status === 401 || r.status === 403)).toBe(true);
      const trail = await actions(server, dev.id);
      expect(trail.filter((r) => r.action === 'developer.locked')).toHaveLength(1);
      expect((await login(server, dev.email, dev.password)).status).toBe(403);
    });

    it('a team member is locked the same way, on its tenant’s trail', async () => {
      const server = ctx();
      const owner = await server.api.registerDeveloper('Team Lock');
      const invited = await server.api.request('POST', '/api/v1/team/invitations', {
        auth: { key: owner.key },
        json: { email: `member-lock-${Date.now()}@example.com`, role: 'admin' },
      });
      const token = new URL(invited.body.invite_url as string).searchParams.get('token') ?? '';
      const accepted = await server.api.request('POST', '/api/v1/team/invitations/accept', {
        json: { token, name: 'Member', password: 'member password 123' },
      });
      expect(accepted.status).toBe(201);
      const email = invited.body.email as string;
      for (let i = 0; i < THRESHOLD; i++) await login(server, email, 'wrong password!');
      expect((await login(server, email, 'member password 123')).status).toBe(403);
      const bearer = accepted.body.access_token as string;
      expect((await server.api.request('GET', '/api/v1/auth/me', { auth: { bearer } })).status).toBe(401);
      expect((await actions(server, owner.id)).filter((r) => r.action === 'developer.locked')).toHaveLength(
        1,
      );
      // The owner is not affected.
      expect((await login(server, owner.email, owner.password)).status).toBe(200);
    });
  },
  { env: { LOGIN_LOCKOUT_THRESHOLD: String(THRESHOLD), LOGIN_LOCKOUT_MINUTES: '5' }, worker: false },
);
