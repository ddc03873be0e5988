import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_QUEUE } from '../../src/sync/job-queue.ts';
import { reapOrphanedRuns } from '../../src/sync/workers.ts';
import { appleBatch } from '../fixtures/sdk-batches.ts';
import { waitForRun } from '../support/harness.ts';
import { type Node, type SharedDatabase, sharedDatabase, startNode } from '../support/nodes.ts';

const databaseUrl = process.env.TEST_DATABASE_URL;

/**
 * Two API nodes on one PostgreSQL schema (PGlite is one process: no second node to restart). Node A is
 * in the middle of an SDK batch; node B starts, and restarts. Before, every start re-ran every
 * unfinished SDK run, A's included; now B's start only starts workers, and A's running job is A's
 * until it ends or expires.
 */
describe.skipIf(!databaseUrl)(
  `two API nodes [postgres]${databaseUrl ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`,
  () => {
    const database: SharedDatabase | undefined = databaseUrl ? sharedDatabase('postgres') : undefined;
    const nodes: Node[] = [];
    const locker = new pg.Client({ connectionString: databaseUrl });
    afterAll(async () => {
      await locker.end().catch(() => undefined);
      for (const node of nodes) await node.close();
      await database?.drop();
    });

    it("one node's restart does not touch the SDK run the other node is running", async () => {
      if (database === undefined) return;
      const a = await startNode(database);
      nodes.push(a);
      const dev = await a.api.registerDeveloper();
      const user = await a.api.createUser(dev.key);
      const auth = { key: dev.key };
      const db = a.platform.database.db;

      // Hold A's write of the batch's samples, so its run stays running for as long as the test needs.
      await locker.connect();
      await locker.query('begin');
      await locker.query(`lock table "${database.schema}".samples in share mode`);
      const accepted = await a.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
        auth,
        json: appleBatch(),
      });
      expect(accepted.status).toBe(202);
      const runId: string = accepted.body.run_id;
      const stageOf = async () =>
        db
          .selectFrom('sync_runs')
          .select(['stage', 'message', 'attempts', 'queue_job_id', 'started_at', 'updated_at'])
          .where('id', '=', runId)
          .executeTakeFirstOrThrow();
      for (const deadline = Date.now() + 15_000; (await stageOf()).stage !== 'saving'; ) {
        if (Date.now() > deadline) throw new Error('A never started the batch');
        await new Promise((r) => setTimeout(r, 25));
      }
      const before = await stageOf();

      // B starts (API, workers, the reaper's first pass), stops, and starts again.
      let b = await startNode(database);
      await b.close();
      b = await startNode(database);
      nodes.push(b);
      expect(await reapOrphanedRuns(b.platform)).toEqual({ requeued: [], failed: [] });

      // A's run is as A left it (no stage, message or update since), its job still A's, never retried.
      expect(await stageOf()).toEqual(before);
      expect(before.attempts).toBe(1);
      const job = await b.platform.queue.job(INGEST_QUEUE, before.queue_job_id as string);
      expect([job?.state, job?.retryCount]).toEqual(['active', 0]);

      // Let A finish: the run ends once, from its only attempt, with the batch's data.
      await locker.query('rollback');
      const run = await waitForRun(b.api, auth, user.id, runId);
      expect([run.stage, run.status]).toEqual(['completed', 'partial']);
      expect((await stageOf()).attempts).toBe(1);
      const samples = await db
        .selectFrom('samples')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(Number(samples.n)).toBe(8);
    });
  },
);
