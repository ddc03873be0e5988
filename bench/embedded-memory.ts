/**
 * Embedded memory benchmark (issue 23): a `wearlink serve` on PGlite (no DATABASE_URL), its resident set
 * idle after start, then its peak (VmHWM) through a scaled-down SDK ingest, webhook and Apple import
 * workload, each checked to have stored everything it sent. Baselines, same run: a bare node process, and
 * a bare PGlite opening the data directory the server left behind, with its defaults and started as WearLink
 * starts it (the floor under the idle figure).
 *
 *   tsx bench/embedded-memory.ts
 *   BENCH_MEM_SAMPLES=200000 BENCH_MEM_WEBHOOKS=2000 BENCH_MEM_APPLE_RECORDS=200000 tsx bench/embedded-memory.ts
 *   BENCH_MEM_DATA_DIR=memory:// tsx bench/embedded-memory.ts     # the in-memory database instead of a directory
 *
 * The SDK batches are bench:ingest's (bench/support.ts); the webhook and upload requests have the shapes of
 * bench/webhooks.ts and bench/import-apple.ts.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGLITE_START_PARAMS } from '../src/db/database.ts';
import { generateExport } from './apple-export.ts';
import {
  BATCH,
  fmt,
  json,
  peakRssMiB,
  registerBenchUser,
  rssMiB,
  sdkBatchBody,
  startServerProcess,
} from './support.ts';

const SAMPLES = Number(process.env.BENCH_MEM_SAMPLES ?? 200_000);
const WEBHOOKS = Number(process.env.BENCH_MEM_WEBHOOKS ?? 2_000);
const APPLE_RECORDS = Number(process.env.BENCH_MEM_APPLE_RECORDS ?? 200_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The highest VmRSS seen while `fn` runs, sampled every 50 ms (VmHWM says the same for the whole life). */
async function watchRss<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T; maxRss: number }> {
  let maxRss = 0;
  const timer = setInterval(() => {
    maxRss = Math.max(maxRss, rssMiB(pid) ?? 0);
  }, 50);
  try {
    return { result: await fn(), maxRss };
  } finally {
    clearInterval(timer);
  }
}

async function waitForRun(url: string, key: string, userId: string, runId: string): Promise<any> {
  for (;;) {
    const run = await json(`${url}/api/v1/users/${userId}/sync/runs/${runId}`, { key });
    if (run.stage === 'completed') return run;
    if (run.stage === 'failed') throw new Error(`run failed: ${JSON.stringify(run.error)}`);
    await sleep(50);
  }
}

async function ingest(url: string): Promise<string> {
  const { key, userId } = await registerBenchUser(url);
  const batches = Math.ceil(SAMPLES / BATCH);
  const runIds: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < batches) {
        const body = sdkBatchBody(next++);
        const res = await json(`${url}/api/v1/sdk/users/${userId}/sync`, { method: 'POST', key, body });
        runIds.push(res.run_id);
      }
    }),
  );
  for (const runId of runIds) await waitForRun(url, key, userId, runId);
  const summary = await json(`${url}/api/v1/users/${userId}/summaries/data`, { key });
  if (summary.total_samples !== batches * BATCH)
    throw new Error(`ingest: stored ${summary.total_samples}, expected ${batches * BATCH}`);
  return `${fmt(batches * BATCH)} samples stored`;
}

async function webhooks(url: string): Promise<string> {
  const seen = new Set<string>();
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = req.headers['webhook-id'];
      if (typeof id === 'string') seen.add(id);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const { key } = await registerBenchUser(url);
    const { port } = receiver.address() as { port: number };
    const endpoint = await json(`${url}/api/v1/webhooks/endpoints`, {
      method: 'POST',
      key,
      body: JSON.stringify({ url: `http://127.0.0.1:${port}/hook` }),
    });
    const sent = new Set<string>();
    let asked = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (asked < WEBHOOKS) {
          asked++;
          const res = await json(`${url}/api/v1/webhooks/endpoints/${endpoint.id}/test`, {
            method: 'POST',
            key,
          });
          sent.add(res.message_id);
        }
      }),
    );
    if (sent.size !== WEBHOOKS)
      throw new Error(`webhooks: ${sent.size} distinct messages for ${WEBHOOKS} requests`);
    const deadline = Date.now() + 300_000;
    while ([...sent].some((id) => !seen.has(id)) && Date.now() < deadline) await sleep(50);
    const missing = [...sent].filter((id) => !seen.has(id)).length;
    if (missing > 0) throw new Error(`webhooks: ${missing} of ${sent.size} messages not delivered`);
    return `${fmt(sent.size)} messages delivered`;
  } finally {
    await new Promise<void>((r) => receiver.close(() => r()));
  }
}

async function appleImport(url: string, dir: string): Promise<string> {
  const path = join(dir, 'export.xml');
  const gen = await generateExport(path, {
    records: APPLE_RECORDS,
    workouts: Math.max(10, APPLE_RECORDS / 1000),
    nights: 60,
  });
  const { key, userId } = await registerBenchUser(url);
  const grant = await json(`${url}/api/v1/users/${userId}/import/apple/xml/s3`, {
    method: 'POST',
    key,
    body: JSON.stringify({ filename: 'export.xml', file_size_bytes: gen.bytes }),
  });
  const queued = await new Promise<any>((resolve, reject) => {
    const req = http.request(
      grant.presigned_put_url,
      { method: 'PUT', headers: { 'content-type': 'application/xml', 'content-length': String(gen.bytes) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 202) resolve(JSON.parse(text));
          else reject(new Error(`PUT ${res.statusCode}: ${text.slice(0, 300)}`));
        });
      },
    );
    req.on('error', reject);
    pipeline(createReadStream(path), req).catch(reject);
  });
  const run = await waitForRun(url, key, userId, queued.run_id);
  const { tally } = run.result;
  const summary = await json(`${url}/api/v1/users/${userId}/summaries/data`, { key });
  if (tally.rejected_count !== 0 || tally.workouts !== gen.workouts || summary.total_samples !== gen.samples)
    throw new Error(
      `import: tally ${JSON.stringify(tally)}, ${summary.total_samples} samples stored of ${gen.samples}`,
    );
  return `${fmt(gen.samples)} samples, ${fmt(gen.workouts)} workouts stored (${fmt(gen.bytes / 2 ** 20)} MiB export.xml)`;
}

/** Resident set of a child running `code` (CommonJS), read once it prints `ready`. */
async function childRss(code: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, ['-e', code, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`baseline child exited ${code}: ${out}`)));
  });
  await sleep(1000);
  const rss = rssMiB(child.pid) ?? Number.NaN;
  child.kill();
  return rss;
}

const dir = mkdtempSync(join(tmpdir(), 'wearlink-bench-mem-'));
const dataDir = process.env.BENCH_MEM_DATA_DIR ?? join(dir, 'data');
try {
  const server = await startServerProcess({
    WEARLINK_DATA_DIR: dataDir,
    UPLOAD_DIR: join(dir, 'uploads'),
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const pid = server.child.pid as number;
  const lines: string[] = [];
  try {
    const startPeak = peakRssMiB(pid);
    await sleep(3000);
    lines.push(`idle after start:   RSS ${rssMiB(pid)} MiB (peak while starting ${startPeak} MiB)`);
    for (const [name, fn] of [
      ['SDK ingest', () => ingest(server.url)],
      ['webhooks', () => webhooks(server.url)],
      ['Apple import', () => appleImport(server.url, dir)],
    ] as const) {
      const started = performance.now();
      const { result, maxRss } = await watchRss(pid, fn);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      lines.push(
        `${`${name}:`.padEnd(19)} max RSS ${maxRss} MiB, peak so far ${peakRssMiB(pid)} MiB | ${result} in ${seconds} s`,
      );
    }
    await sleep(5000);
    lines.push(`idle after load:    RSS ${rssMiB(pid)} MiB; server peak (VmHWM) ${peakRssMiB(pid)} MiB`);
  } finally {
    await server.stop();
  }
  const bareNode = await childRss("console.log('ready'); setInterval(() => {}, 1000);", []);
  // Bare PGlite on the data the server left, twice: with PGlite's defaults, and started exactly as
  // WearLink starts it (its start parameters, the pg_trgm extension): the floor under the server's idle.
  const require = createRequire(import.meta.url);
  const barePglite = (wearlinkStart: boolean) =>
    childRss(
      `const { PGlite } = require(process.argv[1]);
       const { pg_trgm } = require(process.argv[2]);
       const start = JSON.parse(process.argv[4]);
       PGlite.create({ dataDir: process.argv[3], ...(start ? { startParams: start, extensions: { pg_trgm } } : {}) })
         .then(async (pg) => { await pg.query('select count(*) from pg_class'); console.log('ready'); });`,
      [
        require.resolve('@electric-sql/pglite'),
        require.resolve('@electric-sql/pglite/contrib/pg_trgm'),
        join(dataDir, 'pgdata'),
        JSON.stringify(wearlinkStart ? PGLITE_START_PARAMS : null),
      ],
    );
  const bare =
    dataDir === 'memory://'
      ? undefined
      : { defaults: await barePglite(false), wearlink: await barePglite(true) };
  console.log(
    `embedded-memory: wearlink serve on PGlite (${dataDir === 'memory://' ? 'memory://' : 'a data directory'}), load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} (targets: idle ≤ 150 MiB, peak ≤ 400 MiB)`,
  );
  for (const line of lines) console.log(`  ${line}`);
  console.log(
    `  baseline: bare node ${bareNode} MiB RSS${bare === undefined ? '' : `; bare PGlite opening the same data: ${bare.defaults} MiB RSS with its defaults, ${bare.wearlink} MiB started as WearLink starts it`}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
