import { expect, it } from 'vitest';
import { providerAppContext } from '../../../src/crypto/contexts.ts';
import { SecretOpenError } from '../../../src/crypto/secret-box.ts';
import { defaultScopes } from '../../../src/providers/apps/instance-app.ts';
import { describeEachDatabase, type TestServer } from '../../support/harness.ts';

/**
 * Settings → Providers: a developer's own vendor app through `GET|PUT|DELETE
 * /api/v1/developer/providers/{provider}`, on both storage legs. WHOOP has no instance default here,
 * so every WHOOP app seen is the developer's own.
 */

const path = (provider: string) => `/api/v1/developer/providers/${provider}`;

async function storedRow(server: TestServer, developerId: string, provider: string) {
  return server.platform.deps.db
    .selectFrom('provider_apps')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('provider', '=', provider)
    .executeTakeFirst();
}

describeEachDatabase(
  'provider apps',
  (ctx) => {
    it('creates, reads, replaces and deletes an app; secrets are write-only and sealed at rest', async () => {
      const server = ctx();
      const { api } = server;
      const dev = await api.registerDeveloper();
      const auth = { key: dev.key };

      const before = await api.request('GET', path('whoop'), { auth });
      expect(before.status).toBe(404);
      expect(before.body.detail).toMatch(
        /No WHOOP app is configured: PUT \/api\/v1\/developer\/providers\/whoop/,
      );

      const created = await api.request('PUT', path('whoop'), {
        auth,
        json: { client_id: 'whoop-client', client_secret: 'whoop-secret-1', webhook_secret: 'whoop-hook-1' },
      });
      expect(created.status, created.text).toBe(201);
      expect(created.body).toMatchObject({
        provider: 'whoop',
        source: 'developer',
        client_id: 'whoop-client',
        client_secret_set: true,
        webhook_secret_set: true,
        scopes: defaultScopes('whoop'),
      });
      expect(Date.parse(created.body.created_at)).not.toBeNaN();
      expect(created.text).not.toContain('whoop-secret-1');
      expect(created.text).not.toContain('whoop-hook-1');

      // Sealed under the row's context: not readable as stored, opens only for this developer and vendor.
      const row = await storedRow(server, dev.id, 'whoop');
      expect(row?.client_secret_sealed).toMatch(/^wl1\./);
      expect(row?.client_secret_sealed).not.toContain('whoop-secret-1');
      expect(row?.webhook_secret_sealed).not.toContain('whoop-hook-1');
      const box = server.platform.deps.secrets;
      expect(
        box.open(row?.client_secret_sealed as string, providerAppContext(dev.id, 'whoop', 'client_secret')),
      ).toBe('whoop-secret-1');
      expect(
        box.open(row?.webhook_secret_sealed as string, providerAppContext(dev.id, 'whoop', 'webhook_secret')),
      ).toBe('whoop-hook-1');
      expect(() =>
        box.open(row?.client_secret_sealed as string, providerAppContext(dev.id, 'oura', 'client_secret')),
      ).toThrow(SecretOpenError);

      const read = await api.request('GET', path('whoop'), { auth });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      // Replace: secrets left out are kept as stored, scopes given replace the defaults.
      const replaced = await api.request('PUT', path('whoop'), {
        auth,
        json: { client_id: 'whoop-client', scopes: ['read:sleep', 'offline'] },
      });
      expect(replaced.status, replaced.text).toBe(200);
      expect(replaced.body).toMatchObject({
        client_secret_set: true,
        webhook_secret_set: true,
        scopes: ['read:sleep', 'offline'],
      });
      const kept = await storedRow(server, dev.id, 'whoop');
      expect(kept?.client_secret_sealed).toBe(row?.client_secret_sealed);
      expect(kept?.scopes).toEqual(['read:sleep', 'offline']);
      expect(kept?.created_at.getTime()).toBe(row?.created_at.getTime());
      expect(kept?.updated_at.getTime()).toBeGreaterThanOrEqual(row?.updated_at.getTime() as number);

      // null clears a secret; scopes left out go back to the vendor's defaults.
      const cleared = await api.request('PUT', path('whoop'), {
        auth,
        json: { client_id: 'whoop-client', webhook_secret: null },
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        client_secret_set: true,
        webhook_secret_set: false,
        scopes: defaultScopes('whoop'),
      });
      expect((await storedRow(server, dev.id, 'whoop'))?.scopes).toBeNull();

      // A new client id with a new secret is fine; the old secret is gone.
      const moved = await api.request('PUT', path('whoop'), {
        auth,
        json: { client_id: 'whoop-client-2', client_secret: 'whoop-secret-2' },
      });
      expect(moved.status).toBe(200);
      const movedRow = await storedRow(server, dev.id, 'whoop');
      expect(
        box.open(
          movedRow?.client_secret_sealed as string,
          providerAppContext(dev.id, 'whoop', 'client_secret'),
        ),
      ).toBe('whoop-secret-2');

      const deleted = await api.request('DELETE', path('whoop'), { auth });
      expect(deleted.status).toBe(204);
      expect(await storedRow(server, dev.id, 'whoop')).toBeUndefined();
      const again = await api.request('DELETE', path('whoop'), { auth });
      expect(again.status).toBe(404);
      expect(again.body.detail).toBe('You have no WHOOP app of your own to remove');
      expect((await api.request('GET', path('whoop'), { auth })).status).toBe(404);
    });

    it("keeps each developer's app to themselves", async () => {
      const server = ctx();
      const { api } = server;
      const a = await api.registerDeveloper('A');
      const b = await api.registerDeveloper('B');
      const put = await api.request('PUT', path('strava'), {
        auth: { key: a.key },
        json: { client_id: 'a-strava', client_secret: 'a-strava-secret' },
      });
      expect(put.status).toBe(201);

      expect((await api.request('GET', path('strava'), { auth: { key: b.key } })).status).toBe(404);
      expect((await api.request('DELETE', path('strava'), { auth: { key: b.key } })).status).toBe(404);
      const bCatalogue = await api.request('GET', '/api/v1/providers', { auth: { key: b.key } });
      expect(bCatalogue.body.data.find((p: { slug: string }) => p.slug === 'strava')).toMatchObject({
        is_configured: false,
        app_source: null,
      });

      // B's own app is B's row; A's is untouched.
      const bPut = await api.request('PUT', path('strava'), {
        auth: { key: b.key },
        json: { client_id: 'b-strava', client_secret: 'b-strava-secret' },
      });
      expect(bPut.status).toBe(201);
      expect((await api.request('DELETE', path('strava'), { auth: { key: b.key } })).status).toBe(204);
      const aRead = await api.request('GET', path('strava'), { auth: { key: a.key } });
      expect(aRead.body).toMatchObject({ client_id: 'a-strava', client_secret_set: true });
      expect((await storedRow(server, a.id, 'strava'))?.client_id).toBe('a-strava');
    });

    it('refuses bad input with a clear 4xx', async () => {
      const { api } = ctx();
      const dev = await api.registerDeveloper();
      const auth = { key: dev.key };

      const unknown = await api.request('PUT', path('myspace'), { auth, json: { client_id: 'x' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({
        detail: "Unknown provider 'myspace' (GET /api/v1/providers lists them)",
        code: 'unknown_provider',
      });
      for (const [slug, why] of [
        ['apple', /Apple Health \(apple\) has no vendor app to configure: .*mobile SDK/],
        ['sandbox', /Sandbox \(sandbox\) has no vendor app to configure: it is built into WearLink/],
      ] as const) {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const res = await api.request(method, path(slug), {
            auth,
            json: method === 'PUT' ? { client_id: 'x' } : undefined,
          });
          expect(res.status, `${method} ${slug}`).toBe(422);
          expect(res.body.code).toBe('provider_needs_no_app');
          expect(res.body.detail).toMatch(why);
        }
      }

      const fieldError = async (json: unknown) => {
        const res = await api.request('PUT', path('oura'), { auth, json });
        expect(res.status, JSON.stringify(json)).toBe(422);
        return res.body.detail as { loc: (string | number)[]; msg: string }[];
      };
      expect((await fieldError({ client_secret: 's' }))[0]?.loc).toEqual(['body', 'client_id']);
      expect((await fieldError({ client_id: '' }))[0]?.loc).toEqual(['body', 'client_id']);
      expect((await fieldError({ client_id: 'id with space' }))[0]?.msg).toMatch(/must not contain spaces/);
      expect((await fieldError({ client_id: 'id', client_secret: 'secret\n' }))[0]).toMatchObject({
        loc: ['body', 'client_secret'],
        msg: expect.stringMatching(/line breaks/),
      });
      expect((await fieldError({ client_id: 'id', scopes: [] }))[0]?.loc).toEqual(['body', 'scopes']);
      expect((await fieldError({ client_id: 'id', scopes: ['daily heartrate'] }))[0]).toMatchObject({
        loc: ['body', 'scopes', 0],
        msg: 'a scope is one name, without spaces or commas',
      });
      expect((await fieldError({ client_id: 'id', scopes: ['daily', ''] }))[0]?.loc).toEqual([
        'body',
        'scopes',
        1,
      ]);
      expect((await fieldError({ client_id: 'id', scopes: 'daily' }))[0]?.loc).toEqual(['body', 'scopes']);
      expect((await fieldError({ client_id: 'id', secret: 'typo' }))[0]?.msg).toMatch(/secret/);
      expect((await fieldError({ client_id: 'x'.repeat(501) }))[0]?.loc).toEqual(['body', 'client_id']);

      const malformed = await api.request('PUT', path('oura'), {
        auth,
        body: '{"client_id": ',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.detail).toBe('Malformed JSON in request body');

      // A new client id must come with its own secret: the stored one belongs to the old app.
      expect(
        (
          await api.request('PUT', path('oura'), {
            auth,
            json: { client_id: 'old', client_secret: 'old-secret' },
          })
        ).status,
      ).toBe(201);
      const stale = await api.request('PUT', path('oura'), { auth, json: { client_id: 'new' } });
      expect(stale.status).toBe(422);
      expect(stale.body).toMatchObject({
        code: 'client_secret_required',
        detail: expect.stringMatching(/client_id changed/),
      });
      expect((await api.request('GET', path('oura'), { auth })).body.client_id).toBe('old');

      const anonymous = await api.request('PUT', path('oura'), { json: { client_id: 'x' } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.detail).toMatch(/Missing credentials/);
      const user = await api.createUser(dev.key);
      const sdk = (await api.request('POST', `/api/v1/users/${user.id}/token`, { auth })).body.access_token;
      expect((await api.request('GET', path('oura'), { auth: { bearer: sdk } })).status).toBe(403);
      expect((await api.request('GET', '/api/v1/providers', { auth: { bearer: sdk } })).status).toBe(403);
    });
  },
  // No worker: nothing here syncs, and no subscription keeper calls a vendor for these apps.
  { worker: false },
);
