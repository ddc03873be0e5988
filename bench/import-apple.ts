import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { importAppleExport } from '../src/importers/apple-health/import-export.ts';
import { streamXml } from '../src/importers/apple-health/xml-stream.ts';
import { type GeneratedExport, generateExport } from './apple-export.ts';
import {
  benchPgUrl,
  fmt,
  json,
  peakRssMiB,
  pgReachable,
  registerBenchUser,
  startServerProcess,
  withPostgresSchema,
} from './support.ts';

const RECORDS = Number(process.env.BENCH_APPLE_RECORDS ?? 2_000_000);
const WORKOUTS = Number(process.env.BENCH_APPLE_WORKOUTS ?? Math.max(10, Math.round(RECORDS / 1000)));
const NIGHTS = 365;
/** Which end-to-end legs to run: `postgres`, `pglite` or both (default). */
const LEGS = (process.env.BENCH_APPLE_LEGS ?? 'postgres,pglite').split(',');
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// Baselines (in this process)

async function bareParse(path: string): Promise<{ seconds: number; elements: number }> {
  const started = performance.now();
  let elements = 0;
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  for await (const nodes of streamXml(input, { collect: (_n, depth) => depth === 1, allowFragments: true })) {
    elements += nodes.length;
  }
  return { seconds: (performance.now() - started) / 1000, elements };
}

async function parseAndMap(path: string): Promise<number> {
  const started = performance.now();
  await importAppleExport({ db: undefined as never, userId: 'bench', path, dryRun: true });
  return (performance.now() - started) / 1000;
}

// ---------------------------------------------------------------------------------------------------
// End to end (a real server process)

/** PUTs a file to a URL as one streamed request body; resolves with the parsed JSON answer. */
function putFile(url: string, path: string, bytes: number): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/xml', 'content-length': String(bytes) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 202) reject(new Error(`PUT ${res.statusCode}: ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    pipeline(createReadStream(path, { highWaterMark: MiB }), req).catch(reject);
  });
}

interface EndToEnd {
  uploadSeconds: number;
  importSeconds: number;
  seconds: number;
  serverRss: number | undefined;
}

async function endToEnd(env: Record<string, string>, path: string, gen: GeneratedExport): Promise<EndToEnd> {
  const server = await startServerProcess(env);
  try {
    const { key, userId } = await registerBenchUser(server.url);
    const started = performance.now();
    const grant = await json(`${server.url}/api/v1/users/${userId}/import/apple/xml/s3`, {
      method: 'POST',
      key,
      body: JSON.stringify({ filename: 'export.xml', file_size_bytes: gen.bytes }),
    });
    const queued = await putFile(grant.presigned_put_url, path, gen.bytes);
    const uploaded = performance.now();
    let run: any;
    for (;;) {
      run = await json(`${server.url}/api/v1/users/${userId}/sync/runs/${queued.run_id}`, { key });
      if (run.stage === 'completed') break;
      if (run.stage === 'failed') throw new Error(`import failed: ${JSON.stringify(run.error)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const finished = performance.now();
    const serverRss = peakRssMiB(server.child.pid);
    const { tally } = run.result;
    if (tally.rejected_count !== 0)
      throw new Error(`rejected: ${JSON.stringify(tally.rejected.slice(0, 3))}`);
    if (tally.workouts !== gen.workouts || tally.sleep_intervals !== gen.sleepIntervals) {
      throw new Error(`tally ${JSON.stringify(tally)} does not match what was generated`);
    }
    const summary = await json(`${server.url}/api/v1/users/${userId}/summaries/data`, { key });
    if (summary.total_samples !== gen.samples) {
      throw new Error(`stored ${summary.total_samples} samples, expected ${gen.samples}`);
    }
    return {
      uploadSeconds: (uploaded - started) / 1000,
      importSeconds: (finished - uploaded) / 1000,
      seconds: (finished - started) / 1000,
      serverRss,
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'wearlink-bench-apple-'));
const exportPath = join(dir, 'export.xml');
const results: string[] = [];
try {
  console.log(`Generating export.xml (${fmt(RECORDS)} records, ${fmt(WORKOUTS)} workouts)…`);
  const genStarted = performance.now();
  const gen = await generateExport(exportPath, { records: RECORDS, workouts: WORKOUTS, nights: NIGHTS });
  const mb = gen.bytes / MiB;
  console.log(
    `  ${fmt(mb)} MiB, ${fmt(gen.elements)} top-level elements (${fmt(gen.samples)} samples, ${fmt(gen.sleepIntervals)} sleep intervals) in ${((performance.now() - genStarted) / 1000).toFixed(1)} s\n`,
  );

  const parse = await bareParse(exportPath);
  if (parse.elements !== gen.elements) throw new Error(`parsed ${parse.elements}, wrote ${gen.elements}`);
  const mapSeconds = await parseAndMap(exportPath);
  const rate = (seconds: number) =>
    `${fmt(gen.elements / seconds)} records/s, ${(mb / seconds).toFixed(1)} MiB/s`;
  results.push(`baseline    bare parse (streamXml) ${parse.seconds.toFixed(1)} s | ${rate(parse.seconds)}`);
  results.push(`            parse + map, no writes  ${mapSeconds.toFixed(1)} s | ${rate(mapSeconds)}`);
  const line = (name: string, e: EndToEnd) =>
    `${name}end-to-end ${e.seconds.toFixed(1)} s (upload ${e.uploadSeconds.toFixed(1)} s + import ${e.importSeconds.toFixed(1)} s) | ${rate(e.seconds)} | ${(e.seconds / parse.seconds).toFixed(2)}× the bare parse | server peak RSS ${e.serverRss} MiB`;

  const secrets = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  if (!LEGS.includes('postgres')) {
    results.push('PostgreSQL  not run (BENCH_APPLE_LEGS)');
  } else if (await pgReachable()) {
    const env = { UPLOAD_DIR: join(dir, 'uploads'), ...secrets };
    const result = await withPostgresSchema('bench', env, (full) => endToEnd(full, exportPath, gen));
    results.push(line('PostgreSQL  ', result));
  } else {
    results.push(`PostgreSQL  skipped: ${benchPgUrl} does not answer`);
  }

  if (LEGS.includes('pglite')) {
    results.push(
      line('PGlite      ', await endToEnd({ WEARLINK_DATA_DIR: join(dir, 'server') }, exportPath, gen)),
    );
  }

  console.log(
    `import-apple: ${fmt(mb)} MiB export.xml, ${fmt(gen.elements)} records (targets: PostgreSQL ≤ 20 s and ≤ 300 MiB peak RSS, PGlite ≤ 90 s)`,
  );
  for (const result of results) console.log(`  ${result}`);
  console.log(`  bench client peak RSS ${peakRssMiB()} MiB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
