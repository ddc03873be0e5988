import { randomUUID } from 'node:crypto';
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
