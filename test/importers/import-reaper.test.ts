import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createRun, newRunId, transitionRun } from '../../src/sync/sync-runs.repo.ts';
import { describeEachDatabase, type TestServer } from '../support/harness.ts';

/**
 * Issue 15 #13, the import reaper's rules one by one (the kill -9 tests in import-kill.test.ts show
 * them end to end): which unfinished import runs it leaves alone and which it ends, and why.
 */

async function importRun(
  server: TestServer,
  options: { jobId?: string; lease?: { host: string; pid: number; expiresInMs: number }; ageMs?: number },
) {
  const db = server.platform.database.db;
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const id = newRunId('xml_import', 'apple');
  await createRun(db, {
    id,
    developerId: dev.id,
    userId: user.id,
    provider: 'apple',
    source: 'xml_import',
    ...(options.jobId === undefined ? {} : { queueJobId: options.jobId }),
  });
  await transitionRun(db, id, 'started');
  await transitionRun(db, id, 'processing');
  await transitionRun(db, id, 'saving');
  if (options.ageMs !== undefined) {
    await db
      .updateTable('sync_runs')
      .set({ updated_at: new Date(Date.now() - options.ageMs) })
      .where('id', '=', id)
      .execute();
  }
  if (options.lease !== undefined) {
    await db
      .insertInto('import_leases')
      .values({
        run_id: id,
        owner: `${options.lease.host}:${options.lease.pid}:test`,
        host: options.lease.host,
        pid: options.lease.pid,
        expires_at: new Date(Date.now() + options.lease.expiresInMs),
      })
      .execute();
  }
  return id;
}

/** A pid that is not running on this host (the kernel's pid_max is below 2^22). */
const DEAD_PID = 4_194_303;

describeEachDatabase(
  'import reaper',
  (ctx) => {
    const stage = async (id: string) =>
      ctx()
        .platform.database.db.selectFrom('sync_runs')
        .select(['stage', 'error', 'message'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();

    it('leaves a run alone while its live holder renews its lease; a lapsed lease counts as dead', async () => {
      const there = await importRun(ctx(), {
        lease: { host: 'other-host', pid: DEAD_PID, expiresInMs: 60_000 },
      });
      // pid 1 is alive on every host (answering EPERM, as another user's process does).
      const alive = await importRun(ctx(), { lease: { host: hostname(), pid: 1, expiresInMs: 60_000 } });
      const lapsed = await importRun(ctx(), { lease: { host: hostname(), pid: 1, expiresInMs: -1 } });
      // This process's pid but no service of this process: an earlier process that had the same pid.
      const samePid = await importRun(ctx(), {
        lease: { host: hostname(), pid: process.pid, expiresInMs: 60_000 },
      });
      const { failed, retried } = await ctx().platform.deps.appleImports.reapInterruptedImports();
      for (const id of [there, alive]) {
        expect([...failed, ...retried]).not.toContain(id);
        expect((await stage(id)).stage).toBe('saving');
      }
      expect(failed).toEqual(expect.arrayContaining([lapsed, samePid]));
    });

    it('fails a job-less (CLI) run whose process is gone, at once on this host, after its lease elsewhere', async () => {
      const gone = await importRun(ctx(), {
        lease: { host: hostname(), pid: DEAD_PID, expiresInMs: 60_000 },
      });
      const lapsed = await importRun(ctx(), { lease: { host: 'other-host', pid: 1, expiresInMs: -1 } });
      const { failed } = await ctx().platform.deps.appleImports.reapInterruptedImports();
      expect(failed).toEqual(expect.arrayContaining([gone, lapsed]));
      for (const id of [gone, lapsed]) {
        const run = await stage(id);
        expect(run.stage).toBe('failed');
        expect(run.error).toMatchObject({ code: 'INTERRUPTED' });
        expect(run.message).toMatch(/Import the file again/);
      }
      const leases = await ctx()
        .platform.database.db.selectFrom('import_leases')
        .select('run_id')
        .where('run_id', 'in', [gone, lapsed])
        .execute();
      expect(leases).toEqual([]);
    });

    it('fails a run whose queue job is gone once it is older than a lease, not before', async () => {
      const fresh = await importRun(ctx(), { jobId: randomUUID() });
      const old = await importRun(ctx(), { jobId: randomUUID(), ageMs: 10 * 60_000 });
      const { failed } = await ctx().platform.deps.appleImports.reapInterruptedImports();
      expect(failed).toContain(old);
      expect(failed).not.toContain(fresh);
      expect((await stage(old)).error).toMatchObject({ code: 'INTERRUPTED' });
      expect((await stage(old)).message).toMatch(/queue job is gone/);
      expect((await stage(fresh)).stage).toBe('saving');
    });
  },
  { worker: false },
);

/** An export of `records` heart-rate samples, a few batches' worth. */
function heartRateExport(records: number): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<HealthData locale="en_US">'];
  for (let i = 0; i < records; i++) {
    const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace('T', ' ').slice(0, 19);
    lines.push(
      ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" creationDate="${at} +0000" startDate="${at} +0000" endDate="${at} +0000" value="${60 + (i % 50)}"/>`,
    );
  }
  lines.push('</HealthData>', '');
  return lines.join('\n');
}

describeEachDatabase(
  'import lease taken over',
  (ctx) => {
    it('an import whose lease another worker took stops without ending the run', async () => {
      const server = ctx();
      const db = server.platform.database.db;
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const path = join(mkdtempSync(join(tmpdir(), 'wl-lease-')), 'export.xml');
      writeFileSync(path, heartRateExport(150_000));
      const runId = newRunId('xml_import', 'apple');
      await createRun(db, {
        id: runId,
        developerId: dev.id,
        userId: user.id,
        provider: 'apple',
        source: 'xml_import',
      });
      const running = server.platform.deps.appleImports.runJob(
        { runId, userId: user.id, path, keepFile: true },
        { count: 0, limit: 0, jobId: '' },
      );
      const deadline = Date.now() + 30_000;
      for (;;) {
        const run = await db
          .selectFrom('sync_runs')
          .select('stage')
          .where('id', '=', runId)
          .executeTakeFirstOrThrow();
        if (run.stage === 'saving') break;
        if (Date.now() > deadline) throw new Error(`run still ${run.stage}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      // Another worker takes the run over (as after a reaper judged this one dead).
      await db
        .updateTable('import_leases')
        .set({ owner: 'elsewhere:1:x' })
        .where('run_id', '=', runId)
        .execute();
      await running;
      const run = await db
        .selectFrom('sync_runs')
        .select(['stage', 'ended_at'])
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      expect(run.stage).toBe('saving');
      expect(run.ended_at).toBeNull();
      // The new holder's lease is left as it is.
      const lease = await db
        .selectFrom('import_leases')
        .select('owner')
        .where('run_id', '=', runId)
        .executeTakeFirst();
      expect(lease?.owner).toBe('elsewhere:1:x');
    });
  },
  { worker: false, env: { IMPORT_LEASE_SECONDS: '1' } },
);
