import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ConflictError, RateLimitError, WearLink } from '../../../sdks/typescript/src/index.ts';
import { uploadAppleExportFile } from '../../../sdks/typescript/src/node.ts';
import { SYNTHETIC_EXPORT } from '../../importers/synthetic-export.ts';
import { makeZip } from '../../importers/zip-writer.ts';
import { describeEachDatabase, startTestServer } from '../../support/harness.ts';
import { newClient } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'wearlink-sdk-upload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The synthetic export (every element kind the importer handles) with 4000 more heart-rate records, so
 * the file is large enough (~1 MB of XML) for progress to move in steps.
 */
function bigExport(): string {
  const records: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const at = new Date(Date.UTC(2024, 1, 20) + i * 60_000).toISOString().replace('T', ' ').slice(0, 19);
    records.push(
      ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Bulk Watch" unit="count/min" startDate="${at} +0000" endDate="${at} +0000" value="${60 + (i % 30)}"/>`,
    );
  }
  return SYNTHETIC_EXPORT.replace('</HealthData>', `${records.join('\n')}\n</HealthData>`);
}

describeEachDatabase('TypeScript SDK: Apple export upload', (ctx) => {
  it('uploads an export file through the upload-URL flow with progress, and its import completes', async () => {
    const server = ctx();
    const { client } = await newClient(server);
    const user = await client.users.create();
    const path = join(dir, `export-${Date.now()}.xml`);
    const xml = bigExport();
    writeFileSync(path, xml);
    const size = Buffer.byteLength(xml);

    const progress: [number, number | undefined][] = [];
    const result = await uploadAppleExportFile(client, user.id, path, {
      onProgress: (sent, total) => progress.push([sent, total]),
    });
    expect(result.status).toBe('queued');
    expect(result.run_id).toMatch(/./);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.every(([, total]) => total === size)).toBe(true);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
    }
    expect(progress.at(-1)).toEqual([size, size]);

    const run = await client.sync.waitForRun(user.id, result.run_id, { timeoutMs: 60_000 });
    expect(run).toMatchObject({ stage: 'completed', source: 'xml_import' });
    const samples = await client.timeseries
      .list(user.id, {
        start_time: '2024-02-20T00:00:00Z',
        end_time: '2024-02-23T00:00:00Z',
        types: 'heart_rate',
        limit: 100,
      })
      .toArray();
    expect(samples).toHaveLength(4000);
  });

  it('uploads a Blob (the browser path) and a zipped export', async () => {
    const server = ctx();
    const { client } = await newClient(server);
    const user = await client.users.create();
    const zip = makeZip([{ name: 'apple_health_export/export.xml', data: SYNTHETIC_EXPORT }]);
    const blob = new Blob([zip], { type: 'application/zip' });
    let last = 0;
    const result = await client.imports.uploadAppleExport(user.id, blob, {
      filename: 'export.zip',
      onProgress: (sent) => {
        last = sent;
      },
    });
    expect(last).toBe(zip.length);
    const run = await client.sync.waitForRun(user.id, result.run_id, { timeoutMs: 60_000 });
    expect(run).toMatchObject({ stage: 'completed', status: 'success' });
    const workouts = await client.workouts
      .list(user.id, { start_date: '2024-01-01', end_date: '2024-12-31', limit: 10 })
      .toArray();
    expect(workouts.length).toBeGreaterThan(0);
  });
});

it('a used upload URL is a ConflictError; a 429 is a RateLimitError with retryAfter', async () => {
  const server = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '8' } });
  try {
    const dev = await server.api.registerDeveloper();
    const client = new WearLink({ baseUrl: server.url, apiKey: dev.key });
    const user = await client.users.create();
    const grant = await client.request('post', '/api/v1/users/{user_id}/import/apple/xml/s3', {
      path: { user_id: user.id },
      body: { filename: 'export.xml' },
    });
    const put = () => fetch(grant.presigned_put_url, { method: 'PUT', body: SYNTHETIC_EXPORT });
    expect((await put()).status).toBe(202);
    const again = await put();
    const { errorFromResponse } = await import('../../../sdks/typescript/src/errors.ts');
    const conflict = errorFromResponse(again, await again.text());
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict.detail).toMatch(/already been used/);

    let limited: unknown;
    for (let i = 0; i < 20 && limited === undefined; i++) {
      limited = await client.users.get(user.id).then(
        () => undefined,
        (e: unknown) => e,
      );
    }
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).status).toBe(429);
    expect((limited as RateLimitError).kind).toBe('rate_limited');
    expect((limited as RateLimitError).retryAfter).toBeGreaterThan(0);
  } finally {
    await server.close();
  }
});
