import { createHmac } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Db } from '../db/database.ts';
import { ForbiddenError } from '../shared/errors.ts';
import { findDeveloperById } from './developers.repo.ts';

/**
 * An invitation: a token an existing developer creates for one email address, which lets that address
 * register even when REGISTRATION_MODE refuses self-service. Stateless (an HS256 JWT), and used up by
 * being bound to its email: once that account exists, registering again with it is a 409.
 */
export const INVITE_TTL_HOURS = { default: 72, max: 720 } as const;

const issuer = 'wearlink';
const audience = 'wearlink:invite';
/** Its own key, derived from JWT_SECRET, so an invite can never pass as a session or an SDK token. */
const KEY_PURPOSE = 'wearlink/developer-invite/v1';

/** A registration whose invite does not hold: 403 `{detail, code: invite_invalid}`. */
export class InviteInvalidError extends ForbiddenError {
  override readonly code = 'invite_invalid';
}

function inviteKey(jwtSecret: string): Uint8Array {
  return createHmac('sha256', jwtSecret).update(KEY_PURPOSE).digest();
}

export async function createInvite(
  jwtSecret: string,
  inviterId: string,
  email: string,
  ttlHours: number,
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  const token = await new SignJWT({ email: email.toLowerCase() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(inviterId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(inviteKey(jwtSecret));
  return { token, expiresAt };
}

/** Throws InviteInvalidError unless the token is a live invite for `email` from an existing developer. */
export async function checkInvite(db: Db, jwtSecret: string, token: string, email: string): Promise<void> {
  let payload: { sub?: string; email?: unknown };
  try {
    ({ payload } = await jwtVerify(token, inviteKey(jwtSecret), {
      issuer,
      audience,
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp', 'email'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new InviteInvalidError('This invite has expired');
    throw new InviteInvalidError('Invalid invite');
  }
  if (typeof payload.email !== 'string' || payload.email !== email.toLowerCase()) {
    throw new InviteInvalidError('This invite is for another email address');
  }
  // An invite ends with the account that made it.
  const inviter = /^[0-9a-f-]{36}$/.test(payload.sub ?? '')
    ? await findDeveloperById(db, payload.sub ?? '')
    : undefined;
  if (inviter === undefined) throw new InviteInvalidError('Invalid invite');
}
