import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { deriveKey } from '../../src/auth/derive-key.ts';
import { UPLOAD_GRANT_KEY_PURPOSE, uploadToken } from '../../src/importers/apple-health/import.routes.ts';
import { describeEachDatabase, waitForRun } from '../support/harness.ts';
import { SYNTHETIC_EXPORT } from './synthetic-export.ts';

/**
 * Issue 15, the importer's findings: a NUL in an export fails its run and leaves the server up (#1),
 * a failed batch write reaches the run only as a sanitized `{code, message}` (#1), an upload URL of a
 * deleted user is a 404 (#4), local upload URLs are single-use, built from PUBLIC_URL and never the
 * Host header, direct uploads are streamed to disk (#7), and the upload-URL MAC has a key of its own (#11).
 */

const uploadDir = mkdtempSync(join(tmpdir(), 'wl-upload-hardening-'));
const JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';

/** ~300 bytes, as in the report: one Record whose sourceName holds a NUL. */
const NUL_EXPORT =
  '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n' +
  ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch\u0000" unit="count/min" ' +
  'creationDate="2024-03-01 08:00:00 +0100" startDate="2024-03-01 08:00:00 +0100" ' +
  'endDate="2024-03-01 08:00:00 +0100" value="61"/>\n</HealthData>\n';

function multipart(data: Buffer | string, name: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  return form;
}

describe('deriveKey', () => {
  it('gives each purpose its own key, none of them the secret', () => {
    const a = deriveKey('s'.repeat(40), 'wearlink/upload-grant/v1');
    const b = deriveKey('s'.repeat(40), 'wearlink/other/v1');
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
    expect(a.equals(Buffer.from('s'.repeat(40)))).toBe(false);
    expect(deriveKey('s'.repeat(40), 'wearlink/upload-grant/v1').equals(a)).toBe(true);
  });
});

describeEachDatabase(
  'Apple import hardening (issue 15 #1 #4 #7 #11)',
  (ctx) => {
    async function setup() {
      const { api } = ctx();
      const dev = await api.registerDeveloper();
      const user = await api.createUser(dev.key);
      return { api, auth: { key: dev.key }, userId: user.id };
    }
    const health = async () => (await ctx().api.request('GET', '/health')).status;

    it('fails an export with a NUL in a value with line and column, and the server stays up', async () => {
      const { api, auth, userId } = await setup();
      expect(Buffer.byteLength(NUL_EXPORT)).toBeLessThan(400);
      const res = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/direct`, {
        auth,
        body: multipart(NUL_EXPORT, 'export.xml'),
      });
      expect(res.status).toBe(202);
      const run = await waitForRun(api, auth, userId, res.body.run_id);
      expect(run.stage).toBe('failed');
      expect(run.error).toMatchObject({ code: 'INVALID_FILE', line: 3 });
      expect(run.error.message).toMatch(/line 3, column \d+: forbidden character U\+0000/);
      expect(await health()).toBe(200);
      // And the next import still runs.
      const next = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/direct`, {
        auth,
        body: multipart(SYNTHETIC_EXPORT, 'export.xml'),
      });
      expect((await waitForRun(api, auth, userId, next.body.run_id)).stage).toBe('completed');
      expect(await health()).toBe(200);
    });

    /** Makes the real database refuse this user's sample inserts with `errcode`, for the test's length. */
    async function refusingSamples<T>(userId: string, errcode: string, body: () => Promise<T>): Promise<T> {
      const db = ctx().platform.deps.db;
      const fn = `refuse_${userId.replace(/-/g, '')}`;
      await sql
        .raw(
          `create function ${fn}() returns trigger language plpgsql as $$ begin
             if new.user_id = '${userId}' then
               raise exception 'refused sample %', new.user_id using errcode = '${errcode}';
             end if; return new; end $$`,
        )
        .execute(db);
      await sql
        .raw(`create trigger ${fn} before insert on samples for each row execute function ${fn}()`)
        .execute(db);
      try {
        return await body();
      } finally {
        await sql.raw(`drop trigger ${fn} on samples`).execute(db);
        await sql.raw(`drop function ${fn}()`).execute(db);
      }
    }
    const upload = (api: any, auth: any, userId: string) =>
      api.request('POST', `/api/v1/users/${userId}/import/apple/xml/direct`, {
        auth,
        body: multipart(SYNTHETIC_EXPORT, 'export.xml'),
      });
    // What a driver attaches about the failed statement: its text and parameters (the user id, values).
    const noStatement = (run: unknown) => {
      const text = JSON.stringify(run);
      expect(text).not.toMatch(/"params"|"query"|"parameters"|"detail"|"where"|insert into|\$1/i);
    };

    it('fails a run whose batch write the database refuses with a sanitized {code, message}', async () => {
      const { api, auth, userId } = await setup();
      // Not about the data (42501: insufficient privilege): the write fails as a whole, for good.
      const run = await refusingSamples(userId, '42501', async () => {
        const res = await upload(api, auth, userId);
        expect(res.status).toBe(202);
        return waitForRun(api, auth, userId, res.body.run_id);
      });
      expect(run.stage).toBe('failed');
      expect(Object.keys(run.error).sort()).toEqual(['code', 'message']);
      expect(run.error.code).toBe('STORAGE_ERROR');
      expect(run.error.message).toMatch(/SQLSTATE 42501/);
      noStatement(run);
      expect(await health()).toBe(200);
    });

    it('completes a run whose records the database refuses one by one, counting them as rejected', async () => {
      const { api, auth, userId } = await setup();
      // A data error (22021, as a NUL gives): the write path sets the refused records aside (issue 15 #2).
      const run = await refusingSamples(userId, '22021', async () => {
        const res = await upload(api, auth, userId);
        return waitForRun(api, auth, userId, res.body.run_id);
      });
      expect(run.stage).toBe('completed');
      expect(run.status).toBe('partial');
      expect(run.result.written.write_rejected).toBeGreaterThan(0);
      expect(run.result.write_rejected.length).toBe(run.result.written.write_rejected);
      noStatement(run);
      expect(await health()).toBe(200);
    });

    it('local upload URLs are single-use: a second PUT is a 409 with {detail}', async () => {
      const { api, auth, userId } = await setup();
      const grant = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/s3`, {
        auth,
        json: { filename: 'export.xml', file_size_bytes: 100_000 },
      });
      expect(grant.status).toBe(200);
      const path = new URL(grant.body.presigned_put_url).pathname;
      const first = await api.request('PUT', path, { body: SYNTHETIC_EXPORT });
      expect(first.status).toBe(202);
      const second = await api.request('PUT', path, { body: SYNTHETIC_EXPORT });
      expect(second.status).toBe(409);
      expect(second.body.detail).toMatch(/already been used/);
      expect((await waitForRun(api, auth, userId, first.body.run_id)).stage).toBe('completed');
      const third = await api.request('PUT', path, { body: SYNTHETIC_EXPORT });
      expect(third.status).toBe(409);
      // Only one import ran.
      const runs = await api.request('GET', `/api/v1/users/${userId}/sync/runs`, { auth });
      const imports = (runs.body.items ?? runs.body.data ?? runs.body).filter(
        (r: { source: string }) => r.source === 'xml_import',
      );
      expect(imports).toHaveLength(1);
    });

    it('a PUT refused as too large leaves the URL usable; concurrent PUTs start one import', async () => {
      const { api, auth, userId } = await setup();
      const grant = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/s3`, {
        auth,
        json: { file_size_bytes: Buffer.byteLength(SYNTHETIC_EXPORT) },
      });
      const path = new URL(grant.body.presigned_put_url).pathname;
      const big = await api.request('PUT', path, { body: `${SYNTHETIC_EXPORT} ` });
      expect(big.status).toBe(413);
      const puts = await Promise.all(
        [0, 1, 2].map(() => api.request('PUT', path, { body: SYNTHETIC_EXPORT })),
      );
      expect(puts.map((p) => p.status).sort()).toEqual([202, 409, 409]);
      for (const p of puts.filter((p) => p.status === 409)) expect(typeof p.body.detail).toBe('string');
    });

    it('an upload URL of a user deleted since is a 404, not a 500', async () => {
      const { api, auth, userId } = await setup();
      const grant = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/s3`, { auth });
      const path = new URL(grant.body.presigned_put_url).pathname;
      expect((await api.request('DELETE', `/api/v1/users/${userId}`, { auth })).status).toBe(204);
      const put = await api.request('PUT', path, { body: SYNTHETIC_EXPORT });
      expect(put.status).toBe(404);
      expect(put.body.detail).toMatch(/upload URL/);
    });

    it('signs upload URLs with a key derived for them, not with JWT_SECRET itself', async () => {
      const { api, auth, userId } = await setup();
      const grant = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/s3`, { auth });
      const token = new URL(grant.body.presigned_put_url).pathname.split('/').pop() as string;
      const [payload] = token.split('.');
      const derived = createHmac('sha256', deriveKey(JWT_SECRET, UPLOAD_GRANT_KEY_PURPOSE))
        .update(payload as string)
        .digest('base64url');
      expect(token).toBe(`${payload}.${derived}`);
      expect(
        uploadToken(JWT_SECRET, JSON.parse(Buffer.from(payload as string, 'base64url').toString())),
      ).toBe(token);
      // The same payload MACed with the bare secret (or the old `apple-upload:` key) is refused.
      for (const key of [JWT_SECRET, `apple-upload:${JWT_SECRET}`]) {
        const forged = `${payload}.${createHmac('sha256', key)
          .update(payload as string)
          .digest('base64url')}`;
        const put = await api.request('PUT', `/api/v1/uploads/apple/${forged}`, { body: SYNTHETIC_EXPORT });
        expect(put.status).toBe(404);
      }
    });

    it('builds upload URLs from the configured origin, never from the Host header', async () => {
      const { auth, userId } = await setup();
      const { port } = ctx().server;
      const ask = (headers: Record<string, string>) =>
        new Promise<{ status: number; body: any }>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: `/api/v1/users/${userId}/import/apple/xml/s3`,
              headers: { 'X-WearLink-API-Key': auth.key, ...headers },
            },
            (res) => {
              let text = '';
              res.on('data', (d) => (text += d));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
            },
          );
          req.on('error', reject);
          req.end();
        });
      for (const headers of [
        { Host: 'evil.example' },
        { Host: 'evil.example:8443', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' },
      ]) {
        const res = await ask(headers);
        expect(res.status).toBe(200);
        expect(new URL(res.body.presigned_put_url).origin).toBe(`http://127.0.0.1:${port}`);
      }
    });

    it('streams direct uploads to disk while they arrive (never whole in memory)', async () => {
      const { url } = ctx();
      const { auth, userId } = await setup();
      const before = new Set(readdirSync(uploadDir));
      const boundary = 'wearlinkboundary7d1f';
      // 1 MiB of comments: well-formed filler that imports as nothing.
      const line = `<!-- ${'x'.repeat(1017)} -->\n`;
      const chunk = Buffer.from(line.repeat(1024));
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="export.xml"\r\n` +
                'Content-Type: application/xml\r\n\r\n<HealthData>',
            ),
          );
          for (let i = 0; i < 8; i++) controller.enqueue(chunk);
          // Hold the rest back until the file on disk shows the first 8 MB arrived.
          await gate;
          for (let i = 0; i < 4; i++) controller.enqueue(chunk);
          controller.enqueue(Buffer.from(`</HealthData>\r\n--${boundary}--\r\n`));
          controller.close();
        },
      });
      const response = fetch(`${url}/api/v1/users/${userId}/import/apple/xml/direct`, {
        method: 'POST',
        headers: {
          'X-WearLink-API-Key': auth.key,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
        },
        body,
        duplex: 'half',
      } as RequestInit);
      const deadline = Date.now() + 20_000;
      let onDisk = 0;
      // (The reader holds back the few bytes that could begin the closing boundary.)
      const expected = 8 * 1024 * 1024 - 100;
      while (onDisk < expected && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        const fresh = readdirSync(uploadDir).filter((n) => !before.has(n));
        onDisk = Math.max(
          0,
          ...fresh.map((n) => (existsSync(join(uploadDir, n)) ? statSync(join(uploadDir, n)).size : 0)),
        );
      }
      release();
      // Before the request body has ended, 8 MB of it are already in the upload file.
      expect(onDisk).toBeGreaterThanOrEqual(expected);
      const res = await response;
      expect(res.status).toBe(202);
      const run = await waitForRun(
        ctx().api,
        auth,
        userId,
        ((await res.json()) as { run_id: string }).run_id,
      );
      expect(run.stage).toBe('completed');
    });

    /** PUTs `total` bytes of spaces with that Content-Length, or stops after `sent` of them and resets. */
    const rawPut = (url: string, total: number, sent = total) =>
      new Promise<{ status: number; body: any } | 'reset'>((resolve, reject) => {
        const req = request(url, { method: 'PUT', headers: { 'content-length': String(total) } }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.on('error', (error: NodeJS.ErrnoException) =>
          error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve('reset') : reject(error),
        );
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let left = sent;
        const pump = () => {
          while (left > 0) {
            const piece = chunk.subarray(0, Math.min(left, chunk.length));
            left -= piece.length;
            if (!req.write(piece)) return void req.once('drain', pump);
          }
          if (sent === total) req.end();
          else setTimeout(() => req.destroy(), 200);
        };
        pump();
      });
    const newUploads = (before: Set<string>) =>
      readdirSync(uploadDir).filter((n) => n.endsWith('.upload') && !before.has(n));

    it('a PUT past its grant, read as it streams, answers 413 {detail} and leaves nothing behind', async () => {
      const { api, auth, userId } = await setup();
      const grant = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/s3`, {
        auth,
        json: { file_size_bytes: 1024 * 1024 },
      });
      const before = new Set(readdirSync(uploadDir));
      // 4 MiB against a 1 MiB grant: refused while the body is still arriving, answered, not reset.
      const res = await rawPut(grant.body.presigned_put_url, 4 * 1024 * 1024);
      expect(res).not.toBe('reset');
      expect(res).toMatchObject({ status: 413, body: { detail: expect.stringMatching(/exceeds 1048576/) } });
      expect(newUploads(before)).toEqual([]);
      // The URL was not used up.
      const again = await ctx().api.request('PUT', new URL(grant.body.presigned_put_url).pathname, {
        body: SYNTHETIC_EXPORT,
      });
      expect(again.status).toBe(202);
      expect(await health()).toBe(200);
    });

    it('a PUT that breaks off midway imports nothing, leaves no file, and its URL works again', async () => {
      const { api, auth, userId } = await setup();
      const grant = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/s3`, { auth });
      const before = new Set(readdirSync(uploadDir));
      expect(await rawPut(grant.body.presigned_put_url, 2 * 1024 * 1024, 1024 * 1024)).toBe('reset');
      const deadline = Date.now() + 5000;
      while (newUploads(before).length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(newUploads(before)).toEqual([]);
      const runs = await api.request('GET', `/api/v1/users/${userId}/sync/runs`, { auth });
      expect(JSON.stringify(runs.body)).not.toMatch(/xml_import/);
      // The claim was released: the same URL takes a complete upload.
      let put = await api.request('PUT', new URL(grant.body.presigned_put_url).pathname, {
        body: SYNTHETIC_EXPORT,
      });
      for (let i = 0; put.status === 409 && i < 50; i++) {
        // The broken-off PUT may still be releasing its claim.
        await new Promise((r) => setTimeout(r, 100));
        put = await api.request('PUT', new URL(grant.body.presigned_put_url).pathname, {
          body: SYNTHETIC_EXPORT,
        });
      }
      expect(put.status).toBe(202);
      expect((await waitForRun(api, auth, userId, put.body.run_id)).stage).toBe('completed');
    });

    it('stores a body only when its declared length arrived whole', async () => {
      const service = ctx().platform.deps.appleImports;
      const before = new Set(readdirSync(uploadDir));
      async function* body() {
        yield Buffer.from('<HealthData>');
        yield Buffer.from('</HealthData>');
      }
      await expect(service.store(body(), 1000, 100)).rejects.toThrow(/ended after 25 of the 100 bytes/);
      expect(newUploads(before)).toEqual([]);
      const stored = await service.store(body(), 1000, 25);
      expect(stored.bytes).toBe(25);
      expect(statSync(stored.path).size).toBe(25);
    });

    it('refuses malformed multipart bodies with 400 {detail}', async () => {
      const { api, auth, userId } = await setup();
      const path = `/api/v1/users/${userId}/import/apple/xml/direct`;
      const cases: [Record<string, string>, string][] = [
        [{ 'Content-Type': 'multipart/form-data' }, '--x\r\n\r\nabc\r\n--x--'],
        [
          { 'Content-Type': 'multipart/form-data; boundary=x' },
          '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
        ],
        [
          { 'Content-Type': 'multipart/form-data; boundary=x' },
          '--x\r\nContent-Disposition: form-data; name="other"\r\n\r\nabc\r\n--x--\r\n',
        ],
        [{ 'Content-Type': 'multipart/form-data; boundary=x' }, 'garbage'],
        [{ 'Content-Type': 'application/json' }, '{}'],
      ];
      for (const [headers, body] of cases) {
        const res = await api.request('POST', path, { auth, headers, body });
        expect(res.status, body).toBe(400);
        expect(typeof res.body.detail).toBe('string');
      }
      expect(await health()).toBe(200);
      // Nothing was left behind on disk by the refused ones.
      expect(readdirSync(uploadDir).filter((n) => n.endsWith('.upload')).length).toBeLessThan(50);
    });
  },
  { env: { UPLOAD_DIR: uploadDir } },
);
