import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockOAuthProvider, readBody, send } from './oauth.ts';
import { type ActivitySpec, detailOf, stravaText, streamsOf, summaryOf } from './strava-data.ts';

export { type ActivitySpec, ATHLETE_ID, BIG_ID, stravaText } from './strava-data.ts';

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

export interface StravaPushSubscription {
  id: string;
  callbackUrl: string;
  verifyToken: string;
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
  readonly subscriptions: StravaPushSubscription[] = [];
  /** Every GET challenge the mock made while creating a subscription, and whether it was answered right. */
  readonly challenges: { url: string; ok: boolean; status: number }[] = [];
  /** Every event delivery attempt: callback URL and the status it got (0: no answer). */
  readonly deliveries: { url: string; status: number; body: string }[] = [];
  #usage = { quarterStart: 0, quarter: 0, dayStart: 0, daily: 0 };
  #forced429 = 0;
  #raw: { pathPrefix: string; status: number; text: string; times: number }[] = [];
  #subscriptionSeq = 120_000;

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
      return this.#subscriptionsApi(res, method, path, url.searchParams, body);

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

  #subscriptionsApi(
    res: ServerResponse,
    method: string,
    path: string,
    q: URLSearchParams,
    body: string,
  ): void | Promise<void> {
    const form = method === 'POST' ? new URLSearchParams(body) : q;
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret)
      return send(res, 401, {
        message: 'Authorization Error',
        errors: [{ field: 'client_id', code: 'invalid' }],
      });
    const view = (s: StravaPushSubscription) => ({
      id: `#${s.id}`,
      resource_state: 2,
      application_id: `#${this.clientId.replace(/\D/g, '') || '1'}`,
      callback_url: s.callbackUrl,
    });
    if (method === 'GET' && path === '/push_subscriptions')
      return send(res, 200, stravaText(this.subscriptions.map(view)));
    const remove = /^\/push_subscriptions\/(\d+)$/.exec(path);
    if (method === 'DELETE' && remove !== null) {
      const index = this.subscriptions.findIndex((s) => s.id === remove[1]);
      if (index === -1) return send(res, 404, { message: 'Record Not Found', errors: [] });
      this.subscriptions.splice(index, 1);
      return void res.writeHead(204).end();
    }
    if (method !== 'POST' || path !== '/push_subscriptions')
      return send(res, 404, { message: 'Record Not Found', errors: [] });
    return this.#createSubscription(res, form);
  }

  async #createSubscription(res: ServerResponse, form: URLSearchParams): Promise<void> {
    const callbackUrl = form.get('callback_url') ?? '';
    const verifyToken = form.get('verify_token') ?? '';
    if (this.subscriptions.length > 0)
      return send(res, 400, {
        message: 'Bad Request',
        errors: [{ resource: 'PushSubscription', field: 'callback url', code: 'already exists' }],
      });
    // Strava checks the callback before answering: GET with a challenge that must be echoed (within 2 s).
    const challenge = `ch_${Math.random().toString(36).slice(2)}`;
    const probe = new URL(callbackUrl);
    probe.searchParams.set('hub.mode', 'subscribe');
    probe.searchParams.set('hub.challenge', challenge);
    probe.searchParams.set('hub.verify_token', verifyToken);
    let status = 0;
    let ok = false;
    try {
      const answer = await fetch(probe, { signal: AbortSignal.timeout(2000) });
      status = answer.status;
      const echoed = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
      ok = status === 200 && echoed['hub.challenge'] === challenge;
    } catch {
      ok = false;
    }
    this.challenges.push({ url: callbackUrl, ok, status });
    if (!ok)
      return send(res, 400, {
        message: 'Bad Request',
        errors: [
          {
            resource: 'PushSubscription',
            field: 'callback url',
            code: 'GET to callback URL does not return 200',
          },
        ],
      });
    const subscription = { id: String(++this.#subscriptionSeq), callbackUrl, verifyToken };
    this.subscriptions.push(subscription);
    send(res, 201, stravaText({ id: `#${subscription.id}` }));
  }

  /**
   * Sends an event (unsigned, as Strava does) to the subscription's callback, with up to 3 attempts
   * while the answer is not 2xx. Ids written `'#123'` go out as bare numbers. Returns the last status.
   */
  async notify(event: Record<string, unknown>, url?: string): Promise<number> {
    const target = url ?? this.subscriptions[0]?.callbackUrl;
    if (target === undefined) throw new Error('no Strava push subscription to notify');
    const body = stravaText({
      subscription_id: `#${this.subscriptions[0]?.id ?? '1'}`,
      event_time: Math.floor(Date.now() / 1000),
      updates: {},
      ...event,
    });
    let status = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const answer = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        status = answer.status;
        await answer.body?.cancel();
      } catch {
        status = 0;
      }
      this.deliveries.push({ url: target, status, body });
      if (status >= 200 && status < 300) break;
    }
    return status;
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
