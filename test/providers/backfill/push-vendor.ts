import { createServer, type Server } from 'node:http';
import { emptyBatch } from '../../../src/health-data/canonical.ts';
import { parseManifest } from '../../../src/providers/manifest.ts';
import type { InboundRequest, ProviderModule, WebhookNotification } from '../../../src/providers/types.ts';

/**
 * A push vendor built in the test (slug `pushvendor`, Garmin's shape without Garmin): its history
 * arrives by push after a backfill request per type, its pushes are `{<listKey>: [{userId, …}]}`.
 * The backfill endpoint is a tiny local server whose answer per type the test sets (202 accepted,
 * 409 already sent, 400 refused) and which logs every request.
 */

export interface BackfillCall {
  type: string;
  from: number;
  to: number;
  status: number;
}

export interface BackfillMock {
  url: string;
  calls: BackfillCall[];
  /** Status per type (default 202). */
  answers: Record<string, number>;
  /** Types answered 429 (Retry-After: 1) on their next request, once. */
  rateLimitOnce: Set<string>;
  /** Ping callback URLs fetched. */
  pinged: string[];
  close(): Promise<void>;
}

export async function startBackfillMock(): Promise<BackfillMock> {
  const calls: BackfillCall[] = [];
  const answers: Record<string, number> = {};
  const rateLimitOnce = new Set<string>();
  const pinged: string[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      if (req.method === 'GET' && req.url?.startsWith('/ping/')) {
        pinged.push(req.url);
        res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
        return;
      }
      const match = /^\/backfill\/([A-Za-z]+)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || match === null || req.headers.authorization === undefined) {
        res.writeHead(404).end();
        return;
      }
      const type = match[1] as string;
      const body = JSON.parse(raw) as { from: number; to: number };
      const limited = rateLimitOnce.delete(type);
      const status = limited ? 429 : (answers[type] ?? 202);
      calls.push({ type, from: body.from, to: body.to, status });
      res
        .writeHead(status, { 'content-type': 'application/json', ...(limited ? { 'retry-after': '1' } : {}) })
        .end(JSON.stringify({ status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    answers,
    rateLimitOnce,
    pinged,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** list key → resource name of the pushed items. */
const resources: Record<string, string> = {
  dailies: 'dailies',
  activities: 'activities',
  manuallyUpdatedActivities: 'activities',
  sleeps: 'sleeps',
  bodyComps: 'body_comps',
  hrv: 'hrv',
};

function parse(request: InboundRequest) {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(request.body));
  } catch {
    return { ok: false as const, error: 'not JSON' };
  }
  if (typeof body !== 'object' || body === null) return { ok: false as const, error: 'not an object' };
  const notifications: WebhookNotification[] = [];
  for (const [key, list] of Object.entries(body)) {
    const resource = resources[key];
    if (resource === undefined || !Array.isArray(list)) continue;
    const byUser = new Map<string, number[]>();
    list.forEach((item: { userId?: unknown; callbackURL?: unknown }, index) => {
      if (typeof item?.userId !== 'string') return;
      // A ping: the data is fetched from the callback URL (named by its list key, as Garmin's are).
      if (typeof item.callbackURL === 'string') {
        notifications.push({
          kind: 'pull',
          providerUserId: item.userId,
          target: { resource, url: item.callbackURL, details: { list_key: key } },
        });
        return;
      }
      byUser.set(item.userId, [...(byUser.get(item.userId) ?? []), index]);
    });
    for (const [providerUserId, indexes] of byUser)
      notifications.push({ kind: 'pull', providerUserId, target: { resource, delivery: { key, indexes } } });
  }
  return { ok: true as const, notifications };
}

export function pushVendor(mockUrl: string): ProviderModule {
  return {
    manifest: parseManifest({
      slug: 'pushvendor',
      name: 'PushVendor (test)',
      hosts: { api: mockUrl },
      oauth: {
        authorize: { host: 'api', path: '/oauth/authorize' },
        token: { host: 'api', path: '/oauth/token' },
        pkce: true,
        client_auth: 'basic',
        default_scopes: [],
        scope_separator: ' ',
        refresh: 'stable',
      },
      api: { host: 'api', budgets: [{ limit: 1000, window_seconds: 60 }], pagination: 'none' },
      sync: {
        strategy: 'push',
        window_days: 30,
        historical_days: 30,
        lookback_hours: 0,
        resources: [
          { name: 'dailies', families: ['daily'] },
          { name: 'activities', families: ['workouts'] },
        ],
      },
      // 12 s: long enough for a delivery to arrive on a loaded machine, short enough to watch a timeout.
      backfill: {
        wait_minutes: 0.2,
        types: [
          { name: 'dailies', max_window_days: 10, delivered_as: ['dailies'], family: 'daily' },
          {
            name: 'activities',
            max_window_days: 30,
            delivered_as: ['activities', 'manuallyUpdatedActivities'],
            family: 'workouts',
          },
          { name: 'sleeps', max_window_days: 30, delivered_as: ['sleeps'], family: 'sleep' },
          { name: 'bodyComps', max_window_days: 30, delivered_as: ['bodyComps'], family: 'body' },
          { name: 'hrv', max_window_days: 30, delivered_as: ['hrv'], family: 'sleep' },
        ],
      },
      capabilities: { pull: true, webhook_ping: false, webhook_push: true },
      webhook: {
        verification: { scheme: 'none', why: 'test vendor' },
        handshake: 'none',
        subscription: 'portal',
      },
    }),
    pull: {
      async fetch() {
        return [];
      },
      async fetchTarget(context, target) {
        return [{ resource: target.resource, payload: await context.http.json({ path: target.url ?? '' }) }];
      },
      map: () => emptyBatch(),
    },
    webhook: { parse },
    backfill: {
      async request({ http, providerUserId }, type, window) {
        const answer = await http.request({
          method: 'POST',
          path: `/backfill/${type}`,
          json: { user: providerUserId, from: window.fromMs, to: window.toMs },
          accept: [400, 409],
        });
        if (answer.status === 409) return { status: 'duplicate' };
        if (answer.status >= 400)
          return { status: 'failed', reason: `refused with ${answer.status}`, vendorStatus: answer.status };
        return { status: 'requested' };
      },
    },
  };
}
