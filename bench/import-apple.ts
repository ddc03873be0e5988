import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openExportFile } from '../src/importers/apple-health/export-file.ts';
import { importAppleExport } from '../src/importers/apple-health/import-export.ts';
import { streamXml } from '../src/importers/apple-health/xml-stream.ts';
import { type GeneratedExport, generateExport, generateExportZip } from './apple-export.ts';
import {
  benchPgUrl,
  cpuSeconds,
  fmt,
  json,
  peakRssMiB,
  pgReachable,
  postgresCpuSeconds,
  registerBenchUser,
  startServerProcess,
  withPostgresSchema,
} from './support.ts';

const RECORDS = Number(process.env.BENCH_APPLE_RECORDS ?? 2_000_000);
const WORKOUTS = Number(process.env.BENCH_APPLE_WORKOUTS ?? Math.max(10, Math.round(RECORDS / 1000)));
const NIGHTS = 365;
/**
 * Which legs to run: `postgres`, `pglite` (the default: both) and `zip`, a large export.zip on
 * PostgreSQL (opt-in: generating and importing 4 GB of XML takes minutes).
 */
const LEGS = (process.env.BENCH_APPLE_LEGS ?? 'postgres,pglite').split(',');
/**
 * Records of the zip leg: the generator writes ~436 bytes of XML per record (872,415,806 bytes for 2M),
 * so 9.15M make ~4.0 GB (under 4 GiB, the most a zip entry holds without zip64).
 */
const ZIP_RECORDS = Number(process.env.BENCH_APPLE_ZIP_RECORDS ?? 9_150_000);
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// Baselines (in this process)

/** Parses an export.xml, or the export.xml inflated from a zip, as a stream (nothing mapped). */
async function bareParse(path: string): Promise<{ seconds: number; elements: number }> {
  const started = performance.now();
  let elements = 0;
  const file = await openExportFile(path);
  const input = await file.openXml();
  for await (const nodes of streamXml(input, { collect: (_n, depth) => depth === 1, allowFragments: true })) {
    elements += nodes.length;
  }
  file.close();
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
function putFile(url: string, path: string, bytes: number, type: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': type, 'content-length': String(bytes) },
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
  /** CPU seconds of the server process, from the upload's start to the import's end. */
  serverCpu: number;
  /** CPU seconds of its PostgreSQL backends over its whole life (undefined on PGlite). */
  postgresCpu: number | undefined;
}

async function endToEnd(
  env: Record<string, string>,
  path: string,
  gen: GeneratedExport,
  upload: { name: string; bytes: number; type: string } = {
    name: 'export.xml',
    bytes: gen.bytes,
    type: 'application/xml',
  },
): Promise<EndToEnd> {
  const server = await startServerProcess(env);
  const pid = server.child.pid as number;
  try {
    const { key, userId } = await registerBenchUser(server.url);
    const cpuBefore = cpuSeconds(pid);
    const started = performance.now();
    const grant = await json(`${server.url}/api/v1/users/${userId}/import/apple/xml/s3`, {
      method: 'POST',
      key,
      body: JSON.stringify({ filename: upload.name, file_size_bytes: upload.bytes }),
    });
    const queued = await putFile(grant.presigned_put_url, path, upload.bytes, upload.type);
    const uploaded = performance.now();
    let run: any;
    for (;;) {
      run = await json(`${server.url}/api/v1/users/${userId}/sync/runs/${queued.run_id}`, { key });
      if (run.stage === 'completed') break;
      if (run.stage === 'failed') throw new Error(`import failed: ${JSON.stringify(run.error)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const finished = performance.now();
    const serverCpu = cpuSeconds(pid) - cpuBefore;
    const postgresCpu = env.DATABASE_URL === undefined ? undefined : await postgresCpuSeconds(pid);
    const serverRss = peakRssMiB(pid);
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
      serverCpu,
      postgresCpu,
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------

const secrets = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};
const cpu = (e: EndToEnd) =>
  `CPU: server ${e.serverCpu.toFixed(1)} s${e.postgresCpu === undefined ? '' : `, PostgreSQL backends ${e.postgresCpu.toFixed(1)} s`}`;

/** The 2M-record export.xml: its baselines, then end to end on PostgreSQL and PGlite. */
async function xmlLegs(dir: string, results: string[]): Promise<void> {
  const exportPath = join(dir, 'export.xml');
  console.log(`Generating export.xml (${fmt(RECORDS)} records, ${fmt(WORKOUTS)} workouts)…`);
  const genStarted = performance.now();
  const gen = await generateExport(exportPath, { records: RECORDS, workouts: WORKOUTS, nights: NIGHTS });
  const mb = gen.bytes / MiB;
  console.log(
    `  ${fmt(mb)} MiB (${(gen.bytes / gen.records).toFixed(0)} bytes/record), ${fmt(gen.elements)} top-level elements (${fmt(gen.samples)} samples, ${fmt(gen.sleepIntervals)} sleep intervals) in ${((performance.now() - genStarted) / 1000).toFixed(1)} s\n`,
  );

  const parse = await bareParse(exportPath);
  if (parse.elements !== gen.elements) throw new Error(`parsed ${parse.elements}, wrote ${gen.elements}`);
  const mapSeconds = await parseAndMap(exportPath);
  const rate = (seconds: number) =>
    `${fmt(gen.elements / seconds)} records/s, ${(mb / seconds).toFixed(1)} MiB/s`;
  results.push(
    `import-apple: ${fmt(mb)} MiB export.xml, ${fmt(gen.elements)} records (targets: PostgreSQL ≤ 10 s and ≤ 300 MiB peak RSS, PGlite ≤ 90 s)`,
  );
  results.push(`  baseline    bare parse (streamXml) ${parse.seconds.toFixed(1)} s | ${rate(parse.seconds)}`);
  results.push(`              parse + map, no writes  ${mapSeconds.toFixed(1)} s | ${rate(mapSeconds)}`);
  const line = (name: string, e: EndToEnd) =>
    `  ${name}end-to-end ${e.seconds.toFixed(1)} s (upload ${e.uploadSeconds.toFixed(1)} s + import ${e.importSeconds.toFixed(1)} s) | ${rate(e.seconds)} | ${(e.seconds / parse.seconds).toFixed(2)}× the bare parse | server peak RSS ${e.serverRss} MiB | ${cpu(e)} | all ${fmt(gen.samples)} samples stored`;

  if (!LEGS.includes('postgres')) {
    results.push('  PostgreSQL  not run (BENCH_APPLE_LEGS)');
  } else if (await pgReachable()) {
    const env = { UPLOAD_DIR: join(dir, 'uploads'), ...secrets };
    const result = await withPostgresSchema('bench', env, (full) => endToEnd(full, exportPath, gen));
    results.push(line('PostgreSQL  ', result));
  } else {
    results.push(`  PostgreSQL  skipped: ${benchPgUrl} does not answer`);
  }
  if (LEGS.includes('pglite')) {
    results.push(
      line('PGlite      ', await endToEnd({ WEARLINK_DATA_DIR: join(dir, 'server') }, exportPath, gen)),
    );
  }
  rmSync(exportPath, { force: true });
}

/**
 * A large export.zip (4 GB of XML by default) on PostgreSQL, against the bench's own streamed inflate and
 * parse of the same zip: what matters here is that the server's memory stays bounded.
 */
async function zipLeg(dir: string, results: string[]): Promise<void> {
  if (!(await pgReachable())) {
    results.push(`zip leg skipped: ${benchPgUrl} does not answer`);
    return;
  }
  const zipPath = join(dir, 'export.zip');
  const workouts = Math.max(10, Math.round(ZIP_RECORDS / 1000));
  console.log(`Generating export.zip (${fmt(ZIP_RECORDS)} records, ${fmt(workouts)} workouts)…`);
  const genStarted = performance.now();
  const gen = await generateExportZip(zipPath, { records: ZIP_RECORDS, workouts, nights: NIGHTS });
  console.log(
    `  ${fmt(gen.zipBytes / MiB)} MiB zip of a ${(gen.bytes / 1e9).toFixed(2)} GB export.xml (${(gen.bytes / gen.records).toFixed(0)} bytes/record), ${fmt(gen.elements)} top-level elements in ${((performance.now() - genStarted) / 1000).toFixed(1)} s\n`,
  );
  const parse = await bareParse(zipPath);
  if (parse.elements !== gen.elements) throw new Error(`parsed ${parse.elements}, wrote ${gen.elements}`);
  const env = { UPLOAD_DIR: join(dir, 'uploads'), ...secrets };
  const e = await withPostgresSchema('bench', env, (full) =>
    endToEnd(full, zipPath, gen, { name: 'export.zip', bytes: gen.zipBytes, type: 'application/zip' }),
  );
  const rate = (seconds: number) =>
    `${fmt(gen.elements / seconds)} records/s, ${(gen.bytes / MiB / seconds).toFixed(1)} MiB/s of XML`;
  results.push(
    `import-apple zip: ${fmt(gen.zipBytes / MiB)} MiB export.zip, ${(gen.bytes / 1e9).toFixed(2)} GB export.xml, ${fmt(gen.elements)} records (target: server peak RSS ≤ 300 MiB)`,
    `  baseline    inflate + bare parse    ${parse.seconds.toFixed(1)} s | ${rate(parse.seconds)}`,
    `  PostgreSQL  end-to-end ${e.seconds.toFixed(1)} s (upload ${e.uploadSeconds.toFixed(1)} s + import ${e.importSeconds.toFixed(1)} s) | ${rate(e.seconds)} | ${(e.seconds / parse.seconds).toFixed(2)}× the baseline | server peak RSS ${e.serverRss} MiB | ${cpu(e)} | all ${fmt(gen.samples)} samples stored`,
  );
}

// ---------------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'wearlink-bench-apple-'));
const results: string[] = [];
try {
  if (LEGS.includes('postgres') || LEGS.includes('pglite')) await xmlLegs(dir, results);
  if (LEGS.includes('zip')) await zipLeg(dir, results);
  for (const result of results) console.log(result);
  console.log(`  bench client peak RSS ${peakRssMiB()} MiB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
