import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './database.ts';

describe('PGlite dialect', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ kind: 'pglite', dataDir: undefined, schema: 'dialect_test' });
    await migrateToLatest(handle);
  });
  afterAll(() => handle.close());

  it('serialises concurrent transactions on the single session', async () => {
    const { db } = handle;
    await sql`create table counter (n int not null)`.execute(db);
    await sql`insert into counter values (0)`.execute(db);
    // Read-modify-write in each transaction: lost updates would show if two interleaved.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ n: number }>`select n from counter`.execute(trx);
          await new Promise((r) => setTimeout(r, 1));
          await sql`update counter set n = ${(rows[0]?.n ?? 0) + 1}`.execute(trx);
        }),
      ),
    );
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(db);
    expect(rows[0]?.n).toBe(20);
  });

  it('rolls back a failed transaction and keeps serving queries', async () => {
    const { db } = handle;
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`update counter set n = -1`.execute(trx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(db);
    expect(rows[0]?.n).toBe(20);
  });

  it('creates its tables in the configured schema', async () => {
    const { rows } = await sql<{ table_schema: string }>`
      select table_schema from information_schema.tables where table_name = 'users'`.execute(handle.db);
    expect(rows.map((r) => r.table_schema)).toEqual(['dialect_test']);
  });
});
