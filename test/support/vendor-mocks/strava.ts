import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockOAuthProvider, readBody, send } from './oauth.ts';
import { type ActivitySpec, detailOf, stravaText, streamsOf, summaryOf } from './strava-data.ts';
import { StravaPushAdmin, type StravaPushSubscription } from './strava-webhooks.ts';

export { type ActivitySpec, ATHLETE_ID, BIG_ID, stravaText } from './strava-data.ts';
export type { StravaPushSubscription } from './strava-webhooks.ts';

/**
 * A local Strava (API v3) on 127.0.0.1: OAuth through the shared mock (client id and secret in the form
 * body, comma-separated scopes, the granted `scope` on the redirect, 6 h tokens, refresh tokens that
 * rotate, `POST /oauth/deauthorize` with `access_token`, which also sends the athlete deauthorization
 * event), `/athlete`, `/athlete/activities` (`after`/`before` exclusive epoch seconds, `page`, `per_page`
 * up to 200, else 400), activity detail and keyed streams, ids above 2^53 written as bare JSON numbers,
 * 401 for an expired or revoked token or a grant without an activity scope, a read rate limiter with
 * Strava's four headers and its windows (quarter hours, UTC midnight), 429 on demand, raw answers
 * (malformed JSON), the one-per-app `push_subscriptions` API with its GET `hub.challenge` check, and an
 * unsigned event notifier that makes up to 3 attempts.
 *
 * @example
 * const strava = await startStravaMock({ clientId: 'cid', clientSecret: 'secret' });
 * strava.addAthlete(ATHLETE_ID, [ride]);
 * strava.oauth.approveNextAs(ATHLETE_ID);
 * // PROVIDER_URLS=strava=<strava.url>; … await strava.notify({ object_type: 'activity', … });
 */

export interface StravaAthlete {
  weightKg: number;
  activities: ActivitySpec[];
}

const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const ACTIVITY_SCOPES = ['activity:read', 'activity:read_all'];
const AUTH_ERROR = {
  message: 'Authorization Error',
  errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }],
};

export class StravaMock {
  readonly oauth: MockOAuthProvider;
  readonly athletes = new Map<string, StravaAthlete>();
  /** Data calls per route (`GET /athlete/activities`, `GET /activities/{id}/streams`, …). */
  readonly calls = new Map<string, number>();
  readonly requests: { method: string; path: string; query: Record<string, string> }[] = [];
  readonly counts = { rateLimited: 0, unauthorized: 0, badRequest: 0, deauthorizeEvents: 0 };
  /** Read limits per app: 15-minute and daily (Strava's defaults). */
  readLimits = { quarter: 100, daily: 1000 };
  /** The push-subscription API and the event notifier. */
  readonly push: StravaPushAdmin;
  #usage = { quarterStart: 0, quarter: 0, dayStart: 0, daily: 0 };
  #forced429 = 0;
  #raw: { pathPrefix: string; status: number; text: string; times: number }[] = [];

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    this.oauth = new MockOAuthProvider({
      clientId,
      clientSecret,
      clientAuth: 'body',
      pkce: 'none',
      refresh: 'rotating',
      accessTokenTtlSeconds: 6 * 3600,
      paths: { revoke: '/oauth/deauthorize' },
      revoke: { method: 'POST', tokenIn: 'form_access_token' },
      // Strava's token response carries `expires_at` and an athlete summary; an id above 2^53 cannot
      // be written through JSON.stringify, so such an athlete is left out (WearLink asks /athlete).
      // No `scope` either: Strava reports the granted scopes only on the authorize redirect.
      tokenExtras: (grant) => ({
        scope: undefined,
        expires_at: Math.floor(grant.accessExpiresAt / 1000),
        ...(Number.isSafeInteger(Number(grant.userId)) ? { athlete: { id: Number(grant.userId) } } : {}),
      }),
    });
    this.push = new StravaPushAdmin(clientId, clientSecret);
  }

  get subscriptions(): StravaPushSubscription[] {
    return this.push.subscriptions;
  }
  get challenges(): StravaPushAdmin['challenges'] {
    return this.push.challenges;
  }
  get deliveries(): StravaPushAdmin['deliveries'] {
    return this.push.deliveries;
  }

  addAthlete(athleteId: string, activities: ActivitySpec[], weightKg = 0): void {
    this.athletes.set(athleteId, { weightKg, activities });
  }

  /** The next `times` API calls answer 429 (as over the 15-minute read limit). */
  rateLimitNext(times = 1): void {
    this.#forced429 += times;
  }

  /** The next `times` calls whose path starts with `pathPrefix` answer this text. */
  answerRaw(pathPrefix: string, status: number, text: string, times = 1): void {
    this.#raw.push({ pathPrefix, status, text, times });
  }

  callCount(route: string): number {
    return this.calls.get(route) ?? 0;
  }

  /** Strava's four rate-limit headers after counting this read. */
  #countRead(): { headers: Record<string, string>; over: boolean } {
    const now = Date.now();
    const quarterStart = Math.floor(now / QUARTER_MS) * QUARTER_MS; // :00 :15 :30 :45
    const dayStart = Math.floor(now / DAY_MS) * DAY_MS; // midnight UTC
    const u = this.#usage;
    if (u.quarterStart !== quarterStart) Object.assign(u, { quarterStart, quarter: 0 });
    if (u.dayStart !== dayStart) Object.assign(u, { dayStart, daily: 0 });
    // Requests over the limit still count (short-term violations count toward the daily total).
    u.quarter++;
    u.daily++;
    const over = u.quarter > this.readLimits.quarter || u.daily > this.readLimits.daily;
    const limits = `${this.readLimits.quarter},${this.readLimits.daily}`;
    const usage = `${u.quarter},${u.daily}`;
    return {
      over,
      headers: {
        'X-RateLimit-Limit': `${this.readLimits.quarter * 2},${this.readLimits.daily * 2}`,
        'X-RateLimit-Usage': usage,
        'X-ReadRateLimit-Limit': limits,
        'X-ReadRateLimit-Usage': usage,
      },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://mock');
    const method = req.method ?? 'GET';
    if (url.pathname === this.oauth.paths.revoke && method === 'POST')
      return this.#deauthorize(req, res, body);
    if (await this.oauth.handle(req, res, body)) return;
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    this.requests.push({ method, path, query: Object.fromEntries(url.searchParams) });
    if (path === '/push_subscriptions' || path.startsWith('/push_subscriptions/'))
      return this.push.handle(res, method, path, url.searchParams, body);

    const route = `${method} ${path.replace(/\/activities\/\d+/, '/activities/{id}')}`;
    this.calls.set(route, (this.calls.get(route) ?? 0) + 1);
    const rate = this.#countRead();
    if (this.#forced429 > 0 || rate.over) {
      if (this.#forced429 > 0) this.#forced429--;
      this.counts.rateLimited++;
      return send(res, 429, { message: 'Rate Limit Exceeded', errors: [] }, rate.headers);
    }
    const grant = this.oauth.authenticate(req);
    if (grant === undefined) {
      this.counts.unauthorized++;
      return send(res, 401, AUTH_ERROR, rate.headers);
    }
    const raw = this.#raw.find((r) => r.times > 0 && path.startsWith(r.pathPrefix));
    if (raw !== undefined) {
      raw.times--;
      return send(res, raw.status, raw.text, rate.headers);
    }
    const athlete = this.athletes.get(grant.userId);
    if (athlete === undefined)
      return send(res, 404, { message: 'Record Not Found', errors: [] }, rate.headers);
    const granted = grant.scope.split(',');
    if (path.includes('activities') && !granted.some((s) => ACTIVITY_SCOPES.includes(s))) {
      this.counts.unauthorized++;
      const missing = { resource: 'AccessToken', field: 'activity:read_permission', code: 'missing' };
      return send(res, 401, { message: 'Authorization Error', errors: [missing] }, rate.headers);
    }
    const answer = method === 'GET' ? this.#route(path, url.searchParams, grant.userId, athlete) : undefined;
    const { status, text } = answer ?? { status: 404, text: '{"message":"Record Not Found","errors":[]}' };
    if (status === 400) this.counts.badRequest++;
    send(res, status, text, rate.headers);
  }

  #route(
    path: string,
    q: URLSearchParams,
    athleteId: string,
    athlete: StravaAthlete,
  ): { status: number; text: string } {
    const ok = (value: unknown) => ({ status: 200, text: stravaText(value) });
    if (path === '/athlete')
      return ok({
        id: `#${athleteId}`,
        resource_state: 3,
        firstname: 'Mock',
        lastname: 'Athlete',
        weight: athlete.weightKg,
        updated_at: '2026-11-20T08:00:00Z',
      });
    if (path === '/athlete/activities') {
      const perPage = Number(q.get('per_page') ?? 30);
      const page = Number(q.get('page') ?? 1);
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200 || !Number.isInteger(page) || page < 1)
        return {
          status: 400,
          text: stravaText({ message: 'Bad Request', errors: [{ field: 'per_page', code: 'invalid' }] }),
        };
      const after = q.has('after') ? Number(q.get('after')) * 1000 : -Infinity;
      const before = q.has('before') ? Number(q.get('before')) * 1000 : Infinity;
      const matching = athlete.activities
        .filter((a) => Date.parse(a.start) > after && Date.parse(a.start) < before)
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
      return ok(matching.slice((page - 1) * perPage, page * perPage).map((a) => summaryOf(a, athleteId)));
    }
    const match = /^\/activities\/(\d+)(\/streams)?$/.exec(path);
    const activity = athlete.activities.find((a) => a.id === match?.[1]);
    if (match === null || activity === undefined)
      return { status: 404, text: '{"message":"Record Not Found","errors":[]}' };
    if (match[2] === undefined) return ok(detailOf(activity, athleteId));
    if (activity.manual) return { status: 404, text: '{"message":"Record Not Found","errors":[]}' };
    const keys = new Set((q.get('keys') ?? 'time').split(','));
    keys.add('time');
    const all = streamsOf(activity) as Record<string, unknown>;
    const chosen = Object.fromEntries(Object.entries(all).filter(([k]) => keys.has(k)));
    return ok(
      q.get('key_by_type') === 'true'
        ? chosen
        : Object.entries(chosen).map(([type, s]) => ({ type, ...(s as object) })),
    );
  }

  /** Deauthorize revokes the athlete's grant, then Strava tells the app with an athlete event. */
  async #deauthorize(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const token = new URLSearchParams(body).get('access_token') ?? '';
    const grant = this.oauth.grants.find((g) => g.accessToken === token || g.refreshToken === token);
    await this.oauth.handle(req, res, body);
    if (grant === undefined || !grant.revoked) return;
    this.oauth.revokeUser(grant.userId);
    this.counts.deauthorizeEvents++;
    void this.notify({
      object_type: 'athlete',
      object_id: `#${grant.userId}`,
      aspect_type: 'update',
      updates: { authorized: 'false' },
      owner_id: `#${grant.userId}`,
    });
  }

  /** Sends an event to the push subscription's callback (see `StravaPushAdmin.notify`). */
  notify(event: Record<string, unknown>, url?: string): Promise<number> {
    return this.push.notify(event, url);
  }
}

export interface RunningStravaMock extends StravaMock {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startStravaMock(options: {
  clientId: string;
  clientSecret: string;
}): Promise<RunningStravaMock> {
  const mock = new StravaMock(options.clientId, options.clientSecret);
  const server = createServer((req, res) => {
    mock.handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(mock, {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
