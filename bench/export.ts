/**
 * User export benchmark (issue 18): a user with BENCH_EXPORT_SAMPLES samples (default 2,000,000, over
 * four series types and two sources, with their hourly rollups) is exported through the real server
 * (`wearlink serve` on PostgreSQL, its job runner in-process): POST /export/async, poll until ready,
 * download the ZIP. The server's resident set is sampled every 50 ms during the export: its growth over
 * the idle server must stay under 100 MB (the export streams from the database into the ZIP).
 *
 * Baseline, measured in the same run: a bare `COPY (select … the same rows …) TO STDOUT` of the user's
 * samples, drained to /dev/null: the cost of reading the rows at all. The ZIP is then read back with
 * yauzl, and its sample files' lines counted (not the manifest's word for it).
 *
 *   npx tsx bench/export.ts                       # 2M samples
 *   BENCH_EXPORT_SAMPLES=200000 npx tsx bench/export.ts
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import yauzl from 'yauzl';
import {
  benchPgUrl,
  fmt,
  json,
  peakRssMiB,
  pgReachable,
  startServerProcess,
  withPostgresSchema,
} from './support.ts';

const SAMPLES = Number(process.env.BENCH_EXPORT_SAMPLES ?? 2_000_000);
const RSS_GROWTH_LIMIT_MB = 100;
/** heart_rate, steps, energy, oxygen_saturation ids come from the catalogue at run time. */
const TYPES = ['heart_rate', 'steps', 'energy', 'oxygen_saturation'];

function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function seed(client: pg.Client, userId: string): Promise<void> {
  const { SERIES_TYPES } = await import('../src/catalog/series-types.ts');
  const ids = TYPES.map((name) => SERIES_TYPES.find((t) => t.name === name)?.id as number);
  const sources = await client.query<{ id: number }>(
    `insert into data_sources (user_id, provider, device_name, app_name, fingerprint)
     values ($1, 'apple', 'Apple Watch', 'Health', 'bench-watch'), ($1, 'garmin', 'Forerunner', null, 'bench-garmin')
     returning id`,
    [userId],
  );
  const [a, b] = sources.rows.map((r) => r.id);
  // One sample per type and source every 15 s, back from now: distinct primary keys by construction.
  await client.query(
    `insert into samples (user_id, series_type, start_time, source_id, duration_ms, value, utc_offset_min)
     select $1, ($2::int2[])[1 + (i % 4)], now() - ((i / 8) * interval '15 seconds'),
            case when (i / 4) % 2 = 0 then $3 else $4 end::int,
            case when i % 4 in (1, 2) then 15000 else 0 end,
            round((50 + random() * 100)::numeric, 2)::float8, 60
     from generate_series(0, $5 - 1) as i`,
    [userId, ids, a, b, SAMPLES],
  );
  await client.query(
    `insert into sample_rollups (user_id, series_type, local_hour, source_id, n, sum, min, max)
     select user_id, series_type, date_trunc('hour', (start_time at time zone 'UTC') + interval '60 minutes'),
            source_id, count(*), sum(value), min(value), max(value)
     from samples where user_id = $1 group by 1, 2, 3, 4`,
    [userId],
  );
  await client.query('analyze samples; analyze sample_rollups');
}

/** Baseline: the same rows, with their source, as COPY text to a sink that drops them. */
async function copyBaseline(client: pg.Client, userId: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  let bytes = 0;
  const stream = client.query(
    copyTo(`copy (
      select s.series_type, s.start_time, s.duration_ms, s.value, d.provider, coalesce(d.device_name, d.app_name)
      from samples s join data_sources d on d.id = s.source_id
      where s.user_id = '${userId}' order by s.series_type, s.start_time, s.source_id, s.duration_ms
    ) to stdout`),
  );
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done();
      },
    }),
  );
  return { ms: performance.now() - started, bytes };
}

/** Lines in the ZIP's samples/*.ndjson entries, inflated and counted as they stream (yauzl). */
function countSampleLines(path: string): Promise<{ lines: number; manifest: any }> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      let lines = 0;
      let manifest: any;
      zip.on('error', reject);
      zip.on('end', () => resolve({ lines, manifest }));
      zip.on('entry', (entry: yauzl.Entry) => {
        const isSamples = entry.fileName.startsWith('samples/');
        const isManifest = entry.fileName === 'manifest.json';
        if (!isSamples && !isManifest) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const parts: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => {
            if (isManifest) parts.push(chunk);
            else for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
          });
          stream.on('error', reject);
          stream.on('end', () => {
            if (isManifest) manifest = JSON.parse(Buffer.concat(parts).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

async function main(): Promise<void> {
  if (!(await pgReachable())) {
    console.log(`export benchmark skipped: PostgreSQL not reachable at ${benchPgUrl}`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'wl-bench-export-'));
  try {
    await withPostgresSchema(
      'bench_export',
      {
        JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-0123456789',
        ENCRYPTION_KEY: 'bench-encryption-key-that-is-long-enough-012345',
        UPLOAD_DIR: join(work, 'uploads'),
        RATE_LIMIT_REGISTER_PER_MINUTE: '1000',
      },
      async (env) => {
        const server = await startServerProcess(env);
        const pid = server.child.pid as number;
        const client = new pg.Client({ connectionString: benchPgUrl });
        await client.connect();
        await client.query(`set search_path to "${env.DATABASE_SCHEMA}"`);
        try {
          const dev = await json(`${server.url}/api/v1/auth/register`, {
            method: 'POST',
            body: JSON.stringify({
              email: 'bench@example.com',
              password: 'correct horse battery staple',
              name: 'Bench',
            }),
          });
          const key = dev.api_key.key as string;
          const user = await json(`${server.url}/api/v1/users`, { method: 'POST', key, body: '{}' });
          const seedStart = performance.now();
          await seed(client, user.id);
          console.log(`seeded ${fmt(SAMPLES)} samples in ${fmt((performance.now() - seedStart) / 1000)} s`);

          const baseline = await copyBaseline(client, user.id);

          // Settle, then the idle server's resident set is the reference.
          await new Promise((r) => setTimeout(r, 1000));
          const rssBefore = rssMiB(pid);
          let rssPeak = rssBefore;
          const sampler = setInterval(() => {
            rssPeak = Math.max(rssPeak, rssMiB(pid));
          }, 50);
          const started = performance.now();
          const queued = await json(`${server.url}/api/v1/users/${user.id}/export/async`, {
            method: 'POST',
            key,
          });
          let status: any;
          for (;;) {
            status = await json(`${server.url}/api/v1/users/${user.id}/exports/${queued.export_id}`, { key });
            if (status.status === 'ready' || status.status === 'failed') break;
            await new Promise((r) => setTimeout(r, 100));
          }
          const exportMs = performance.now() - started;
          if (status.status !== 'ready') throw new Error(`export failed: ${JSON.stringify(status.error)}`);
          const zipPath = join(work, 'export.zip');
          const download = await fetch(status.download_url);
          if (!download.ok || download.body === null) throw new Error(`download: ${download.status}`);
          await pipeline(Readable.fromWeb(download.body as never), createWriteStream(zipPath));
          clearInterval(sampler);
          const totalMs = performance.now() - started;
          const hwm = peakRssMiB(pid);
          const { lines, manifest } = await countSampleLines(zipPath);
          const manifestSamples = manifest.files
            .filter((f: { name: string }) => f.name.startsWith('samples/'))
            .reduce((n: number, f: { count: number }) => n + f.count, 0);
          const growth = rssPeak - rssBefore;

          console.log(`\nExport of one user with ${fmt(SAMPLES)} samples (PostgreSQL, server process):`);
          console.log(
            `  baseline COPY of the same rows to /dev/null: ${fmt(baseline.ms)} ms (${fmt(baseline.bytes / 1048576)} MiB of text)`,
          );
          console.log(
            `  export job until ready: ${fmt(exportMs)} ms (${fmt(SAMPLES / (exportMs / 1000))} samples/s), ${fmt(exportMs / baseline.ms)}× the baseline`,
          );
          console.log(`  with the download: ${fmt(totalMs)} ms; ZIP ${fmt(status.size_bytes / 1048576)} MiB`);
          console.log(
            `  server RSS: ${fmt(rssBefore)} MiB idle → peak ${fmt(rssPeak)} MiB during the export: growth ${fmt(growth)} MiB (limit ${RSS_GROWTH_LIMIT_MB}); VmHWM ${hwm ?? '?'} MiB`,
          );
          console.log(`  ZIP sample lines counted: ${fmt(lines)} (manifest says ${fmt(manifestSamples)})`);
          const ok = lines === SAMPLES && manifestSamples === SAMPLES && growth < RSS_GROWTH_LIMIT_MB;
          console.log(ok ? '  OK' : '  FAILED');
          if (!ok) process.exitCode = 1;
        } finally {
          await client.end();
          await server.stop();
        }
      },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
