import { type Kysely, sql } from 'kysely';

/**
 * Who is importing an Apple Health export right now, until when (issue 15 #13). A worker (or the CLI)
 * takes the lease of the run it imports and renews it while it works; a run whose lease lapsed, or
 * whose holder was a process of the same host that is gone, is resumed or failed by the next process
 * that looks, instead of staying `saving` for good after a kill -9.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table import_leases (
      run_id text primary key references sync_runs (id) on delete cascade,
      -- host:pid:nonce of the importing process
      owner text not null,
      host text not null,
      pid integer not null,
      expires_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table import_leases`.execute(db);
}
