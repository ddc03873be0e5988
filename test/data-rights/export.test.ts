import { EventSource } from 'eventsource';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signDownloadToken } from '../../src/data-rights/export/download-token.ts';
import { blobStoreFor } from '../../src/storage/blob-store.ts';
import { appleBatch } from '../fixtures/sdk-batches.ts';
import { SYNTHETIC_EXPORT } from '../importers/synthetic-export.ts';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';
import { startReceiver, verify, waitUntil } from '../webhooks/receiver.ts';
import { ndjsonLines, readZip, sha256 } from './export-support.ts';

const env = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,0.1,0.1',
  WEBHOOK_POLL_INTERVAL_MS: '25',
};
const JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A user with data from every source kind: SDK batch, WearMetrics, Apple XML import, sandbox sync. */
async function loadEverySource(server: TestServer, key: string, userId: string): Promise<void> {
  const { api } = server;
  const auth = { key };
  const token = (await api.request('POST', `/api/v1/users/${userId}/token`, { auth })).body.access_token;
  const sdk = await api.request('POST', `/api/v1/sdk/users/${userId}/sync`, {
    auth: { bearer: token },
    json: appleBatch(),
  });
  expect(sdk.status, sdk.text).toBe(202);
  const wearmetrics = await api.request('POST', `/api/v1/users/${userId}/wearmetrics`, {
    auth,
    json: [
      {
        timestamp: '2025-10-20T18:30:00Z',
        device_id: 'w1',
        source: 'apple_healthkit',
        metrics: { hr: 72, steps: 40 },
      },
      { timestamp: '2025-10-20T18:31:00Z', device_id: 'strap', source: 'polar_h10_ble', metrics: { hr: 75 } },
    ],
  });
  expect(wearmetrics.status, wearmetrics.text).toBe(202);
  const form = new FormData();
  form.append('file', new Blob([SYNTHETIC_EXPORT]), 'export.xml');
  const apple = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/direct`, {
    auth,
    body: form,
  });
  expect(apple.status, apple.text).toBe(202);
  const connection = await api.request('POST', `/api/v1/users/${userId}/connections`, {
    auth,
    json: { provider: 'sandbox', settings: { page_delay_ms: 0 } },
  });
  expect(connection.status, connection.text).toBe(201);
  const sync = await api.request('POST', '/api/v1/sync', {
    auth,
    json: { connection_id: connection.body.id },
  });
  expect(sync.status, sync.text).toBe(202);
  for (const runId of [sdk.body.run_id, wearmetrics.body.run_id, apple.body.run_id]) {
    const run = await waitForRun(api, auth, userId, runId, 60_000);
    expect(run.stage).toBe('completed');
  }
  const done = await until(
    () => api.request('GET', `/api/v1/sync/status?job_id=${sync.body.job_id}`, { auth }),
    (r) => ['completed', 'failed', 'cancelled'].includes(r.body.status),
  );
  expect(done.body.status).toBe('completed');
}

/** total_count of a paged API list. */
async function total(server: TestServer, key: string, path: string): Promise<number> {
  const res = await server.api.request('GET', path, { auth: { key } });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.body.pagination.total_count;
}

describeEachDatabase(
  'user data export (issue 18)',
  (ctx) => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterAll(async () => receiver.close());

    async function developer(path: string) {
      const { api } = ctx();
      const dev = await api.registerDeveloper();
      const endpoint = await api.request('POST', '/api/v1/webhooks/endpoints', {
        auth: { key: dev.key },
        json: { url: receiver.url(path), filter_types: ['export.completed'] },
      });
      expect(endpoint.status, endpoint.text).toBe(201);
      const secret = (
        await api.request('GET', `/api/v1/webhooks/endpoints/${endpoint.body.id}/secret`, {
          auth: { key: dev.key },
        })
      ).body.key as string;
      return { ...dev, secret, path };
    }

    async function exportReady(key: string, userId: string) {
      const { api } = ctx();
      const queued = await api.request('POST', `/api/v1/users/${userId}/export/async`, { auth: { key } });
      expect(queued.status, queued.text).toBe(202);
      expect(queued.body).toMatchObject({ status: 'queued', export_id: expect.any(String) });
      const ready = await until(
        () =>
          api.request('GET', `/api/v1/users/${userId}/exports/${queued.body.export_id}`, { auth: { key } }),
        (r) => ['ready', 'failed'].includes(r.body.status),
      );
      expect(ready.body.status, JSON.stringify(ready.body.error)).toBe('ready');
      return { queued: queued.body, ready: ready.body };
    }

    it('round trip: every source kind → async export → download; NDJSON counts equal the API, checksums match, SSE and webhook', async () => {
      const server = ctx();
      const { api } = server;
      const dev = await developer(`/export-${Date.now()}`);
      const auth = { key: dev.key };
      const user = await api.createUser(dev.key, { email: `export-${Date.now()}@example.com` });
      await loadEverySource(server, dev.key, user.id);

      const events: { run_id: string; stage: string; message: string; source: string }[] = [];
      const es = new EventSource(`${server.url}/api/v1/users/${user.id}/sync/stream`, {
        fetch: (input, init) =>
          fetch(input, { ...init, headers: { ...init?.headers, 'X-API-Key': dev.key } }),
      });
      es.addEventListener('sync.status', (m) => events.push(JSON.parse(m.data)));
      await new Promise<void>((resolve) => {
        es.onopen = () => resolve();
      });
      const { queued, ready } = await exportReady(dev.key, user.id);
      await until(
        async () => events.filter((e) => e.run_id === queued.run_id).map((e) => e.stage),
        (stages) => stages.includes('completed'),
        15_000,
      );
      es.close();
      const runEvents = events.filter((e) => e.run_id === queued.run_id);
      expect(new Set(runEvents.map((e) => e.stage))).toEqual(
        new Set(['queued', 'started', 'processing', 'saving', 'completed']),
      );
      expect(runEvents.some((e) => e.message === 'Writing workouts.ndjson')).toBe(true);
      const run = await api.request('GET', `/api/v1/users/${user.id}/sync/runs/${queued.run_id}`, { auth });
      expect(run.body).toMatchObject({ provider: 'wearlink', source: 'export', status: 'success' });

      // The webhook, verified with svix, carries the link the status shows.
      await waitUntil(() => receiver.on(dev.path).length > 0, 15_000, 'export.completed');
      const event = verify(dev.secret, receiver.on(dev.path)[0] as never);
      expect(event.type).toBe('export.completed');
      expect(event.data).toMatchObject({
        export_id: queued.export_id,
        user_id: user.id,
        expires_at: ready.expires_at,
      });
      const link = new URL(ready.download_url);
      expect(new URL(event.data.download_url).pathname).toBe(link.pathname);
      // The link names no export, user or developer.
      for (const id of [queued.export_id, user.id, dev.id]) expect(ready.download_url).not.toContain(id);

      const download = await fetch(`${server.url}${link.pathname}`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/zip');
      const zipBytes = Buffer.from(await download.arrayBuffer());
      expect(zipBytes.length).toBe(ready.size_bytes);
      const zip = await readZip(zipBytes);
      const manifest = JSON.parse((zip.files.get('manifest.json') as Buffer).toString());
      expect(manifest).toMatchObject({ format_version: 1, user: { id: user.id, email: user.email } });
      expect(zip.entries.map((e) => e.name).sort()).toEqual(
        [...manifest.files.map((f: { name: string }) => f.name), 'manifest.json'].sort(),
      );
      const lines = new Map<string, any[]>();
      for (const file of manifest.files) {
        const data = zip.files.get(file.name) as Buffer;
        expect(sha256(data), file.name).toBe(file.sha256);
        expect(data.length, file.name).toBe(file.bytes);
        lines.set(file.name, ndjsonLines(data));
        expect(lines.get(file.name)?.length, file.name).toBe(file.count);
      }
      expect(ready.files).toEqual(manifest.files);

      // Counts equal the read API's over the manifest's time range.
      const from = manifest.time_range.start as string;
      const to = new Date(Date.parse(manifest.time_range.end) + 1000).toISOString();
      const sampleFiles = manifest.files.filter((f: { name: string }) => f.name.startsWith('samples/'));
      expect(sampleFiles.length).toBeGreaterThan(5);
      for (const file of sampleFiles) {
        const type = file.name.slice('samples/'.length, -'.ndjson'.length);
        const q = new URLSearchParams({ types: type, resolution: 'raw', start_time: from, end_time: to });
        expect(await total(server, dev.key, `/api/v1/users/${user.id}/timeseries?${q}`), type).toBe(
          file.count,
        );
      }
      const days = `start_date=${from.slice(0, 10)}&end_date=${to.slice(0, 10)}`;
      const workouts = lines.get('workouts.ndjson') as any[];
      expect(workouts.length).toBeGreaterThan(0);
      expect(await total(server, dev.key, `/api/v1/users/${user.id}/events/workouts?${days}`)).toBe(
        workouts.length,
      );
      expect(await total(server, dev.key, `/api/v1/users/${user.id}/events/sleep?${days}`)).toBe(
        lines.get('sleep_sessions.ndjson')?.length,
      );
      expect(await total(server, dev.key, `/api/v1/users/${user.id}/health-scores`)).toBe(
        lines.get('health_scores.ndjson')?.length,
      );
      // Rows are the API's rows: the first workout as GET /events/workouts shows it.
      const firstDay = workouts[0].start_time.slice(0, 10);
      const page = await api.request(
        'GET',
        `/api/v1/users/${user.id}/events/workouts?start_date=${firstDay}&end_date=${firstDay}`,
        { auth },
      );
      expect(page.body.data[0]).toEqual(workouts[0]);
      // Routes: as many points as the workouts say they have.
      const routePoints = workouts.reduce((n: number, w: { route_points: number }) => n + w.route_points, 0);
      expect(lines.get('workout_route_points.ndjson')?.length).toBe(routePoints);
      // Connections without secrets; sync runs as the API shows them (the export's own run left out).
      const connections = await api.request('GET', `/api/v1/users/${user.id}/connections`, { auth });
      expect(lines.get('connections.ndjson')).toEqual(connections.body);
      expect(JSON.stringify(lines.get('connections.ndjson'))).not.toMatch(/token|secret/i);
      const runs = await api.request('GET', `/api/v1/users/${user.id}/sync/runs?limit=50`, { auth });
      const apiRuns = (runs.body as { run_id: string }[]).filter((r) => r.run_id !== queued.run_id);
      expect((lines.get('sync_runs.ndjson') as { run_id: string }[]).map((r) => r.run_id).sort()).toEqual(
        apiRuns.map((r) => r.run_id).sort(),
      );
      const providers = new Set(
        (lines.get('sync_runs.ndjson') as { provider: string }[]).map((r) => r.provider),
      );
      expect([...providers].sort()).toEqual(['apple', 'sandbox', 'wearmetrics']);
      // Daily summaries as GET /summaries/* answers for their range.
      for (const [file, kind] of [
        ['daily_activity_summaries.ndjson', 'activity'],
        ['daily_sleep_summaries.ndjson', 'sleep'],
      ] as const) {
        const rows = lines.get(file) as { date: string }[];
        expect(rows.length, file).toBeGreaterThan(0);
        let counted = 0;
        const first = Date.parse(rows[0]?.date as string);
        const last = Date.parse(rows.at(-1)?.date as string);
        for (let start = first; start <= last; start += 366 * 86_400_000) {
          const end = Math.min(last, start + 365 * 86_400_000);
          const q = `start_date=${new Date(start).toISOString().slice(0, 10)}&end_date=${new Date(end).toISOString().slice(0, 10)}`;
          const res = await api.request('GET', `/api/v1/users/${user.id}/summaries/${kind}?${q}`, { auth });
          counted += res.body.data.length;
        }
        expect(counted, file).toBe(rows.length);
      }

      // Single use: the second download is refused, and the status no longer offers a link.
      const again = await fetch(`${server.url}${link.pathname}`);
      expect(again.status).toBe(404);
      expect(((await again.json()) as { detail: string }).detail).toMatch(/invalid, expired or already used/);
      const after = await api.request('GET', `/api/v1/users/${user.id}/exports/${queued.export_id}`, {
        auth,
      });
      expect(after.body).toMatchObject({ status: 'ready', download_url: null });
      expect(after.body.downloaded_at).not.toBeNull();
      const audit = await server.platform.database.db
        .selectFrom('audit_logs')
        .select(['action', 'actor_type'])
        .where('developer_id', '=', dev.id)
        .where('action', 'like', 'export.%')
        .orderBy('seq')
        .execute();
      expect(audit).toEqual([
        { action: 'export.requested', actor_type: 'api_key' },
        { action: 'export.downloaded', actor_type: 'anonymous' },
      ]);
    }, 180_000);

    it('links expire, old ZIPs are swept; other developers get 404 for the export, the user and the job', async () => {
      const server = ctx();
      const { api } = server;
      const dev = await developer(`/expiry-${Date.now()}`);
      const user = await api.createUser(dev.key);
      const { queued, ready } = await exportReady(dev.key, user.id);
      expect(ready.files.every((f: { count: number }) => f.count === 0)).toBe(true);
      const link = new URL(ready.download_url).pathname;
      const [, nonce] = /\/data-exports\/([^.]+)\./.exec(link) ?? [];
      // A genuine signature over an expiry that has passed.
      const expired = signDownloadToken(JWT_SECRET, nonce as string, new Date(Date.now() - 1000));
      const gone = await fetch(`${server.url}/api/v1/data-exports/${expired}/download`);
      expect(gone.status).toBe(404);
      expect(((await gone.json()) as { detail: string }).detail).toBeTruthy();
      // The clock passes the row's expiry: the link itself stops working.
      await server.platform.database.db
        .updateTable('data_exports')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', queued.export_id)
        .execute();
      expect((await fetch(`${server.url}${link}`)).status).toBe(404);
      const status = await api.request('GET', `/api/v1/users/${user.id}/exports/${queued.export_id}`, {
        auth: { key: dev.key },
      });
      expect(status.body.download_url).toBeNull();

      // Past EXPORT_KEEP_HOURS the next export job's sweep deletes the ZIP and marks the export expired.
      await server.platform.database.db
        .updateTable('data_exports')
        .set({ completed_at: new Date(Date.now() - 200 * 3_600_000) })
        .where('id', '=', queued.export_id)
        .execute();
      const blobs = blobStoreFor(server.platform.config);
      expect(await blobs.open(`exports/${queued.export_id}.zip`)).toBeDefined();
      await exportReady(dev.key, user.id);
      const swept = await api.request('GET', `/api/v1/users/${user.id}/exports/${queued.export_id}`, {
        auth: { key: dev.key },
      });
      expect(swept.body).toMatchObject({ status: 'expired', download_url: null });
      expect(await blobs.open(`exports/${queued.export_id}.zip`)).toBeUndefined();

      const other = await api.registerDeveloper();
      const otherUser = await api.createUser(other.key);
      const asOther = { auth: { key: other.key } };
      for (const [method, path] of [
        ['GET', `/api/v1/users/${user.id}/exports/${queued.export_id}`],
        ['GET', `/api/v1/users/${otherUser.id}/exports/${queued.export_id}`],
        ['POST', `/api/v1/users/${user.id}/export/async`],
        ['POST', `/api/v1/users/${user.id}/export`],
      ] as const) {
        const res = await api.request(method, path, asOther);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.detail).toBeTruthy();
      }
      const made = await api.request(
        'GET',
        `/api/v1/data-exports/${'x'.repeat(24)}.zz.${'y'.repeat(43)}/download`,
      );
      expect(made.status).toBe(404);
    }, 60_000);

    it('answers a small export in-band as the same ZIP layout', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const res = await fetch(`${server.url}/api/v1/users/${user.id}/export`, {
        method: 'POST',
        headers: { 'X-WearLink-API-Key': dev.key },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="wearlink-export-/);
      const zip = await readZip(Buffer.from(await res.arrayBuffer()));
      const manifest = JSON.parse((zip.files.get('manifest.json') as Buffer).toString());
      expect(manifest.user.id).toBe(user.id);
      expect(manifest.time_range).toBeNull();
      for (const file of manifest.files) expect(sha256(zip.files.get(file.name) as Buffer)).toBe(file.sha256);
    });
  },
  { env },
);
