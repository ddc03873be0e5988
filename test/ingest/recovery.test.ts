import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveRawPayload } from '../../src/health-data/raw-payloads.repo.ts';
import { mapSdkBatch } from '../../src/ingest/sdk/map-sdk-batch.ts';
import { SdkSyncBody } from '../../src/ingest/sdk/sdk-payload.ts';
import { writeCanonicalBatch } from '../../src/ingest/write-batch.ts';
import { INGEST_QUEUE } from '../../src/sync/job-queue.ts';
import { createRun, newRunId, transitionRun } from '../../src/sync/sync-runs.repo.ts';
import { reapOrphanedRuns } from '../../src/sync/workers.ts';
import { appleBatch } from '../fixtures/sdk-batches.ts';
import { databaseLegs, waitForRun } from '../support/harness.ts';
import { type Node, sharedDatabase, startNode } from '../support/nodes.ts';

/**
 * SDK batches are jobs on the `ingest` queue. A node that dies mid-batch leaves its job `active`: the
 * embedded database (one process) retries it as soon as it opens again; PostgreSQL (many nodes) once
 * the job's expiry has passed, on whichever node. Either way the run ends exactly like a clean one.
 */
for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `ingest recovery after a crash [${leg}]${skip ? ` (${skip})` : ''}`,
    () => {
      const database = skip === undefined ? sharedDatabase(leg) : undefined;
      const nodes: Node[] = [];
      afterAll(async () => {
        for (const node of nodes) await node.close();
        await database?.drop();
      });

      it('replays batches whose node died while running them (one queued, one half-written), ending like a clean run', async () => {
        if (database === undefined) return;
        // Accepts batches but runs no jobs: its "worker" is about to die.
        const expiry = { INGEST_JOB_EXPIRE_SECONDS: '2', SYNC_MAINTENANCE_SECONDS: '1' };
        const first = await startNode(database, { worker: false, env: expiry });
        nodes.push(first);
        const dev = await first.api.registerDeveloper();
        const user = await first.api.createUser(dev.key);
        const auth = { key: dev.key };
        const post = async () => {
          const res = await first.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
            auth,
            json: appleBatch(),
          });
          expect(res.status).toBe(202);
          return res.body.run_id as string;
        };
        const queued = await post();
        const half = await post();
        const db = first.platform.database.db;
        // The dead worker had fetched both jobs, and got as far as writing part of the second batch.
        await sql`update ${sql.table(`${database.bossSchema}.job`)} set state = 'active', started_on = now()
                where name = ${INGEST_QUEUE}`.execute(db);
        await transitionRun(db, half, 'started');
        await transitionRun(db, half, 'processing');
        await transitionRun(db, half, 'saving');
        const partial = mapSdkBatch(SdkSyncBody.parse(appleBatch())).batch;
        const c = partial.samples;
        partial.samples = {
          length: 3,
          source: c.source.subarray(0, 3),
          seriesTypeId: c.seriesTypeId.subarray(0, 3),
          startMs: c.startMs.subarray(0, 3),
          durationMs: c.durationMs.subarray(0, 3),
          value: c.value.subarray(0, 3),
          utcOffsetMin: c.utcOffsetMin.subarray(0, 3),
        };
        partial.workouts = [];
        await writeCanonicalBatch(db, user.id, partial);
        await first.close();

        // The restart: on PostgreSQL the jobs are retried once expired (2 s here), on PGlite at once.
        const second = await startNode(database, { env: expiry });
        nodes.push(second);
        const runs = await Promise.all(
          [queued, half].map((id) => waitForRun(second.api, auth, user.id, id, 60_000)),
        );
        expect(runs.map((r) => [r.stage, r.status])).toEqual([
          ['completed', 'partial'],
          ['completed', 'partial'],
        ]);
        const db2 = second.platform.database.db;
        const count = async (table: 'samples' | 'workouts' | 'sleep_sessions') =>
          Number(
            (
              await db2
                .selectFrom(table)
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('user_id', '=', user.id)
                .executeTakeFirstOrThrow()
            ).n,
          );
        expect([await count('samples'), await count('workouts'), await count('sleep_sessions')]).toEqual([
          8, 1, 1,
        ]);
        // Each ran once more, on the retried job; nothing is left for the reaper.
        const attempts = await db2
          .selectFrom('sync_runs')
          .select(['id', 'attempts'])
          .where('id', 'in', [queued, half])
          .orderBy('id')
          .execute();
        expect(attempts.every((r) => r.attempts === 1)).toBe(true);
        expect(await reapOrphanedRuns(second.platform)).toEqual({ requeued: [], failed: [] });
      });

      it('queues again an SDK run left without a job (as earlier versions could leave one)', async () => {
        if (database === undefined) return;
        const node = nodes.at(-1) as Node;
        const db = node.platform.database.db;
        const dev = await node.api.registerDeveloper();
        const user = await node.api.createUser(dev.key);
        const payload = SdkSyncBody.parse(appleBatch());
        const rawPayloadId = await archiveRawPayload(db, {
          userId: user.id,
          provider: 'apple',
          kind: 'sdk_sync',
          contentType: 'application/json',
          body: JSON.stringify(payload),
        });
        const runId = newRunId('sdk', 'apple');
        await createRun(db, {
          id: runId,
          developerId: dev.id,
          userId: user.id,
          provider: 'apple',
          source: 'sdk',
          rawPayloadId,
        });
        const reaped = await reapOrphanedRuns(node.platform);
        expect(reaped.requeued).toContain(runId);
        const run = await waitForRun(node.api, { key: dev.key }, user.id, runId);
        expect([run.stage, run.status]).toEqual(['completed', 'partial']);
        expect((await reapOrphanedRuns(node.platform)).requeued).not.toContain(runId);
      });
    },
  );
}
