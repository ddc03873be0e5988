import { z } from '@hono/zod-openapi';
import { UnauthorizedError } from '../shared/errors.ts';

/** How long an admin's lock lasts (POST /api/v1/admin/developers/{id}/lock). */
export const ADMIN_LOCK_DAYS = 7;

/** A locked account's session (JWT) is refused on every request until the lock ends or is lifted. */
export class AccountLockedSessionError extends UnauthorizedError {
  override readonly code = 'account_locked';
}

/** The 403 a locked account's login gets (right password or not): when it unlocks, for the login form. */
export const AccountLocked = z
  .object({
    detail: z.string(),
    code: z.literal('account_locked'),
    locked_until: z.string().openapi({ description: 'When the lock ends (ISO 8601, UTC)' }),
  })
  .openapi('AccountLocked');

export function accountLockedBody(lockedUntil: Date): z.infer<typeof AccountLocked> {
  return {
    detail: `This account is locked until ${lockedUntil.toISOString()} after too many failed logins or by an administrator`,
    code: 'account_locked',
    locked_until: lockedUntil.toISOString(),
  };
}
