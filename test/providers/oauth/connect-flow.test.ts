import { afterAll, beforeAll, expect, it } from 'vitest';
import { withProviderModules } from '../../../src/providers/registry.ts';
import { describeEachDatabase, type TestServer } from '../../support/harness.ts';
import { connectThroughBrowser, developerWithApp, startTestVendor, type TestVendor } from './test-vendor.ts';

// The OAuth connect through the real app, as a browser goes through it, against a local vendor.

let vendor: TestVendor;
let restore: () => void;
beforeAll(async () => {
  vendor = await startTestVendor();
  restore = withProviderModules([vendor.module]);
});
afterAll(async () => {
  restore();
  await vendor.close();
});

async function events(server: TestServer, developerId: string) {
  const rows = await server.platform.deps.db
    .selectFrom('webhook_messages')
    .select(['event_type', 'payload'])
    .where('developer_id', '=', developerId)
    .orderBy('created_at')
    .execute();
  // Connection events only: the historical sync adds its own.
  return rows
    .filter((r) => r.event_type.startsWith('connection.'))
    .map((r) => ({ type: r.event_type, data: JSON.parse(r.payload).data }));
}

function connectionRow(server: TestServer, userId: string) {
  return server.platform.deps.db
    .selectFrom('connections')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

describeEachDatabase(
  'OAuth connect',
  (ctx) => {
    it('connects through the redirect flow: PKCE, sealed tokens, identify, event, historical sync, redirect', async () => {
      const server = ctx();
      const { dev, auth, user } = await developerWithApp(server);
      const flow = await connectThroughBrowser(server, auth, user.id);
      const consent = new URL(flow.start.authorization_url);
      expect(consent.origin).toBe(vendor.url);
      expect(Object.fromEntries(consent.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: 'test-client',
        redirect_uri: `${server.url}/v1/providers/oura/callback`,
        scope: 'daily heartrate',
        code_challenge_method: 'S256',
        prompt: 'consent',
        state: flow.start.state,
      });
      expect(Buffer.from(flow.start.state, 'base64url')).toHaveLength(32);

      expect(flow.callbackStatus).toBe(302);
      const outcome = flow.outcome as URL;
      expect(`${outcome.origin}${outcome.pathname}`).toBe('https://app.example.com/connected');
      expect(outcome.searchParams.get('from')).toBe('test');
      expect(outcome.searchParams.get('status')).toBe('success');
      expect(outcome.searchParams.get('provider')).toBe('oura');

      const row = await connectionRow(server, user.id);
      expect(row).toMatchObject({ id: outcome.searchParams.get('connection_id'), status: 'active' });
      const grant = vendor.oauth.grants.at(-1);
      expect(row?.provider_user_id).toBe(grant?.userId);
      expect(row?.scopes).toEqual(['daily', 'heartrate']);
      // Sealed at rest: neither token appears in the row.
      expect(row?.tokens_sealed).toMatch(/^wl1\./);
      expect(row?.tokens_sealed).not.toContain(grant?.accessToken);
      expect(row?.token_expires_at?.getTime()).toBeGreaterThan(Date.now() + 3000_000);
      // PKCE: the verifier reached the token endpoint (the mock checks it against the challenge).
      expect(vendor.oauth.log.at(-1)?.form.code_verifier).toMatch(/^[\w-]{43,128}$/);
      expect(vendor.oauth.log.at(-1)?.authorization).toMatch(/^Basic /);

      expect(await events(server, dev.id)).toEqual([
        {
          type: 'connection.created',
          data: expect.objectContaining({ connection_id: row?.id, provider: 'oura' }),
        },
      ]);
      const listed = await server.api.request('GET', `/api/v1/users/${user.id}/connections`, { auth });
      expect(listed.body).toMatchObject([{ id: row?.id, provider: 'oura', status: 'active' }]);
      const runs = await server.platform.deps.db
        .selectFrom('sync_runs')
        .select(['mode'])
        .where('connection_id', '=', row?.id as string)
        .execute();
      expect(runs.map((r) => r.mode)).toContain('historical');
    });

    it('refuses a replayed, forged, missing or mismatched state with 400 and stores nothing twice', async () => {
      const server = ctx();
      const { dev, auth, user } = await developerWithApp(server);
      const flow = await connectThroughBrowser(server, auth, user.id);
      expect(flow.outcome?.searchParams.get('status')).toBe('success');
      const codeCalls = vendor.oauth.counts.code;
      const replay = await fetch(flow.callback, { redirect: 'manual' });
      expect(replay.status).toBe(400);
      expect(await replay.json()).toMatchObject({ code: 'state_used' });
      const forged = new URL(flow.callback);
      forged.searchParams.set('state', Buffer.alloc(32, 7).toString('base64url'));
      const forgedAnswer = await fetch(forged, { redirect: 'manual' });
      expect(forgedAnswer.status).toBe(400);
      expect(await forgedAnswer.json()).toMatchObject({ code: 'state_unknown' });
      const none = await fetch(`${server.url}/api/v1/providers/oura/callback?code=abc`, {
        redirect: 'manual',
      });
      expect(none.status).toBe(400);
      expect(await none.json()).toMatchObject({ code: 'state_missing' });
      // The replay did not reach the vendor and did not emit a second event.
      expect(vendor.oauth.counts.code).toBe(codeCalls);
      expect((await events(server, dev.id)).map((e) => e.type)).toEqual(['connection.created']);

      const other = await connectThroughBrowser(server, auth, (await server.api.createUser(dev.key)).id);
      const wrongProvider = other.callback.replace('/v1/providers/oura/', '/v1/providers/whoop/');
      const mismatch = await fetch(wrongProvider, { redirect: 'manual' });
      // That state was taken by the first callback (`other` already completed): still a 400.
      expect(mismatch.status).toBe(400);
    });

    it('sends the user back with an error: expired state, vendor denial, refused code; nothing stored', async () => {
      const server = ctx();
      const { auth, user } = await developerWithApp(server);
      const query = new URLSearchParams({ user_id: user.id, redirect_uri: 'https://app.example.com/cb' });
      const start = await server.api.request('GET', `/api/v1/providers/oura/authorize?${query}`, { auth });
      const consent = await fetch(start.body.authorization_url, { redirect: 'manual' });
      await server.platform.deps.db
        .updateTable('oauth_states')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('user_id', '=', user.id)
        .execute();
      const expired = await fetch(consent.headers.get('location') as string, { redirect: 'manual' });
      expect(expired.status).toBe(302);
      const expiredAt = new URL(expired.headers.get('location') as string);
      expect(Object.fromEntries(expiredAt.searchParams)).toMatchObject({
        status: 'error',
        error: 'state_expired',
      });

      vendor.oauth.denyNext('access_denied');
      const denied = await connectThroughBrowser(server, auth, user.id, 'https://app.example.com/cb');
      expect(Object.fromEntries(denied.outcome?.searchParams ?? [])).toMatchObject({
        status: 'error',
        provider: 'oura',
        error: 'access_denied',
        detail: 'The user denied access',
      });

      vendor.oauth.inject('authorization_code', { status: 400, body: { error: 'invalid_grant' } });
      const refused = await connectThroughBrowser(server, auth, user.id, 'https://app.example.com/cb');
      expect(refused.outcome?.searchParams.get('error')).toBe('token_refused');
      expect(refused.outcome?.searchParams.get('detail')).toContain('invalid_grant');

      vendor.oauth.inject('authorization_code', { status: 503, body: 'busy' });
      const down = await connectThroughBrowser(server, auth, user.id, 'https://app.example.com/cb');
      expect(down.outcome?.searchParams.get('error')).toBe('provider_unavailable');
      expect(await connectionRow(server, user.id)).toBeUndefined();
    });

    it('checks the authorize request: redirect_uri, user, provider, app', async () => {
      const server = ctx();
      const { dev, auth, user } = await developerWithApp(server);
      const authorize = (provider: string, q: Record<string, string>, key = auth) =>
        server.api.request('GET', `/api/v1/providers/${provider}/authorize?${new URLSearchParams(q)}`, {
          auth: key,
        });
      const ok = { user_id: user.id, redirect_uri: 'https://app.example.com/cb' };
      for (const redirect_uri of [
        'javascript:alert(1)',
        'ftp://x.example.com/',
        '/relative',
        'https://u:p@x.example.com/',
      ])
        expect((await authorize('oura', { ...ok, redirect_uri })).body).toMatchObject({
          code: 'invalid_redirect_uri',
        });
      expect((await authorize('oura', { ...ok, user_id: crypto.randomUUID() })).status).toBe(404);
      expect((await authorize('nope', ok)).body).toMatchObject({ code: 'unknown_provider' });
      expect((await authorize('oura', { redirect_uri: ok.redirect_uri })).status).toBe(422);
      expect(
        (await server.api.request('GET', `/api/v1/providers/oura/authorize?${new URLSearchParams(ok)}`))
          .status,
      ).toBe(401);
      // Another developer has no app for the vendor (and cannot use this developer's user).
      const other = await server.api.registerDeveloper();
      const otherUser = await server.api.createUser(other.key);
      const notConfigured = await authorize('oura', { ...ok, user_id: otherUser.id }, { key: other.key });
      expect(notConfigured.status).toBe(400);
      expect(notConfigured.body).toMatchObject({ code: 'provider_not_configured' });
      expect((await authorize('oura', ok, { key: other.key })).status).toBe(404);
      expect(dev.id).toBeTruthy();
      // POST connections points OAuth providers at the authorize flow.
      const post = await server.api.request('POST', `/api/v1/users/${user.id}/connections`, {
        auth,
        json: { provider: 'oura' },
      });
      expect(post.status).toBe(400);
      expect(post.body).toMatchObject({ code: 'oauth_required' });
    });

    it('disconnect revokes at the vendor, keeps the row, and a reconnect reactivates it', async () => {
      const server = ctx();
      const { dev, auth, user } = await developerWithApp(server);
      const first = await connectThroughBrowser(server, auth, user.id);
      const id = first.outcome?.searchParams.get('connection_id');
      const grant = vendor.oauth.grants.at(-1);
      const revokes = vendor.oauth.counts.revoke;
      const gone = await server.api.request('DELETE', `/api/v1/users/${user.id}/connections/oura`, { auth });
      expect(gone.status).toBe(204);
      expect(vendor.oauth.counts.revoke).toBe(revokes + 1);
      expect(grant?.revoked).toBe(true);
      expect(vendor.oauth.log.at(-1)?.form.token).toBe(grant?.accessToken);
      const row = await connectionRow(server, user.id);
      expect(row).toMatchObject({ id, status: 'revoked', tokens_sealed: null, next_sync_at: null });
      expect(
        (await server.api.request('DELETE', `/api/v1/users/${user.id}/connections/oura`, { auth })).status,
      ).toBe(404);

      const again = await connectThroughBrowser(server, auth, user.id);
      expect(again.outcome?.searchParams.get('connection_id')).toBe(id);
      expect(await connectionRow(server, user.id)).toMatchObject({ id, status: 'active' });
      expect((await events(server, dev.id)).map((e) => e.type)).toEqual([
        'connection.created',
        'connection.revoked',
        'connection.created',
      ]);
    });

    it('a vendor failing to revoke does not stop the local disconnect', async () => {
      const server = ctx();
      const { auth, user } = await developerWithApp(server);
      await connectThroughBrowser(server, auth, user.id);
      // The vendor already forgot the grant: its revoke answers 401.
      vendor.oauth.revokeUser(vendor.oauth.grants.at(-1)?.userId as string);
      const gone = await server.api.request('DELETE', `/api/v1/users/${user.id}/connections/oura`, { auth });
      expect(gone.status).toBe(204);
      expect((await connectionRow(server, user.id))?.status).toBe('revoked');
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } },
);
