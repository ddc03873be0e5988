import { expect, it } from 'vitest';
import { verifyAuditChains } from '../../src/audit/verify.ts';
import { describeEachDatabase, uniqueSuffix } from '../support/harness.ts';
import { addMember, login } from './support.ts';

describeEachDatabase(
  'teams and roles',
  (ctx) => {
    it('invites, looks up and accepts; the member logs in and works in the tenant with its role', async () => {
      const { api } = ctx();
      const owner = await api.registerDeveloper('Acme Health');
      const user = await api.createUser(owner.key, { first_name: 'Shared' });
      const email = `viewer-${uniqueSuffix()}@example.com`;

      const invited = await api.request('POST', '/api/v1/team/invitations', {
        auth: { key: owner.key },
        json: { email, role: 'viewer' },
      });
      expect(invited.status, invited.text).toBe(201);
      expect(invited.body).toMatchObject({ email, role: 'viewer', emailed: false });
      const url = new URL(invited.body.invite_url);
      expect(url.pathname).toBe('/invitations/accept');
      const token = url.searchParams.get('token') ?? '';
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      // Only the hash is stored.
      const stored = await ctx()
        .platform.deps.db.selectFrom('team_invitations')
        .selectAll()
        .where('id', '=', invited.body.id)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(token);
      expect(JSON.stringify(stored)).not.toContain(token);

      const pending = await api.request('GET', '/api/v1/team/invitations', { auth: { key: owner.key } });
      expect(pending.body.data.map((i: { id: string }) => i.id)).toEqual([invited.body.id]);

      const lookup = await api.request('GET', `/api/v1/team/invitations/lookup?token=${token}`);
      expect(lookup.status).toBe(200);
      expect(lookup.body).toEqual({
        email,
        role: 'viewer',
        team_name: 'Acme Health',
        expires_at: invited.body.expires_at,
      });

      const accepted = await api.request('POST', '/api/v1/team/invitations/accept', {
        json: { token, name: 'Vera Viewer', password: 'viewer password 1' },
      });
      expect(accepted.status, accepted.text).toBe(201);
      expect(accepted.body).toMatchObject({ token_type: 'bearer', access_token: expect.any(String) });

      // Single use.
      const again = await api.request('POST', '/api/v1/team/invitations/accept', {
        json: { token, name: 'Vera Again', password: 'viewer password 1' },
      });
      expect(again.status).toBe(403);
      expect(again.body.code).toBe('invite_invalid');
      const lookedAgain = await api.request('GET', `/api/v1/team/invitations/lookup?token=${token}`);
      expect(lookedAgain.status).toBe(403);
      expect(lookedAgain.body.code).toBe('invite_invalid');
      expect(
        (await api.request('GET', '/api/v1/team/invitations', { auth: { key: owner.key } })).body.data,
      ).toEqual([]);

      const loggedIn = await login(api, email, 'viewer password 1');
      expect(loggedIn.status).toBe(200);
      const bearer = loggedIn.body.access_token as string;
      const me = await api.request('GET', '/api/v1/auth/me', { auth: { bearer } });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, name: 'Vera Viewer', tenant_id: owner.id, role: 'viewer' });
      expect(me.body.id).not.toBe(owner.id);
      const ownerMe = await api.request('GET', '/api/v1/auth/me', { auth: { key: owner.key } });
      expect(ownerMe.body).toMatchObject({ id: owner.id, tenant_id: owner.id, role: 'admin' });
      expect(me.body.plan).toBe(ownerMe.body.plan);

      // The member sees the tenant's data.
      const users = await api.request('GET', '/api/v1/users', { auth: { bearer } });
      expect(users.status).toBe(200);
      expect(users.body.data.map((u: { id: string }) => u.id)).toContain(user.id);

      const members = await api.request('GET', '/api/v1/team/members', { auth: { bearer } });
      expect(members.status).toBe(200);
      expect(members.body.data).toEqual([
        expect.objectContaining({ id: owner.id, email: owner.email, role: 'owner' }),
        expect.objectContaining({ id: me.body.id, email, name: 'Vera Viewer', role: 'viewer' }),
      ]);

      // The tenant's audit trail names who did what.
      const audit = await api.request('GET', '/api/v1/audit-logs?limit=50', { auth: { key: owner.key } });
      const actions = audit.body.data.map((row: { action: string }) => row.action);
      expect(actions).toEqual(expect.arrayContaining(['team.invitation_created', 'team.member_joined']));
      const joined = audit.body.data.find((row: { action: string }) => row.action === 'team.member_joined');
      expect(joined.actor).toMatchObject({ type: 'developer', id: me.body.id });
      const memberLogin = audit.body.data.find(
        (row: { action: string; actor: { id: string } }) =>
          row.action === 'developer.login' && row.actor.id === me.body.id,
      );
      expect(memberLogin).toBeDefined();
      // One trail per tenant: the members' rows are in the owner's chain, which still verifies, and no
      // member has a chain of its own.
      const chains = await verifyAuditChains(ctx().platform.deps.db);
      expect(chains.find((r) => r.developerId === owner.id)).toMatchObject({ ok: true });
      expect(chains.find((r) => r.developerId === me.body.id)).toBeUndefined();
    });

    it('refuses viewers every write (403 role_forbidden) and secret reads; lists still work', async () => {
      const { api } = ctx();
      const owner = await api.registerDeveloper();
      const viewer = await addMember(api, owner.key, 'viewer');
      const admin = await addMember(api, owner.key, 'admin');
      const auth = { bearer: viewer.bearer };
      const endpoint = await api.request('POST', '/api/v1/webhooks/endpoints', {
        auth: { key: owner.key },
        json: { url: 'http://127.0.0.1:9/hook' },
      });
      expect(endpoint.status, endpoint.text).toBe(201);

      const key = await api.request('POST', '/api/v1/developer/api-keys', { auth, json: { name: 'x' } });
      expect(key.status).toBe(403);
      expect(key.body).toEqual({ detail: expect.any(String), code: 'role_forbidden' });
      const secret = await api.request('GET', `/api/v1/webhooks/endpoints/${endpoint.body.id}/secret`, {
        auth,
      });
      expect(secret.status).toBe(403);
      expect(secret.body.code).toBe('role_forbidden');
      // Starting a vendor connection is a write in a GET.
      const authorize = await api.request(
        'GET',
        `/api/v1/providers/sandbox/authorize?user_id=${(await api.createUser(owner.key)).id}`,
        { auth },
      );
      expect(authorize.status).toBe(403);
      expect(authorize.body.code).toBe('role_forbidden');
      const invite = await api.request('POST', '/api/v1/team/invitations', {
        auth,
        json: { email: `x-${uniqueSuffix()}@example.com`, role: 'admin' },
      });
      expect(invite.status).toBe(403);
      expect(invite.body.code).toBe('role_forbidden');

      for (const path of [
        '/api/v1/developer/api-keys',
        '/api/v1/webhooks/endpoints',
        '/api/v1/users',
        '/api/v1/team/members',
        '/api/v1/team/invitations',
        '/api/v1/audit-logs',
      ]) {
        const res = await api.request('GET', path, { auth });
        expect(res.status, path).toBe(200);
      }

      // Admins write and read secrets; audit rows name the admin.
      const adminAuth = { bearer: admin.bearer };
      const adminKey = await api.request('POST', '/api/v1/developer/api-keys', {
        auth: adminAuth,
        json: { name: 'by admin' },
      });
      expect(adminKey.status).toBe(201);
      const adminSecret = await api.request('GET', `/api/v1/webhooks/endpoints/${endpoint.body.id}/secret`, {
        auth: adminAuth,
      });
      expect(adminSecret.status).toBe(200);
      const audit = await api.request('GET', '/api/v1/audit-logs?action=api_key.created', {
        auth: { key: owner.key },
      });
      const row = audit.body.data.find(
        (r: { target: { id: string } | null }) => r.target?.id === adminKey.body.id,
      );
      expect(row.actor).toMatchObject({ type: 'developer', id: admin.id });
    });

    it('applies a role change on the next request with the same token, and ends a removed member', async () => {
      const { api } = ctx();
      const owner = await api.registerDeveloper();
      const member = await addMember(api, owner.key, 'admin');
      const auth = { bearer: member.bearer };
      const create = () => api.request('POST', '/api/v1/users', { auth, json: { first_name: 'X' } });
      expect((await create()).status).toBe(201);

      const demoted = await api.request('PATCH', `/api/v1/team/members/${member.id}`, {
        auth: { key: owner.key },
        json: { role: 'viewer' },
      });
      expect(demoted.status, demoted.text).toBe(200);
      expect(demoted.body).toMatchObject({ id: member.id, role: 'viewer' });
      const refused = await create();
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('role_forbidden');
      expect((await api.request('GET', '/api/v1/auth/me', { auth })).body.role).toBe('viewer');

      const promoted = await api.request('PATCH', `/api/v1/team/members/${member.id}`, {
        auth: { key: owner.key },
        json: { role: 'admin' },
      });
      expect(promoted.status).toBe(200);
      expect((await create()).status).toBe(201);

      // Nobody changes or removes the owner, not even an admin.
      for (const res of [
        await api.request('PATCH', `/api/v1/team/members/${owner.id}`, { auth, json: { role: 'viewer' } }),
        await api.request('DELETE', `/api/v1/team/members/${owner.id}`, { auth }),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('owner_protected');
      }
      const badRole = await api.request('PATCH', `/api/v1/team/members/${member.id}`, {
        auth: { key: owner.key },
        json: { role: 'owner' },
      });
      expect(badRole.status).toBe(422);

      const removed = await api.request('DELETE', `/api/v1/team/members/${member.id}`, {
        auth: { key: owner.key },
      });
      expect(removed.status).toBe(204);
      expect((await api.request('GET', '/api/v1/users', { auth })).status).toBe(401);
      expect((await login(api, member.email, member.password)).status).toBe(401);
      const audit = await api.request('GET', '/api/v1/audit-logs?limit=100', { auth: { key: owner.key } });
      const actions = audit.body.data.map((row: { action: string }) => row.action);
      expect(actions).toEqual(expect.arrayContaining(['team.member_role_changed', 'team.member_removed']));
    });

    it("answers 404 for another tenant's member and invitation", async () => {
      const { api } = ctx();
      const a = await api.registerDeveloper();
      const b = await api.registerDeveloper();
      const memberOfA = await addMember(api, a.key, 'viewer');
      const inviteOfA = await api.request('POST', '/api/v1/team/invitations', {
        auth: { key: a.key },
        json: { email: `pending-${uniqueSuffix()}@example.com`, role: 'admin' },
      });
      for (const res of [
        await api.request('PATCH', `/api/v1/team/members/${memberOfA.id}`, {
          auth: { key: b.key },
          json: { role: 'admin' },
        }),
        await api.request('DELETE', `/api/v1/team/members/${memberOfA.id}`, { auth: { key: b.key } }),
        await api.request('DELETE', `/api/v1/team/members/${a.id}`, { auth: { key: b.key } }),
        await api.request('DELETE', `/api/v1/team/invitations/${inviteOfA.body.id}`, {
          auth: { key: b.key },
        }),
      ]) {
        expect(res.status).toBe(404);
      }
      const listB = await api.request('GET', '/api/v1/team/members', { auth: { key: b.key } });
      expect(listB.body.data.map((m: { id: string }) => m.id)).toEqual([b.id]);
      expect(
        (await api.request('GET', '/api/v1/team/invitations', { auth: { key: b.key } })).body.data,
      ).toEqual([]);
      // A's member sees none of B's users.
      await api.createUser(b.key, { first_name: 'OnlyB' });
      const seen = await api.request('GET', '/api/v1/users', { auth: { bearer: memberOfA.bearer } });
      expect(seen.body.data).toEqual([]);
    });

    it('refuses revoked and expired invitations, and emails that already have an account', async () => {
      const { api, platform } = ctx();
      const owner = await api.registerDeveloper();
      const taken = await api.request('POST', '/api/v1/team/invitations', {
        auth: { key: owner.key },
        json: { email: owner.email.toUpperCase(), role: 'viewer' },
      });
      expect(taken.status).toBe(409);

      const invite = async () => {
        const res = await api.request('POST', '/api/v1/team/invitations', {
          auth: { key: owner.key },
          json: { email: `late-${uniqueSuffix()}@example.com`, role: 'viewer' },
        });
        return {
          id: res.body.id as string,
          token: new URL(res.body.invite_url).searchParams.get('token') ?? '',
        };
      };
      const accept = (token: string) =>
        api.request('POST', '/api/v1/team/invitations/accept', {
          json: { token, name: 'Late', password: 'late password 1' },
        });

      const revoked = await invite();
      const del = await api.request('DELETE', `/api/v1/team/invitations/${revoked.id}`, {
        auth: { key: owner.key },
      });
      expect(del.status).toBe(204);
      expect(
        (await api.request('DELETE', `/api/v1/team/invitations/${revoked.id}`, { auth: { key: owner.key } }))
          .status,
      ).toBe(404);
      const r1 = await accept(revoked.token);
      expect(r1.status).toBe(403);
      expect(r1.body.code).toBe('invite_invalid');

      const expired = await invite();
      await platform.deps.db
        .updateTable('team_invitations')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', expired.id)
        .execute();
      const r2 = await accept(expired.token);
      expect(r2.status).toBe(403);
      expect(r2.body.code).toBe('invite_invalid');
      const r3 = await accept('not-a-real-token');
      expect(r3.status).toBe(403);
      expect(r3.body.code).toBe('invite_invalid');
      const audit = await api.request('GET', '/api/v1/audit-logs?action=team.invitation_revoked', {
        auth: { key: owner.key },
      });
      expect(audit.body.data).toHaveLength(1);
    });

    it('keeps members out of everything that counts tenants', async () => {
      const { api, platform } = ctx();
      const { countDevelopers } = await import('../../src/developers/developers.repo.ts');
      const owner = await api.registerDeveloper();
      const before = await countDevelopers(platform.deps.db);
      await addMember(api, owner.key, 'viewer');
      expect(await countDevelopers(platform.deps.db)).toBe(before);
    });
  },
  { worker: false, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } },
);
