import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockOAuthProvider, readBody, send } from './oauth.ts';
import { OuraWebhookAdmin } from './oura-webhooks.ts';

export { type OuraNotification, ouraSignature } from './oura-webhooks.ts';

/**
 * A local Oura (API v2) on 127.0.0.1: OAuth through the shared mock (client id and secret in the form
 * body, no PKCE, single-use refresh tokens rotated on every refresh, `POST /oauth/revoke?access_token=`),
 * `personal_info`, the day-document collections filtered by `day` (`start_date`/`end_date`, both
 * inclusive here) with `next_token` pages of `pageSize` and `fields` filtering, single documents, the
 * heart-rate series refusing ranges over 30 days, 401 for an expired or revoked token, 403 for a user
 * whose membership lapsed, 429 with Oura's five rate-limit headers, raw answers (malformed JSON), and
 * the webhook admin API plus a signing notifier (`webhooks`).
 *
 * @example
 * const oura = await startOuraMock({ clientId: 'cid', clientSecret: 'secret' });
 * oura.addUser('oura-u1', { sleep: [doc], heartrate: [row] });
 * oura.oauth.approveNextAs('oura-u1');
 * // PROVIDER_URLS=oura=<oura.url>; … await oura.webhooks.notify({ event_type: 'create', … });
 */

export interface OuraUserData {
  personalInfo: Record<string, unknown>;
  /** Documents per collection path segment (`daily_sleep`, `sleep`, `vO2_max`, …). */
  documents: Record<string, Record<string, unknown>[]>;
  heartrate: Record<string, unknown>[];
  membershipExpired: boolean;
}

const COLLECTIONS = new Set([
  'daily_activity',
  'daily_readiness',
  'daily_sleep',
  'sleep',
  'daily_spo2',
  'daily_resilience',
  'daily_cardiovascular_age',
  'daily_stress',
  'vO2_max',
  'workout',
  'session',
  'sleep_time',
  'tag',
  'enhanced_tag',
  'rest_mode_period',
  'ring_configuration',
]);
const MAX_SERIES_MS = 30 * 86_400_000;

export class OuraMock {
  readonly oauth: MockOAuthProvider;
  readonly webhooks: OuraWebhookAdmin;
  readonly users = new Map<string, OuraUserData>();
  /** Data calls per route (`GET /v2/usercollection/sleep`, `GET /v2/usercollection/sleep/{id}`, …). */
  readonly calls = new Map<string, number>();
  readonly requests: { method: string; path: string; query: Record<string, string> }[] = [];
  readonly counts = { rateLimited: 0, unauthorized: 0, forbidden: 0, badRequest: 0 };
  /** Documents per page (Oura's real size is larger; small pages exercise `next_token`). */
  pageSize = 2;
  #forced429: { times: number; retryAfter: number } | undefined;
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
      accessTokenTtlSeconds: 86_400,
      revoke: { method: 'POST', tokenIn: 'query_access_token' },
    });
    this.webhooks = new OuraWebhookAdmin(clientId, clientSecret);
  }

  /** Adds (or replaces) a user; `documents` keys are Oura's path segments (note `vO2_max`). */
  addUser(
    userId: string,
    data: { personalInfo?: Record<string, unknown>; heartrate?: Record<string, unknown>[] } & Record<
      string,
      unknown
    > = {},
  ): OuraUserData {
    const { personalInfo, heartrate, ...documents } = data;
    const user: OuraUserData = {
      personalInfo: {
        id: userId,
        age: 35,
        weight: 72.5,
        height: 1.78,
        biological_sex: 'female',
        ...personalInfo,
      },
      documents: documents as Record<string, Record<string, unknown>[]>,
      heartrate: heartrate ?? [],
      membershipExpired: false,
    };
    this.users.set(userId, user);
    return user;
  }

  /** The next `times` data calls answer 429 with Retry-After and the X-RateLimit-* headers. */
  rateLimitNext(times = 1, retryAfter = 30): void {
    this.#forced429 = { times, retryAfter };
  }

  /** The next `times` data calls under `pathPrefix` answer this raw text (e.g. malformed JSON). */
  answerRaw(pathPrefix: string, status: number, text: string, times = 1): void {
    this.#raw.push({ pathPrefix, status, text, times });
  }

  callCount(route: string): number {
    return this.calls.get(route) ?? 0;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (await this.oauth.handle(req, res, body)) return;
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname;
    const admin = await this.webhooks.handle(req, path, body);
    if (admin) {
      if (admin.body === undefined) return void res.writeHead(admin.status).end();
      return void send(res, admin.status, admin.body);
    }
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, query: Object.fromEntries(url.searchParams) });
    const route = `${method} ${path.replace(/^(\/v2\/usercollection\/[^/]+)\/[^/]+$/, '$1/{id}')}`;
    this.calls.set(route, (this.calls.get(route) ?? 0) + 1);

    if (this.#forced429 && this.#forced429.times > 0) {
      this.#forced429.times--;
      this.counts.rateLimited++;
      const { retryAfter } = this.#forced429;
      return void send(
        res,
        429,
        { detail: 'Too Many Requests' },
        {
          'retry-after': String(retryAfter),
          'x-ratelimit-limit': '5000',
          'x-ratelimit-window': '300',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + retryAfter),
          'x-ratelimit-tier': 'application',
        },
      );
    }
    const grant = this.oauth.authenticate(req);
    if (!grant) {
      this.counts.unauthorized++;
      return void send(res, 401, { detail: 'Invalid or expired access token' });
    }
    const user = this.users.get(grant.userId);
    if (!user) return void send(res, 404, { detail: 'No such user' });
    if (user.membershipExpired) {
      this.counts.forbidden++;
      return void send(res, 403, { detail: 'The user has no active Oura membership' });
    }
    const raw = this.#raw.find((r) => path.startsWith(r.pathPrefix) && r.times > 0);
    if (raw) {
      raw.times--;
      return void res.writeHead(raw.status, { 'content-type': 'application/json' }).end(raw.text);
    }
    const answer = method === 'GET' ? this.#route(path, url.searchParams, user) : { status: 405, body: {} };
    if (answer.status === 400) this.counts.badRequest++;
    send(res, answer.status, answer.body);
  }

  #route(path: string, q: URLSearchParams, user: OuraUserData): { status: number; body: unknown } {
    if (path === '/v2/usercollection/personal_info') return { status: 200, body: user.personalInfo };
    if (path === '/v2/usercollection/heartrate') return this.#series(user.heartrate, q);
    const m = /^\/v2\/usercollection\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (!m || !COLLECTIONS.has(m[1] as string)) return { status: 404, body: { detail: 'Not Found' } };
    const docs = user.documents[m[1] as string] ?? [];
    if (m[2] !== undefined) {
      const doc = docs.find((d) => d.id === decodeURIComponent(m[2] as string));
      return doc ? { status: 200, body: doc } : { status: 404, body: { detail: 'Document not found' } };
    }
    const start = q.get('start_date')?.slice(0, 10);
    const end = q.get('end_date')?.slice(0, 10);
    const inRange = docs.filter((d) => {
      const day = String(d.day ?? d.start_day ?? '');
      return (start === undefined || day >= start) && (end === undefined || day <= end);
    });
    return this.#page(inRange, q);
  }

  #series(rows: Record<string, unknown>[], q: URLSearchParams): { status: number; body: unknown } {
    const start = Date.parse(q.get('start_datetime') ?? '');
    const end = Date.parse(q.get('end_datetime') ?? '');
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start)
      return { status: 400, body: { detail: 'start_datetime and end_datetime are required' } };
    if (end - start > MAX_SERIES_MS)
      return { status: 400, body: { detail: 'The time range must not exceed 30 days' } };
    const inRange = rows.filter((r) => {
      const t = Date.parse(String(r.timestamp));
      return t >= start && t <= end;
    });
    return this.#page(inRange, q);
  }

  /** `next_token` is an opaque offset; `fields` keeps only the named fields of each document. */
  #page(items: Record<string, unknown>[], q: URLSearchParams): { status: number; body: unknown } {
    const token = q.get('next_token');
    const offset = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0)
      return { status: 400, body: { detail: 'Invalid next_token' } };
    const fields = q.get('fields')?.split(',').filter(Boolean);
    const slice = items
      .slice(offset, offset + this.pageSize)
      .map((d) => (fields ? Object.fromEntries(Object.entries(d).filter(([k]) => fields.includes(k))) : d));
    const next = offset + this.pageSize < items.length;
    return {
      status: 200,
      body: {
        data: slice,
        next_token: next ? Buffer.from(String(offset + this.pageSize)).toString('base64url') : null,
      },
    };
  }
}

export interface RunningOuraMock extends OuraMock {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startOuraMock(options: {
  clientId: string;
  clientSecret: string;
}): Promise<RunningOuraMock> {
  const mock = new OuraMock(options.clientId, options.clientSecret);
  const server = createServer((req, res) => {
    mock.handle(req, res).catch((error: unknown) => send(res, 500, { detail: String(error) }));
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
