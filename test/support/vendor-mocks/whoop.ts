import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockOAuthProvider, readBody, send } from './oauth.ts';

/**
 * A local WHOOP (API v2) on 127.0.0.1: OAuth through the shared mock (client auth in the body, a refresh
 * token only when `offline` was granted, rotated on every refresh, revoke by `DELETE
 * /developer/v2/user/access` with the bearer token → 204), the four collections with `limit` ≤ 25 (400
 * above), newest first, `nextToken` in and `next_token` out, single records and the cycle sub-routes,
 * profile and body measurement, 401 for an expired or revoked token, WHOOP's rate-limit headers on every
 * answer and 429 past 100 requests a minute, and a notifier that signs deliveries like WHOOP.
 *
 * @example
 * const whoop = await startWhoopMock({ clientId: 'cid', clientSecret: 'secret' });
 * whoop.addUser(10129, { nights: [whoopNight({...})], workouts: [whoopWorkout({...})] });
 * whoop.oauth.approveNextAs('10129');
 * // PROVIDER_URLS=whoop=<whoop.url>; … await whoop.deliverWebhook(url, { user_id: 10129, id, type: 'sleep.updated' });
 */

export interface WhoopUserData {
  profile: { user_id: number; email: string; first_name: string; last_name: string };
  body: { height_meter: number; weight_kilogram: number; max_heart_rate: number } | null;
  cycles: Record<string, unknown>[];
  recoveries: Record<string, unknown>[];
  sleeps: Record<string, unknown>[];
  workouts: Record<string, unknown>[];
}

const PER_MINUTE = 100;
const PER_DAY = 10_000;
const PREFIX = '/developer';

export class WhoopMock {
  readonly oauth: MockOAuthProvider;
  readonly users = new Map<string, WhoopUserData>();
  /** Data calls per route (`GET /v2/cycle`, `GET /v2/activity/sleep/{id}`, …), 429s and 401s included. */
  readonly calls = new Map<string, number>();
  /** Every data request's path and query, in order. */
  readonly requests: { method: string; path: string; query: Record<string, string> }[] = [];
  readonly counts = { rateLimited: 0, unauthorized: 0, badRequest: 0 };
  #minute = { start: Date.now(), used: 0 };
  #day = { start: Date.now(), used: 0 };
  #forced429: { times: number; resetSeconds: number; skip: number } | undefined;
  #raw: { pathPrefix: string; status: number; text: string; times: number }[] = [];

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    this.oauth = new MockOAuthProvider({
      clientId,
      clientSecret,
      clientAuth: 'body',
      paths: {
        authorize: '/oauth/oauth2/auth',
        token: '/oauth/oauth2/token',
        revoke: `${PREFIX}/v2/user/access`,
      },
      refresh: 'rotating',
      refreshRequiresScope: 'offline',
      revoke: { method: 'DELETE', tokenIn: 'bearer' },
    });
  }

  /** Adds (or replaces) a member's data; nights fill cycles, sleeps and recoveries. */
  addUser(
    userId: number,
    data: {
      nights?: {
        cycle: Record<string, unknown>;
        sleep: Record<string, unknown>;
        recovery: Record<string, unknown>;
      }[];
      workouts?: Record<string, unknown>[];
      body?: WhoopUserData['body'];
    },
  ): WhoopUserData {
    const nights = data.nights ?? [];
    const user: WhoopUserData = {
      profile: {
        user_id: userId,
        email: `member${userId}@example.com`,
        first_name: 'Test',
        last_name: 'Member',
      },
      body:
        data.body === undefined
          ? { height_meter: 1.8288, weight_kilogram: 90.7185, max_heart_rate: 200 }
          : data.body,
      cycles: nights.map((n) => n.cycle),
      sleeps: nights.map((n) => n.sleep),
      recoveries: nights.map((n) => n.recovery),
      workouts: data.workouts ?? [],
    };
    this.users.set(String(userId), user);
    return user;
  }

  /**
   * After `skip` more data calls, the next `times` answer 429 with WHOOP's headers and
   * `X-RateLimit-Reset: resetSeconds` (skip 1: the connect's profile call goes through, the sync's not).
   */
  rateLimitNext(times = 1, resetSeconds = 30, skip = 0): void {
    this.#forced429 = { times, resetSeconds, skip };
  }

  /** The next `times` data calls under `pathPrefix` (e.g. `/developer/v2/cycle`) answer this raw text. */
  answerRaw(pathPrefix: string, status: number, text: string, times = 1): void {
    this.#raw.push({ pathPrefix, status, text, times });
  }

  callCount(route: string): number {
    return this.calls.get(route) ?? 0;
  }

  /**
   * POSTs a WHOOP notification to `url`, signed as WHOOP signs: `X-WHOOP-Signature` = base64
   * HMAC-SHA256 under the client secret of `X-WHOOP-Signature-Timestamp` (epoch ms) + the raw body.
   * `secret`/`timestampMs`/`signature` override to produce forged or stale deliveries.
   */
  async deliverWebhook(
    url: string,
    event: { user_id: number; id: string | number; type: string; trace_id?: string },
    options: { secret?: string; timestampMs?: number; signature?: string | null } = {},
  ): Promise<Response> {
    const body = JSON.stringify({ ...event, trace_id: event.trace_id ?? randomUUID() });
    const timestamp = String(options.timestampMs ?? Date.now());
    const signature = whoopSignature(options.secret ?? this.clientSecret, timestamp, body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-whoop-signature-timestamp': timestamp,
    };
    if (options.signature !== null) headers['x-whoop-signature'] = options.signature ?? signature;
    return fetch(url, { method: 'POST', headers, body });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (await this.oauth.handle(req, res, body)) return;
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method ?? 'GET', path, query });
    const route = routeName(req.method ?? 'GET', path);
    this.calls.set(route, (this.calls.get(route) ?? 0) + 1);

    const limit = this.#rateLimit();
    if (limit.limited) {
      this.counts.rateLimited++;
      return void send(res, 429, { message: 'Too Many Requests' }, limit.headers);
    }
    const grant = this.oauth.authenticate(req);
    if (!grant) {
      this.counts.unauthorized++;
      return void send(res, 401, { message: 'Authorization was not valid' }, limit.headers);
    }
    const raw = this.#raw.find((r) => path.startsWith(r.pathPrefix) && r.times > 0);
    if (raw) {
      raw.times--;
      res.writeHead(raw.status, { 'content-type': 'application/json', ...limit.headers }).end(raw.text);
      return;
    }
    const user = this.users.get(grant.userId);
    if (!user) return void send(res, 404, { message: 'No such member' }, limit.headers);
    const answer = this.#route(req.method ?? 'GET', path, url.searchParams, user);
    if (answer.status === 400) this.counts.badRequest++;
    send(res, answer.status, answer.body, limit.headers);
  }

  #route(
    method: string,
    path: string,
    q: URLSearchParams,
    user: WhoopUserData,
  ): { status: number; body: unknown } {
    if (method !== 'GET' || !path.startsWith(`${PREFIX}/v2/`))
      return { status: 404, body: { message: 'Not found' } };
    const p = path.slice(PREFIX.length);
    const notFound = { status: 404, body: { message: 'Not found' } };
    const found = (record: unknown) => (record === undefined ? notFound : { status: 200, body: record });
    const collections: Record<string, Record<string, unknown>[]> = {
      '/v2/cycle': user.cycles,
      '/v2/recovery': user.recoveries,
      '/v2/activity/sleep': user.sleeps,
      '/v2/activity/workout': user.workouts,
    };
    const collection = collections[p];
    if (collection) return this.#page(collection, q, p === '/v2/recovery' ? user : undefined);
    if (p === '/v2/user/profile/basic') return { status: 200, body: user.profile };
    if (p === '/v2/user/measurement/body') return user.body ? { status: 200, body: user.body } : notFound;
    let m = /^\/v2\/cycle\/(\d+)(\/sleep|\/recovery)?$/.exec(p);
    if (m) {
      const id = Number(m[1]);
      if (m[2] === '/recovery') return found(user.recoveries.find((r) => r.cycle_id === id));
      if (m[2] === '/sleep') return found(user.sleeps.find((s) => s.cycle_id === id && s.nap !== true));
      return found(user.cycles.find((c) => c.id === id));
    }
    m = /^\/v2\/activity\/(sleep|workout)\/([0-9a-f-]{36})$/i.exec(p);
    if (m) return found((m[1] === 'sleep' ? user.sleeps : user.workouts).find((r) => r.id === m?.[2]));
    if (/^\/v2\/activity\/(sleep|workout)\//.test(p)) return { status: 400, body: { message: 'Invalid id' } };
    return notFound;
  }

  /** One page: records starting in [start, end), newest first, `limit` ≤ 25, `nextToken` an offset. */
  #page(records: Record<string, unknown>[], q: URLSearchParams, recoveryOf?: WhoopUserData) {
    const limit = q.has('limit') ? Number(q.get('limit')) : 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 25)
      return { status: 400, body: { message: 'limit must be between 1 and 25' } };
    const start = q.has('start') ? Date.parse(q.get('start') as string) : -Infinity;
    const end = q.has('end') ? Date.parse(q.get('end') as string) : Date.now();
    if (Number.isNaN(start) || Number.isNaN(end))
      return { status: 400, body: { message: 'Invalid start or end' } };
    const token = q.get('nextToken');
    const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0)
      return { status: 400, body: { message: 'Invalid nextToken' } };
    // A recovery has no time of its own: WHOOP files it under its cycle.
    const timeOf = (r: Record<string, unknown>) =>
      Date.parse(
        String(
          recoveryOf ? (recoveryOf.cycles.find((c) => c.id === r.cycle_id)?.start ?? r.created_at) : r.start,
        ),
      );
    const matching = records
      .filter((r) => timeOf(r) >= start && timeOf(r) < end)
      .sort((a, b) => timeOf(b) - timeOf(a));
    const slice = matching.slice(offset, offset + limit);
    const next =
      offset + limit < matching.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
    return { status: 200, body: { records: slice, next_token: next } };
  }

  /** 100 a minute and 10,000 a day per app, with WHOOP's three headers on every answer. */
  #rateLimit(): { limited: boolean; headers: Record<string, string> } {
    const now = Date.now();
    if (now - this.#minute.start >= 60_000) this.#minute = { start: now, used: 0 };
    if (now - this.#day.start >= 86_400_000) this.#day = { start: now, used: 0 };
    this.#minute.used++;
    this.#day.used++;
    const resetMinute = Math.ceil((this.#minute.start + 60_000 - now) / 1000);
    const headers = {
      'x-ratelimit-limit': `${PER_MINUTE}, ${PER_MINUTE};window=60, ${PER_DAY};window=86400`,
      'x-ratelimit-remaining': String(Math.max(0, PER_MINUTE - this.#minute.used)),
      'x-ratelimit-reset': String(resetMinute),
    };
    const forced = this.#forced429;
    if (forced && forced.skip > 0) forced.skip--;
    else if (forced && forced.times > 0) {
      forced.times--;
      return {
        limited: true,
        headers: {
          ...headers,
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(forced.resetSeconds),
        },
      };
    }
    const limited = this.#minute.used > PER_MINUTE || this.#day.used > PER_DAY;
    return { limited, headers };
  }
}

/** base64(HMAC-SHA256(secret, timestamp + body)): WHOOP's webhook signature. */
export function whoopSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret)
    .update(timestamp + body)
    .digest('base64');
}

function routeName(method: string, path: string): string {
  const p = path.replace(/^\/developer/, '');
  return `${method} ${p.replace(/\/[0-9a-f-]{36}/gi, '/{id}').replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
}

export async function startWhoopMock(options: { clientId: string; clientSecret: string }): Promise<{
  mock: WhoopMock;
  url: string;
  server: Server;
  close(): Promise<void>;
}> {
  const mock = new WhoopMock(options.clientId, options.clientSecret);
  const server = createServer((req, res) => {
    mock.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    mock,
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
