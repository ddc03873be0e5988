import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Env } from '../../config/config.ts';
import { isVendorUrl, type ProviderManifest } from '../manifest.ts';
import type {
  InboundRequest,
  ProviderAppCredentials,
  ProviderModule,
  WebhookParseContext,
} from '../types.ts';

/** The manifest's verification settings of a vendor that signs its webhooks. */
export type HmacVerification = Extract<
  NonNullable<ProviderManifest['webhook']>['verification'],
  { scheme: 'hmac_sha256' }
>;

/** One app's candidate keys: its client secret or webhook secret, plus secrets its subscriptions handed out. */
export interface VerificationCandidate {
  app: ProviderAppCredentials;
  keys: readonly string[];
}

export type VerifyOutcome =
  | { ok: true; app: ProviderAppCredentials }
  | { ok: false; detail: string; code: 'invalid_signature' | 'stale_timestamp' };

/**
 * Checks a vendor's HMAC-SHA256 signature against every candidate app's keys (a vendor's webhooks carry no
 * app id WearLink could trust before verifying, and every developer may register their own app): the
 * first app whose key reproduces the signature is the one the delivery is for. Compared in constant
 * time on the decoded bytes, so `hex` and `hex_upper` accept either case. A timestamp header, when the
 * manifest names one, is part of what is signed (`timestamp_body`) and refused when older (or further in
 * the future) than `max_age_seconds`: a captured delivery cannot be replayed later.
 *
 * @example
 * // WHOOP: base64(HMAC(client_secret, timestamp_ms + body)), 5 minutes at most
 * verifySignature(whoop.manifest.webhook.verification, request, [{ app, keys: [app.clientSecret] }], Date.now());
 * // → { ok: true, app } | { ok: false, code: 'invalid_signature', detail: '…' }
 */
export function verifySignature(
  verification: HmacVerification,
  request: InboundRequest,
  candidates: readonly VerificationCandidate[],
  nowMs: number,
): VerifyOutcome {
  const header = verification.signature_header.toLowerCase();
  const presented = request.headers[header];
  if (presented === undefined || presented.trim() === '')
    return {
      ok: false,
      code: 'invalid_signature',
      detail: `Missing ${verification.signature_header} header`,
    };
  const signature = decodeSignature(presented, verification.encoding);
  if (signature === undefined)
    return {
      ok: false,
      code: 'invalid_signature',
      detail: `${verification.signature_header} is not a ${verification.encoding === 'base64' ? 'base64' : 'hex'} HMAC-SHA256`,
    };

  let timestamp: string | undefined;
  if (verification.timestamp_header !== undefined) {
    timestamp = request.headers[verification.timestamp_header.toLowerCase()]?.trim();
    if (timestamp === undefined || timestamp === '')
      return {
        ok: false,
        code: 'invalid_signature',
        detail: `Missing ${verification.timestamp_header} header`,
      };
    if (verification.max_age_seconds !== undefined) {
      const problem = timestampProblem(timestamp, verification, nowMs);
      if (problem !== undefined) return { ok: false, code: 'stale_timestamp', detail: problem };
    }
  }
  const prefix = verification.signed === 'timestamp_body' ? Buffer.from(timestamp ?? '', 'utf8') : undefined;
  if (verification.signed === 'timestamp_body' && timestamp === undefined)
    // A manifest mistake, not the vendor's: parseManifest allows it, so say so plainly.
    return {
      ok: false,
      code: 'invalid_signature',
      detail: 'The manifest signs timestamp+body but names no timestamp header',
    };

  let tried = 0;
  for (const { app, keys } of candidates) {
    for (const key of keys) {
      if (key === '') continue;
      tried += 1;
      const mac = createHmac('sha256', key);
      if (prefix !== undefined) mac.update(prefix);
      const expected = mac.update(request.body).digest();
      if (expected.length === signature.length && timingSafeEqual(expected, signature))
        return { ok: true, app };
    }
  }
  return {
    ok: false,
    code: 'invalid_signature',
    detail:
      tried === 0
        ? `No app of this vendor has a ${verification.key === 'client_secret' ? 'client secret' : 'webhook secret'} to verify the signature with`
        : `${verification.signature_header} does not match the request`,
  };
}

/** The signature's bytes, or undefined when it is not in the manifest's encoding. A `sha256=` prefix is tolerated. */
function decodeSignature(value: string, encoding: HmacVerification['encoding']): Buffer | undefined {
  const text = value.trim().replace(/^sha256=/i, '');
  if (encoding === 'base64') {
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}

function timestampProblem(value: string, verification: HmacVerification, nowMs: number): string | undefined {
  const name = verification.timestamp_header as string;
  if (!/^\d{1,16}$/.test(value))
    return `${name} is not a number of ${verification.timestamp_unit === 'ms' ? 'milliseconds' : 'seconds'}`;
  const sentMs = verification.timestamp_unit === 'ms' ? Number(value) : Number(value) * 1000;
  const maxAgeMs = (verification.max_age_seconds as number) * 1000;
  const ageMs = nowMs - sentMs;
  if (ageMs > maxAgeMs)
    return `${name} is ${Math.round(ageMs / 1000)} s old (more than ${verification.max_age_seconds} s): a replayed delivery is refused`;
  // A clock ahead of ours by more than the window is as suspicious as a stale one.
  if (-ageMs > maxAgeMs) return `${name} is ${Math.round(-ageMs / 1000)} s in the future`;
  return undefined;
}

type Verification = NonNullable<ProviderManifest['webhook']>['verification'];
type HeaderVerification = Extract<Verification, { scheme: 'client_id_header' | 'shared_secret_header' }>;

/** Equal strings, compared in constant time (hashed first, so lengths do not leak either). */
function sameSecret(a: string, b: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The app an unsigned vendor's request is for: Garmin names its client id in a header (which must be
 * one of the configured apps'), Google Health echoes the subscriber's secret in `Authorization` (which
 * must be one of the apps' webhook secrets). Neither is a signature: the body is not authenticated, so
 * what such a delivery says is checked against the vendor before it is acted on (pings are fetched
 * from the vendor's own host only; deauthorizations are confirmed with the user's token).
 *
 * @example identifyApp({ scheme: 'client_id_header', header: 'garmin-client-id', why: '' }, request, apps)
 * // → { ok: true, app } | { ok: false, code: 'unknown_app', detail: 'garmin-client-id names no configured app' }
 */
export function identifyApp(
  verification: HeaderVerification,
  request: InboundRequest,
  apps: readonly ProviderAppCredentials[],
):
  | { ok: true; app: ProviderAppCredentials }
  | { ok: false; code: 'unknown_app' | 'invalid_secret'; detail: string } {
  const name = verification.header.toLowerCase();
  const raw = request.headers[name]?.trim();
  if (verification.scheme === 'client_id_header') {
    if (raw === undefined || raw === '')
      return { ok: false, code: 'unknown_app', detail: `Missing ${verification.header} header` };
    const app = apps.find((a) => sameSecret(a.clientId, raw));
    if (app === undefined)
      return { ok: false, code: 'unknown_app', detail: `${verification.header} names no configured app` };
    const { secret_query: param } = verification;
    if (param !== undefined && app.webhookSecret !== undefined && app.webhookSecret !== '') {
      const presented = request.query[param];
      if (presented === undefined || !sameSecret(presented, app.webhookSecret))
        return {
          ok: false,
          code: 'invalid_secret',
          detail: `The webhook URL's ?${param}= does not match the app's webhook secret`,
        };
    }
    return { ok: true, app };
  }
  if (raw === undefined || raw === '')
    return { ok: false, code: 'invalid_secret', detail: `Missing ${verification.header} header` };
  const presented = verification.bearer_prefix ? raw.replace(/^Bearer\s+/i, '') : raw;
  const app = apps.find(
    (a) => a.webhookSecret !== undefined && a.webhookSecret !== '' && sameSecret(a.webhookSecret, presented),
  );
  return app !== undefined
    ? { ok: true, app }
    : {
        ok: false,
        code: 'invalid_secret',
        detail: `${verification.header} does not match any app's webhook secret`,
      };
}

/** What a module's `parse` may ask of the instance: whether a URL is on the vendor's configured hosts. */
export function parseContext(
  deps: { config: Pick<Env, 'PROVIDER_URLS'> },
  module: ProviderModule,
): WebhookParseContext {
  return { isVendorUrl: (url) => isVendorUrl(module.manifest, url, deps.config.PROVIDER_URLS) };
}
