import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OAuth 2 authorization server that behaves like a vendor's: an authorize endpoint that
 * redirects back with a code (or an error), a token endpoint that checks client authentication, PKCE,
 * single-use expiring codes and refresh tokens (rotating ones invalidate their predecessor, as Oura,
 * WHOOP and Withings do), a revoke endpoint, call counters and injectable refusals and latency.
 *
 * Vendor mocks compose it: they create a `MockOAuthProvider`, call `handle` first from their own
 * node:http server, and use `authenticate` to answer 401 on their data endpoints.
 *
 * @example
 * const oauth = new MockOAuthProvider({ clientId: 'cid', clientSecret: 'secret', clientAuth: 'body' });
 * const server = createServer(async (req, res) => {
 *   if (await oauth.handle(req, res)) return;
 *   const grant = oauth.authenticate(req);
 *   if (!grant) return void res.writeHead(401).end();
 *   res.end(JSON.stringify({ id: grant.userId }));
 * });
 * // or, alone: const mock = await startMockOAuthServer({ … }); mock.url; await mock.close();
 */

export interface MockOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** How the client must authenticate at the token endpoint (`either`: both accepted). */
  clientAuth: 'basic' | 'body' | 'either';
  paths?: { authorize?: string; token?: string; revoke?: string };
  /** `required`: S256 challenge at authorize and matching verifier at the token endpoint. */
  pkce?: 'required' | 'none';
  /** `withings`: token calls need `action=requesttoken` and answer HTTP 200 `{status, body}`. */
  tokenResponse?: 'standard' | 'withings';
  refresh?: 'rotating' | 'stable' | 'none';
  /** WHOOP: a refresh token is issued only when this scope was granted. */
  refreshRequiresScope?: string;
  /** How long the old refresh token still works after a rotation (Withings: 8 h); default 0. */
  rotationGraceMs?: number;
  accessTokenTtlSeconds?: number;
  codeTtlSeconds?: number;
  /** Revocation: where the token arrives; absent: no revoke endpoint (vendors with custom revoke). */
  revoke?: {
    method: 'POST' | 'DELETE';
    tokenIn: 'query_access_token' | 'form_token' | 'form_access_token' | 'bearer';
  };
  /** Fields added to every token response (Polar's `x_user_id`, Withings' `userid`, Strava's `athlete`). */
  tokenExtras?: (grant: MockGrant, kind: 'code' | 'refresh') => Record<string, unknown>;
  /** Delay of every token response, so races between refreshes can be produced. */
  tokenLatencyMs?: number;
}

/** One user's consent to one client: what its tokens carry. */
export interface MockGrant {
  userId: string;
  scope: string;
  accessToken: string;
  refreshToken: string | undefined;
  /** Epoch ms. */
  accessExpiresAt: number;
  revoked: boolean;
}

interface PendingCode {
  grant: Omit<MockGrant, 'accessToken' | 'refreshToken' | 'accessExpiresAt' | 'revoked'>;
  redirectUri: string;
  challenge: string | undefined;
  expiresAt: number;
  used: boolean;
}

/** An answer the token endpoint gives instead of its own (status 200 with a Withings body, too). */
export interface InjectedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Grant = 'authorization_code' | 'refresh_token';

export class MockOAuthProvider {
  readonly options: Required<Pick<MockOAuthOptions, 'pkce' | 'tokenResponse' | 'refresh'>> & MockOAuthOptions;
  readonly paths: { authorize: string; token: string; revoke: string };
  /** Calls per endpoint (token calls split by grant); tests assert these. */
  readonly counts = { authorize: 0, code: 0, refresh: 0, revoke: 0, tokenRejected: 0 };
  /** Every token/revoke request's form fields, in order. */
  readonly log: {
    endpoint: 'token' | 'revoke';
    form: Record<string, string>;
    authorization: string | undefined;
  }[] = [];
  readonly grants: MockGrant[] = [];
  readonly #codes = new Map<string, PendingCode>();
  /** Old refresh token → when it stops working (rotation grace). */
  readonly #retiredRefresh = new Map<string, { grant: MockGrant; until: number }>();
  readonly #injected: Record<Grant, InjectedResponse[]> = { authorization_code: [], refresh_token: [] };
  #nextUser: { userId?: string; scope?: string | undefined; error?: string } | undefined;
  #userSeq = 0;

  constructor(options: MockOAuthOptions) {
    this.options = { pkce: 'none', tokenResponse: 'standard', refresh: 'rotating', ...options };
    this.paths = {
      authorize: options.paths?.authorize ?? '/oauth/authorize',
      token: options.paths?.token ?? '/oauth/token',
      revoke: options.paths?.revoke ?? '/oauth/revoke',
    };
  }

  /** The next authorize approves as this vendor user (default `user-<n>`), optionally granting fewer scopes. */
  approveNextAs(userId: string, scope?: string): void {
    this.#nextUser = { userId, scope };
  }

  /** The next authorize redirects back with `?error=<error>` (the user clicked "Deny": `access_denied`). */
  denyNext(error = 'access_denied'): void {
    this.#nextUser = { error };
  }

  /** The next `times` token calls of `grant` answer this instead (a refusal, a 503, malformed JSON…). */
  inject(grant: Grant, response: InjectedResponse, times = 1): void {
    for (let i = 0; i < times; i++) this.#injected[grant].push(response);
  }

  /** Makes every access token (of one user, or all) expired now: data calls get 401. */
  expireAccessTokens(userId?: string): void {
    for (const g of this.grants) if (userId === undefined || g.userId === userId) g.accessExpiresAt = 0;
  }

  /** Makes every issued, unused code expired. */
  expireCodes(): void {
    for (const c of this.#codes.values()) c.expiresAt = 0;
  }

  /** Revokes everything a user granted (what a vendor's revoke or deauthorize does). */
  revokeUser(userId: string): void {
    for (const g of this.grants) if (g.userId === userId) g.revoked = true;
  }

  /** The live grant a request's Bearer token belongs to, or undefined (unknown, expired or revoked). */
  authenticate(req: IncomingMessage): MockGrant | undefined {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return token === undefined ? undefined : this.grantOfAccessToken(token);
  }

  grantOfAccessToken(token: string): MockGrant | undefined {
    const grant = this.grants.find((g) => g.accessToken === token);
    if (!grant || grant.revoked || grant.accessExpiresAt <= Date.now()) return undefined;
    // Withings: a rotated-away refresh token dies as soon as the new access token is used.
    for (const [old, retired] of this.#retiredRefresh)
      if (retired.grant === grant) this.#retiredRefresh.delete(old);
    return grant;
  }

  /**
   * Serves the authorize, token and revoke paths; false for any other path (the vendor mock's).
   * `body`: the raw body when the caller has read it already.
   */
  async handle(req: IncomingMessage, res: ServerResponse, body?: string): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://mock');
    if (url.pathname === this.paths.authorize && req.method === 'GET') {
      this.#authorize(url, res);
      return true;
    }
    if (url.pathname === this.paths.token && req.method === 'POST') {
      const form = Object.fromEntries(new URLSearchParams(body ?? (await readBody(req))));
      await this.#token(req, res, form);
      return true;
    }
    if (
      this.options.revoke &&
      url.pathname === this.paths.revoke &&
      req.method === this.options.revoke.method
    ) {
      const form = Object.fromEntries(new URLSearchParams(body ?? (await readBody(req))));
      this.#revoke(req, res, url, form);
      return true;
    }
    return false;
  }

  #authorize(url: URL, res: ServerResponse): void {
    this.counts.authorize++;
    const q = url.searchParams;
    // A vendor never redirects to an unverified client's redirect_uri: an error page instead.
    if (q.get('client_id') !== this.options.clientId)
      return void send(res, 400, { error: 'invalid_client', detail: 'unknown client_id' });
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri))
      return void send(res, 400, { error: 'invalid_request', detail: 'redirect_uri missing' });
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state) back.searchParams.set('state', state);
    const next = this.#nextUser;
    this.#nextUser = undefined;
    const fail = (error: string, description: string) => {
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      res.writeHead(302, { location: back.toString() }).end();
    };
    if (next?.error) return void fail(next.error, 'The user denied access');
    if (q.get('response_type') !== 'code')
      return void fail('unsupported_response_type', 'response_type must be code');
    const challenge = q.get('code_challenge') ?? undefined;
    if (this.options.pkce === 'required' && (!challenge || q.get('code_challenge_method') !== 'S256'))
      return void fail('invalid_request', 'code_challenge with method S256 is required');
    const code = token('code');
    const scope = next?.scope ?? q.get('scope') ?? '';
    this.#codes.set(code, {
      grant: { userId: next?.userId ?? `user-${++this.#userSeq}`, scope },
      redirectUri,
      challenge,
      expiresAt: Date.now() + (this.options.codeTtlSeconds ?? 60) * 1000,
      used: false,
    });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', scope);
    res.writeHead(302, { location: back.toString() }).end();
  }

  async #token(req: IncomingMessage, res: ServerResponse, form: Record<string, string>): Promise<void> {
    this.log.push({ endpoint: 'token', form, authorization: req.headers.authorization });
    const grantType = form.grant_type as Grant;
    if (grantType === 'authorization_code') this.counts.code++;
    else if (grantType === 'refresh_token') this.counts.refresh++;
    if (this.options.tokenLatencyMs) await new Promise((r) => setTimeout(r, this.options.tokenLatencyMs));
    const reply = (status: number, body: Record<string, unknown>) => {
      if (status !== 200) this.counts.tokenRejected++;
      if (this.options.tokenResponse === 'withings') {
        // Withings answers HTTP 200 whatever happened; `status` in the body says it (503: invalid params).
        return send(
          res,
          200,
          status === 200
            ? { status: 0, body }
            : { status: status === 401 ? 401 : 503, error: body.error_description ?? body.error },
        );
      }
      send(res, status, body);
    };
    const injected = this.#injected[grantType]?.shift();
    if (injected) {
      if (injected.status !== 200) this.counts.tokenRejected++;
      return send(res, injected.status, injected.body, injected.headers);
    }
    if (this.options.tokenResponse === 'withings' && form.action !== 'requesttoken')
      return reply(400, { error: 'invalid_request', error_description: 'action=requesttoken is required' });
    if (!this.#clientAuthenticated(req, form))
      return reply(401, { error: 'invalid_client', error_description: 'client authentication failed' });

    if (grantType === 'authorization_code') {
      const pending = this.#codes.get(form.code ?? '');
      if (!pending || pending.used || pending.expiresAt <= Date.now())
        return reply(400, { error: 'invalid_grant', error_description: 'code is invalid, used or expired' });
      pending.used = true;
      if (form.redirect_uri !== pending.redirectUri)
        return reply(400, { error: 'invalid_grant', error_description: 'redirect_uri does not match' });
      if (pending.challenge !== undefined || this.options.pkce === 'required') {
        const verifier = form.code_verifier ?? '';
        const expected = createHash('sha256').update(verifier).digest('base64url');
        if (!verifier || expected !== pending.challenge)
          return reply(400, { error: 'invalid_grant', error_description: 'code_verifier does not match' });
      }
      const grant: MockGrant = {
        ...pending.grant,
        accessToken: '',
        refreshToken: undefined,
        accessExpiresAt: 0,
        revoked: false,
      };
      this.#issue(grant, true);
      this.grants.push(grant);
      return reply(200, this.#tokenBody(grant, 'code'));
    }
    if (grantType === 'refresh_token') {
      if (this.options.refresh === 'none')
        return reply(400, {
          error: 'unsupported_grant_type',
          error_description: 'this vendor does not refresh',
        });
      const presented = form.refresh_token ?? '';
      let grant = this.grants.find((g) => g.refreshToken === presented && !g.revoked);
      const retired = this.#retiredRefresh.get(presented);
      if (!grant && retired && retired.until > Date.now() && !retired.grant.revoked) grant = retired.grant;
      if (!grant)
        return reply(400, { error: 'invalid_grant', error_description: 'refresh token is invalid' });
      this.#issue(grant, this.options.refresh === 'rotating');
      return reply(200, this.#tokenBody(grant, 'refresh'));
    }
    return reply(400, {
      error: 'unsupported_grant_type',
      error_description: `grant_type ${form.grant_type}`,
    });
  }

  #clientAuthenticated(req: IncomingMessage, form: Record<string, string>): boolean {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const { clientId, clientSecret, clientAuth } = this.options;
    if (basic !== undefined && clientAuth !== 'body') {
      const [id, ...secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      return id === clientId && secret.join(':') === clientSecret;
    }
    if (clientAuth === 'basic') return false;
    return form.client_id === clientId && form.client_secret === clientSecret;
  }

  #issue(grant: MockGrant, newRefresh: boolean): void {
    grant.accessToken = token('at');
    grant.accessExpiresAt = Date.now() + (this.options.accessTokenTtlSeconds ?? 3600) * 1000;
    const offline =
      this.options.refreshRequiresScope === undefined ||
      grant.scope.split(/[ ,]/).includes(this.options.refreshRequiresScope);
    if (this.options.refresh === 'none' || !offline) return;
    if (grant.refreshToken === undefined || newRefresh) {
      if (grant.refreshToken !== undefined)
        this.#retiredRefresh.set(grant.refreshToken, {
          grant,
          until: Date.now() + (this.options.rotationGraceMs ?? 0),
        });
      grant.refreshToken = token('rt');
    }
  }

  #tokenBody(grant: MockGrant, kind: 'code' | 'refresh'): Record<string, unknown> {
    return {
      access_token: grant.accessToken,
      token_type: 'bearer',
      expires_in: this.options.accessTokenTtlSeconds ?? 3600,
      ...(grant.refreshToken === undefined ? {} : { refresh_token: grant.refreshToken }),
      scope: grant.scope,
      ...this.options.tokenExtras?.(grant, kind),
    };
  }

  #revoke(req: IncomingMessage, res: ServerResponse, url: URL, form: Record<string, string>): void {
    this.counts.revoke++;
    this.log.push({ endpoint: 'revoke', form, authorization: req.headers.authorization });
    const tokenIn = this.options.revoke?.tokenIn;
    const presented =
      tokenIn === 'query_access_token'
        ? url.searchParams.get('access_token')
        : tokenIn === 'form_token'
          ? form.token
          : tokenIn === 'form_access_token'
            ? form.access_token
            : /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = this.grants.find(
      (g) => !g.revoked && presented && (g.accessToken === presented || g.refreshToken === presented),
    );
    if (!grant) return void send(res, 401, { error: 'invalid_token' });
    grant.revoked = true;
    res.writeHead(this.options.revoke?.method === 'DELETE' ? 204 : 200).end();
  }
}

/** A `MockOAuthProvider` on its own local server. */
export interface RunningMockOAuth {
  provider: MockOAuthProvider;
  /** `http://127.0.0.1:<port>` */
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startMockOAuthServer(options: MockOAuthOptions): Promise<RunningMockOAuth> {
  const provider = new MockOAuthProvider(options);
  const server = createServer((req, res) => {
    provider.handle(req, res).then(
      (handled) => {
        if (!handled) send(res, 404, { error: 'not_found' });
      },
      (error: unknown) => send(res, 500, { error: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    provider,
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
}

const token = (kind: string) => `${kind}_${randomBytes(18).toString('base64url')}`;
