import { ProviderRateLimitError, ProviderResponseError } from '../errors.ts';
import { retryAfterSeconds } from '../http/retry-after.ts';
import { VendorUnavailableError } from '../http/vendor-client.ts';
import { resolveEndpoint } from '../manifest.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type { ProviderAppCredentials, ProviderModule, TokenSet } from '../types.ts';
import { TokenRefusedError } from './errors.ts';

/** Fields of a token response that are the token set itself; the rest is kept in `extra`. */
const STANDARD_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'expires_in',
  'expires_at',
  'scope',
  'token_type',
]);

/** Withings' in-body statuses: 601 is its rate limit, 522 a timeout on its side; others refuse the request. */
const WITHINGS_RATE_LIMITED = 601;
const WITHINGS_UNAVAILABLE = new Set([522, 2554, 2555]);

/**
 * One call to a vendor's token endpoint (a code exchange or a refresh), authenticated the way the
 * manifest says (`client_auth` body or basic) and read the way it answers (`standard` JSON or Withings'
 * `{status, body}`). Not retried: a code is single-use and a rotating refresh token dies once used, so a
 * retry after a lost answer would only be refused; the caller's job retries later instead.
 *
 * Throws `TokenRefusedError` (the vendor said no: 400/401, Withings' auth or parameter statuses),
 * `ProviderRateLimitError` (429, Withings 601), `VendorUnavailableError` (network, timeout, 5xx),
 * `ProviderResponseError` (anything unreadable).
 *
 * @example
 * const tokens = await requestTokens(runtime, ouraProvider, app, {
 *   grant_type: 'refresh_token', refresh_token: stored.refresh_token,
 * }, stored);
 */
export async function requestTokens(
  runtime: Pick<ProviderRuntime, 'config'>,
  module: ProviderModule,
  app: ProviderAppCredentials,
  grant: Record<string, string>,
  previous?: TokenSet,
): Promise<TokenSet> {
  const { manifest } = module;
  const oauth = manifest.oauth;
  if (oauth === undefined) throw new Error(`${manifest.slug} has no OAuth section`);
  const url = resolveEndpoint(manifest, oauth.token, runtime.config.PROVIDER_URLS);
  const form = new URLSearchParams();
  if (oauth.token_response === 'withings') form.set('action', 'requesttoken');
  for (const [name, value] of Object.entries(grant)) form.set(name, value);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'WearLink',
  };
  if (oauth.client_auth === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret ?? ''}`).toString('base64')}`;
  } else {
    form.set('client_id', app.clientId);
    if (app.clientSecret !== undefined) form.set('client_secret', app.clientSecret);
  }
  const what = `${manifest.name} token endpoint (${grant.grant_type})`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: form.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(runtime.config.PROVIDER_HTTP_TIMEOUT_MS),
    });
  } catch (error) {
    const problem = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message;
    throw new VendorUnavailableError(`${what} failed: ${problem}`);
  }
  const text = await response.text();
  if (response.status === 429)
    throw new ProviderRateLimitError(retryAfterSeconds(manifest, response.headers), `${what} answered 429`);
  if (response.status >= 500) throw new VendorUnavailableError(`${what} answered ${response.status}`);
  const body = parseJson(text);
  if (response.status === 400 || response.status === 401) {
    const error = stringField(body, 'error');
    const description = stringField(body, 'error_description') ?? stringField(body, 'message');
    throw new TokenRefusedError(
      `${what} refused: ${[error, description].filter(Boolean).join(': ') || `HTTP ${response.status}`}`,
      error,
    );
  }
  if (response.status !== 200 || body === undefined)
    throw new ProviderResponseError(
      `${what} answered ${response.status}${body === undefined ? ' with malformed JSON' : ''}: ${text.slice(0, 200)}`,
      response.status,
    );
  let payload = body as Record<string, unknown>;
  if (oauth.token_response === 'withings') {
    const status = payload.status;
    if (status === WITHINGS_RATE_LIMITED)
      throw new ProviderRateLimitError(
        manifest.api.default_retry_after_seconds,
        `${what} reported status 601`,
      );
    if (typeof status === 'number' && WITHINGS_UNAVAILABLE.has(status))
      throw new VendorUnavailableError(`${what} reported status ${status}`);
    if (status !== 0) {
      const detail = stringField(payload, 'error') ?? `status ${String(status)}`;
      throw new TokenRefusedError(`${what} refused: ${detail}`, `status_${String(status)}`);
    }
    payload = (payload.body ?? {}) as Record<string, unknown>;
  }
  return tokenSetFrom(payload, previous, what);
}

/** A token response as a `TokenSet`: `expires_in` (or Strava's epoch `expires_at`) → epoch ms, the rest kept. */
export function tokenSetFrom(
  payload: Record<string, unknown>,
  previous: TokenSet | undefined,
  what = 'token response',
): TokenSet {
  const accessToken = payload.access_token;
  if (typeof accessToken !== 'string' || accessToken === '')
    throw new ProviderResponseError(`${what} has no access_token`);
  const tokens: TokenSet = { access_token: accessToken };
  // A vendor that does not rotate answers a refresh without a refresh token: the old one stays valid.
  const refresh = typeof payload.refresh_token === 'string' ? payload.refresh_token : previous?.refresh_token;
  if (refresh !== undefined) tokens.refresh_token = refresh;
  const expiresIn = Number(payload.expires_in);
  const expiresAt = Number(payload.expires_at);
  if (payload.expires_in !== undefined && Number.isFinite(expiresIn))
    tokens.expires_at = Date.now() + expiresIn * 1000;
  else if (payload.expires_at !== undefined && Number.isFinite(expiresAt))
    tokens.expires_at = expiresAt * 1000;
  const scope = Array.isArray(payload.scope) ? payload.scope.join(' ') : payload.scope;
  if (typeof scope === 'string') tokens.scope = scope;
  else if (previous?.scope !== undefined) tokens.scope = previous.scope;
  const extra: Record<string, unknown> = { ...previous?.extra };
  for (const [name, value] of Object.entries(payload)) if (!STANDARD_FIELDS.has(name)) extra[name] = value;
  if (Object.keys(extra).length > 0) tokens.extra = extra;
  return tokens;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringField(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
