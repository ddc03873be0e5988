import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { describeEachDatabase, startTestServer, type TestServer, waitForRun } from '../support/harness.ts';
import { SYNTHETIC_EXPORT, SYNTHETIC_GPX } from './synthetic-export.ts';
import { makeZip } from './zip-writer.ts';

/**
 * A stand-in for S3 (the outside world): objects in memory, and every request's Signature Version 4
 * checked by an implementation of its own, written from the specification rather than from
 * src/storage/s3.ts, so a signing bug cannot hide by being made twice.
 */
interface MockS3 {
  url: string;
  objects: Map<string, Buffer>;
  requests: { method: string; path: string; auth: 'query' | 'header' | 'none'; status: number }[];
  /** Answer the next N GETs with 500 InternalError (a flaky store). */
  failGets: number;
  close(): Promise<void>;
}

const ACCESS_KEY = 'WLTESTACCESSKEY';
const SECRET_KEY = 'wl-test-secret/with+odd=characters';
const REGION = 'eu-central-1';
const BUCKET = 'wearlink-test';

/** RFC 3986 byte by byte: unreserved characters as they are, every other byte as %XX. */
function rfc3986(value: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(ch) || (keepSlash && ch === '/')) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function verifySigV4(req: IncomingMessage, rawPath: string, rawQuery: string): string | undefined {
  const params = rawQuery
    ? rawQuery.split('&').map((pair) => {
        const [k = '', v = ''] = pair.split('=');
        return [decodeURIComponent(k), decodeURIComponent(v)] as [string, string];
      })
    : [];
  const param = (name: string) => params.find(([k]) => k === name)?.[1];
  const presigned = param('X-Amz-Signature') !== undefined;
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let given: string | undefined;
  let date: string | undefined;
  let payloadHash: string;
  if (presigned) {
    if (param('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'bad algorithm';
    credential = param('X-Amz-Credential');
    signedHeaders = param('X-Amz-SignedHeaders');
    given = param('X-Amz-Signature');
    date = param('X-Amz-Date');
    const expires = Number(param('X-Amz-Expires'));
    if (!date || !Number.isInteger(expires) || expires < 1 || expires > 604_800) return 'bad expiry';
    const signedAt = Date.parse(
      `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
    );
    if (Date.now() > signedAt + expires * 1000) return 'expired';
    payloadHash = 'UNSIGNED-PAYLOAD';
  } else {
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
        req.headers.authorization ?? '',
      );
    if (!match) return 'no signature';
    [, credential, signedHeaders, given] = match;
    date = req.headers['x-amz-date'] as string | undefined;
    payloadHash = (req.headers['x-amz-content-sha256'] as string | undefined) ?? '';
    if (!date || !payloadHash) return 'missing x-amz-date or x-amz-content-sha256';
    for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
      if (!signedHeaders?.split(';').includes(required)) return `${required} not signed`;
    }
    // Every header-signed call WearLink makes has an empty body.
    if (payloadHash !== createHash('sha256').update('').digest('hex')) return 'payload hash';
  }
  const day = date.slice(0, 8);
  if (credential !== `${ACCESS_KEY}/${day}/${REGION}/s3/aws4_request`) return 'bad credential scope';
  if (!signedHeaders) return 'no signed headers';
  const canonicalUri = rfc3986(decodeURIComponent(rawPath), true);
  const canonicalQuery = params
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => `${rfc3986(k, false)}=${rfc3986(v, false)}`)
    .sort()
    .join('&');
  const headerNames = signedHeaders.split(';');
  const canonicalHeaders = headerNames
    .map((name) => `${name}:${String(req.headers[name] ?? '').trim()}\n`)
    .join('');
  const canonicalRequest = `${req.method}\n${canonicalUri}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const stringToSign = `AWS4-HMAC-SHA256\n${date}\n${day}/${REGION}/s3/aws4_request\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  let key: Buffer = Buffer.from(`AWS4${SECRET_KEY}`);
  for (const part of [day, REGION, 's3', 'aws4_request'])
    key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  return expected === given ? undefined : 'SignatureDoesNotMatch';
}

async function startMockS3(): Promise<MockS3> {
  const objects = new Map<string, Buffer>();
  const requests: MockS3['requests'] = [];
  const state = { failGets: 0 };
  const xmlError = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
  };
  const server = createServer(async (req, res) => {
    const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const problem = verifySigV4(req, rawPath, rawQuery);
    const auth = rawQuery.includes('X-Amz-Signature')
      ? 'query'
      : req.headers.authorization
        ? 'header'
        : 'none';
    const log = (status: number) => requests.push({ method: req.method ?? '', path: rawPath, auth, status });
    if (problem !== undefined) {
      log(403);
      return xmlError(res, 403, problem === 'expired' ? 'AccessDenied' : 'SignatureDoesNotMatch', problem);
    }
    const path = decodeURIComponent(rawPath);
    if (!path.startsWith(`/${BUCKET}/`)) {
      log(404);
      return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    }
    const key = path.slice(BUCKET.length + 2);
    const object = objects.get(key);
    switch (req.method) {
      case 'PUT':
        objects.set(key, Buffer.concat(chunks));
        log(200);
        res.writeHead(200, { etag: `"${createHash('md5').update(Buffer.concat(chunks)).digest('hex')}"` });
        return res.end();
      case 'HEAD':
        log(object ? 200 : 404);
        res.writeHead(object ? 200 : 404, object ? { 'content-length': object.length } : {});
        return res.end();
      case 'GET':
        if (state.failGets > 0) {
          state.failGets -= 1;
          log(500);
          return xmlError(res, 500, 'InternalError', 'We encountered an internal error');
        }
        log(object ? 200 : 404);
        if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        res.writeHead(200, { 'content-length': object.length });
        return res.end(object);
      case 'DELETE':
        objects.delete(key);
        log(204);
        res.writeHead(204);
        return res.end();
      default:
        log(405);
        return xmlError(res, 405, 'MethodNotAllowed', 'method not allowed');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    get failGets() {
      return state.failGets;
    },
    set failGets(n: number) {
      state.failGets = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const s3 = await startMockS3();
const uploadDir = mkdtempSync(join(tmpdir(), 'wl-s3-uploads-'));
afterAll(async () => {
  await s3.close();
  rmSync(uploadDir, { recursive: true, force: true });
});
const s3Env = {
  S3_ENDPOINT: s3.url,
  S3_REGION: REGION,
  S3_BUCKET: BUCKET,
  S3_ACCESS_KEY_ID: ACCESS_KEY,
  S3_SECRET_ACCESS_KEY: SECRET_KEY,
  UPLOAD_DIR: uploadDir,
};

const syntheticZip = () =>
  makeZip([
    { name: 'apple_health_export/export.xml', data: SYNTHETIC_EXPORT },
    { name: 'apple_health_export/workout-routes/route_2024-03-01_5.00pm.gpx', data: SYNTHETIC_GPX },
  ]);

/** An S3 event as AWS sends it through SNS (keys URL-encoded in the event). */
const snsNotification = (key: string, bucket = BUCKET) => ({
  Type: 'Notification',
  MessageId: 'b6d6c4a6-0000-4000-8000-000000000000',
  TopicArn: `arn:aws:sns:${REGION}:123456789012:wearlink-uploads`,
  Message: JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: {
          bucket: { name: bucket },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 1 },
        },
      },
    ],
  }),
  Timestamp: new Date().toISOString(),
  SignatureVersion: '1',
});

/** The same event as MinIO's webhook target posts it. */
const minioEvent = (key: string) => ({
  EventName: 's3:ObjectCreated:Put',
  Key: `${BUCKET}/${key}`,
  Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: BUCKET }, object: { key } } }],
});

describeEachDatabase(
  'Apple Health uploads through S3',
  (ctx) => {
    async function setup() {
      const { api } = ctx();
      const dev = await api.registerDeveloper();
      const user = await api.createUser(dev.key);
      return { api, auth: { key: dev.key }, userId: user.id, developerId: dev.id };
    }
    const presign = async (userId: string, auth: { key: string }, body: Record<string, unknown> = {}) => {
      const res = await ctx().api.request('POST', `/api/v1/users/${userId}/import/apple/xml/s3`, {
        auth,
        json: { filename: 'export.zip', ...body },
      });
      expect(res.status).toBe(200);
      return res.body as { presigned_put_url: string; key: string; max_bytes: number; expires_at: string };
    };
    const put = (url: string, body: Buffer | string) => fetch(url, { method: 'PUT', body });
    const notify = (body: unknown, contentType = 'text/plain; charset=UTF-8') =>
      ctx().api.request('POST', '/api/v1/sns/notification', {
        body: JSON.stringify(body),
        headers: { 'Content-Type': contentType, 'x-amz-sns-message-type': 'Notification' },
      });
    const importRuns = async (userId: string) =>
      ctx()
        .platform.deps.db.selectFrom('sync_runs')
        .select(['id', 'stage'])
        .where('user_id', '=', userId)
        .where('source', '=', 'xml_import')
        .execute();
    const count = async (table: 'samples' | 'workouts', userId: string) => {
      const r = await ctx()
        .platform.deps.db.selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    };
    const until = async (what: string, check: () => boolean | Promise<boolean>) => {
      const deadline = Date.now() + 10_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };

    it('presign → PUT to the bucket → SNS notification → the import completes with the data', async () => {
      const { auth, userId, developerId, api } = await setup();
      const grant = await presign(userId, auth, { file_size_bytes: 1_000_000, expiration_seconds: 300 });
      expect(grant).toMatchObject({ method: 'PUT', max_bytes: 1_000_000 });
      expect(grant.key).toMatch(new RegExp(`^apple-imports/${developerId}/${userId}/[0-9a-f]{32}\\.upload$`));
      const url = new URL(grant.presigned_put_url);
      expect(url.origin).toBe(s3.url);
      expect(url.pathname).toBe(`/${BUCKET}/${grant.key}`);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
      expect(Date.parse(grant.expires_at) - Date.now()).toBeGreaterThan(290_000);

      const zip = syntheticZip();
      expect((await put(grant.presigned_put_url, zip)).status).toBe(200);
      expect(s3.objects.get(grant.key)?.equals(zip)).toBe(true);
      expect(await importRuns(userId)).toHaveLength(0); // nothing starts before the announcement

      const res = await notify(snsNotification(grant.key));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: 1 });
      const runs = await importRuns(userId);
      expect(runs).toHaveLength(1);
      const run = await waitForRun(api, auth, userId, runs[0]!.id);
      expect(run.stage).toBe('completed');
      expect(run.status).toBe('success');
      expect(await count('samples', userId)).toBe(12);
      expect(await count('workouts', userId)).toBe(2);

      // The run ends, then its upload is cleaned up.
      await until('the object to be deleted', () => !s3.objects.has(grant.key));
      // Every call WearLink made to the bucket was header-signed; the object and the temp copy are gone.
      const ours = s3.requests.filter((r) => r.path.includes(grant.key) && r.auth === 'header');
      expect(ours.map((r) => `${r.method} ${r.status}`)).toEqual(['HEAD 200', 'GET 200', 'DELETE 204']);
      expect(s3.objects.has(grant.key)).toBe(false);
      expect(readdirSync(uploadDir).filter((f) => f.endsWith('.download'))).toEqual([]);
    });

    it('starts nothing new for duplicate notifications, even concurrent ones (at-least-once delivery)', async () => {
      const { auth, userId, api } = await setup();
      const grant = await presign(userId, auth);
      expect((await put(grant.presigned_put_url, syntheticZip())).status).toBe(200);
      const answers = await Promise.all([
        notify(snsNotification(grant.key)),
        notify(snsNotification(grant.key)),
        notify(minioEvent(grant.key), 'application/json'),
        notify(snsNotification(grant.key)),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const runs = await importRuns(userId);
      expect(runs).toHaveLength(1);
      expect((await waitForRun(api, auth, userId, runs[0]!.id)).stage).toBe('completed');

      // Redelivered after the import ended (and the object was deleted): still nothing.
      expect((await notify(snsNotification(grant.key))).status).toBe(200);
      expect((await notify(minioEvent(grant.key), 'application/json')).status).toBe(200);
      expect(await importRuns(userId)).toHaveLength(1);
      const again = await api.request('POST', `/api/v1/users/${userId}/import/apple/xml/s3/complete`, {
        auth,
        json: { key: grant.key },
      });
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain(runs[0]!.id);
    });

    it('does nothing for forged notifications: unknown keys, objects never presigned, other buckets', async () => {
      const { auth, userId, developerId } = await setup();
      // An object an attacker managed to place in the bucket, under a plausible key.
      const planted = `apple-imports/${developerId}/${userId}/${'0'.repeat(32)}.upload`;
      s3.objects.set(planted, syntheticZip());
      const before = s3.requests.length;
      for (const body of [
        snsNotification(planted),
        minioEvent(planted),
        snsNotification('apple-imports/nope/nope/nope.upload'),
        { Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: '../../etc/passwd' } } }] },
      ]) {
        const res = await notify(body);
        expect(res.status).toBe(200);
      }
      // A real pending key, announced for another bucket or as a deletion, or before its upload.
      const grant = await presign(userId, auth);
      expect((await notify(snsNotification(grant.key, 'someone-elses-bucket'))).body).toEqual({
        received: 0,
      });
      const removal = minioEvent(grant.key);
      removal.EventName = 's3:ObjectRemoved:Delete';
      removal.Records[0]!.eventName = 's3:ObjectRemoved:Delete';
      expect((await notify(removal)).body).toEqual({ received: 0 });
      expect((await notify(snsNotification(grant.key))).status).toBe(200); // HEAD says: not there yet
      expect(await importRuns(userId)).toHaveLength(0);
      // The planted object was never even looked at: unknown keys stop at the database.
      const looked = s3.requests.slice(before).filter((r) => r.path.includes(planted));
      expect(looked).toEqual([]);

      // Garbage is a 400, and an SNS subscription is only confirmed on SNS's own host.
      expect((await notify('not an event')).status).toBe(400);
      const confirm = await notify({
        Type: 'SubscriptionConfirmation',
        TopicArn: `arn:aws:sns:${REGION}:123456789012:wearlink-uploads`,
        SubscribeURL: `${s3.url}/confirm-me?Action=ConfirmSubscription`,
        Message: 'You have chosen to subscribe…',
      });
      expect(confirm.status).toBe(200);
      expect(confirm.body).toEqual({ received: 0, subscription: 'ignored' });
      expect(s3.requests.some((r) => r.path === '/confirm-me')).toBe(false);
    });

    it('starts an import with /complete, with the same checks', async () => {
      const { auth, userId, api } = await setup();
      const complete = (key: string, as = auth, user = userId) =>
        api.request('POST', `/api/v1/users/${user}/import/apple/xml/s3/complete`, {
          auth: as,
          json: { key },
        });
      const grant = await presign(userId, auth, { file_size_bytes: 500_000 });

      const early = await complete(grant.key);
      expect(early.status).toBe(400);
      expect(early.body.detail).toMatch(/not in the bucket yet/);
      expect((await complete('apple-imports/x/y/z.upload')).status).toBe(404);
      // Another developer cannot start (or learn about) this upload.
      const other = await setup();
      expect((await complete(grant.key, other.auth, other.userId)).status).toBe(404);

      expect((await put(grant.presigned_put_url, syntheticZip())).status).toBe(200);
      const started = await complete(grant.key);
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({ status: 'queued' });
      expect(started.body.job_id).toBe(started.body.run_id);
      expect((await complete(grant.key)).status).toBe(409);
      expect((await notify(snsNotification(grant.key))).status).toBe(200);
      expect(await importRuns(userId)).toHaveLength(1);
      expect((await waitForRun(api, auth, userId, started.body.run_id)).stage).toBe('completed');
      expect(await count('samples', userId)).toBe(12);

      // More than was granted is refused, and nothing starts.
      const small = await presign(userId, auth, { file_size_bytes: 100 });
      expect((await put(small.presigned_put_url, syntheticZip())).status).toBe(200);
      const big = await complete(small.key);
      expect(big.status).toBe(413);
      expect(big.body.detail).toMatch(/more than the 100 granted/);
      expect(await importRuns(userId)).toHaveLength(1);
    });

    it('keeps the object through a retried download and deletes it after a final failure', async () => {
      const { auth, userId, api } = await setup();
      const grant = await presign(userId, auth);
      expect((await put(grant.presigned_put_url, syntheticZip())).status).toBe(200);
      s3.failGets = 1;
      expect((await notify(snsNotification(grant.key))).status).toBe(200);
      const [run] = await importRuns(userId);
      await until('the failed GET', () => s3.failGets === 0);
      expect(s3.objects.has(grant.key)).toBe(true);
      const done = await waitForRun(api, auth, userId, run!.id);
      expect(done.stage).toBe('completed');
      await until('the object to be deleted', () => !s3.objects.has(grant.key));

      const junk = await presign(userId, auth);
      expect((await put(junk.presigned_put_url, 'this is not an Apple Health export')).status).toBe(200);
      expect((await notify(snsNotification(junk.key))).status).toBe(200);
      const failed = (await importRuns(userId)).find((r) => r.id !== run!.id);
      const ended = await waitForRun(api, auth, userId, failed!.id);
      expect(ended.stage).toBe('failed');
      expect(JSON.stringify(ended)).toMatch(/INVALID_FILE/);
      await until('the object to be deleted', () => !s3.objects.has(junk.key));
    });

    it('presigned URLs are real signatures: the store refuses a tampered one', async () => {
      const { auth, userId } = await setup();
      const grant = await presign(userId, auth);
      const tamper = (edit: (url: URL) => void) => {
        const url = new URL(grant.presigned_put_url);
        edit(url);
        return url.toString();
      };
      const forgeries = [
        // someone else's key with this signature
        tamper((u) => {
          u.pathname = u.pathname.replace(/[0-9a-f]{32}\.upload$/, `${'f'.repeat(32)}.upload`);
        }),
        // a longer life
        tamper((u) => u.searchParams.set('X-Amz-Expires', '604800')),
        // a flipped signature character
        tamper((u) => {
          const sig = u.searchParams.get('X-Amz-Signature')!;
          u.searchParams.set('X-Amz-Signature', `${sig[0] === 'a' ? 'b' : 'a'}${sig.slice(1)}`);
        }),
        // another access key
        tamper((u) =>
          u.searchParams.set(
            'X-Amz-Credential',
            u.searchParams.get('X-Amz-Credential')!.replace(ACCESS_KEY, 'X'),
          ),
        ),
      ];
      for (const url of forgeries) {
        const res = await put(url, 'x');
        expect(res.status).toBe(403);
        expect(await res.text()).toMatch(/SignatureDoesNotMatch/);
      }
      expect((await put(grant.presigned_put_url, 'x')).status).toBe(200);
    });
  },
  { env: s3Env },
);

describe('S3 configuration', () => {
  it('refuses to boot on a partial S3 configuration, naming what is missing', async () => {
    expect(() =>
      loadConfig({ WEARLINK_DATA_DIR: 'memory://', S3_BUCKET: BUCKET, S3_ACCESS_KEY_ID: 'k' }),
    ).toThrow(ConfigError);
    await expect(
      startTestServer({ env: { S3_ENDPOINT: s3.url, S3_BUCKET: BUCKET, S3_ACCESS_KEY_ID: ACCESS_KEY } }),
    ).rejects.toThrow(
      /S3_SECRET_ACCESS_KEY \(unset\): must be set because S3_BUCKET, S3_ACCESS_KEY_ID, S3_ENDPOINT are set/,
    );
    expect(() =>
      loadConfig({ WEARLINK_DATA_DIR: 'memory://', S3_ENDPOINT: 'http://127.0.0.1:9000' }),
    ).toThrow(/S3_BUCKET[\s\S]*S3_ACCESS_KEY_ID[\s\S]*S3_SECRET_ACCESS_KEY/);
    // The secret's value is never echoed.
    expect(() =>
      loadConfig({
        WEARLINK_DATA_DIR: 'memory://',
        S3_BUCKET: BUCKET,
        S3_SECRET_ACCESS_KEY: 'hunter2-secret',
      }),
    ).toThrow(/^(?![\s\S]*hunter2)[\s\S]*S3_ACCESS_KEY_ID/);
  });

  describe('without S3', () => {
    let server: TestServer | undefined;
    beforeAll(async () => {
      server = await startTestServer({ database: 'pglite' });
    });
    afterAll(() => server?.close());

    it('keeps the local upload-URL flow, and says the S3 routes need S3', async () => {
      const { api } = server!;
      const dev = await api.registerDeveloper();
      const user = await api.createUser(dev.key);
      const auth = { key: dev.key };
      const grant = await api.request('POST', `/api/v1/users/${user.id}/import/apple/xml/s3`, {
        auth,
        json: { filename: 'export.zip' },
      });
      expect(grant.status).toBe(200);
      expect(new URL(grant.body.presigned_put_url).pathname).toMatch(/^\/api\/v1\/uploads\/apple\//);
      const uploaded = await fetch(grant.body.presigned_put_url, { method: 'PUT', body: syntheticZip() });
      expect(uploaded.status).toBe(202);
      const { job_id: runId } = (await uploaded.json()) as { job_id: string };
      expect((await waitForRun(api, auth, user.id, runId)).stage).toBe('completed');

      const complete = await api.request('POST', `/api/v1/users/${user.id}/import/apple/xml/s3/complete`, {
        auth,
        json: { key: grant.body.key },
      });
      expect(complete.status).toBe(400);
      expect(complete.body.detail).toMatch(/S3 storage is not configured/);
      const sns = await api.request('POST', '/api/v1/sns/notification', { json: minioEvent('x') });
      expect(sns.status).toBe(400);
    });
  });
});
