import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { uploadDirectory } from '../../src/importers/apple-health/import-service.ts';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/harness.ts';
import { jpegWithGps } from './image-fixtures.ts';

const today = () => new Date().toISOString().slice(0, 10);

async function setUsage(server: TestServer, developerId: string, used: number, day = today()) {
  await sql`insert into nutrition_image_usage (developer_id, day, used) values (${developerId}, ${day}, ${used})
            on conflict (developer_id, day) do update set used = excluded.used`.execute(
    server.platform.database.db,
  );
}

function upload(server: TestServer, key: string, userId: string) {
  const form = new FormData();
  form.set('file', new Blob([jpegWithGps().bytes], { type: 'image/jpeg' }), 'meal.jpg');
  form.set('meal_type', 'lunch');
  return server.api.request('POST', `/api/v1/nutrition/log/image?user_id=${userId}`, {
    auth: { key },
    body: form,
  });
}

/**
 * The same upload on a connection of its own (no keep-alive): twenty at once through one pooled client
 * can meet a socket the server is just closing (ECONNRESET), which says nothing about the route.
 */
function uploadFresh(server: TestServer, key: string, userId: string) {
  const boundary = 'quotaBoundary7MA4YWxk';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="meal.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    jpegWithGps().bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((resolve, reject) => {
    const req = request(
      `${server.url}/api/v1/nutrition/log/image?user_id=${userId}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'X-WearLink-API-Key': key,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function blobsOf(server: TestServer, developerId: string): Promise<string[]> {
  const dir = join(uploadDirectory(server.platform.config), 'blobs', 'nutrition', developerId);
  return readdir(dir).catch(() => []);
}

const spec429 = {
  detail: {
    code: 'quota_exceeded',
    message:
      'Daily nutrition image quota reached (20 for the hobby plan). Resets at 00:00 UTC. Manual logs are not affected.',
    limit: 20,
    used: 20,
    plan: 'hobby',
    resource: 'nutrition_image',
  },
};

describeEachDatabase(
  'nutrition photo quota',
  (ctx) => {
    it('admits exactly 5 of 20 concurrent uploads when 5 are left; the 429 body is the spec’s', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      await setUsage(server, dev.id, 15);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => uploadFresh(server, dev.key, user.id)),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 202)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
      for (const refused of answers.filter((a) => a.status === 429)) {
        expect(refused.body).toEqual(spec429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(86_400);
      }
      const db = server.platform.database.db;
      const logs = await db
        .selectFrom('nutrition_logs')
        .select('id')
        .where('developer_id', '=', dev.id)
        .execute();
      expect(logs).toHaveLength(5);
      // Refused uploads left no photo behind: exactly the admitted five are stored.
      expect((await blobsOf(server, dev.id)).sort()).toEqual(logs.map((l) => `${l.id}.jpg`).sort());
      const usage = await db
        .selectFrom('nutrition_image_usage')
        .select('used')
        .where('developer_id', '=', dev.id)
        .executeTakeFirstOrThrow();
      expect(usage.used).toBe(20);

      // Manual logs are never limited.
      const manual = await server.api.request('POST', `/api/v1/nutrition/log/manual?user_id=${user.id}`, {
        auth: { key: dev.key },
        json: { items: [{ dish_name: 'apple', quantity_grams: 100, calories_kcal: 52 }] },
      });
      expect(manual.status).toBe(201);
      // Another developer's quota is its own.
      const other = await server.api.registerDeveloper();
      const otherUser = await server.api.createUser(other.key);
      expect((await upload(server, other.key, otherUser.id)).status).toBe(202);
    });

    it('counts soft-deleted logs, resets at 00:00 UTC, and follows the plan (enterprise: unlimited)', async () => {
      const server = ctx();
      const db = server.platform.database.db;
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      await setUsage(server, dev.id, 19);
      const last = await upload(server, dev.key, user.id);
      expect(last.status).toBe(202);
      const deleted = await server.api.request(
        'DELETE',
        `/api/v1/nutrition/log/${last.body.log_id}?user_id=${user.id}`,
        { auth: { key: dev.key } },
      );
      expect(deleted.status).toBe(204);
      // The deleted log's photo still counts.
      expect((await upload(server, dev.key, user.id)).body).toEqual(spec429);
      // Yesterday's count does not: only today's row is full.
      await sql`update nutrition_image_usage set day = day - 1 where developer_id = ${dev.id}`.execute(db);
      expect((await upload(server, dev.key, user.id)).status).toBe(202);

      await setUsage(server, dev.id, 500);
      await db.updateTable('developers').set({ plan: 'developer' }).where('id', '=', dev.id).execute();
      const developerPlan = await upload(server, dev.key, user.id);
      expect(developerPlan.status).toBe(429);
      expect(developerPlan.body.detail).toMatchObject({ limit: 500, used: 500, plan: 'developer' });
      expect(developerPlan.body.detail.message).toContain('(500 for the developer plan)');

      await setUsage(server, dev.id, 100_000);
      await db.updateTable('developers').set({ plan: 'enterprise' }).where('id', '=', dev.id).execute();
      expect((await upload(server, dev.key, user.id)).status).toBe(202);
    });
  },
  { worker: false },
);

it('gives new developers the DEFAULT_PLAN of the instance', async () => {
  const server = await startTestServer({ env: { DEFAULT_PLAN: 'scale' }, worker: false });
  try {
    const dev = await server.api.registerDeveloper();
    const me = await server.api.request('GET', '/api/v1/auth/me', { auth: { key: dev.key } });
    expect(me.status).toBe(200);
    expect(me.body.plan).toBe('scale');
  } finally {
    await server.close();
  }
}, 60_000);
