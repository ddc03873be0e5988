import { afterAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/harness.ts';
import { ndjsonLines, readZip, sha256, startMockS3 } from './export-support.ts';

const s3 = await startMockS3();
afterAll(async () => s3.close());

describeEachDatabase(
  'user export: in-band size limit, and ZIPs kept in S3',
  (ctx) => {
    it('answers 413 export_too_large naming the async route past EXPORT_INLINE_MAX_BYTES; the async export (stored in S3) has it all', async () => {
      const server = ctx();
      const { api } = server;
      const dev = await api.registerDeveloper();
      const auth = { key: dev.key };
      const user = await api.createUser(dev.key);
      // ~600 samples of varied values: far more than 4 KiB even deflated.
      const samples = Array.from({ length: 300 }, (_, i) => ({
        timestamp: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        device_id: 'w1',
        source: 'apple_healthkit',
        metrics: { hr: 50 + ((i * 7919) % 97), steps: (i * 104_729) % 211 },
      }));
      const ingest = await api.request('POST', `/api/v1/users/${user.id}/wearmetrics`, {
        auth,
        json: samples,
      });
      expect(ingest.status, ingest.text).toBe(202);
      for (let i = 0; ; i++) {
        const run = await api.request('GET', `/api/v1/users/${user.id}/sync/runs/${ingest.body.run_id}`, {
          auth,
        });
        if (run.body.stage === 'completed') break;
        if (i > 600) throw new Error(`ingest still ${run.body.stage}`);
        await new Promise((r) => setTimeout(r, 50));
      }

      const inline = await api.request('POST', `/api/v1/users/${user.id}/export`, { auth });
      expect(inline.status).toBe(413);
      expect(inline.body.code).toBe('export_too_large');
      expect(inline.body.detail).toContain(`/api/v1/users/${user.id}/export/async`);

      const queued = await api.request('POST', `/api/v1/users/${user.id}/export/async`, { auth });
      expect(queued.status).toBe(202);
      let ready: any;
      for (let i = 0; ; i++) {
        ready = (
          await api.request('GET', `/api/v1/users/${user.id}/exports/${queued.body.export_id}`, { auth })
        ).body;
        if (ready.status === 'ready' || ready.status === 'failed') break;
        if (i > 600) throw new Error(`export still ${ready.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(ready.status, JSON.stringify(ready.error)).toBe('ready');
      expect(ready.size_bytes).toBeGreaterThan(4096);
      // The ZIP went to the bucket (a signed PUT), not to local disk.
      const stored = s3.objects.get(`exports/${queued.body.export_id}.zip`);
      expect(stored?.body.length).toBe(ready.size_bytes);
      const download = await fetch(`${server.url}${new URL(ready.download_url).pathname}`);
      expect(download.status).toBe(200);
      expect(Number(download.headers.get('content-length'))).toBe(ready.size_bytes);
      const zip = await readZip(Buffer.from(await download.arrayBuffer()));
      const heartRate = zip.files.get('samples/heart_rate.ndjson') as Buffer;
      expect(ndjsonLines(heartRate)).toHaveLength(300);
      expect(sha256(heartRate)).toBe(
        ready.files.find((f: { name: string }) => f.name === 'samples/heart_rate.ndjson').sha256,
      );
      expect(s3.requests.filter((r) => r.problem !== undefined)).toEqual([]);
    }, 90_000);
  },
  { env: { EXPORT_INLINE_MAX_BYTES: '4096', ...s3.env } },
);
