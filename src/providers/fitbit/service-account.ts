import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Google service-account tokens for the project-level Google Health calls (`projects.subscribers.*`),
 * which a user's OAuth token cannot make: OAuth 2.0 JWT bearer grant (RFC 7523) — an RS256-signed
 * assertion `{iss: client_email, scope, aud: token_uri, iat, exp}` exchanged at the key's `token_uri`
 * for a short-lived access token.
 *
 * Scope: `cloud-platform`. Google's generated Google Health v4 clients (.NET `GoogleHealthAPIService.
 * ScopeConstants`) list `https://www.googleapis.com/auth/cloud-platform` as the API's only non-user
 * scope, and the subscriber methods are governed by IAM permissions `health.subscribers.{list,create,
 * delete}` (roles `roles/health.editor` / `roles/health.admin`), which is how cloud-platform-scoped
 * APIs authorize. Confidence: high that cloud-platform is accepted; the reference pages' "Authorization
 * scopes" section itself was not readable here. The service account needs one of those roles in the
 * Google Cloud project that owns the OAuth client.
 */

/** A Google service account's signing identity (from its JSON key). */
export interface GoogleServiceAccount {
  clientEmail: string;
  privateKeyPem: string;
  tokenUri: string;
}

export const GOOGLE_CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google refuses assertions living longer than an hour. */
const ASSERTION_TTL_SECONDS = 3600;
/** A cached token is replaced this long before Google's expiry, so no call goes out with a dying one. */
const EARLY_RENEW_MS = 60_000;

/** Google refused the grant (bad key, deleted account, wrong token_uri…): retrying will not help. */
export class ServiceAccountTokenError extends Error {
  override name = 'ServiceAccountTokenError';
  constructor(
    message: string,
    readonly oauthError: string | undefined,
  ) {
    super(message);
  }
}

const keyFiles = new Map<string, GoogleServiceAccount>();

/**
 * Reads a Google service-account JSON key (`client_email`, `private_key`, `token_uri`), once per path.
 * Throws an Error naming `label` (the environment variable) when the file is unusable.
 *
 * @example
 * const account = readServiceAccountKey('/etc/wearlink/google-sa.json', 'FITBIT_SERVICE_ACCOUNT_KEY_FILE');
 * // { clientEmail: 'wearlink@proj.iam.gserviceaccount.com', privateKeyPem: '-----BEGIN PRIVATE KEY-----…', tokenUri: 'https://oauth2.googleapis.com/token' }
 */
export function readServiceAccountKey(path: string, label = path): GoogleServiceAccount {
  const cached = keyFiles.get(path);
  if (cached !== undefined) return cached;
  const problem = serviceAccountKeyProblem(path);
  if (typeof problem === 'string') throw new Error(`${label}: ${problem}`);
  keyFiles.set(path, problem);
  return problem;
}

/** The key at `path`, or a sentence saying why it is unusable (config validation shows it as is). */
export function serviceAccountKeyProblem(path: string): GoogleServiceAccount | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined
      ? `${path} is not JSON (expected a Google service-account key file)`
      : `${path} cannot be read (${code})`;
  }
  const key = (parsed ?? {}) as Record<string, unknown>;
  const missing = ['client_email', 'private_key', 'token_uri'].filter(
    (f) => typeof key[f] !== 'string' || key[f] === '',
  );
  if (missing.length > 0) return `${path} is not a Google service-account key: ${missing.join(', ')} missing`;
  try {
    createPrivateKey(key.private_key as string);
  } catch {
    return `${path}: private_key is not a PEM private key`;
  }
  if (!/^https?:\/\//.test(key.token_uri as string)) return `${path}: token_uri is not a URL`;
  return {
    clientEmail: key.client_email as string,
    privateKeyPem: key.private_key as string,
    tokenUri: key.token_uri as string,
  };
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** The signed JWT bearer assertion (RS256) for `account` and `scope`, issued at `nowMs`. */
export function serviceAccountAssertion(account: GoogleServiceAccount, scope: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(
    JSON.stringify({
      iss: account.clientEmail,
      scope,
      aud: account.tokenUri,
      iat,
      exp: iat + ASSERTION_TTL_SECONDS,
    }),
  );
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), account.privateKeyPem);
  return `${header}.${claims}.${b64url(signature)}`;
}

const tokens = new Map<string, { accessToken: string; renewAtMs: number }>();
const pending = new Map<string, Promise<string>>();
const cacheKey = (account: GoogleServiceAccount, scope: string) =>
  `${account.clientEmail} ${account.tokenUri} ${scope}`;

async function exchange(account: GoogleServiceAccount, scope: string, timeoutMs: number) {
  const startedMs = Date.now();
  const response = await fetch(account.tokenUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: JWT_BEARER_GRANT,
      assertion: serviceAccountAssertion(account, scope, startedMs),
    }).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = (JSON.parse(text) ?? {}) as Record<string, unknown>;
  } catch {
    // Not JSON: the status says enough.
  }
  if (response.status >= 500)
    throw new Error(`Google's token endpoint answered ${response.status} for ${account.clientEmail}`);
  const token = body.access_token;
  if (!response.ok || typeof token !== 'string' || token === '') {
    const code = typeof body.error === 'string' ? body.error : undefined;
    const why = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
    throw new ServiceAccountTokenError(
      `Google refused a token for service account ${account.clientEmail} (${code ?? `HTTP ${response.status}`}${why}); ` +
        'check FITBIT_SERVICE_ACCOUNT_KEY_FILE (key not deleted, account in the OAuth client’s project)',
      code,
    );
  }
  const lifetimeS = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  return { accessToken: token, renewAtMs: startedMs + lifetimeS * 1000 - EARLY_RENEW_MS };
}

/**
 * An access token of the service account for `scope` (default cloud-platform): cached until 60 s
 * before Google's expiry, and concurrent callers share one exchange. Expected refusals
 * (`invalid_grant`, `invalid_scope`, …) throw `ServiceAccountTokenError`; network errors and 5xx throw
 * a plain Error (the caller's next round tries again).
 *
 * @example
 * const token = await serviceAccountToken(app.serviceAccount);
 * await http.json({ path: '/v4/projects/123/subscribers', auth: 'none', headers: { authorization: `Bearer ${token}` } });
 */
export async function serviceAccountToken(
  account: GoogleServiceAccount,
  options: { scope?: string; timeoutMs?: number } = {},
): Promise<string> {
  const scope = options.scope ?? GOOGLE_CLOUD_PLATFORM_SCOPE;
  const key = cacheKey(account, scope);
  const cached = tokens.get(key);
  if (cached !== undefined && cached.renewAtMs > Date.now()) return cached.accessToken;
  const inFlight = pending.get(key);
  if (inFlight !== undefined) return inFlight;
  const request = exchange(account, scope, options.timeoutMs ?? 30_000)
    .then((fresh) => {
      tokens.set(key, fresh);
      return fresh.accessToken;
    })
    .finally(() => pending.delete(key));
  pending.set(key, request);
  return request;
}

/** Drops the cached token (Google answered 401 with it: revoked key or removed role). */
export function forgetServiceAccountToken(account: GoogleServiceAccount): void {
  for (const key of tokens.keys())
    if (key.startsWith(`${account.clientEmail} ${account.tokenUri} `)) tokens.delete(key);
}
