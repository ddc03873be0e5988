import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importAppleExport } from '../../src/importers/apple-health/import-export.ts';
import { describeEachDatabase, waitForRun } from '../support/harness.ts';
import { IOS8_EXPORT, SYNTHETIC_EXPORT, SYNTHETIC_GPX } from './synthetic-export.ts';
import { makeZip } from './zip-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'wl-apple-'));
const file = (name: string, data: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};
const syntheticZip = () =>
  makeZip([
    { name: 'apple_health_export/export.xml', data: SYNTHETIC_EXPORT },
    { name: 'apple_health_export/export_cda.xml', data: '<ClinicalDocument/>' },
    { name: 'apple_health_export/workout-routes/route_2024-03-01_5.00pm.gpx', data: SYNTHETIC_GPX },
  ]);

/** A zip of the synthetic export whose headers declare `delta` bytes more export.xml than it inflates to. */
const misdeclaredZip = (delta: number) => {
  const zip = makeZip([{ name: 'apple_health_export/export.xml', data: SYNTHETIC_EXPORT }]);
  const central = zip.readUInt32LE(zip.length - 22 + 16);
  const declared = Buffer.byteLength(SYNTHETIC_EXPORT) + delta;
  zip.writeUInt32LE(declared, 22);
  zip.writeUInt32LE(declared, central + 24);
  return zip;
};

describe('apple export mapping (dry run)', () => {
  it('maps every element kind of a synthetic export', async () => {
    const { tally } = await importAppleExport({
      db: undefined as never,
      userId: 'u',
      path: file('synthetic.zip', syntheticZip()),
      dryRun: true,
    });
    expect(tally.elements).toMatchObject({
      Record: 15,
      Correlation: 1,
      Workout: 2,
      ActivitySummary: 1,
      Me: 1,
    });
    expect(tally.rr_intervals).toBe(3);
    expect(tally.sleep_intervals).toBe(6);
    expect(tally.sleep_values_unrecognised).toBe(0);
    expect(tally.workouts).toBe(2);
    expect(tally.route_points).toBe(5);
    expect(tally.routes_missing).toBe(0);
    expect(tally.kept_raw).toEqual({
      HKQuantityTypeIdentifierNoSuchType: 1,
      HKDataTypeIdentifierAudiogram: 1,
    });
    expect(tally.rejected_count).toBe(0);
    expect(tally.me?.HKCharacteristicTypeIdentifierBiologicalSex).toBe('HKBiologicalSexFemale');
    expect(tally.locale).toBe('en_US');
  });

  it('parses the same in a worker thread, and reports its format errors the same way', async () => {
    const path = file('worker.zip', syntheticZip());
    const run = (parseInWorker: boolean) =>
      importAppleExport({ db: undefined as never, userId: 'u', path, dryRun: true, parseInWorker });
    const [inThread, inWorker] = await Promise.all([run(false), run(true)]);
    expect(inWorker.tally).toEqual(inThread.tally);
    expect(inWorker.file).toEqual(inThread.file);
    await expect(
      importAppleExport({
        db: undefined as never,
        userId: 'u',
        path: file('worker-trunc.xml', SYNTHETIC_EXPORT.slice(0, 2000)),
        dryRun: true,
        parseInWorker: true,
      }),
    ).rejects.toThrow(/^line \d+, column \d+: /);
  });

  it('reads the pre-DTD iOS 8 format', async () => {
    const { tally } = await importAppleExport({
      db: undefined as never,
      userId: 'u',
      path: file('ios8.xml', IOS8_EXPORT),
      dryRun: true,
    });
    expect(tally.samples).toBe(2);
    expect(tally.sleep_intervals).toBe(1);
    expect(tally.rejected_count).toBe(0);
  });

  const refuses: [string, () => string, RegExp][] = [
    [
      'entity expansion (billion laughs)',
      () =>
        file(
          'lol.xml',
          '<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><HealthData>&b;</HealthData>',
        ),
      /line \d+, column \d+: DOCTYPE declares entities/,
    ],
    [
      'external entities (XXE)',
      () =>
        file(
          'xxe.xml',
          '<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY x SYSTEM "file:///etc/passwd">]><HealthData><Me a="&x;"/></HealthData>',
        ),
      /entities/,
    ],
    [
      'an undefined entity',
      () => file('undef.xml', '<HealthData><Me a="&x;"/></HealthData>'),
      /line 1, column \d+/,
    ],
    [
      'a PNG',
      () => file('pic.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00])),
      /not UTF-8|line/,
    ],
    ['plain text', () => file('notes.txt', 'hello, this is not xml'), /no XML element|line/],
    [
      'a zip bomb',
      () =>
        file(
          'bomb.zip',
          makeZip([{ name: 'apple_health_export/export.xml', data: Buffer.alloc(50 * 1024 * 1024, 0x20) }]),
        ),
      /compression ratio/,
    ],
    [
      'a zip entry that inflates past its declared size',
      () => file('long.zip', misdeclaredZip(-100)),
      /inflates past its declared/,
    ],
    [
      'a zip entry that inflates short of its declared size',
      () => file('short.zip', misdeclaredZip(100)),
      /not its declared/,
    ],
    [
      'path traversal in a zip entry',
      () => file('trav.zip', makeZip([{ name: '../../etc/export.xml', data: SYNTHETIC_EXPORT }])),
      /unsafe|invalid relative path/,
    ],
    [
      'a zip without export.xml',
      () => file('empty.zip', makeZip([{ name: 'readme.txt', data: 'x' }])),
      /no export\.xml/,
    ],
    ['truncated XML', () => file('trunc.xml', SYNTHETIC_EXPORT.slice(0, 2000)), /line \d+, column \d+/],
  ];
  for (const [what, make, message] of refuses) {
    it(`refuses ${what} with a clear message`, async () => {
      await expect(
        importAppleExport({ db: undefined as never, userId: 'u', path: make(), dryRun: true }),
      ).rejects.toThrow(message);
    });
  }
});

const referenceDir = join(import.meta.dirname, '../../../shared/reference/apple-health');
const referenceFiles = existsSync(referenceDir)
  ? (function walk(d: string): string[] {
      return readdirSync(d).flatMap((n) => {
        const p = join(d, n);
        return statSync(p).isDirectory() ? walk(p) : p.endsWith('.xml') && !p.endsWith('_cda.xml') ? [p] : [];
      });
    })(referenceDir)
  : [];

/** An independent count: Record elements per type by regular expression, not by the XML parser. */
function regexCounts(text: string): { records: Record<string, number>; workouts: number } {
  const records: Record<string, number> = {};
  for (const m of text.matchAll(/<Record\b[^>]*?\btype="([^"]+)"/g)) {
    const type = m[1] as string;
    records[type] = (records[type] ?? 0) + 1;
  }
  return { records, workouts: [...text.matchAll(/<Workout\s/g)].length };
}

describe.skipIf(referenceFiles.length === 0)(
  `reference corpus${referenceFiles.length === 0 ? ' (skipped: ../shared/reference/apple-health is absent)' : ''}`,
  () => {
    for (const path of referenceFiles) {
      const name = relative(referenceDir, path);
      it(name, async () => {
        const text = readFileSync(path, 'utf8');
        const run = importAppleExport({ db: undefined as never, userId: 'u', path, dryRun: true });
        if (name.endsWith('Exportieren.xml')) {
          await expect(run).rejects.toThrow(/line 5, column \d+/);
          return;
        }
        const { tally } = await run;
        const expected = regexCounts(text);
        expect(tally.records_by_type).toEqual(expected.records);
        expect(tally.workouts).toBe(expected.workouts);
        expect(tally.rejected_count).toBe(0);
      });
    }
  },
);

describeEachDatabase('Apple Health XML import', (ctx) => {
  async function setup() {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    const user = await api.createUser(dev.key);
    return { api, auth: { key: dev.key }, userId: user.id };
  }
  async function upload(api: any, auth: any, userId: string, data: Buffer | string, name: string) {
    const form = new FormData();
    form.append('file', new Blob([data]), name);
    return api.request('POST', `/api/v1/users/${userId}/import/apple/xml/direct`, { auth, body: form });
  }
  const count = async (
    table: 'samples' | 'workouts' | 'sleep_stage_intervals' | 'workout_route_points',
    userId: string,
  ) => {
    const db = ctx().platform.deps.db;
    if (table === 'workout_route_points') {
      const r = await db
        .selectFrom('workout_route_points')
        .innerJoin('workouts', 'workouts.id', 'workout_route_points.workout_id')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('workouts.user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    }
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };

  it('imports a zip as a sync run, idempotently', async () => {
    const { api, auth, userId } = await setup();
    const res = await upload(api, auth, userId, syntheticZip(), 'export.zip');
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
    const run = await waitForRun(api, auth, userId, res.body.job_id);
    expect(run.stage).toBe('completed');
    expect(run.source).toBe('xml_import');
    const samples = await count('samples', userId);
    // HR, steps, SpO2, body mass, water, HRV + 3 beats, mindful, systolic (once, though it appears
    // twice), diastolic
    expect(samples).toBe(12);
    expect(await count('workouts', userId)).toBe(2);
    expect(await count('workout_route_points', userId)).toBe(5);
    expect(await count('sleep_stage_intervals', userId)).toBe(6);

    const again = await upload(api, auth, userId, syntheticZip(), 'export.zip');
    expect((await waitForRun(api, auth, userId, again.body.job_id)).stage).toBe('completed');
    expect(await count('samples', userId)).toBe(samples);
    expect(await count('workouts', userId)).toBe(2);
    expect(await count('workout_route_points', userId)).toBe(5);
  });

  it('fails the run with line and column for a malformed file', async () => {
    const { api, auth, userId } = await setup();
    const res = await upload(api, auth, userId, '<HealthData><Record a=1/></HealthData>', 'export.xml');
    expect(res.status).toBe(202);
    const run = await waitForRun(api, auth, userId, res.body.job_id);
    expect(run.stage).toBe('failed');
    expect(JSON.stringify(run)).toMatch(/line 1, column \d+/);
  });

  it('re-running an import that died halfway ends with exactly the rows of a clean import', async () => {
    const { api } = ctx();
    const db = ctx().platform.deps.db;
    const dev = await api.registerDeveloper();
    const broken = (await api.createUser(dev.key)).id;
    const clean = (await api.createUser(dev.key)).id;
    const zip = file('halfway.zip', syntheticZip());
    // Small batches, so that several are written before the parse fails at the cut.
    const cut = file('halfway.xml', SYNTHETIC_EXPORT.slice(0, Math.floor(SYNTHETIC_EXPORT.length * 0.35)));
    await expect(importAppleExport({ db, userId: broken, path: cut, batchSize: 2 })).rejects.toThrow(
      /line \d+, column \d+/,
    );
    const partial = await count('samples', broken);
    expect(partial).toBeGreaterThan(0);
    await importAppleExport({ db, userId: broken, path: zip, batchSize: 2 });
    await importAppleExport({ db, userId: clean, path: zip });
    const rows = async (userId: string) => ({
      samples: await count('samples', userId),
      workouts: await count('workouts', userId),
      route: await count('workout_route_points', userId),
      sleep: await count('sleep_stage_intervals', userId),
      values: await db
        .selectFrom('samples')
        .select(['series_type', 'start_time', 'duration_ms', 'value', 'utc_offset_min'])
        .where('user_id', '=', userId)
        .orderBy('series_type')
        .orderBy('start_time')
        .orderBy('duration_ms')
        .execute(),
    });
    const [a, b] = [await rows(broken), await rows(clean)];
    expect(a.samples).toBeGreaterThan(partial);
    expect(a).toEqual(b);
  });

  it('refuses uploads over 50 MB with 413', async () => {
    const { api, auth, userId } = await setup();
    const res = await upload(api, auth, userId, Buffer.alloc(51 * 1024 * 1024, 0x20), 'export.xml');
    expect(res.status).toBe(413);
  });

  it('takes large files through the upload-URL flow', async () => {
    const { api, auth, userId } = await setup();
    const grant = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/s3`, {
      auth,
      json: { filename: 'export.zip', file_size_bytes: 1_000_000 },
    });
    expect(grant.status).toBe(200);
    const path = new URL(grant.body.presigned_put_url).pathname;
    const put = await api.request('PUT', path, { body: syntheticZip() });
    expect(put.status).toBe(202);
    expect((await waitForRun(api, auth, userId, put.body.job_id)).stage).toBe('completed');
    const forged = await api.request('PUT', `${path}x`, { body: 'x' });
    expect(forged.status).toBe(404);
  });
});
