import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleServiceAccounts } from './google-health-service-account.ts';
import { GoogleHealthSubscribers } from './google-health-webhooks.ts';
import { MockOAuthProvider, readBody, send } from './oauth.ts';

export type { GoogleHealthNotification } from './google-health-webhooks.ts';

/**
 * A local Google Health API v4 (with Google's OAuth) on 127.0.0.1: authorize at `/o/oauth2/v2/auth`
 * (PKCE S256 required; `access_type`/`prompt` recorded), token at `/token` (client id and secret in
 * the body, stable refresh tokens), `POST /revoke` with `token=`; `GET /v4/users/me/identity`;
 * `GET /v4/users/me/dataTypes/{type}/dataPoints` with AIP paging (`pageSize` capped, opaque
 * `pageToken` bound to its filter, `nextPageToken`) and an AIP-160 time `filter` that must name the
 * data type's own time field; Google's per-user limit (300 requests a minute) answered 429 with
 * Retry-After; and the subscriber API plus notifier (`subscribers`, google-health-webhooks.ts), which
 * answers only calls bearing a service account's token minted at `/token` by the JWT bearer grant
 * (`serviceAccounts`, google-health-service-account.ts).
 *
 * @example
 * const google = await startGoogleHealthMock({ clientId: '123-x.apps.googleusercontent.com', clientSecret: 's' });
 * google.addUser('g-user', { 'heart-rate': [point] });
 * google.oauth.approveNextAs('g-user');
 * // PROVIDER_URLS=fitbit=<google.url>; … await google.subscribers.notify('g-user', 'sleep', [interval]);
 */

type Json = Record<string, unknown>;

/** The union key of a data type's points (`heart-rate` → `heartRate`). */
export const unionKey = (dataType: string) =>
  dataType.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const MINUTE_MS = 60_000;
const SCOPE_PREFIX = 'https://www.googleapis.com/auth/googlehealth.';
/**
 * The read scope a data type needs, for the pairs Google's webhook page states (activity: steps;
 * health metrics: weight; sleep: sleep) and the obvious session type; other types are not checked.
 */
const SCOPE_OF: Record<string, string> = {
  steps: 'activity_and_fitness.readonly',
  exercise: 'activity_and_fitness.readonly',
  weight: 'health_metrics_and_measurements.readonly',
  sleep: 'sleep.readonly',
};

export class GoogleHealthMock {
  readonly oauth: MockOAuthProvider;
  readonly subscribers: GoogleHealthSubscribers;
  readonly serviceAccounts = new GoogleServiceAccounts();
  /** Points per user and data type (each `{dataSource?, name?, <unionKey>: {...}}`). */
  readonly users = new Map<string, Map<string, Json[]>>();
  readonly requests: {
    method: string;
    path: string;
    query: Record<string, string>;
    user: string | undefined;
  }[] = [];
  readonly counts = { rateLimited: 0, unauthorized: 0, badRequest: 0 };
  /** Every authorize request's query (tests check `access_type=offline`, `prompt=consent`). */
  readonly authorizeQueries: Record<string, string>[] = [];
  /** Google's per-user budget; tests lower it. */
  perUserPerMinute = 300;
  /** Cap on `pageSize` (Google: 25 for sessions, 10,000 otherwise); tests lower it to force paging. */
  maxPageSize = 10_000;
  #perUser = new Map<string, number[]>();
  #forced429: { times: number; retryAfter: number } | undefined;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    this.oauth = new MockOAuthProvider({
      clientId,
      clientSecret,
      clientAuth: 'body',
      pkce: 'required',
      refresh: 'stable',
      accessTokenTtlSeconds: 3600,
      paths: { authorize: '/o/oauth2/v2/auth', token: '/token', revoke: '/revoke' },
      revoke: { method: 'POST', tokenIn: 'form_token' },
    });
    this.subscribers = new GoogleHealthSubscribers();
  }

  addUser(userId: string, points: Record<string, Json[]> = {}): void {
    this.users.set(userId, new Map(Object.entries(points)));
  }

  /** Adds points of one data type to a user (what a device sync does). */
  addPoints(userId: string, dataType: string, ...points: Json[]): void {
    const user = this.users.get(userId) ?? new Map<string, Json[]>();
    user.set(dataType, [...(user.get(dataType) ?? []), ...points]);
    this.users.set(userId, user);
  }

  /** The next `times` data calls answer 429 with Retry-After, whatever the budget. */
  rateLimitNext(times = 1, retryAfter = 1): void {
    this.#forced429 = { times, retryAfter };
  }

  dataCalls(dataType?: string): { query: Record<string, string> }[] {
    return this.requests.filter(
      (r) =>
        r.path.endsWith('/dataPoints') &&
        (dataType === undefined || r.path.includes(`/dataTypes/${dataType}/`)),
    );
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://mock');
    if (url.pathname === this.oauth.paths.authorize)
      this.authorizeQueries.push(Object.fromEntries(url.searchParams));
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === this.oauth.paths.token) {
      // The same token URL serves users' grants and service accounts' JWT bearer grants.
      const tokenUrl = `http://${req.headers.host}${path}`;
      const jwt = this.serviceAccounts.grant(new URLSearchParams(body), tokenUrl);
      if (jwt) return void send(res, jwt.status, jwt.body);
    }
    if (await this.oauth.handle(req, res, body)) return;
    if (
      /^\/v4\/projects\/[^/]+\/subscribers/.test(path) &&
      this.serviceAccounts.authorize(req.headers.authorization, method, path) === undefined
    )
      // Project-level methods take a service account's token; a user's token or none is refused.
      return void send(
        res,
        401,
        error(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
      );
    const admin = await this.subscribers.handle(method, path, url.searchParams, body);
    if (admin) return void send(res, admin.status, admin.body);

    const grant = this.oauth.authenticate(req);
    this.requests.push({ method, path, query: Object.fromEntries(url.searchParams), user: grant?.userId });
    if (!grant) {
      this.counts.unauthorized++;
      return void send(
        res,
        401,
        error(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
      );
    }
    const limited = this.#limit(grant.userId);
    if (limited !== undefined) {
      this.counts.rateLimited++;
      return void send(res, 429, error(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded: per user per minute'), {
        'retry-after': String(limited),
      });
    }
    if (method !== 'GET') return void send(res, 405, error(405, 'METHOD_NOT_ALLOWED', method));
    if (path === '/v4/users/me/identity')
      return void send(res, 200, {
        name: 'users/me/identity',
        healthUserId: grant.userId,
        legacyUserId: 'LEGACY1',
      });
    const m = /^\/v4\/users\/me\/dataTypes\/([a-z-]+)\/dataPoints$/.exec(path);
    if (!m) return void send(res, 404, error(404, 'NOT_FOUND', `no route ${path}`));
    const needed = SCOPE_OF[m[1] as string];
    if (needed !== undefined && !grant.scope.split(' ').includes(`${SCOPE_PREFIX}${needed}`))
      return void send(res, 403, error(403, 'PERMISSION_DENIED', `${m[1]} needs the ${needed} scope`));
    const answer = this.#list(
      m[1] as string,
      this.users.get(grant.userId)?.get(m[1] as string) ?? [],
      url.searchParams,
    );
    if (answer.status === 400) this.counts.badRequest++;
    send(res, answer.status, answer.body);
  }

  /** Seconds to wait when this request is over the user's per-minute budget (or forced), else undefined. */
  #limit(userId: string): number | undefined {
    if (this.#forced429 && this.#forced429.times > 0) {
      this.#forced429.times--;
      return this.#forced429.retryAfter;
    }
    const now = Date.now();
    const recent = (this.#perUser.get(userId) ?? []).filter((t) => t > now - MINUTE_MS);
    if (recent.length >= this.perUserPerMinute) {
      this.#perUser.set(userId, recent);
      return Math.max(1, Math.ceil(((recent[0] as number) + MINUTE_MS - now) / 1000));
    }
    recent.push(now);
    this.#perUser.set(userId, recent);
    return undefined;
  }

  #list(dataType: string, points: Json[], q: URLSearchParams): { status: number; body: unknown } {
    const filter = q.get('filter') ?? '';
    let matches: (p: Json) => boolean = () => true;
    if (filter !== '') {
      const parsed = parseFilter(dataType, filter);
      if (typeof parsed === 'string') return { status: 400, body: error(400, 'INVALID_ARGUMENT', parsed) };
      matches = parsed;
    }
    const size = Math.min(
      Number(q.get('pageSize') ?? (dataType === 'sleep' || dataType === 'exercise' ? 25 : 1440)),
      this.maxPageSize,
    );
    if (!Number.isInteger(size) || size <= 0)
      return { status: 400, body: error(400, 'INVALID_ARGUMENT', 'pageSize') };
    const token = q.get('pageToken');
    let offset = 0;
    if (token) {
      const [at, boundTo] = Buffer.from(token, 'base64url').toString().split('|');
      offset = Number(at);
      if (!Number.isInteger(offset) || boundTo !== filter)
        return { status: 400, body: error(400, 'INVALID_ARGUMENT', 'page token does not match the request') };
    }
    const all = points.filter(matches);
    const page = all.slice(offset, offset + size);
    const next =
      offset + size < all.length
        ? Buffer.from(`${offset + size}|${filter}`).toString('base64url')
        : undefined;
    // proto3 JSON: an empty list and an absent token are omitted.
    return {
      status: 200,
      body: { ...(page.length ? { dataPoints: page } : {}), ...(next ? { nextPageToken: next } : {}) },
    };
  }
}

function error(code: number, status: string, message: string) {
  return { error: { code, status, message } };
}

/**
 * `<type>.<time field> >= "<a>" AND <same> < "<b>"` where the type prefix is the data type in snake
 * case and the field is one of its own: a filter naming another type's field is refused (400).
 */
function parseFilter(dataType: string, filter: string): ((p: Json) => boolean) | string {
  const m = /^([a-z_]+)\.([a-z_.]+) >= "([^"]+)" AND \1\.\2 < "([^"]+)"$/.exec(filter.trim());
  if (!m) return `unsupported filter: ${filter}`;
  const [, prefix, field, low, high] = m as unknown as [string, string, string, string, string];
  if (prefix !== dataType.replace(/-/g, '_')) return `filter field ${prefix} is not of data type ${dataType}`;
  const key = unionKey(dataType);
  const read: Record<string, (v: Json) => unknown> = {
    'sample_time.physical_time': (v) => (v.sampleTime as Json | undefined)?.physicalTime,
    'interval.start_time': (v) => (v.interval as Json | undefined)?.startTime,
    'interval.end_time': (v) => (v.interval as Json | undefined)?.endTime,
    date: (v) => {
      const d = v.date as Json | undefined;
      return d && `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
    },
  };
  const get = read[field];
  if (get === undefined) return `unsupported filter field ${field}`;
  if (field === 'date')
    return (p) => {
      const day = get((p[key] ?? {}) as Json);
      return typeof day === 'string' && day >= low && day < high;
    };
  const lo = Date.parse(low);
  const hi = Date.parse(high);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return 'timestamps must be RFC 3339';
  return (p) => {
    const t = Date.parse(String(get((p[key] ?? {}) as Json)));
    return t >= lo && t < hi;
  };
}

export interface RunningGoogleHealthMock extends GoogleHealthMock {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startGoogleHealthMock(options: {
  clientId: string;
  clientSecret: string;
}): Promise<RunningGoogleHealthMock> {
  const mock = new GoogleHealthMock(options.clientId, options.clientSecret);
  const server = createServer((req, res) => {
    mock.handle(req, res).catch((e: unknown) => send(res, 500, error(500, 'INTERNAL', String(e))));
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
