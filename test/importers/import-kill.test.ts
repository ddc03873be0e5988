import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { openPlatform } from '../../src/platform.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { ApiClient, databaseLegs, waitForRun } from '../support/harness.ts';
import { type WearlinkProcess, wearlink, wearlinkSync } from '../support/processes.ts';

/**
 * Issue 15 #13: an Apple import whose process is killed with kill -9 — the server mid-import of an
 * upload, or `wearlink import apple` — must not stay `saving` for good. After a restart the server's
 * import is resumed and ends with exactly the data of a clean import of the same export; the CLI's
 * interrupted run is failed with the reason when WearLink starts next, and importing again ends with
 * the clean import's data. Real processes, real kill -9, on both storage legs.
 */

const RECORDS = 30_000;

/** A synthetic export big enough for a few batches (10,000 items each), small enough for seconds. */
function bigExport(): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<HealthData locale="en_US">'];
  const start = Date.UTC(2024, 0, 1);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = (ms: number) => {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00 +0000`;
  };
  for (let i = 0; i < RECORDS; i++) {
    const at = date(start + i * 60_000);
    const steps = i % 3 === 0;
    lines.push(
      steps
        ? ` <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Phone" unit="count" creationDate="${at}" startDate="${at}" endDate="${at}" value="${(i % 97) + 1}"/>`
        : ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" creationDate="${at}" startDate="${at}" endDate="${at}" value="${55 + (i % 60)}"/>`,
    );
  }
  lines.push('</HealthData>', '');
  return lines.join('\n');
}

const work = mkdtempSync(join(tmpdir(), 'wl-import-kill-'));
const exportPath = join(work, 'export.xml');
writeFileSync(exportPath, bigExport());

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `kill -9 mid-import [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      const suffix = randomBytes(4).toString('hex');
      const schema = `imk_${suffix}`;
      const dataDir = join(work, `data-${suffix}`);
      const env: Record<string, string> = {
        JWT_SECRET: randomBytes(32).toString('hex'),
        ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        HOST: '127.0.0.1',
        PORT: '0',
        UPLOAD_DIR: join(work, `uploads-${suffix}`),
        // Short leases: a dead holder on another host is noticed within seconds (same host: at once).
        IMPORT_LEASE_SECONDS: '2',
        ...(leg === 'postgres'
          ? { DATABASE_URL: process.env.TEST_DATABASE_URL ?? '', DATABASE_SCHEMA: schema }
          : { WEARLINK_DATA_DIR: dataDir }),
      };
      const processes: WearlinkProcess[] = [];
      /**
       * PGlite's own WAL recovery sometimes aborts on a data directory whose process was killed -9
       * mid-write (upstream electric-sql/pglite#327, #884; seen here under CI load, not in quiet runs).
       * That is an embedded-mode durability limit of PGlite, not this import's recovery: reported as a
       * skip with the evidence, never as a pass. Anything else is thrown.
       */
      const skipIfPgliteLost = (ctx: { skip: (note?: string) => never }, output: string): never => {
        if (leg === 'pglite' && /Aborted\(\)/.test(output)) {
          ctx.skip(`PGlite could not reopen its data directory after kill -9: ${output.slice(0, 300)}`);
        }
        throw new Error(output);
      };
      /** Users made by the first test: one imported cleanly (by the server), one for the CLI test. */
      let users: { clean: string; cli: string } | undefined;
      const start = async () => {
        const server = wearlink(['serve', '--no-scheduler'], env);
        processes.push(server);
        const url = (await server.waitFor(/running at (http:\/\/\S+)/, 60_000))[1] as string;
        return { server, api: new ApiClient(url) };
      };

      afterAll(async () => {
        await Promise.all(processes.map((p) => p.stop('SIGKILL')));
        if (leg === 'postgres') {
          const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
          await client.connect();
          await client.query(`drop schema if exists ${schema} cascade`);
          await client.query(`drop schema if exists ${schema}_pgboss cascade`);
          await client.end();
        }
        rmSync(dataDir, { recursive: true, force: true });
      });

      /** Everything the import stored for a user, in a comparable form (read after the processes end). */
      async function storedData(userIds: string[]) {
        const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
        const platform = await openPlatform(config, createLogger('silent'), { migrations: 'require' });
        try {
          const db = platform.database.db;
          const out = [];
          for (const userId of userIds) {
            const samples = await db
              .selectFrom('samples')
              .select(['series_type', 'start_time', 'duration_ms', 'value'])
              .where('user_id', '=', userId)
              .orderBy('series_type')
              .orderBy('start_time')
              .execute();
            const runs = await db
              .selectFrom('sync_runs')
              .select(['id', 'stage', 'status', 'error', 'result'])
              .where('user_id', '=', userId)
              .orderBy('created_at')
              .execute();
            const leases = await db.selectFrom('import_leases').select('run_id').execute();
            out.push({ samples, runs, leases });
          }
          return out;
        } finally {
          await platform.close();
        }
      }

      it('the server killed mid-import resumes the upload after a restart and ends with the clean result', async (ctx) => {
        if (leg === 'postgres') {
          const migrated = wearlinkSync(['migrate'], env);
          expect(migrated.status, migrated.output).toBe(0);
        }
        let { server, api } = await start();
        const dev = await api.registerDeveloper();
        const auth = { key: dev.key };
        const clean = (await api.createUser(dev.key)).id;
        users = { clean, cli: (await api.createUser(dev.key)).id };
        const upload = async (userId: string) => {
          const form = new FormData();
          form.append('file', new Blob([readFileSync(exportPath)]), 'export.xml');
          const res = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/direct`, {
            auth,
            body: form,
          });
          expect(res.status).toBe(202);
          return res.body.run_id as string;
        };
        const cleanRun = await waitForRun(api, auth, clean, await upload(clean), 60_000);
        expect(cleanRun.stage).toBe('completed');

        // Killed once it has written part of the export. Progress is reported at most twice a second, so
        // on a fast or a loaded machine the kill can land after the last batch: then try a fresh user.
        let killed = '';
        let runId = '';
        for (let attempt = 1; ; attempt++) {
          killed = (await api.createUser(dev.key)).id;
          runId = await upload(killed);
          // A small export on a fast machine can pass through `saving` between two looks: a run seen
          // completed before its kill proves nothing either, so it counts as an attempt like one below.
          const seen = await until('the import to be saving (or done)', async () => {
            const run = await api.request('GET', `/api/v1/users/${killed}/sync/runs/${runId}`, { auth });
            if (run.body.stage === 'completed') return 'completed';
            return run.body.stage === 'saving' && run.body.items_processed > 0 ? 'saving' : undefined;
          });
          if (seen === 'completed') {
            if (attempt === 3) throw new Error('every import finished before its kill: enlarge the export');
            continue;
          }
          await server.stop('SIGKILL');
          ({ server, api } = await start().catch((error: Error) => skipIfPgliteLost(ctx, error.message)));
          const before = await api.request('GET', `/api/v1/users/${killed}/sync/runs/${runId}`, { auth });
          if (before.body.stage !== 'completed') break; // interrupted, not finished: what this test needs
          if (attempt === 3) throw new Error('every import finished before its kill: enlarge the export');
        }
        const resumed = await waitForRun(api, auth, killed, runId, 30_000);
        expect(resumed.stage).toBe('completed');
        expect(resumed.result.tally.elements).toEqual(cleanRun.result.tally.elements);
        await server.stop('SIGTERM');

        const [a, b] = await storedData([clean, killed]);
        expect(a?.samples.length).toBe(RECORDS);
        expect(b?.samples).toEqual(a?.samples);
        expect(b?.leases).toEqual([]);
      }, 120_000);

      it('a killed `wearlink import apple` is failed with the reason at the next start; importing again gives the clean result', async (ctx) => {
        // The users of the test above; its server has stopped (PGlite: one process at a time).
        if (users === undefined) throw new Error('runs after the server test');
        const { clean, cli: killed } = users;
        // Killed after its first progress line (written after the first batch). Under CI load the last
        // batch and the run's completion can land before the kill does: then the run is not interrupted
        // and this attempt proves nothing, so import again (duplicates only) and kill that one.
        let runId = '';
        for (let attempt = 1; ; attempt++) {
          const cli = wearlink(['import', 'apple', exportPath, '--user', killed], env);
          processes.push(cli);
          runId = (
            await cli
              .waitFor(/as run (\S+)/, 60_000)
              .catch((error: Error) => skipIfPgliteLost(ctx, error.message))
          )[1] as string;
          await cli.waitFor(/\[[#-]+\] \d/, 60_000);
          await cli.stop('SIGKILL');
          const [stored] = await storedData([killed]);
          if (stored?.runs.find((r) => r.id === runId)?.stage !== 'completed') break;
          if (attempt === 3) throw new Error('every CLI import finished before its kill: enlarge the export');
        }

        const again = wearlinkSync(['import', 'apple', exportPath, '--user', killed], env);
        if (again.status !== 0) skipIfPgliteLost(ctx, again.output);
        expect(again.status, again.output).toBe(0);
        expect(again.output).toContain(`run ${runId} was interrupted earlier; marked failed`);

        const [a, b] = await storedData([clean, killed]);
        expect(a?.samples.length).toBe(RECORDS);
        expect(b?.samples).toEqual(a?.samples);
        // Earlier attempts that finished before their kill are completed; the killed one is failed; the
        // import after it completed.
        const runs = b?.runs ?? [];
        expect(runs.map((r) => (r.id === runId ? 'killed' : r.stage))).toEqual([
          ...runs.slice(0, -2).map(() => 'completed'),
          'killed',
          'completed',
        ]);
        const killedRun = runs.find((r) => r.id === runId);
        expect(killedRun?.stage).toBe('failed');
        expect(killedRun?.error).toMatchObject({ code: 'INTERRUPTED' });
        expect(b?.leases).toEqual([]);
      }, 120_000);
    },
  );
}
