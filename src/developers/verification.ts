import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../auth/derive-key.ts';
import type { Config } from '../config/load-config.ts';
import type { DeveloperRow } from '../db/schema.ts';
import { type MailResult, sendMail } from '../mail/mailer.ts';
import type { Logger } from '../shared/logger.ts';

/** How long a verification link works. */
export const VERIFICATION_TTL_HOURS = 72;
const PURPOSE = 'wearlink/email-verification/v1';

/**
 * The MAC covers the account, the address it was sent to and the expiry: a link sent to an address the
 * account no longer has verifies nothing, and no field can be swapped without breaking it. The key is
 * derived for this purpose only, so a verification MAC is never a valid MAC of anything else.
 */
function signature(secret: string, developerId: string, email: string, expires: number): Buffer {
  return createHmac('sha256', deriveKey(secret, PURPOSE))
    .update(`${developerId}\n${email.toLowerCase()}\n${expires}`)
    .digest();
}

/** `<developer id>.<expiry, unix seconds>.<base64url MAC>`: URL-safe as it is. */
export function verificationToken(
  secret: string,
  developer: Pick<DeveloperRow, 'id' | 'email'>,
  now = Date.now(),
): string {
  const expires = Math.floor(now / 1000) + VERIFICATION_TTL_HOURS * 3600;
  const mac = signature(secret, developer.id, developer.email, expires).toString('base64url');
  return `${developer.id}.${expires}.${mac}`;
}

const TOKEN_SHAPE = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export type TokenCheck = { ok: true; developerId: string } | { ok: false; reason: 'invalid' | 'expired' };

/** The token's account id, when its shape parses; the MAC is checked by `checkVerificationToken`. */
export function tokenDeveloperId(token: string): string | undefined {
  return TOKEN_SHAPE.exec(token)?.[1];
}

/** Checks a token against the account it names (looked up by the caller) and the clock. */
export function checkVerificationToken(
  secret: string,
  token: string,
  developer: Pick<DeveloperRow, 'id' | 'email'> | undefined,
  now = Date.now(),
): TokenCheck {
  const match = TOKEN_SHAPE.exec(token);
  if (match === null || developer === undefined || match[1] !== developer.id) {
    return { ok: false, reason: 'invalid' };
  }
  const expires = Number(match[2]);
  const given = Buffer.from(match[3] ?? '', 'base64url');
  const expected = signature(secret, developer.id, developer.email, expires);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'invalid' };
  }
  // Checked after the MAC, so an expiry is only reported for a link this instance issued.
  if (expires * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, developerId: developer.id };
}

export function verificationUrl(config: Pick<Config, 'publicUrl'>, token: string): string {
  return `${config.publicUrl.replace(/\/+$/, '')}/api/v1/auth/verify-email?token=${encodeURIComponent(token)}`;
}

/**
 * Sends the account its verification link. Without SMTP_URL the link is logged instead (info), so the
 * operator of a mail-less instance can hand it on; a send failure is logged by the mailer. Never throws:
 * an unsent link must not fail a registration (the account can ask again: POST /auth/verify-email/resend).
 */
export async function sendVerificationLink(
  config: Pick<Config, 'publicUrl' | 'jwtSecret' | 'SMTP_URL' | 'SMTP_FROM'>,
  logger: Logger,
  developer: Pick<DeveloperRow, 'id' | 'email' | 'name'>,
): Promise<MailResult> {
  const url = verificationUrl(config, verificationToken(config.jwtSecret, developer));
  if (config.SMTP_URL === undefined) {
    logger.info(
      { developer_id: developer.id, verification_url: url },
      'email verification link (not mailed: SMTP_URL is not set)',
    );
    return { ok: false, reason: 'not_configured' };
  }
  return sendMail(config, logger, {
    to: developer.email,
    subject: 'Verify your WearLink email address',
    text: [
      `Hello ${developer.name},`,
      '',
      'Please confirm this is your email address by opening this link:',
      '',
      url,
      '',
      `The link works for ${VERIFICATION_TTL_HOURS} hours. If you did not create a WearLink account, ignore this message.`,
    ].join('\n'),
  });
}
