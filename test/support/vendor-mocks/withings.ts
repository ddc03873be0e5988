import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockOAuthProvider, readBody, send } from './oauth.ts';
import { routeData } from './withings-routes.ts';

/**
 * A local Withings Public Health Data API on 127.0.0.1 (one origin serves account.withings.com and
 * wbsapi.withings.net: `PROVIDER_URLS=withings=<url>`). OAuth through the shared mock: `authorize2`
 * with a 30 s code, `POST /v2/oauth2 action=requesttoken` with client id/secret in the body, the
 * wrapped `{status, body:{userid, …}}` answer, 3 h access tokens and rotating refresh tokens (old one
 * good 8 h or until the new access token is used). Signed calls: `POST /v2/signature action=getnonce`
 * and `POST /v2/oauth2 action=revoke` (refused without a valid nonce and HMAC-SHA256 signature).
 * Data actions answer HTTP 200 with `status` (401 for a bad token, 601 past 120 calls a minute or
 * when forced); lists page `more`/`offset`; intraday and sleep detail return the first 24 h only.
 * `/notify` subscribes per user and appli after a HEAD to the callback; `notify()` POSTs a
 * form-encoded notification like Withings' notifier (unsigned).
 *
 * @example
 * const w = await startWithingsMock({ clientId: 'cid', clientSecret: 'secret' });
 * w.mock.user(123).measuregrps.push({ grpid: 1, date, category: 1, measures: [...] });
 * w.mock.oauth.approveNextAs('123');
 */

type Json = Record<string, unknown>;
export interface WithingsUserData {
  measuregrps: Json[];
  activities: Json[];
  /** Epoch second → intraday fields. */
  intraday: Record<string, Json>;
  workouts: Json[];
  /** Summaries (getsummary items) with the night's segments (sleep get items). */
  nights: { summary: Json; segments: Json[] }[];
  timezone: string;
}

const HOUR = 3_600_000;

export class WithingsMock {
  readonly oauth: MockOAuthProvider;
  readonly users = new Map<string, WithingsUserData>();
  /** Calls per `path action`, refusals included. */
  readonly calls = new Map<string, number>();
  readonly requests: { path: string; form: Record<string, string> }[] = [];
  readonly counts = {
    rateLimited: 0,
    unauthorized: 0,
    headProbes: 0,
    revoked: 0,
    revokeRefused: 0,
    notified: 0,
  };
  /** `userid:appli` → callback URL. */
  readonly subscriptions = new Map<string, string>();
  pageSize = 2;
  #nonces = new Set<string>();
  #window = { start: Date.now(), used: 0 };
  #forced601 = 0;
  #raw: { action: string; text: string; times: number }[] = [];

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    this.oauth = new MockOAuthProvider({
      clientId,
      clientSecret,
      clientAuth: 'body',
      paths: { authorize: '/oauth2_user/authorize2', token: '/v2/oauth2' },
      tokenResponse: 'withings',
      refresh: 'rotating',
      rotationGraceMs: 8 * HOUR,
      accessTokenTtlSeconds: 10_800,
      codeTtlSeconds: 30,
      tokenExtras: (grant) => ({ userid: Number(grant.userId), token_type: 'Bearer' }),
    });
  }

  user(userid: number | string): WithingsUserData {
    let data = this.users.get(String(userid));
    if (data === undefined) {
      data = {
        measuregrps: [],
        activities: [],
        intraday: {},
        workouts: [],
        nights: [],
        timezone: 'Europe/Paris',
      };
      this.users.set(String(userid), data);
    }
    return data;
  }

  callCount(key: string): number {
    return this.calls.get(key) ?? 0;
  }

  /** The next `times` data calls answer status 601 (Withings' rate limit). */
  rateLimitNext(times = 1): void {
    this.#forced601 = times;
  }

  /** The next `times` calls of `action` answer this text verbatim (malformed JSON…). */
  answerRaw(action: string, text: string, times = 1): void {
    this.#raw.push({ action, text, times });
  }

  /** Withings' notifier: a form-encoded POST to the user's callback for `appli`; the HTTP status. */
  async notify(userid: number, appli: number, startdate: number, enddate: number): Promise<number> {
    const url = this.subscriptions.get(`${userid}:${appli}`);
    if (url === undefined) throw new Error(`user ${userid} has no subscription for appli ${appli}`);
    this.counts.notified++;
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        userid: String(userid),
        appli: String(appli),
        startdate: String(startdate),
        enddate: String(enddate),
      }).toString(),
    });
    await r.body?.cancel();
    return r.status;
  }

  sign(values: (string | number)[]): string {
    return createHmac('sha256', this.clientSecret).update(values.join(',')).digest('hex');
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    const body = req.method === 'POST' ? await readBody(req) : '';
    const form: Record<string, string> = {
      ...Object.fromEntries(url.searchParams),
      ...Object.fromEntries(new URLSearchParams(body)),
    };
    const key = `${url.pathname} ${form.action ?? ''}`;
    this.calls.set(key, this.callCount(key) + 1);
    this.requests.push({ path: url.pathname, form });
    if (url.pathname === '/v2/oauth2' && form.action === 'revoke') return this.#revoke(res, form);
    if (url.pathname === '/v2/signature' && form.action === 'getnonce') return this.#nonce(res, form);
    if (await this.oauth.handle(req, res, body)) return;

    const raw = this.#raw.find((r) => r.action === form.action && r.times > 0);
    if (raw !== undefined) {
      raw.times--;
      res.writeHead(200, { 'content-type': 'application/json' }).end(raw.text);
      return;
    }
    if (this.#forced601 > 0 || this.#spend() > 120) {
      if (this.#forced601 > 0) this.#forced601--;
      this.counts.rateLimited++;
      return send(res, 200, { status: 601, error: 'Too many requests' });
    }
    const grant = this.oauth.authenticate(req);
    if (grant === undefined) {
      this.counts.unauthorized++;
      return send(res, 200, { status: 401, error: 'Invalid access_token' });
    }
    const ok = (b: unknown) => send(res, 200, { status: 0, body: b });
    const data = this.user(grant.userId);
    const answer = await routeData(this, url.pathname, form, data, grant.userId);
    if (answer === undefined) return send(res, 200, { status: 2555, error: `Unknown action ${key}` });
    if ('error' in answer) return send(res, 200, answer.error);
    ok(answer.body);
  }

  #spend(): number {
    if (Date.now() - this.#window.start > 60_000) this.#window = { start: Date.now(), used: 0 };
    return ++this.#window.used;
  }

  #nonce(res: ServerResponse, form: Record<string, string>): void {
    if (
      form.client_id !== this.clientId ||
      form.signature !== this.sign(['getnonce', this.clientId, form.timestamp ?? ''])
    )
      return void send(res, 200, { status: 503, error: 'Invalid signature' });
    const nonce = randomBytes(16).toString('hex');
    this.#nonces.add(nonce);
    send(res, 200, { status: 0, body: { nonce } });
  }

  #revoke(res: ServerResponse, form: Record<string, string>): void {
    const nonce = form.nonce ?? '';
    const signed = form.signature === this.sign(['revoke', this.clientId, nonce]);
    if (form.client_id !== this.clientId || !this.#nonces.delete(nonce) || !signed || !form.userid) {
      this.counts.revokeRefused++;
      return void send(res, 200, { status: 503, error: 'Invalid signature or nonce' });
    }
    this.counts.revoked++;
    this.oauth.revokeUser(form.userid);
    // Revoking also unsubscribes the user's notifications.
    for (const k of [...this.subscriptions.keys()])
      if (k.startsWith(`${form.userid}:`)) this.subscriptions.delete(k);
    send(res, 200, { status: 0, body: {} });
  }
}

export interface RunningWithingsMock {
  mock: WithingsMock;
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startWithingsMock(options: {
  clientId: string;
  clientSecret: string;
}): Promise<RunningWithingsMock> {
  const mock = new WithingsMock(options.clientId, options.clientSecret);
  const server = createServer((req, res) => {
    mock.handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
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
