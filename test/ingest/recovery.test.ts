import { expect, it } from 'vitest';
import { IngestExecutor } from '../../src/ingest/executor.ts';
import { IngestService } from '../../src/ingest/ingest-service.ts';
import { mapSdkBatch } from '../../src/ingest/sdk/map-sdk-batch.ts';
import { SdkSyncBody } from '../../src/ingest/sdk/sdk-payload.ts';
import { writeCanonicalBatch } from '../../src/ingest/write-batch.ts';
import { transitionRun } from '../../src/sync/sync-runs.repo.ts';
import { appleBatch } from '../fixtures/sdk-batches.ts';
import { describeEachDatabase, waitForRun } from '../support/harness.ts';

describeEachDatabase('ingest recovery after a crash', (ctx) => {
  it('replays runs a dead process left queued or half-written, ending exactly like a clean run', async () => {
    const server = ctx();
    const db = server.platform.database.db;
    const dev = await server.api.registerDeveloper();
    const user = await server.api.createUser(dev.key);

    // A "process" that accepts batches and dies before its executor runs them.
    const deadExecutor = new IngestExecutor(server.platform.logger);
    await deadExecutor.close(0);
    const dying = new IngestService(db, deadExecutor, server.platform.deps.runs, server.platform.logger);
    const payload = SdkSyncBody.parse(appleBatch());
    const queued = await dying.accept({
      kind: 'sdk_sync',
      developerId: dev.id,
      userId: user.id,
      provider: 'apple',
      payload,
      mapped: mapSdkBatch(payload),
    });
    // A second run that got as far as writing part of its data.
    const half = await dying.accept({
      kind: 'sdk_sync',
      developerId: dev.id,
      userId: user.id,
      provider: 'apple',
      payload,
      mapped: mapSdkBatch(payload),
    });
    await transitionRun(db, half.runId, 'started');
    await transitionRun(db, half.runId, 'processing');
    await transitionRun(db, half.runId, 'saving');
    const partial = mapSdkBatch(payload).batch;
    partial.samples = partial.samples.slice(0, 3);
    partial.workouts = [];
    await writeCanonicalBatch(db, user.id, partial);

    const before = await server.api.request('GET', `/api/v1/users/${user.id}/sync/runs/${queued.runId}`, {
      auth: { key: dev.key },
    });
    expect(before.body.stage).toBe('queued');

    // The next start recovers both.
    expect(await server.platform.deps.ingest.recover()).toBe(2);
    const runs = await Promise.all(
      [queued.runId, half.runId].map((id) => waitForRun(server.api, { key: dev.key }, user.id, id)),
    );
    expect(runs.map((r) => [r.stage, r.status])).toEqual([
      ['completed', 'partial'],
      ['completed', 'partial'],
    ]);

    const count = async (table: 'samples' | 'workouts' | 'sleep_sessions') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('user_id', '=', user.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect([await count('samples'), await count('workouts'), await count('sleep_sessions')]).toEqual([
      8, 1, 1,
    ]);
    expect(await server.platform.deps.ingest.recover()).toBe(0);
  });
});
