import { expect, it } from 'vitest';
import { emptyBatch } from '../../../src/health-data/canonical.ts';
import { spendBudget } from '../../../src/providers/http/budget.ts';
import { parseManifest } from '../../../src/providers/manifest.ts';
import { findProviderModule, withProviderModules } from '../../../src/providers/registry.ts';
import type { ProviderModule } from '../../../src/providers/types.ts';
import { describeEachDatabase } from '../../support/harness.ts';

const PUBLIC_URL = 'https://wearlink.example.com';
const env = {
  PUBLIC_URL,
  GARMIN_CLIENT_ID: 'instance-garmin',
  GARMIN_CLIENT_SECRET: 'instance-garmin-secret',
  // Nothing listens here: whatever the platform does with the instance app stays on this machine.
  PROVIDER_URLS: 'garmin=http://127.0.0.1:9',
};

/**
 * A vendor module of this test's own (in the slot of Garmin, whose module comes in a later issue), so
 * what the catalogue shows of a manifest is checked against known values whatever vendors are built in.
 * Its pull is never called.
 */
const fixtureVendor: ProviderModule = {
  manifest: parseManifest({
    slug: 'garmin',
    name: 'Garmin',
    developer_portal: 'https://vendor.example.com/developers',
    hosts: { auth: 'https://auth.vendor.example.com', api: 'https://api.vendor.example.com' },
    oauth: {
      authorize: { host: 'auth', path: '/authorize' },
      token: { host: 'api', path: '/token' },
      pkce: true,
      client_auth: 'body',
      default_scopes: ['activity', 'sleep'],
      scope_separator: ' ',
      refresh: 'rotating',
    },
    api: {
      host: 'api',
      budgets: [
        { limit: 100, window_seconds: 60 },
        { limit: 1000, window_seconds: 86_400 },
      ],
      pagination: 'none',
    },
    sync: {
      window_days: 1,
      historical_days: 730,
      lookback_hours: 24,
      resources: [
        { name: 'activities', families: ['workouts', 'route'], historical_days: 30 },
        { name: 'sleeps', families: ['sleep'] },
      ],
    },
    capabilities: { pull: false, webhook_ping: true, webhook_push: true },
    webhook: {
      verification: { scheme: 'none', why: 'the fixture does not sign' },
      handshake: 'none',
      subscription: 'portal',
    },
  }),
  pull: {
    fetch: async () => {
      throw new Error('the catalogue never pulls');
    },
    map: () => emptyBatch(),
  },
};

type Entry = Record<string, any> & { slug: string };

describeEachDatabase(
  'provider catalogue: what a vendor module says',
  (ctx) => {
    it("shows a vendor module's facts, URLs and the budget spent by the app in use", async () => {
      const { api, platform } = ctx();
      const restore = withProviderModules([fixtureVendor]);
      try {
        const dev = await api.registerDeveloper();
        const auth = { key: dev.key };
        const garmin = async () => {
          const res = await api.request('GET', '/api/v1/providers', { auth });
          return (res.body.data as Entry[]).find((e) => e.slug === 'garmin');
        };
        // Two calls made with the instance app, as the vendor client counts them.
        const { manifest } = fixtureVendor;
        for (let i = 0; i < 2; i++)
          expect(await spendBudget(platform.deps.rateLimiter, manifest, 'instance-garmin')).toBeUndefined();

        const entry = await garmin();
        expect(entry).toMatchObject({
          name: 'Garmin',
          kind: 'oauth',
          available: true,
          is_configured: true,
          app_source: 'instance',
          callback_url: `${PUBLIC_URL}/v1/providers/garmin/callback`,
          webhook_url: `${PUBLIC_URL}/api/v1/webhooks/garmin`,
          developer_portal: 'https://vendor.example.com/developers',
          historical_days: 730,
          capabilities: { pull: false, webhook_ping: true, webhook_push: true },
          resources: [
            { name: 'activities', families: ['workouts', 'route'], historical_days: 30 },
            { name: 'sleeps', families: ['sleep'], historical_days: 730 },
          ],
        });
        expect(entry?.budget).toHaveLength(2);
        expect(entry?.budget[0]).toMatchObject({ limit: 100, window_seconds: 60, used: 2 });
        expect(entry?.budget[1]).toMatchObject({ limit: 1000, window_seconds: 86_400, used: 2 });
        const resetsIn = Date.parse(entry?.budget[0].resets_at) - Date.now();
        expect(resetsIn).toBeGreaterThan(0);
        expect(resetsIn).toBeLessThanOrEqual(60_000);

        // The developer's own app has a budget of its own, and the manifest's scopes by default.
        const put = await api.request('PUT', '/api/v1/developer/providers/garmin', {
          auth,
          json: { client_id: 'own-garmin', client_secret: 'own-garmin-secret' },
        });
        expect(put.body.scopes).toEqual(['activity', 'sleep']);
        const own = await garmin();
        expect(own).toMatchObject({ app_source: 'developer', is_configured: true });
        expect(own?.budget.map((b: { used: number }) => b.used)).toEqual([0, 0]);
      } finally {
        restore();
      }
      // Without its module the vendor is listed, unavailable, with nothing a module would say.
      const dev = await api.registerDeveloper();
      const res = await api.request('GET', '/api/v1/providers', { auth: { key: dev.key } });
      if (findProviderModule('garmin') === undefined)
        expect((res.body.data as Entry[]).find((e) => e.slug === 'garmin')).toMatchObject({
          available: false,
          is_configured: true,
          app_source: 'instance',
          callback_url: null,
          capabilities: null,
          resources: null,
          budget: null,
        });
    });
  },
  // No worker: nothing here syncs or keeps subscriptions.
  { env, worker: false },
);
