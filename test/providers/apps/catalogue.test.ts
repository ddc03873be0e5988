import { expect, it } from 'vitest';
import { PROVIDERS } from '../../../src/catalog/providers.ts';
import { defaultScopes } from '../../../src/providers/apps/instance-app.ts';
import { candidateApps, resolveProviderApp } from '../../../src/providers/apps/provider-apps.repo.ts';
import { findProviderModule } from '../../../src/providers/registry.ts';
import { describeEachDatabase } from '../../support/harness.ts';

/**
 * The instance-wide apps from the environment, how a developer's own app takes over from them, and
 * `GET /api/v1/providers` as each developer sees it. Oura has a full instance default here, Polar one
 * without a secret, WHOOP none.
 */
const PUBLIC_URL = 'https://wearlink.example.com';
const env = {
  PUBLIC_URL,
  OURA_CLIENT_ID: 'instance-oura',
  OURA_CLIENT_SECRET: 'instance-oura-secret',
  OURA_WEBHOOK_SECRET: 'instance-oura-hook',
  // Spaces and commas mixed, as an operator might type them.
  OURA_SCOPES: 'daily, heartrate  workout,',
  POLAR_CLIENT_ID: 'instance-polar',
  // Instance apps are real credentials to the platform (a subscription keeper may call the vendor):
  // nothing listens here, so nothing leaves the machine.
  PROVIDER_URLS: 'oura=http://127.0.0.1:9,polar=http://127.0.0.1:9',
};

type Entry = Record<string, any> & { slug: string };

describeEachDatabase(
  'provider catalogue and instance apps',
  (ctx) => {
    it('uses the instance default until the developer registers an app of their own', async () => {
      const { api, platform } = ctx();
      const runtime = platform.deps;
      const dev = await api.registerDeveloper();
      const auth = { key: dev.key };

      const instance = {
        developerId: null,
        clientId: 'instance-oura',
        clientSecret: 'instance-oura-secret',
        webhookSecret: 'instance-oura-hook',
        scopes: ['daily', 'heartrate', 'workout'],
      };
      expect(await resolveProviderApp(runtime, dev.id, 'oura')).toEqual(instance);
      // No secret in the environment: the app is there, unusable for a code exchange.
      expect(await resolveProviderApp(runtime, dev.id, 'polar')).toEqual({
        developerId: null,
        clientId: 'instance-polar',
        clientSecret: undefined,
        webhookSecret: undefined,
        scopes: defaultScopes('polar'),
      });
      expect(await resolveProviderApp(runtime, dev.id, 'whoop')).toBeUndefined();
      // Slugs without env variables or module are simply unconfigured, not errors.
      expect(await resolveProviderApp(runtime, dev.id, 'apple')).toBeUndefined();
      expect(await resolveProviderApp(runtime, dev.id, 'no-such-vendor')).toBeUndefined();

      const shown = await api.request('GET', '/api/v1/developer/providers/oura', { auth });
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual({
        provider: 'oura',
        source: 'instance',
        client_id: 'instance-oura',
        client_secret_set: true,
        webhook_secret_set: true,
        scopes: ['daily', 'heartrate', 'workout'],
        created_at: null,
        updated_at: null,
      });
      expect(shown.text).not.toContain('instance-oura-secret');

      // The developer's own app wins, with the manifest's scopes when it names none.
      const put = await api.request('PUT', '/api/v1/developer/providers/oura', {
        auth,
        json: { client_id: 'own-oura', client_secret: 'own-oura-secret' },
      });
      expect(put.status).toBe(201);
      expect(await resolveProviderApp(runtime, dev.id, 'oura')).toEqual({
        developerId: dev.id,
        clientId: 'own-oura',
        clientSecret: 'own-oura-secret',
        webhookSecret: undefined,
        scopes: defaultScopes('oura'),
      });
      expect((await api.request('GET', '/api/v1/developer/providers/oura', { auth })).body.source).toBe(
        'developer',
      );

      // Another developer still gets the instance default.
      const other = await api.registerDeveloper();
      expect(await resolveProviderApp(runtime, other.id, 'oura')).toEqual(instance);

      // Removing their own app falls back to the default; the default itself cannot be deleted.
      expect((await api.request('DELETE', '/api/v1/developer/providers/oura', { auth })).status).toBe(204);
      expect(await resolveProviderApp(runtime, dev.id, 'oura')).toEqual(instance);
      const again = await api.request('DELETE', '/api/v1/developer/providers/oura', { auth });
      expect(again.status).toBe(404);
    });

    it("lists every developer's apps of a vendor, then the instance default, for webhook verification", async () => {
      const { api, platform } = ctx();
      const a = await api.registerDeveloper('A');
      const b = await api.registerDeveloper('B');
      for (const [dev, id] of [
        [a, 'a-oura'],
        [b, 'b-oura'],
      ] as const) {
        const res = await api.request('PUT', '/api/v1/developer/providers/oura', {
          auth: { key: dev.key },
          json: {
            client_id: id,
            client_secret: `${id}-secret`,
            webhook_secret: `${id}-hook`,
            scopes: ['daily'],
          },
        });
        expect(res.status).toBe(201);
      }
      // Another vendor's app is not a candidate.
      await api.request('PUT', '/api/v1/developer/providers/whoop', {
        auth: { key: a.key },
        json: { client_id: 'a-whoop', client_secret: 'a-whoop-secret' },
      });

      const apps = await candidateApps(platform.deps, 'oura');
      const mine = apps.filter((app) => app.developerId === a.id || app.developerId === b.id);
      expect(mine).toEqual([
        {
          developerId: a.id,
          clientId: 'a-oura',
          clientSecret: 'a-oura-secret',
          webhookSecret: 'a-oura-hook',
          scopes: ['daily'],
        },
        {
          developerId: b.id,
          clientId: 'b-oura',
          clientSecret: 'b-oura-secret',
          webhookSecret: 'b-oura-hook',
          scopes: ['daily'],
        },
      ]);
      expect(apps.at(-1)).toMatchObject({ developerId: null, clientId: 'instance-oura' });
      expect(apps.some((app) => app.clientId === 'a-whoop')).toBe(false);
      expect((await candidateApps(platform.deps, 'whoop')).map((app) => app.clientId)).toContain('a-whoop');

      // A row whose secret no longer opens (sealed for another row) is left out, not fatal.
      const bRow = await platform.deps.db
        .selectFrom('provider_apps')
        .select('client_secret_sealed')
        .where('developer_id', '=', b.id)
        .where('provider', '=', 'oura')
        .executeTakeFirstOrThrow();
      await platform.deps.db
        .updateTable('provider_apps')
        .set({ client_secret_sealed: bRow.client_secret_sealed })
        .where('developer_id', '=', a.id)
        .where('provider', '=', 'oura')
        .execute();
      const after = await candidateApps(platform.deps, 'oura');
      expect(after.some((app) => app.developerId === a.id)).toBe(false);
      expect(after.some((app) => app.developerId === b.id)).toBe(true);
      await expect(resolveProviderApp(platform.deps, a.id, 'oura')).rejects.toThrow(
        new RegExp(`client_secret of developer ${a.id}'s oura app cannot be opened`),
      );
    });

    it('shows the catalogue with is_configured per developer', async () => {
      const { api } = ctx();
      const dev = await api.registerDeveloper();
      const auth = { key: dev.key };
      const catalogue = async () => {
        const res = await api.request('GET', '/api/v1/providers', { auth });
        expect(res.status).toBe(200);
        return new Map((res.body.data as Entry[]).map((e) => [e.slug, e]));
      };

      const first = await catalogue();
      expect([...first.keys()]).toEqual(PROVIDERS.map((p) => p.slug));
      expect(first.get('oura')).toMatchObject({
        name: 'Oura',
        kind: 'oauth',
        is_configured: true,
        app_source: 'instance',
      });
      // Polar (like every OAuth vendor here) needs a client secret for the code exchange.
      expect(first.get('polar')).toMatchObject({ is_configured: false, app_source: 'instance' });
      expect(first.get('whoop')).toMatchObject({ is_configured: false, app_source: null, budget: null });
      for (const slug of ['apple', 'samsung', 'google', 'ble_hrm', 'sandbox'])
        expect(first.get(slug), slug).toMatchObject({
          is_configured: true,
          app_source: null,
          available: true,
        });

      // What a vendor's module says, for the vendors whose module is in this build.
      for (const provider of PROVIDERS) {
        const entry = first.get(provider.slug) as Entry;
        const manifest = findProviderModule(provider.slug)?.manifest;
        expect(entry.available, provider.slug).toBe(provider.kind !== 'oauth' || manifest !== undefined);
        if (manifest === undefined) {
          expect(entry, provider.slug).toMatchObject({
            callback_url: null,
            webhook_url: null,
            capabilities: null,
          });
          continue;
        }
        expect(entry.callback_url).toBe(
          manifest.oauth ? `${PUBLIC_URL}/v1/providers/${provider.slug}/callback` : null,
        );
        expect(entry.webhook_url).toBe(
          manifest.webhook ? `${PUBLIC_URL}/api/v1/webhooks/${provider.slug}` : null,
        );
        expect(entry.capabilities).toEqual(manifest.capabilities);
        expect(entry.historical_days).toBe(manifest.sync.historical_days);
        expect(entry.resources.map((r: { name: string }) => r.name)).toEqual(
          manifest.sync.resources.map((r) => r.name),
        );
        // Exact use is the fixture vendor's test below: other parts of the platform may call a vendor.
        if (entry.app_source !== null && manifest.api.budgets.length > 0) {
          expect(entry.budget.map((b: { limit: number }) => b.limit)).toEqual(
            manifest.api.budgets.map((b) => b.limit),
          );
          for (const b of entry.budget) expect(b.used).toBeGreaterThanOrEqual(0);
        }
      }

      // An app without its secret is not enough; with it, WHOOP flips to configured.
      await api.request('PUT', '/api/v1/developer/providers/whoop', { auth, json: { client_id: 'w' } });
      expect((await catalogue()).get('whoop')).toMatchObject({
        is_configured: false,
        app_source: 'developer',
      });
      await api.request('PUT', '/api/v1/developer/providers/whoop', {
        auth,
        json: { client_id: 'w', client_secret: 's' },
      });
      expect((await catalogue()).get('whoop')).toMatchObject({
        is_configured: true,
        app_source: 'developer',
      });
      // Their own Polar app, with a secret, replaces the secretless default.
      await api.request('PUT', '/api/v1/developer/providers/polar', {
        auth,
        json: { client_id: 'p', client_secret: 's' },
      });
      expect((await catalogue()).get('polar')).toMatchObject({
        is_configured: true,
        app_source: 'developer',
      });
      await api.request('DELETE', '/api/v1/developer/providers/whoop', { auth });
      expect((await catalogue()).get('whoop')).toMatchObject({ is_configured: false, app_source: null });

      // Another developer's catalogue did not change with these.
      const other = await api.registerDeveloper();
      const theirs = await api.request('GET', '/api/v1/providers', { auth: { key: other.key } });
      const polar = (theirs.body.data as Entry[]).find((e) => e.slug === 'polar');
      expect(polar).toMatchObject({ is_configured: false, app_source: 'instance' });
    });
  },
  // No worker: nothing here needs a sync or a subscription keeper.
  { env, worker: false },
);
