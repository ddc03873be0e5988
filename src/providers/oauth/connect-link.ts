import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../../auth/derive-key.ts';

/** What a hosted connect link grants: this developer's user may connect providers until `exp`. */
export interface ConnectLinkClaims {
  developerId: string;
  userId: string;
  /** Epoch seconds. */
  exp: number;
}

const PURPOSE = 'wearlink/connect-link/v1';

/**
 * A hosted connect page link token: `<base64url JSON claims>.<base64url HMAC-SHA256>` under a key derived
 * from JWT_SECRET for this purpose only (so it can never pass as a JWT or an upload grant). Stateless:
 * every node can check it, and it dies at `exp`.
 *
 * @example
 * const token = signConnectLink(config.jwtSecret, { developerId, userId, exp: nowSeconds + 3600 });
 * verifyConnectLink(config.jwtSecret, token); // the claims, or an error saying why not
 */
export function signConnectLink(secret: string, claims: ConnectLinkClaims): string {
  const body = Buffer.from(
    JSON.stringify({ d: claims.developerId, u: claims.userId, e: claims.exp }),
  ).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

export function verifyConnectLink(
  secret: string,
  token: string,
  nowSeconds = Date.now() / 1000,
): { ok: true; claims: ConnectLinkClaims } | { ok: false; reason: 'invalid' | 'expired' } {
  const [body, signature, ...rest] = token.split('.');
  if (body === undefined || signature === undefined || rest.length > 0 || token.length > 1024)
    return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'invalid' };
  let parsed: { d?: unknown; u?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof parsed.d !== 'string' || typeof parsed.u !== 'string' || typeof parsed.e !== 'number')
    return { ok: false, reason: 'invalid' };
  if (parsed.e <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { developerId: parsed.d, userId: parsed.u, exp: parsed.e } };
}

function mac(secret: string, body: string): string {
  return createHmac('sha256', deriveKey(secret, PURPOSE)).update(body).digest('base64url');
}
