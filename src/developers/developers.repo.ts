import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { DeveloperRow } from '../db/schema.ts';
import { ConflictError } from '../shared/errors.ts';

export async function createDeveloper(
  db: Db,
  input: { email: string; name: string; passwordHash: string; plan?: string | undefined },
): Promise<DeveloperRow> {
  try {
    return await db
      .insertInto('developers')
      .values({
        id: randomUUID(),
        email: input.email,
        name: input.name,
        password_hash: input.passwordHash,
        ...(input.plan === undefined ? {} : { plan: input.plan }),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError('An account with this email already exists');
    throw error;
  }
}

export function findDeveloperByEmail(db: Db, email: string): Promise<DeveloperRow | undefined> {
  return db
    .selectFrom('developers')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export function findDeveloperById(db: Db, id: string): Promise<DeveloperRow | undefined> {
  return db.selectFrom('developers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Developer accounts that are tenants (team members, rows with a tenant_id, are not counted). */
export async function countDevelopers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('developers')
    .where('tenant_id', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether the account is locked now (by failed logins or by an admin). */
export const isLocked = (account: Pick<DeveloperRow, 'locked_until'>, now = new Date()): boolean =>
  account.locked_until !== null && account.locked_until.getTime() > now.getTime();

/**
 * Counts one failed login, atomically (concurrent guesses each count). A counter left over from a lock
 * that has since expired starts again at 1, so an unlocked account gets the full allowance again. At
 * `threshold` the account is locked for `minutes`. Only an account that is not locked counts: guesses
 * at a locked account neither extend the lock nor add up. Returns the row after the update (undefined
 * when it was locked, and nothing changed) and whether this failure locked it.
 */
export async function recordFailedLogin(
  db: Db,
  id: string,
  policy: { threshold: number; minutes: number },
): Promise<{ account: DeveloperRow; lockedNow: boolean } | undefined> {
  const count = sql<number>`case when locked_until is not null then 1 else failed_login_count + 1 end`;
  const row = await db
    .updateTable('developers')
    .set({
      failed_login_count: count,
      last_failed_login_at: sql`now()`,
      locked_until: sql`case when ${count} >= ${policy.threshold}
                          then now() + make_interval(mins => ${policy.minutes}) else null end`,
    })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', sql<Date>`now()`)]))
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : { account: row, lockedNow: row.locked_until !== null };
}

/** A successful login: the counter starts over (an expired lock is cleared with it). */
export async function resetFailedLogins(db: Db, id: string): Promise<void> {
  await db
    .updateTable('developers')
    .set({ failed_login_count: 0, locked_until: null })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('failed_login_count', '<>', 0), eb('locked_until', 'is not', null)]))
    .execute();
}

/** Locks the account until `until` (an admin's lock); returns the row, undefined when there is none. */
export function lockDeveloper(db: Db, id: string, until: Date): Promise<DeveloperRow | undefined> {
  return db
    .updateTable('developers')
    .set({ locked_until: until })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Clears a lock and the failed-login counter. */
export function unlockDeveloper(db: Db, id: string): Promise<DeveloperRow | undefined> {
  return db
    .updateTable('developers')
    .set({ locked_until: null, failed_login_count: 0 })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Marks the address verified, if the account still has `email` (the address the link was made for) and
 * is not verified yet. Returns the row when this call verified it.
 */
export function markEmailVerified(db: Db, id: string, email: string): Promise<DeveloperRow | undefined> {
  return db
    .updateTable('developers')
    .set({ email_verified_at: sql`now()` })
    .where('id', '=', id)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('email_verified_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** The account's own profile fields; absent fields are left as they are. */
export function updateProfile(
  db: Db,
  id: string,
  fields: { name?: string | undefined; organization?: string | null | undefined },
): Promise<DeveloperRow | undefined> {
  const set: { name?: string; organization?: string | null } = {};
  if (fields.name !== undefined) set.name = fields.name;
  if (fields.organization !== undefined) set.organization = fields.organization;
  if (Object.keys(set).length === 0) return findDeveloperById(db, id);
  return db.updateTable('developers').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Sets or clears the superuser flag. */
export function setSuperuserFlag(db: Db, id: string, value: boolean): Promise<DeveloperRow | undefined> {
  return db
    .updateTable('developers')
    .set({ is_superuser: value })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
