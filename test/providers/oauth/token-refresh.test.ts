import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../../src/db/database.ts';
import { resolveProviderApp } from '../../../src/providers/apps/provider-apps.repo.ts';
import { ProviderAuthError } from '../../../src/providers/errors.ts';
import { createVendorHttp, VendorUnavailableError } from '../../../src/providers/http/vendor-client.ts';
import { connectionTokenSource, readTokens, storeTokens } from '../../../src/providers/oauth/token-store.ts';
import { withProviderModules } from '../../../src/providers/registry.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import { describeEachDatabase, type TestServer } from '../../support/harness.ts';
import { connectThroughBrowser, developerWithApp, startTestVendor, type TestVendor } from './test-vendor.ts';

// Token refresh across workers: one vendor refresh per connection at a time (rotating refresh tokens die
// when two refreshes race), refusals mark the connection for re-authorization, outages do not.

let vendor: TestVendor;
let restore: () => void;
const pools: DatabaseHandle[] = [];
beforeAll(async () => {
  vendor = await startTestVendor();
  restore = withProviderModules([vendor.module]);
});
afterAll(async () => {
  restore();
  await vendor.close();
  for (const pool of pools) await pool.close();
});

/**
 * A second worker: on PostgreSQL its own pool on the same schema (as another node would have); on
 * PGlite, which one process owns, the same runtime called concurrently.
 */
async function secondWorker(server: TestServer): Promise<ProviderRuntime> {
  const { config, deps } = server.platform;
  if (config.DATABASE_URL === undefined) return deps;
  const pool = await openDatabase({
    kind: 'postgres',
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: 2,
  });
  pools.push(pool);
  return { ...deps, db: pool.db };
}

async function connected(server: TestServer) {
  const { dev, auth, user } = await developerWithApp(server);
  const flow = await connectThroughBrowser(server, auth, user.id);
  const id = flow.outcome?.searchParams.get('connection_id') as string;
  const { deps } = server.platform;
  const app = await resolveProviderApp(deps, dev.id, 'oura');
  if (app === undefined) throw new Error('app not configured');
  const grant = vendor.oauth.grants.at(-1);
  if (grant === undefined) throw new Error('no grant');
  const row = async () =>
    deps.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** Stored tokens marked expired, as after a day without syncs. */
  const expireStored = async () => {
    const tokens = readTokens(deps, await row());
    if (tokens === undefined) throw new Error('no tokens');
    await storeTokens(deps, deps.db, id, { ...tokens, expires_at: Date.now() - 1000 });
  };
  const revokedEvents = async () =>
    (
      await deps.db
        .selectFrom('webhook_messages')
        .select('payload')
        .where('developer_id', '=', dev.id)
        .where('event_type', '=', 'connection.revoked')
        .execute()
    ).map((r) => JSON.parse(r.payload).data);
  return { id, app, grant, row, expireStored, revokedEvents };
}

describeEachDatabase(
  'Token refresh',
  (ctx) => {
    it('two workers refreshing the same connection at once call the token endpoint once', async () => {
      const server = ctx();
      const c = await connected(server);
      const other = await secondWorker(server);
      const a = connectionTokenSource(server.platform.deps, vendor.module, c.app, c.id);
      const b = connectionTokenSource(other, vendor.module, c.app, c.id);
      // Slow answers make the two refreshes overlap unless one waits for the other.
      vendor.oauth.options.tokenLatencyMs = 300;
      try {
        await c.expireStored();
        const before = vendor.oauth.counts.refresh;
        const rejectedBefore = vendor.oauth.counts.tokenRejected;
        const [ta, tb] = await Promise.all([a.current(), b.current()]);
        expect(vendor.oauth.counts.refresh - before).toBe(1);
        expect(ta.access_token).toBe(c.grant.accessToken);
        expect(tb.access_token).toBe(ta.access_token);

        // Both see a 401 with the same token (a revoked-then-reissued token, a clock skew): one refresh.
        const [ra, rb] = await Promise.all([a.refresh(ta.access_token), b.refresh(ta.access_token)]);
        expect(vendor.oauth.counts.refresh - before).toBe(2);
        expect(ra.access_token).not.toBe(ta.access_token);
        expect(rb.access_token).toBe(ra.access_token);
        // The rotated refresh token was stored before anyone used the new access token.
        expect(readTokens(server.platform.deps, await c.row())?.refresh_token).toBe(c.grant.refreshToken);
        expect(vendor.oauth.counts.tokenRejected).toBe(rejectedBefore);
      } finally {
        vendor.oauth.options.tokenLatencyMs = 0;
      }
      expect((await c.row()).status).toBe('active');
    });

    it('the vendor client refreshes on a 401 and retries with the new token', async () => {
      const server = ctx();
      const c = await connected(server);
      const { deps } = server.platform;
      const http = createVendorHttp(deps, {
        module: vendor.module,
        app: c.app,
        tokens: connectionTokenSource(deps, vendor.module, c.app, c.id),
      });
      vendor.oauth.expireAccessTokens(c.grant.userId);
      const before = vendor.oauth.counts.refresh;
      expect(await http.json({ path: '/v1/me' })).toEqual({ id: c.grant.userId });
      expect(vendor.oauth.counts.refresh - before).toBe(1);
    });

    it('a refused refresh marks the connection reauth_required with connection.revoked, once', async () => {
      const server = ctx();
      const c = await connected(server);
      const other = await secondWorker(server);
      await c.expireStored();
      vendor.oauth.inject('refresh_token', { status: 400, body: { error: 'invalid_grant' } });
      const before = vendor.oauth.counts.refresh;
      const outcomes = await Promise.allSettled([
        connectionTokenSource(server.platform.deps, vendor.module, c.app, c.id).current(),
        connectionTokenSource(other, vendor.module, c.app, c.id).current(),
      ]);
      expect(vendor.oauth.counts.refresh - before).toBe(1);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ProviderAuthError);
      }
      expect(await c.row()).toMatchObject({
        status: 'reauth_required',
        tokens_sealed: null,
        next_sync_at: null,
      });
      expect(await c.revokedEvents()).toEqual([
        expect.objectContaining({ connection_id: c.id, status: 'reauth_required', reason: 'invalid_grant' }),
      ]);
      const listed = await server.api.request('GET', `/api/v1/users/${(await c.row()).user_id}/connections`, {
        auth: undefined,
      });
      expect(listed.status).toBe(401);
    });

    it('a vendor outage on refresh is retryable and leaves the connection alone', async () => {
      const server = ctx();
      const c = await connected(server);
      await c.expireStored();
      const source = connectionTokenSource(server.platform.deps, vendor.module, c.app, c.id);
      vendor.oauth.inject('refresh_token', { status: 503, body: { error: 'temporarily_unavailable' } });
      await expect(source.current()).rejects.toBeInstanceOf(VendorUnavailableError);
      expect((await c.row()).status).toBe('active');
      expect(await c.revokedEvents()).toEqual([]);
      // The next attempt refreshes with the same (unrotated) refresh token.
      expect((await source.current()).access_token).toBe(c.grant.accessToken);
      expect((await c.row()).status).toBe('active');
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } },
);
