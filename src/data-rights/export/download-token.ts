import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../../auth/derive-key.ts';

/**
 * Export download tokens: `<nonce>.<expiry>.<mac>`, safe to hand to an end user. The nonce is random
 * (it names the export in `data_exports.token_nonce`, so the token carries no export, user or developer
 * id), the expiry is in epoch seconds (base 36), and the MAC (HMAC-SHA256 under a key derived for this
 * purpose only) makes both unforgeable. Single use is the database's part: the download clears the nonce
 * in one conditional UPDATE.
 */
export const EXPORT_TOKEN_KEY_PURPOSE = 'wearlink/export-download/v1';

const NONCE_BYTES = 18;
const tokenShape = /^([A-Za-z0-9_-]{24})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/;

export function newTokenNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', deriveKey(secret, EXPORT_TOKEN_KEY_PURPOSE)).update(payload).digest();
}

/** The token for `nonce`, valid until `expiresAt` (whole seconds). */
export function signDownloadToken(secret: string, nonce: string, expiresAt: Date): string {
  const payload = `${nonce}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The nonce of a well-formed, authentic, unexpired token; undefined for anything else. */
export function verifyDownloadToken(secret: string, token: string, now = Date.now()): string | undefined {
  const match = tokenShape.exec(token);
  if (match === null) return undefined;
  const [, nonce = '', expiry = '', given = ''] = match;
  const expected = mac(secret, `${nonce}.${expiry}`);
  const presented = Buffer.from(given, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
  if (Number.parseInt(expiry, 36) * 1000 <= now) return undefined;
  return nonce;
}
