import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { type Credential, describeEachDatabase, type TestServer } from '../support/harness.ts';
import { jpegWithGps } from './image-fixtures.ts';

const HOOK_URL = 'http://127.0.0.1:9/hooks';
const ADMIN_EMAIL = 'reviewer@example.com';
const PASSWORD = 'correct horse battery staple';

async function registerAdmin(server: TestServer) {
  const res = await server.api.request('POST', '/api/v1/auth/register', {
    json: { email: ADMIN_EMAIL, password: PASSWORD, name: 'Reviewer' },
  });
  expect(res.status, res.text).toBe(201);
  const login = await server.api.request('POST', '/api/v1/auth/login', {
    body: new URLSearchParams({ username: ADMIN_EMAIL, password: PASSWORD }),
  });
  return {
    id: res.body.id as string,
    key: { key: res.body.api_key.key as string },
    jwt: { bearer: login.body.access_token as string },
  };
}

/** A photo log as the recogniser leaves a low-confidence one: items written, status pending, queued. */
async function queuedLog(server: TestServer, key: string, userId: string, kcal: number[] = [560, 120]) {
  const form = new FormData();
  form.set('file', new Blob([jpegWithGps().bytes], { type: 'image/jpeg' }), 'meal.jpg');
  form.set('meal_type', 'lunch');
  const res = await server.api.request('POST', `/api/v1/nutrition/log/image?user_id=${userId}`, {
    auth: { key },
    body: form,
  });
  expect(res.status, res.text).toBe(202);
  const logId = res.body.log_id as string;
  const db = server.platform.database.db;
  await db
    .updateTable('nutrition_logs')
    .set({ review_state: 'queued', confidence_score: 0.42, vision_model: 'test-vision' })
    .where('id', '=', logId)
    .execute();
  await db
    .insertInto('nutrition_items')
    .values(
      kcal.map((k, position) => ({
        id: randomUUID(),
        log_id: logId,
        user_id: userId,
        position,
        dish_name: position === 0 ? 'biryani' : 'raita',
        quantity_grams: 100,
        quantity_uncertainty: 0.2,
        confidence: 0.4,
        calories_kcal: k,
        protein_g: 5,
        carbs_g: null,
        fat_g: null,
        fiber_g: null,
        sugar_g: null,
        sodium_mg: null,
        food_db_source: 'in_curated',
        food_db_id: 'in_curated:biryani',
      })),
    )
    .execute();
  return logId;
}

async function auditRows(server: TestServer, developerId: string, action: string) {
  return server.platform.database.db
    .selectFrom('audit_logs')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

describeEachDatabase(
  'nutrition review queue',
  (ctx) => {
    it('is a plain 404 for everyone but the configured superuser', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const logId = await queuedLog(server, dev.key, user.id);
      const sdk = (
        await server.api.request('POST', `/api/v1/users/${user.id}/token`, { auth: { key: dev.key } })
      ).body.access_token;
      const routes: [string, string, unknown?][] = [
        ['GET', '/queue'],
        ['GET', `/${logId}`],
        ['POST', `/${logId}/approve`],
        ['POST', `/${logId}/reject`],
        ['PATCH', `/${logId}/items/${randomUUID()}`, { calories_kcal: 1 }],
        ['POST', '/bulk', { action: 'approve', log_ids: [logId] }],
      ];
      for (const auth of [{ key: dev.key }, { bearer: sdk }, { key: 'sk-nonsense' }, undefined]) {
        for (const [method, path, json] of routes) {
          const res = await server.api.request(method, `/api/v1/admin/nutrition/review${path}`, {
            ...(auth ? { auth } : {}),
            ...(json ? { json } : {}),
          });
          expect(res.status, `${method} ${path}`).toBe(404);
          expect(res.body).toEqual({ detail: 'Not found' });
        }
      }
      const log = await server.api.request('GET', `/api/v1/nutrition/log/${logId}?user_id=${user.id}`, {
        auth: { key: dev.key },
      });
      expect(log.body).toMatchObject({ status: 'pending', items: [], confidence_score: null });
    });

    it('lets the superuser see, edit, approve and reject queued logs, each action audited on the owner’s trail', async () => {
      const server = ctx();
      const admin = await registerAdmin(server);
      const dev = await server.api.registerDeveloper();
      const auth = { key: dev.key };
      const hook = await server.api.request('POST', '/api/v1/webhooks/endpoints', {
        auth,
        json: { url: HOOK_URL },
      });
      expect(hook.status).toBe(201);
      const user = await server.api.createUser(dev.key);
      const first = await queuedLog(server, dev.key, user.id);
      const second = await queuedLog(server, dev.key, user.id, [300]);
      const review = (method: string, path: string, json?: unknown, who: Credential = admin.jwt) =>
        server.api.request(method, `/api/v1/admin/nutrition/review${path}`, {
          auth: who,
          ...(json ? { json } : {}),
        });

      // The queue is instance-wide (oldest first): page through it one log at a time.
      const queued: { id: string; developer_id: string; review_state: string; total_kcal: number }[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await review('GET', `/queue?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status, page.text).toBe(200);
        expect(page.body.data.length).toBeLessThanOrEqual(1);
        expect(page.body.pagination.total_count).toBeGreaterThanOrEqual(2);
        queued.push(...page.body.data);
        cursor = page.body.pagination.next_cursor;
      } while (cursor);
      const mine = queued.filter((l) => l.developer_id === dev.id);
      expect(mine.map((l) => l.id)).toEqual([first, second]);
      expect(mine[0]).toMatchObject({ review_state: 'queued', total_kcal: 680 });
      // The API key of the superuser works too.
      expect((await review('GET', '/queue', undefined, admin.key)).status).toBe(200);

      // Detail with a short-lived image URL that works without credentials, and only as signed.
      const detail = await review('GET', `/${first}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        id: first,
        confidence_score: 0.42,
        image_content_type: 'image/jpeg',
      });
      expect(JSON.stringify(detail.body.exif)).not.toMatch(/GPS/i);
      const imageUrl = new URL(detail.body.image_url);
      const image = await fetch(`${server.url}${imageUrl.pathname}${imageUrl.search}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/jpeg');
      expect(Buffer.from(await image.arrayBuffer()).length).toBe(detail.body.image_bytes);
      const tampered = imageUrl.search.replace(
        /signature=(.)/,
        (_, c: string) => `signature=${c === 'a' ? 'b' : 'a'}`,
      );
      expect((await fetch(`${server.url}${imageUrl.pathname}${tampered}`)).status).toBe(404);
      const otherLog = `${server.url}/api/v1/admin/nutrition/review/${second}/image${imageUrl.search}`;
      expect((await fetch(otherLog)).status).toBe(404);
      const expired = `${server.url}${imageUrl.pathname}?expires=1000&signature=${'0'.repeat(64)}`;
      expect((await fetch(expired)).status).toBe(404);

      // Edit an item, then approve: recognized, human_reviewed, nutrition.log.recognized with items + kcal.
      const item = detail.body.items[0];
      const edited = await review('PATCH', `/${first}/items/${item.id}`, {
        calories_kcal: 600,
        dish_name: 'mutton biryani',
      });
      expect(edited.status, edited.text).toBe(200);
      expect(edited.body.total_kcal).toBe(720);
      const approved = await review('POST', `/${first}/approve`);
      expect(approved.status, approved.text).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'recognized',
        review_state: 'approved',
        human_reviewed: true,
      });
      expect((await review('POST', `/${first}/approve`)).status).toBe(409);
      const seen = await server.api.request('GET', `/api/v1/nutrition/log/${first}?user_id=${user.id}`, {
        auth,
      });
      expect(seen.body).toMatchObject({ status: 'recognized', human_reviewed: true, total_kcal: 720 });
      expect(seen.body.items.map((i: { dish_name: string }) => i.dish_name)).toEqual([
        'mutton biryani',
        'raita',
      ]);
      const messages = await server.platform.database.db
        .selectFrom('webhook_messages')
        .select('payload')
        .where('developer_id', '=', dev.id)
        .where('event_type', '=', 'nutrition.log.recognized')
        .execute();
      expect(messages).toHaveLength(1);
      const data = JSON.parse(messages[0]?.payload as unknown as string).data;
      expect(data).toMatchObject({ log_id: first, user_id: user.id, total_kcal: 720 });
      expect(data.items).toHaveLength(2);

      const rejected = await review('POST', `/${second}/reject`);
      expect(rejected.body).toMatchObject({ status: 'discarded', review_state: 'rejected' });
      expect(
        (await server.api.request('GET', `/api/v1/nutrition/log?user_id=${user.id}`, { auth })).body.data.map(
          (l: { id: string }) => l.id,
        ),
      ).toEqual([first]);
      const left = (await review('GET', '/queue?limit=200')).body.data.map((l: { id: string }) => l.id);
      expect(left).not.toContain(first);
      expect(left).not.toContain(second);

      // Every action is on the log owner's trail, the admin as actor.
      for (const [action, target] of [
        ['nutrition.review.item_edited', item.id],
        ['nutrition.review.approved', first],
        ['nutrition.review.rejected', second],
      ] as const) {
        const rows = await auditRows(server, dev.id, action);
        expect(rows, action).toHaveLength(1);
        expect(rows[0]).toMatchObject({ actor_type: 'admin', actor_id: admin.id, target_id: target });
      }
      expect(await auditRows(server, admin.id, 'nutrition.review.approved')).toEqual([]);
    });

    it('resolves up to 200 logs in bulk with an outcome each', async () => {
      const server = ctx();
      await registerAdmin(server).catch(() => undefined);
      const login = await server.api.request('POST', '/api/v1/auth/login', {
        body: new URLSearchParams({ username: ADMIN_EMAIL, password: PASSWORD }),
      });
      const jwt = { bearer: login.body.access_token as string };
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const a = await queuedLog(server, dev.key, user.id);
      const b = await queuedLog(server, dev.key, user.id);
      const manual = await server.api.request('POST', `/api/v1/nutrition/log/manual?user_id=${user.id}`, {
        auth: { key: dev.key },
        json: { items: [{ dish_name: 'x', calories_kcal: 1 }] },
      });
      const missing = randomUUID();
      const bulk = await server.api.request('POST', '/api/v1/admin/nutrition/review/bulk', {
        auth: jwt,
        json: { action: 'approve', log_ids: [a, b, manual.body.id, missing] },
      });
      expect(bulk.status, bulk.text).toBe(200);
      expect(bulk.body.results).toEqual([
        { log_id: a, outcome: 'approved' },
        { log_id: b, outcome: 'approved' },
        { log_id: manual.body.id, outcome: 'conflict', detail: expect.any(String) },
        { log_id: missing, outcome: 'not_found' },
      ]);
      expect(await auditRows(server, dev.id, 'nutrition.review.approved')).toHaveLength(2);
      const tooMany = await server.api.request('POST', '/api/v1/admin/nutrition/review/bulk', {
        auth: jwt,
        json: { action: 'reject', log_ids: Array.from({ length: 201 }, () => randomUUID()) },
      });
      expect(tooMany.status).toBe(422);
    });
  },
  {
    worker: false,
    env: { SUPERUSER_EMAILS: 'someone@else.org, Reviewer@Example.com', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
  },
);
