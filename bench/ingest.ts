/**
 * Ingest benchmark (issue: canonical model and ingestion).
 *
 * End to end: SDK batches of 10,000 heart-rate/steps records posted over HTTP to a running `wearlink
 * serve` process until 1,000,000 samples are stored (every run completed), on PostgreSQL and on PGlite.
 * Baseline, same run, same machine: a bare `insert … select unnest(…) on conflict do nothing` of the same
 * rows into a table of the same shape, with no HTTP, JSON, validation, mapping or archive; on PostgreSQL
 * also a bare binary COPY of them (how the server writes new samples there).
 *
 *   npm run bench:ingest                 # both backends (PostgreSQL when BENCH_DATABASE_URL or
 *                                        # TEST_DATABASE_URL is set, or the local default answers)
 *   BENCH_SAMPLES=200000 npm run bench:ingest
 *   BENCH_ONLY=postgres npm run bench:ingest   # or pglite: one backend
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BinaryCopyRows, fieldBytes, NULL_FIELD_BYTES, ROW_BYTES, uuidWords } from '../src/db/binary-copy.ts';
import {
  BATCH,
  benchPgUrl,
  cpuSeconds,
  fmt,
  json,
  peakRssMiB,
  pgReachable,
  postgresCpuSeconds,
  registerBenchUser,
  sdkBatchBody,
  startServerProcess,
  T0,
  withPostgresSchema,
} from './support.ts';

const TOTAL = Number(process.env.BENCH_SAMPLES ?? 1_000_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ONLY = process.env.BENCH_ONLY;

const baselineTable = `
  create table bench_samples (
    user_id uuid not null, series_type smallint not null, start_time timestamptz not null,
    source_id integer not null, duration_ms integer not null, value double precision not null, utc_offset_min smallint,
    primary key (user_id, series_type, start_time, source_id, duration_ms))`;
const baselineInsert = `
  insert into bench_samples select $1::uuid, t, to_timestamp(s), 1, d, v, null
  from unnest($2::int2[], $3::float8[], $4::int4[], $5::float8[]) as u(t, s, d, v) on conflict do nothing`;

function baselineParams(index: number, userId: string): unknown[] {
  const types: number[] = [];
  const starts: number[] = [];
  const durations: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < BATCH; i++) {
    types.push(i % 2 === 0 ? 1 : 34);
    starts.push((T0 + (index * BATCH + i) * 1000) / 1000);
    durations.push(i % 2 === 0 ? 0 : 1000);
    values.push(i % 2 === 0 ? 55 + (i % 60) : i % 9);
  }
  return [userId, types, starts, durations, values];
}

async function baseline(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<number> {
  await query('drop table if exists bench_samples');
  await query(baselineTable);
  const userId = crypto.randomUUID();
  const started = performance.now();
  for (let b = 0; b < TOTAL / BATCH; b++) await query(baselineInsert, baselineParams(b, userId));
  const seconds = (performance.now() - started) / 1000;
  await query('drop table bench_samples');
  return TOTAL / seconds;
}

/**
 * The same rows by bare binary COPY (PostgreSQL only), the way the server writes new samples: no key
 * check against stored rows beyond the primary key's, no rollups, no events.
 */
async function copyBaseline(client: pg.Client): Promise<number> {
  await client.query('drop table if exists bench_samples');
  await client.query(baselineTable);
  const userId = crypto.randomUUID();
  const user = uuidWords(userId);
  const rowBytes =
    ROW_BYTES + [16, 2, 8, 4, 4, 8].reduce((sum, b) => sum + fieldBytes(b), 0) + NULL_FIELD_BYTES;
  const started = performance.now();
  for (let b = 0; b < TOTAL / BATCH; b++) {
    const [, types, starts, durations, values] = baselineParams(b, userId) as number[][];
    const out = new BinaryCopyRows(BATCH * rowBytes);
    for (let i = 0; i < BATCH; i++) {
      out.row(7);
      out.uuid(user);
      out.int2(types?.[i] as number);
      out.timestamptzFromUnixSeconds(starts?.[i] as number);
      out.int4(1);
      out.int4(durations?.[i] as number);
      out.float8(values?.[i] as number);
      out.null();
    }
    await pipeline(
      Readable.from([out.finish()]),
      client.query(copyFrom('copy bench_samples from stdin (format binary)')),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await client.query('drop table bench_samples');
  return TOTAL / seconds;
}

async function endToEnd(env: Record<string, string>, bodies: string[]) {
  const server = await startServerProcess(env);
  const pid = server.child.pid as number;
  try {
    const { key, userId } = await registerBenchUser(server.url);
    const cpuBefore = cpuSeconds(pid);
    const pgCpuBefore = env.DATABASE_URL === undefined ? 0 : await postgresCpuSeconds(pid);
    const started = performance.now();
    const runIds: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++] as string;
          const res = await json(`${server.url}/api/v1/sdk/users/${userId}/sync`, {
            method: 'POST',
            key,
            body,
          });
          runIds.push(res.run_id);
        }
      }),
    );
    const accepted = performance.now();
    for (const runId of runIds) {
      for (;;) {
        const run = await json(`${server.url}/api/v1/users/${userId}/sync/runs/${runId}`, { key });
        if (run.stage === 'completed') break;
        if (run.stage === 'failed') throw new Error(`run failed: ${JSON.stringify(run.error)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = cpuSeconds(pid) - cpuBefore;
    // Backends that served the whole run (the pool keeps them while busy); see postgresCpuSeconds.
    const pgCpu = env.DATABASE_URL === undefined ? undefined : (await postgresCpuSeconds(pid)) - pgCpuBefore;
    const summary = await json(`${server.url}/api/v1/users/${userId}/summaries/data`, { key });
    if (summary.total_samples !== TOTAL)
      throw new Error(`stored ${summary.total_samples}, expected ${TOTAL}`);
    const serverRss = peakRssMiB(server.child.pid);
    return {
      rate: TOTAL / seconds,
      seconds,
      acceptSeconds: (accepted - started) / 1000,
      serverRss,
      cpu: `server CPU ${serverCpu.toFixed(1)} s${pgCpu === undefined ? '' : `, PostgreSQL backends ${pgCpu.toFixed(1)} s`}`,
    };
  } finally {
    await server.stop();
  }
}

const results: string[] = [];
console.log(`Generating ${TOTAL / BATCH} SDK batches of ${BATCH} records…`);
const bodies = Array.from({ length: TOTAL / BATCH }, (_, i) => sdkBatchBody(i));
console.log(
  `  ${fmt(bodies.reduce((s, b) => s + b.length, 0) / 1e6)} MB of JSON; concurrency ${CONCURRENCY}\n`,
);

const secrets = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`load average at start: ${load()}`);

if (ONLY === 'pglite') {
  results.push('PostgreSQL  skipped (BENCH_ONLY=pglite)');
} else if (await pgReachable()) {
  await withPostgresSchema('bench', secrets, async (env) => {
    const admin = new pg.Client({ connectionString: benchPgUrl });
    await admin.connect();
    try {
      await admin.query(`set search_path to "${env.DATABASE_SCHEMA}"`);
      const base = await baseline((sql, params) => admin.query(sql, params as unknown[]));
      const copy = await copyBaseline(admin);
      const e2e = await endToEnd(env, bodies);
      results.push(
        `PostgreSQL  baseline ${fmt(base)} rows/s | end-to-end ${fmt(e2e.rate)} samples/s (${e2e.seconds.toFixed(1)} s, all accepted after ${e2e.acceptSeconds.toFixed(1)} s) | ratio ${(e2e.rate / base).toFixed(2)} | server peak RSS ${e2e.serverRss} MiB | ${e2e.cpu}`,
        `            bare binary COPY of the same rows ${fmt(copy)} rows/s | end-to-end ratio to it ${(e2e.rate / copy).toFixed(2)}`,
      );
    } finally {
      await admin.end();
    }
  });
} else {
  results.push(`PostgreSQL  skipped: ${benchPgUrl} does not answer`);
}

if (ONLY === 'postgres') {
  results.push('PGlite      skipped (BENCH_ONLY=postgres)');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'wearlink-bench-'));
  try {
    const pglite = await PGlite.create({ dataDir: join(dir, 'baseline') });
    const base = await baseline((sql, params) => pglite.query(sql, params));
    await pglite.close();
    const e2e = await endToEnd({ WEARLINK_DATA_DIR: join(dir, 'server') }, bodies);
    results.push(
      `PGlite      baseline ${fmt(base)} rows/s | end-to-end ${fmt(e2e.rate)} samples/s (${e2e.seconds.toFixed(1)} s, all accepted after ${e2e.acceptSeconds.toFixed(1)} s) | ratio ${(e2e.rate / base).toFixed(2)} | server peak RSS ${e2e.serverRss} MiB | ${e2e.cpu}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `ingest: ${fmt(TOTAL)} samples in batches of ${fmt(BATCH)} (targets: PostgreSQL ≥ 100,000/s with server peak RSS ≤ 300 MB, PGlite ≥ 35,000/s)`,
);
console.log(`  load average at end: ${load()}`);
for (const line of results) console.log(`  ${line}`);
console.log(`  bench client peak RSS ${peakRssMiB()} MiB`);
