/**
 * Query benchmark (issue: read API).
 *
 * Data: 10 users, each with a year of 1-minute heart rate plus 1-minute steps from one watch (≈1.05M
 * samples per user, ≈10.5M in all), written with SQL and rolled up by the app's own rollup code. Then a
 * real `wearlink serve` process answers, for one of those users, over HTTP:
 *   - timeseries resolution=1hour over 30 days (heart_rate,steps; first page of 100)
 *   - timeseries resolution=1min over one day (heart_rate,steps; first page of 100)
 *   - a year of daily activity summaries
 *   - a raw page of 100 heart-rate samples
 * Baseline in the same run: GET /health over the same HTTP connection (the floor any request pays).
 *
 *   npm run bench:query             BENCH_QUERY_USERS=3 BENCH_QUERY_DAYS=90 npm run bench:query
 *
 * BENCH_QUERY_KEEP_SCHEMA=1 keeps the seeded PostgreSQL schema (its name is printed) for EXPLAIN; its
 * `<schema>_pgboss` queue schema is dropped either way. BENCH_QUERY_SCHEMA=<that name> measures it again
 * without seeding; BENCH_QUERY_LEGS=postgres (or pglite) runs one backend.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../src/db/database.ts';
import { createApiKey } from '../src/developers/api-keys.repo.ts';
import { createDeveloper } from '../src/developers/developers.repo.ts';
import { upsertDataSources } from '../src/health-data/data-sources.repo.ts';
import { rebuildRollups } from '../src/health-data/samples.repo.ts';
import { createUser } from '../src/users/users.repo.ts';
import { fmt, peakRssMiB, startServerProcess } from './support.ts';

const USERS = Number(process.env.BENCH_QUERY_USERS ?? 10);
const DAYS = Number(process.env.BENCH_QUERY_DAYS ?? 365);
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 100);
/**
 * Requests per query before any is timed. A fresh server process compiles its hot paths over its first
 * few hundred requests: `GET /health` with an API key measured 5.9 ms p50 over a new server's first 400
 * requests and 2.3 ms over the next 400 (same run; a bare node:http server 0.6–0.8 ms). With one warm-up
 * request, /health — timed first — read 6.6 ms and skewed every ratio to it. Steady state is what an
 * API in service answers with; BENCH_QUERY_WARMUP=1 shows the cold figures.
 */
const WARMUP = Number(process.env.BENCH_QUERY_WARMUP ?? 50);
/** A schema kept by an earlier BENCH_QUERY_KEEP_SCHEMA=1 run: measured again without seeding (PostgreSQL). */
const REUSE_SCHEMA = process.env.BENCH_QUERY_SCHEMA;
const KEEP_SCHEMA = process.env.BENCH_QUERY_KEEP_SCHEMA === '1' || REUSE_SCHEMA !== undefined;
const LEGS = (process.env.BENCH_QUERY_LEGS ?? 'postgres,pglite').split(',');
const pgUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const START = Date.UTC(2025, 0, 1);
const END = START + DAYS * 86_400_000;

async function seed(
  handle: DatabaseHandle,
): Promise<{ key: string; userId: string; seconds: number; samples: number }> {
  const db = handle.db;
  await migrateToLatest(handle);
  if (REUSE_SCHEMA !== undefined) return reuse(db);
  const dev = await createDeveloper(db, {
    email: `bench-${randomBytes(4).toString('hex')}@example.com`,
    name: 'Bench',
    passwordHash: 'x',
  });
  const { key } = await createApiKey(db, dev.id, 'bench');
  const started = performance.now();
  let target = '';
  for (let u = 0; u < USERS; u++) {
    const user = await createUser(db, dev.id, { first_name: `User ${u}` });
    if (u === Math.floor(USERS / 2)) target = user.id;
    const [source] = await upsertDataSources(db, user.id, [
      { provider: 'apple', deviceName: 'Apple Watch', deviceType: 'watch' },
    ]);
    for (const [type, duration, value] of [
      [1, 0, sql`round(62 + 18 * sin(extract(epoch from t) / 5400.0) + random() * 8)`],
      [34, 60_000, sql`floor(random() * 40)`],
    ] as const) {
      // A month per statement keeps each transaction (and PGlite's memory) modest.
      for (let m = START; m < END; m += 30 * 86_400_000) {
        const to = Math.min(END, m + 30 * 86_400_000);
        await sql`
          insert into samples (user_id, series_type, start_time, source_id, duration_ms, value, utc_offset_min)
          select ${user.id}::uuid, ${type}, t, ${source}, ${duration}, ${value}, 60
          from generate_series(${new Date(m)}::timestamptz, ${new Date(to - 60_000)}::timestamptz, interval '1 minute') t`.execute(
          db,
        );
      }
    }
    // insertSamples, the only writer of `samples` in the product, also records each series' (day, UTC
    // offset) in `sample_offset_days`, which a `1hour` read consults to prove the hourly rollups answer
    // exactly. Seeding with plain SQL must do the same, or that read sees "no samples in range" and
    // returns 0 items (the 1hour leg measured nothing before this).
    await sql`
      insert into sample_offset_days (user_id, series_type, source_id, day, utc_offset_min)
      select user_id, series_type, source_id, (start_time at time zone 'UTC')::date, coalesce(utc_offset_min, -32768)
      from samples where user_id = ${user.id}
      group by 1, 2, 3, 4, 5
      on conflict do nothing`.execute(db);
    await rebuildRollups(db, user.id, 'UTC');
    process.stdout.write(`  seeded user ${u + 1}/${USERS}\r`);
  }
  // Steady state: autovacuum has long since set the visibility map, so counts can use index-only scans.
  await sql`vacuum analyze`.execute(db);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from samples`.execute(db);
  return { key, userId: target, seconds: (performance.now() - started) / 1000, samples: rows[0]?.n ?? 0 };
}

/** The seeded data of a kept schema: a new key for its developer, the same middle user. */
async function reuse(db: DatabaseHandle['db']) {
  const users = await db.selectFrom('users').select(['id', 'developer_id']).orderBy('created_at').execute();
  const target = users[Math.floor(users.length / 2)];
  if (target === undefined) throw new Error(`BENCH_QUERY_SCHEMA=${REUSE_SCHEMA} holds no seeded users`);
  const { key } = await createApiKey(db, target.developer_id, 'bench');
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from samples`.execute(db);
  return { key, userId: target.id, seconds: 0, samples: rows[0]?.n ?? 0 };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Items in a response: the length of `data` (a list endpoint), else 1 (e.g. /health). */
const itemsOf = (body: { data?: unknown[] }) => (Array.isArray(body.data) ? body.data.length : 1);

async function measure(
  name: string,
  url: string,
  key: string,
  expected: number,
): Promise<{ name: string; p50: number; p95: number; points: number }> {
  const headers = { 'X-WearLink-API-Key': key };
  // Refuse to time a query that does not return what the seeded data holds (a fast empty answer measures
  // nothing).
  const first = await fetch(url, { headers });
  const firstBody = (await first.json()) as { data?: unknown[] };
  if (!first.ok) throw new Error(`${name}: ${first.status} ${JSON.stringify(firstBody).slice(0, 200)}`);
  if (itemsOf(firstBody) !== expected) {
    throw new Error(`${name}: ${itemsOf(firstBody)} items, expected ${expected} (${url})`);
  }
  const times: number[] = [];
  let points = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { data?: unknown[] };
    times.push(performance.now() - t0);
    if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    points = itemsOf(body);
    if (points !== expected) throw new Error(`${name}: ${points} items on run ${i}, expected ${expected}`);
  }
  times.sort((a, b) => a - b);
  return { name, p50: percentile(times, 50), p95: percentile(times, 95), points };
}

async function run(
  label: string,
  env: Record<string, string>,
  handle: () => Promise<DatabaseHandle>,
): Promise<string[]> {
  const db = await handle();
  console.log(`${label}: seeding ${USERS} users × ${DAYS} days of 1-minute heart rate and steps…`);
  const seeded = await seed(db);
  await db.close();
  console.log(`${label}: ${fmt(seeded.samples)} samples seeded in ${seeded.seconds.toFixed(0)} s`);
  const server = await startServerProcess(env);
  try {
    const base = `${server.url}/api/v1/users/${seeded.userId}`;
    const mid = START + Math.floor(DAYS / 2) * 86_400_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const lastDay = new Date(END - 86_400_000).toISOString().slice(0, 10);
    // [name, url, items expected from the seeded data]: every page of 100 is full (a day holds 1,440
    // minutes, 30 days 720 hours per type), the summaries have one day each.
    const queries = [
      ['baseline GET /health', `${server.url}/health`, 1],
      [
        '1hour over 30 days',
        `${base}/timeseries?types=heart_rate,steps&resolution=1hour&limit=100&start_time=${iso(mid)}&end_time=${iso(mid + 30 * 86_400_000)}`,
        100,
      ],
      [
        '1min over one day',
        `${base}/timeseries?types=heart_rate,steps&resolution=1min&limit=100&start_time=${iso(mid)}&end_time=${iso(mid + 86_400_000)}`,
        100,
      ],
      [
        `${DAYS} days of activity summaries`,
        `${base}/summaries/activity?start_date=${iso(START).slice(0, 10)}&end_date=${lastDay}`,
        DAYS,
      ],
      [
        'raw page of 100',
        `${base}/timeseries?types=heart_rate&limit=100&start_time=${iso(mid)}&end_time=${iso(mid + 30 * 86_400_000)}`,
        100,
      ],
    ] as const;
    const lines: string[] = [];
    // Warm the server (JIT, plan caches, the pages) on every query before any is timed, interleaved so
    // no query is timed on a server warmed only by the ones before it.
    for (let i = 0; i < WARMUP; i++) {
      for (const [, url] of queries) {
        const res = await fetch(url, { headers: { 'X-WearLink-API-Key': seeded.key } });
        await res.arrayBuffer();
      }
    }
    let baseline = 0;
    for (const [name, url, expected] of queries) {
      const m = await measure(name, url, seeded.key, expected);
      if (baseline === 0) baseline = m.p50;
      lines.push(
        `${label.padEnd(10)} ${name.padEnd(30)} p50 ${m.p50.toFixed(1).padStart(6)} ms  p95 ${m.p95.toFixed(1).padStart(6)} ms  ` +
          `(${(m.p50 / baseline).toFixed(1)}× baseline; ${m.points} items)`,
      );
    }
    lines.push(`${label.padEnd(10)} server peak RSS ${peakRssMiB(server.child.pid)} MiB`);
    return lines;
  } finally {
    await server.stop();
  }
}

const schema = REUSE_SCHEMA ?? `benchq_${randomBytes(4).toString('hex')}`;
// A kept schema is opened again by a later run: its key follows from its name (a bench-only secret).
const secrets = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: KEEP_SCHEMA
    ? createHash('sha256').update(`bench ${schema}`).digest('hex')
    : randomBytes(32).toString('hex'),
};
const results: string[] = [];

const pgUp = await new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 })
  .connect()
  .then(async function (this: void) {
    return true;
  })
  .catch(() => false);
if (!LEGS.includes('postgres')) {
  results.push('PostgreSQL not run (BENCH_QUERY_LEGS)');
} else if (pgUp) {
  try {
    results.push(
      ...(await run('PostgreSQL', { DATABASE_URL: pgUrl, DATABASE_SCHEMA: schema, ...secrets }, () =>
        openDatabase({ kind: 'postgres', url: pgUrl, schema, poolSize: 4 }),
      )),
    );
  } finally {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    // pg-boss keeps its queue in a schema of its own next to the app's.
    await admin.query(`drop schema if exists "${schema}_pgboss" cascade`);
    if (KEEP_SCHEMA) console.log(`PostgreSQL: kept schema ${schema} (BENCH_QUERY_KEEP_SCHEMA=1)`);
    else await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
} else {
  results.push(`PostgreSQL skipped: ${pgUrl} does not answer`);
}

if (LEGS.includes('pglite')) {
  const dir = mkdtempSync(join(tmpdir(), 'wearlink-benchq-'));
  try {
    results.push(
      ...(await run('PGlite', { WEARLINK_DATA_DIR: dir }, () =>
        openDatabase({ kind: 'pglite', dataDir: dir, schema: 'public' }),
      )),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else results.push('PGlite     not run (BENCH_QUERY_LEGS)');

console.log(
  `\nquery: ${USERS} users × ${DAYS} days; ${RUNS} sequential requests per query after ${WARMUP} warm-up rounds (target on PostgreSQL: p50 ≤ 15 ms each)`,
);
for (const line of results) console.log(`  ${line}`);
console.log(`  bench process peak RSS ${peakRssMiB()} MiB`);
process.exit(0);
