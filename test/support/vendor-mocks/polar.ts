import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockOAuthProvider, readBody, send } from './oauth.ts';
import type { PolarRecord } from './polar-data.ts';
import { polarDataAnswer } from './polar-routes.ts';
import { PolarWebhookMock } from './polar-webhooks.ts';

/**
 * A local Polar AccessLink v3 on 127.0.0.1 (one origin serves Polar's three hosts: `PROVIDER_URLS=polar=<url>`).
 * OAuth through the shared mock: the token call needs HTTP Basic, answers `x_user_id` and no refresh
 * token. `POST /v3/users` registers (200, 409 on repeat, 403 for a user without Polar's mandatory
 * consents); every data route answers 403 until then, 401 for an expired or revoked token.
 * `DELETE /v3/users/{id}` deregisters and revokes the token. Range routes enforce Polar's rules (400 for
 * more than 28 days between `from` and `to`, or `from` older than 365 days); lists hold the last 30
 * (exercises) or 28 days. Every answer carries `RateLimit-*` headers; past the budget (or when forced)
 * 429. The client's one webhook is served by `PolarWebhookMock` (`webhooks`).
 *
 * @example
 * const polar = await startPolarMock({ clientId: 'cid', clientSecret: 'secret' });
 * polar.addUser(475, { exercises: [polarExercise({...})] });
 * polar.oauth.approveNextAs('475');
 * // …connect; then: await polar.webhooks.deliver({ event: 'EXERCISE', user_id: 475, entity_id: 'x', … });
 */

export interface PolarUserData {
  exercises: PolarRecord[];
  nights: PolarRecord[];
  recharges: PolarRecord[];
  activities: PolarRecord[];
  heartRateDays: PolarRecord[];
  physicalInfo: PolarRecord | null;
  /** The user has not accepted Polar's mandatory consents: registration answers 403. */
  consentsMissing: boolean;
}

const WINDOW_MS = 15 * 60_000;

export class PolarMock {
  readonly oauth: MockOAuthProvider;
  readonly webhooks: PolarWebhookMock;
  readonly users = new Map<string, PolarUserData>();
  /** Polar user id → the partner's member-id it was registered with. */
  readonly registered = new Map<string, string>();
  /** Calls per route (`POST /v3/users`, `GET /v3/exercises/{id}`, …), refusals included. */
  readonly calls = new Map<string, number>();
  readonly requests: { method: string; path: string; query: Record<string, string> }[] = [];
  readonly counts = { rateLimited: 0, unauthorized: 0, forbidden: 0, badRequest: 0, deregistered: 0 };
  #window = { start: Date.now(), used: 0 };
  #forced429: { times: number; resetSeconds: number } | undefined;
  #raw: { pathPrefix: string; status: number; text: string; times: number }[] = [];

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    this.oauth = new MockOAuthProvider({
      clientId,
      clientSecret,
      clientAuth: 'basic',
      paths: { authorize: '/oauth2/authorization', token: '/v2/oauth2/token' },
      refresh: 'none',
      accessTokenTtlSeconds: 315_359_999,
      tokenExtras: (grant) => ({ x_user_id: Number(grant.userId) }),
    });
    this.webhooks = new PolarWebhookMock(clientId, clientSecret);
  }

  addUser(polarUserId: number, data: Partial<PolarUserData> = {}): PolarUserData {
    const user: PolarUserData = {
      exercises: [],
      nights: [],
      recharges: [],
      activities: [],
      heartRateDays: [],
      physicalInfo: null,
      consentsMissing: false,
      ...data,
    };
    this.users.set(String(polarUserId), user);
    return user;
  }

  /** The next `times` data calls answer 429 with `RateLimit-Reset: resetSeconds`. */
  rateLimitNext(times = 1, resetSeconds = 30): void {
    this.#forced429 = { times, resetSeconds };
  }

  /** The next `times` data calls under `pathPrefix` answer this raw text (malformed JSON, a 500…). */
  answerRaw(pathPrefix: string, status: number, text: string, times = 1): void {
    this.#raw.push({ pathPrefix, status, text, times });
  }

  callCount(route: string): number {
    return this.calls.get(route) ?? 0;
  }

  /** 500 + 20 per registered user per 15 minutes (third-party notes; Polar's real formula). */
  get budget(): number {
    return 500 + 20 * this.registered.size;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await this.oauth.handle(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://mock');
    const method = req.method ?? 'GET';
    const body = method === 'GET' ? '' : await readBody(req);
    this.requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    if (url.pathname.startsWith('/v3/webhooks')) return this.webhooks.handle(req, res, url, body);
    const route = routeOf(method, url.pathname);
    this.calls.set(route, (this.calls.get(route) ?? 0) + 1);
    const headers = this.#rateHeaders();
    const forced = this.#forced429;
    if (forced !== undefined || this.#window.used > this.budget) {
      if (forced !== undefined && --forced.times <= 0) this.#forced429 = undefined;
      this.counts.rateLimited++;
      return send(
        res,
        429,
        { status: 429, errorType: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' },
        {
          ...headers,
          'ratelimit-reset': String(forced?.resetSeconds ?? headers['ratelimit-reset']),
        },
      );
    }
    const raw = this.#raw.find((r) => url.pathname.startsWith(r.pathPrefix) && r.times > 0);
    if (raw !== undefined) {
      raw.times--;
      return void res.writeHead(raw.status, { 'content-type': 'application/json', ...headers }).end(raw.text);
    }
    const grant = this.oauth.authenticate(req);
    if (grant === undefined) {
      this.counts.unauthorized++;
      return send(
        res,
        401,
        { status: 401, errorType: 'UNAUTHORIZED', message: 'Invalid or expired token' },
        headers,
      );
    }
    const userId = grant.userId;
    if (method === 'POST' && url.pathname === '/v3/users') return this.#register(res, userId, body, headers);
    const deregister = /^\/v3\/users\/(\d+)$/.exec(url.pathname);
    if (method === 'DELETE' && deregister !== null) {
      if (deregister[1] !== userId) return send(res, 403, { message: 'not your user' }, headers);
      this.registered.delete(userId);
      this.oauth.revokeUser(userId);
      this.counts.deregistered++;
      return void res.writeHead(204, headers).end();
    }
    if (!this.registered.has(userId)) {
      this.counts.forbidden++;
      return send(res, 403, { status: 403, message: 'User is not registered to this client' }, headers);
    }
    const user = this.users.get(userId) ?? this.addUser(Number(userId));
    const answer = polarDataAnswer(user, method, url);
    if (answer.status === 400) this.counts.badRequest++;
    if (answer.status === 204) return void res.writeHead(204, headers).end();
    return send(res, answer.status, answer.body ?? {}, headers);
  }

  #register(res: ServerResponse, userId: string, body: string, headers: Record<string, string>): void {
    let memberId: unknown;
    try {
      memberId = (JSON.parse(body) as Record<string, unknown>)['member-id'];
    } catch {
      memberId = undefined;
    }
    if (typeof memberId !== 'string' || memberId === '')
      return void send(res, 400, { message: 'member-id is required' }, headers);
    const user = this.users.get(userId) ?? this.addUser(Number(userId));
    if (user.consentsMissing)
      return void send(res, 403, { message: 'User has not accepted all mandatory consents' }, headers);
    if (this.registered.has(userId) || [...this.registered.values()].includes(memberId))
      return void send(
        res,
        409,
        { message: 'User already registered to partner or duplicated member-id' },
        headers,
      );
    this.registered.set(userId, memberId);
    send(
      res,
      200,
      {
        'polar-user-id': Number(userId),
        'member-id': memberId,
        'registration-date': new Date().toISOString(),
        'first-name': 'Test',
        'last-name': 'Athlete',
      },
      headers,
    );
  }

  #rateHeaders(): Record<string, string> {
    const now = Date.now();
    if (now - this.#window.start >= WINDOW_MS) this.#window = { start: now, used: 0 };
    this.#window.used++;
    const reset = Math.ceil((this.#window.start + WINDOW_MS - now) / 1000);
    return {
      'ratelimit-usage': String(this.#window.used),
      'ratelimit-limit': String(this.budget),
      'ratelimit-reset': String(reset),
    };
  }
}

function routeOf(method: string, path: string): string {
  const shape = path
    .replace(/\/\d{4}-\d{2}-\d{2}$/, '/{date}')
    .replace(/^\/v3\/exercises\/[^/]+/, '/v3/exercises/{id}')
    .replace(/^\/v3\/users\/\d+$/, '/v3/users/{id}');
  return `${method} ${shape}`;
}

export interface RunningPolarMock {
  mock: PolarMock;
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startPolarMock(o: {
  clientId: string;
  clientSecret: string;
}): Promise<RunningPolarMock> {
  const mock = new PolarMock(o.clientId, o.clientSecret);
  const server = createServer((req, res) => {
    mock.handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
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

/** Polar's signature: hex HMAC-SHA256 of the raw body under the webhook's `signature_secret_key`. */
export function polarSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}
