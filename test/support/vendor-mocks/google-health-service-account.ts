import { generateKeyPairSync, type KeyObject, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The service-account half of the Google Health mock: Google's token endpoint for the JWT bearer
 * grant (RFC 7523) — the assertion's RS256 signature is checked against the public key a test
 * registered for its `iss`, and `aud` (the token URL), `iat`/`exp` (at most an hour, not expired) and
 * the scope are checked like Google does — and the bearer check of the project-level subscriber API.
 *
 * @example
 * const key = google.serviceAccounts.createKey('wearlink@proj.iam.gserviceaccount.com', `${google.url}/token`);
 * // FITBIT_SERVICE_ACCOUNT_KEY_FILE=key.path; subscriber calls then need that account's token
 */

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

type Answer = { status: number; body: unknown };

const refuse = (error: string, description: string): Answer => ({
  status: 400,
  body: { error, error_description: description },
});

function decodeJson(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class GoogleServiceAccounts {
  /** Public keys per client_email. */
  readonly keys = new Map<string, KeyObject>();
  readonly tokens = new Map<string, { clientEmail: string; scope: string; expiresAtMs: number }>();
  readonly counts = { minted: 0, refused: 0, unauthorized: 0 };
  /** Every refusal's `error_description` (tests check why). */
  readonly refusals: string[] = [];
  /** Which account made each authorized subscriber call. */
  readonly calls: { clientEmail: string; method: string; path: string }[] = [];
  tokenTtlSeconds = 3600;

  /** Accepts assertions of `clientEmail` signed by the private half of `publicKey`. */
  register(clientEmail: string, publicKey: KeyObject): void {
    this.keys.set(clientEmail, publicKey);
  }

  /**
   * A fresh RSA key pair registered for `clientEmail`, written as a Google JSON key file (mode 0600 in
   * a temp dir) whose token_uri is `tokenUri`.
   */
  createKey(
    clientEmail: string,
    tokenUri: string,
  ): { path: string; privateKeyPem: string; json: Record<string, string> } {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.register(clientEmail, publicKey);
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const json = {
      type: 'service_account',
      project_id: 'wearlink-test',
      private_key_id: randomBytes(8).toString('hex'),
      private_key: privateKeyPem,
      client_email: clientEmail,
      token_uri: tokenUri,
    };
    const path = join(mkdtempSync(join(tmpdir(), 'wl-gsa-')), 'key.json');
    writeFileSync(path, JSON.stringify(json), { mode: 0o600 });
    return { path, privateKeyPem, json };
  }

  /** The token endpoint's answer to a JWT bearer grant, or undefined for any other grant. */
  grant(form: URLSearchParams, tokenUrl: string, nowMs = Date.now()): Answer | undefined {
    if (form.get('grant_type') !== JWT_BEARER_GRANT) return undefined;
    const answer = this.#check(form.get('assertion') ?? '', tokenUrl, nowMs);
    if (answer.status !== 200) {
      this.counts.refused++;
      this.refusals.push(String((answer.body as { error_description?: unknown }).error_description));
    }
    return answer;
  }

  #check(assertion: string, tokenUrl: string, nowMs: number): Answer {
    const parts = assertion.split('.');
    const header = decodeJson(parts[0]);
    const claims = decodeJson(parts[1]);
    if (parts.length !== 3 || header === undefined || claims === undefined)
      return refuse('invalid_grant', 'Invalid JWT: not a signed JWT');
    if (header.alg !== 'RS256') return refuse('invalid_grant', `Invalid JWT: alg ${String(header.alg)}`);
    const iss = String(claims.iss);
    const key = this.keys.get(iss);
    if (key === undefined) return refuse('invalid_grant', `Invalid grant: account ${iss} not found`);
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!verify('sha256', signed, key, Buffer.from(parts[2] as string, 'base64url')))
      return refuse('invalid_grant', 'Invalid JWT Signature.');
    if (claims.aud !== tokenUrl) return refuse('invalid_grant', `Invalid JWT: aud ${String(claims.aud)}`);
    const now = Math.floor(nowMs / 1000);
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!Number.isInteger(iat) || !Number.isInteger(exp) || iat > now + 60 || exp - iat > 3600)
      return refuse('invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes)');
    if (exp <= now)
      return refuse('invalid_grant', 'Invalid JWT: Token must be a short-lived token and expired');
    const scope = typeof claims.scope === 'string' ? claims.scope : '';
    if (scope === '') return refuse('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    const accessToken = `ya29.sa-${randomBytes(12).toString('hex')}`;
    this.tokens.set(accessToken, {
      clientEmail: iss,
      scope,
      expiresAtMs: nowMs + this.tokenTtlSeconds * 1000,
    });
    this.counts.minted++;
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: this.tokenTtlSeconds, token_type: 'Bearer' },
    };
  }

  /**
   * The account behind `Authorization: Bearer <token>` when the token is live and carries the
   * cloud-platform scope (what project-level Google APIs require), else undefined (counted).
   */
  authorize(authorization: string | undefined, method: string, path: string): string | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const grant = token === undefined ? undefined : this.tokens.get(token);
    if (
      grant === undefined ||
      grant.expiresAtMs <= Date.now() ||
      !grant.scope.split(' ').includes(CLOUD_PLATFORM_SCOPE)
    ) {
      this.counts.unauthorized++;
      return undefined;
    }
    this.calls.push({ clientEmail: grant.clientEmail, method, path });
    return grant.clientEmail;
  }
}
