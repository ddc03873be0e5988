import type { Kysely } from 'kysely';

/** Issue 19 (nutrition): filled in by its slice. */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
