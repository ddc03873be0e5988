import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { UserRow } from '../db/schema.ts';
import { ConflictError } from '../shared/errors.ts';

/** As validated from a request body: absent (or undefined) leaves a field as it is. */
export interface UserFields {
  first_name?: string | null | undefined;
  last_name?: string | null | undefined;
  email?: string | null | undefined;
  external_id?: string | null | undefined;
  timezone?: string | null | undefined;
}

function definedOnly(fields: UserFields) {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as {
    [K in keyof UserFields]?: string | null;
  };
}

export type UserSortField = 'created_at' | 'updated_at' | 'email' | 'first_name' | 'last_name';

export interface ListUsersQuery {
  search?: string | undefined;
  sortBy: UserSortField;
  sortOrder: 'asc' | 'desc';
  offset: number;
  limit: number;
}

function conflictFrom(error: unknown): never {
  if (isUniqueViolation(error)) {
    const constraint = (error as { constraint?: string }).constraint ?? '';
    throw new ConflictError(
      constraint.includes('external_id')
        ? 'A user with this external_id already exists'
        : 'A user with this email already exists',
    );
  }
  throw error;
}

export async function createUser(db: Db, developerId: string, fields: UserFields): Promise<UserRow> {
  try {
    return await db
      .insertInto('users')
      .values({ id: randomUUID(), developer_id: developerId, ...definedOnly(fields) })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    return conflictFrom(error);
  }
}

/**
 * A user of the developer's, unless deleted: a user whose deletion has started (`deleted_at`) is gone
 * from the whole API at once (every route under a user is fenced with this), while the job wipes the rows.
 */
export function findUser(db: Db, developerId: string, userId: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function updateUser(
  db: Db,
  developerId: string,
  userId: string,
  fields: UserFields,
): Promise<UserRow | undefined> {
  try {
    return await db
      .updateTable('users')
      .set({ ...definedOnly(fields), updated_at: new Date() })
      .where('developer_id', '=', developerId)
      .where('id', '=', userId)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  } catch (error) {
    return conflictFrom(error);
  }
}

/**
 * The first step of deleting a user, in the caller's transaction: `deleted_at` makes them invisible at
 * once and refuses every later write (samples.repo.ts's guard); their email and external id are cleared
 * so that both can be used again right away (and are the first personal data to go). The rows are wiped
 * by the deletion job (src/data-rights/deletion/job.ts). Undefined when there is no such live user.
 */
export function markUserDeleted(
  db: Db,
  developerId: string,
  userId: string,
): Promise<{ id: string } | undefined> {
  const now = new Date();
  return db
    .updateTable('users')
    .set({ deleted_at: now, updated_at: now, email: null, external_id: null })
    .where('developer_id', '=', developerId)
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listUsers(
  db: Db,
  developerId: string,
  query: ListUsersQuery,
): Promise<{ rows: UserRow[]; total: number }> {
  let base = db.selectFrom('users').where('developer_id', '=', developerId).where('deleted_at', 'is', null);
  if (query.search !== undefined && query.search !== '') {
    const pattern = `%${escapeLike(query.search)}%`;
    base = base.where((eb) =>
      eb.or([
        ...(['first_name', 'last_name', 'email', 'external_id'] as const).map((column) =>
          eb(column, 'ilike', pattern),
        ),
        // "Ada Love" finds Ada Lovelace: the full name as the dashboard shows it.
        eb(sql<string>`coalesce(first_name, '') || ' ' || coalesce(last_name, '')`, 'ilike', pattern),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      // Nulls sort last either way; id breaks ties so pages never overlap.
      .orderBy(query.sortBy, (ob) => (query.sortOrder === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('id', query.sortOrder)
      .offset(query.offset)
      .limit(query.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
