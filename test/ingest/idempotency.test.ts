import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { mapSdkBatch } from '../../src/ingest/sdk/map-sdk-batch.ts';
import { SdkSyncBody } from '../../src/ingest/sdk/sdk-payload.ts';
import { writeCanonicalBatch } from '../../src/ingest/write-batch.ts';
import { appleBatch, heartRateBatch } from '../fixtures/sdk-batches.ts';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

const tables = [
  'samples',
  'workouts',
  'workout_route_points',
  'sleep_stage_intervals',
  'sleep_sessions',
  'data_sources',
] as const;

async function counts(server: TestServer, userId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table)} t
      where ${table === 'workout_route_points' ? sql`t.workout_id in (select id from workouts where user_id = ${userId})` : sql`t.user_id = ${userId}`}`.execute(
      server.platform.database.db,
    );
    out[table] = rows[0]?.n ?? 0;
  }
  return out;
}

describeEachDatabase('ingest idempotency', (ctx) => {
  it('stores a re-sent batch once: row counts do not change', async () => {
    const server = ctx();
    const dev = await server.api.registerDeveloper();
    const user = await server.api.createUser(dev.key);
    const post = async () => {
      const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
        auth: { key: dev.key },
        json: appleBatch(),
      });
      expect(res.status).toBe(202);
      return waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
    };
    const first = await post();
    const after1 = await counts(server, user.id);
    expect(after1).toMatchObject({
      samples: 8,
      workouts: 1,
      workout_route_points: 2,
      sleep_stage_intervals: 6,
      sleep_sessions: 1,
    });
    const sessionId = (
      await server.platform.database.db
        .selectFrom('sleep_sessions')
        .select('id')
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow()
    ).id;

    const second = await post();
    expect(await counts(server, user.id)).toEqual(after1);
    expect(first.result.samples.inserted).toBe(8);
    expect(second.result.samples).toEqual({ received: 8, inserted: 0, duplicates: 8 });
    expect(second.result.workouts).toMatchObject({ inserted: 0, updated: 1 });
    // The rebuilt night keeps its id.
    const again = await server.platform.database.db
      .selectFrom('sleep_sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(again.map((s) => s.id)).toEqual([sessionId]);
  });

  it('lets concurrent overlapping batches neither duplicate nor deadlock', async () => {
    const server = ctx();
    const dev = await server.api.registerDeveloper();
    const user = await server.api.createUser(dev.key);
    const start = Date.UTC(2026, 3, 20);
    // Six batches of 3,000 records, each starting 1,500 s after the previous: 10,500 distinct records.
    const batches = Array.from({ length: 6 }, (_, i) => {
      const batch = heartRateBatch(3000, start + i * 1500 * 1000);
      // Reverse every other batch so rows arrive in opposite orders, the classic deadlock recipe.
      if (i % 2 === 1) batch.data.records.reverse();
      return batch;
    });
    const responses = await Promise.all(
      batches.map((json) =>
        server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, { auth: { key: dev.key }, json }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202, 202, 202]);
    const runs = await Promise.all(
      responses.map((r) => waitForRun(server.api, { key: dev.key }, user.id, r.body.run_id, 60_000)),
    );
    expect(runs.map((r) => r.status)).toEqual(Array(6).fill('success'));
    const inserted = runs.reduce((sum, r) => sum + r.result.samples.inserted, 0);
    expect(inserted).toBe(10_500);
    expect((await counts(server, user.id)).samples).toBe(10_500);
    expect((await counts(server, user.id)).data_sources).toBe(1);
  });
});

describeEachDatabase('ingest writer under direct concurrency', (ctx) => {
  it('writes eight overlapping batches at once (more than the executor would) without loss or deadlock', async () => {
    const server = ctx();
    const dev = await server.api.registerDeveloper();
    const user = await server.api.createUser(dev.key);
    const start = Date.UTC(2026, 3, 21);
    const mapped = Array.from({ length: 8 }, (_, i) => {
      const body = heartRateBatch(2000, start + i * 1000 * 1000);
      if (i % 2) body.data.records.reverse();
      return mapSdkBatch(SdkSyncBody.parse(body));
    });
    const results = await Promise.all(
      mapped.map((m) => writeCanonicalBatch(server.platform.database.db, user.id, m.batch)),
    );
    // 8 batches × 2,000 records, each starting 1,000 s after the previous: 7 × 1,000 + 2,000 = 9,000 distinct.
    expect(results.reduce((sum, r) => sum + r.samples.inserted, 0)).toBe(9000);
    expect((await counts(server, user.id)).samples).toBe(9000);
  });
});
