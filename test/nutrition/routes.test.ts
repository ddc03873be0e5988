import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { uploadDirectory } from '../../src/importers/apple-health/import-service.ts';
import { blobStoreFor } from '../../src/storage/blob-store.ts';
import { describeEachDatabase, type TestServer } from '../support/harness.ts';
import { jpegWithGps, pngBomb } from './image-fixtures.ts';

const HOOK_URL = 'http://127.0.0.1:9/hooks';

function photoForm(
  bytes: Uint8Array,
  fields: Record<string, string> = {},
  name = 'meal.jpg',
  type = 'image/jpeg',
) {
  const form = new FormData();
  form.set('file', new Blob([bytes], { type }), name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

async function tenant(server: TestServer) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const auth = { key: dev.key };
  const hook = await server.api.request('POST', '/api/v1/webhooks/endpoints', {
    auth,
    json: { url: HOOK_URL },
  });
  expect(hook.status, hook.text).toBe(201);
  const call = (method: string, path: string, options: Parameters<TestServer['api']['request']>[2] = {}) =>
    server.api.request(
      method,
      `/api/v1/nutrition${path}${path.includes('?') ? '&' : '?'}user_id=${user.id}`,
      {
        auth,
        ...options,
      },
    );
  return { dev, user, auth, call };
}

async function events(server: TestServer, developerId: string, type: string) {
  const rows = await server.platform.database.db
    .selectFrom('webhook_messages')
    .select('payload')
    .where('developer_id', '=', developerId)
    .where('event_type', '=', type)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => JSON.parse(r.payload as unknown as string).data);
}

async function blobsOf(server: TestServer, developerId: string): Promise<string[]> {
  const dir = join(uploadDirectory(server.platform.config), 'blobs', 'nutrition', developerId);
  return readdir(dir).catch(() => []);
}

describeEachDatabase(
  'nutrition routes',
  (ctx) => {
    it('accepts a photo at once (202 pending), stores it without location, and emits nutrition.log.created', async () => {
      const server = ctx();
      const { dev, user, call } = await tenant(server);
      const { bytes, gpsBlock } = jpegWithGps();
      const started = Date.now();
      const res = await call('POST', '/log/image', {
        body: photoForm(bytes, { meal_type: 'lunch', note: 'thali', detected_at: '2026-04-26T13:52:11Z' }),
      });
      expect(res.status, res.text).toBe(202);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.body).toEqual({ job_id: expect.any(String), log_id: expect.any(String), status: 'pending' });

      const log = await call('GET', `/log/${res.body.log_id}`);
      expect(log.status).toBe(200);
      expect(log.body).toMatchObject({
        id: res.body.log_id,
        user_id: user.id,
        status: 'pending',
        meal_type: 'lunch',
        detected_at: '2026-04-26T13:52:11.000Z',
        note: 'thali',
        has_image: true,
        items: [],
      });
      const row = await server.platform.database.db
        .selectFrom('nutrition_logs')
        .selectAll()
        .where('id', '=', res.body.log_id)
        .executeTakeFirstOrThrow();
      expect(row.job_id).toBe(res.body.job_id);
      expect(row.image_key).toBe(`nutrition/${dev.id}/${res.body.log_id}.jpg`);
      expect(JSON.stringify(row.exif)).not.toMatch(/GPS|Latitude|Longitude/i);
      const blob = await blobStoreFor(server.platform.config).open(row.image_key as string);
      const chunks: Buffer[] = [];
      for await (const chunk of blob?.stream ?? []) chunks.push(chunk as Buffer);
      const stored = Buffer.concat(chunks);
      expect(stored.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      expect(stored.includes(gpsBlock)).toBe(false);
      expect(row.image_bytes).toBe(stored.length);

      expect(await events(server, dev.id, 'nutrition.log.created')).toEqual([
        {
          log_id: res.body.log_id,
          user_id: user.id,
          meal_type: 'lunch',
          detected_at: '2026-04-26T13:52:11.000Z',
          status: 'pending',
        },
      ]);
    });

    it('refuses bad input as a newcomer would send it with a clear 4xx, storing nothing', async () => {
      const server = ctx();
      const { dev, user, auth, call } = await tenant(server);
      const jpeg = jpegWithGps().bytes;
      const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');
      const cases: [string, Promise<{ status: number; body: any }>, number][] = [
        ['a PDF renamed .jpg', call('POST', '/log/image', { body: photoForm(pdf, {}, 'meal.jpg') }), 415],
        [
          'a 6 MB image',
          call('POST', '/log/image', {
            body: photoForm(Buffer.concat([jpeg, Buffer.alloc(6 * 1024 * 1024 - jpeg.length)])),
          }),
          413,
        ],
        ['a truncated JPEG', call('POST', '/log/image', { body: photoForm(jpeg.subarray(0, 400)) }), 422],
        [
          'a decompression-bomb PNG',
          call('POST', '/log/image', {
            body: photoForm(pngBomb(100_000, 100_000), {}, 'x.png', 'image/png'),
          }),
          422,
        ],
        [
          'an unknown meal_type',
          call('POST', '/log/image', { body: photoForm(jpeg, { meal_type: 'brunch' }) }),
          422,
        ],
        [
          'an unknown meal_type (manual)',
          call('POST', '/log/manual', {
            json: { meal_type: 'brunch', items: [{ dish_name: 'x', calories_kcal: 1 }] },
          }),
          422,
        ],
        [
          'no file',
          call('POST', '/log/image', {
            body: (() => {
              const f = new FormData();
              f.set('meal_type', 'lunch');
              return f;
            })(),
          }),
          422,
        ],
        ['a JSON body', call('POST', '/log/image', { json: { file: 'x' } }), 415],
        ['an empty file', call('POST', '/log/image', { body: photoForm(new Uint8Array(0)) }), 415],
      ];
      for (const [what, pending, status] of cases) {
        const res = await pending;
        expect(res.status, what).toBe(status);
        expect(res.body.detail, what).toBeTruthy();
      }
      // Another tenant's log and user are not there.
      const other = await tenant(server);
      const theirs = await other.call('POST', '/log/manual', {
        json: { items: [{ dish_name: 'toast', calories_kcal: 80 }] },
      });
      expect(theirs.status).toBe(201);
      for (const [method, path, json] of [
        ['GET', `/log/${theirs.body.id}`, undefined],
        ['DELETE', `/log/${theirs.body.id}`, undefined],
        ['PATCH', `/log/${theirs.body.id}/items/${theirs.body.items[0].id}`, { calories_kcal: 1 }],
      ] as const) {
        const res = await call(method, path, json ? { json } : {});
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      const foreignUser = await server.api.request('GET', `/api/v1/nutrition/log?user_id=${other.user.id}`, {
        auth,
      });
      expect(foreignUser.status).toBe(404);
      expect(
        (await server.api.request('GET', `/api/v1/nutrition/log?user_id=${user.id.toUpperCase()}`, { auth }))
          .status,
      ).toBe(422);
      expect((await server.api.request('GET', '/api/v1/nutrition/log', { auth })).status).toBe(422);
      expect((await server.api.request('GET', `/api/v1/nutrition/log?user_id=${user.id}`)).status).toBe(401);

      // Nothing stored for the refused requests: no log, no photo, no quota used.
      const db = server.platform.database.db;
      expect(
        await db.selectFrom('nutrition_logs').select('id').where('developer_id', '=', dev.id).execute(),
      ).toEqual([]);
      expect(await blobsOf(server, dev.id)).toEqual([]);
      expect(
        await db.selectFrom('nutrition_image_usage').selectAll().where('developer_id', '=', dev.id).execute(),
      ).toEqual([]);
      const untouched = await other.call('GET', `/log/${theirs.body.id}`);
      expect(untouched.body.status).toBe('manual');
      expect(untouched.body.items[0].calories_kcal).toBe(80);
    });

    it('logs meals by hand, with macros given or looked up in the food database', async () => {
      const server = ctx();
      const { call } = await tenant(server);
      const given = await call('POST', '/log/manual', {
        json: {
          meal_type: 'dinner',
          detected_at: '2026-04-25T19:00:00+05:30',
          note: 'home',
          items: [{ dish_name: 'dal', quantity_grams: 150, calories_kcal: 180, protein_g: 9.5 }],
        },
      });
      expect(given.status, given.text).toBe(201);
      expect(given.body).toMatchObject({
        status: 'manual',
        meal_type: 'dinner',
        detected_at: '2026-04-25T13:30:00.000Z',
        has_image: false,
        total_kcal: 180,
        items: [
          {
            dish_name: 'dal',
            quantity_grams: 150,
            calories_kcal: 180,
            protein_g: 9.5,
            carbs_g: null,
            food_db_source: null,
            is_corrected: false,
          },
        ],
      });
      const looked = await call('POST', '/log/manual', {
        json: {
          meal_type: 'lunch',
          items: [{ dish_name: 'biriyani', quantity_grams: 280 }, { dish_name: 'biryani' }],
        },
      });
      expect(looked.status, looked.text).toBe(201);
      const [weighed, portion] = looked.body.items;
      expect(weighed).toMatchObject({
        quantity_grams: 280,
        food_db_source: 'in_curated',
        food_db_id: 'in_curated:biryani',
      });
      expect(weighed.calories_kcal).toBeGreaterThan(100);
      expect(portion.quantity_grams).toBeGreaterThan(0);
      expect(portion.calories_kcal).toBeCloseTo((weighed.calories_kcal / 280) * portion.quantity_grams, 0);

      const unknown = await call('POST', '/log/manual', {
        json: { items: [{ dish_name: 'qqqq zzzz xxxx', quantity_grams: 100 }] },
      });
      expect(unknown.status).toBe(422);
      expect(JSON.stringify(unknown.body.detail)).toMatch(/not in the food database/);
      for (const json of [
        { items: [] },
        { items: [{ dish_name: 'x', calories_kcal: -1 }] },
        { items: [{ dish_name: 'x' }], extra: 1 },
      ]) {
        expect((await call('POST', '/log/manual', { json })).status).toBe(422);
      }
    });

    it('lists with filters and cursors, corrects items with one event per field, soft-deletes, and sums days', async () => {
      const server = ctx();
      const { dev, user, call } = await tenant(server);
      const meals: string[] = [];
      for (let day = 20; day <= 24; day++) {
        for (const meal of ['breakfast', 'dinner'] as const) {
          const res = await call('POST', '/log/manual', {
            json: {
              meal_type: meal,
              detected_at: `2026-04-${day}T${meal === 'breakfast' ? '07' : '19'}:00:00Z`,
              items: [
                {
                  dish_name: `${meal} ${day}`,
                  quantity_grams: 100,
                  calories_kcal: 100 * (day - 19),
                  fat_g: 1,
                },
              ],
            },
          });
          expect(res.status).toBe(201);
          meals.push(res.body.id);
        }
      }
      const all = await call('GET', '/log');
      expect(all.status).toBe(200);
      expect(all.body.data).toHaveLength(10);
      expect(all.body.pagination).toEqual({ next_cursor: null, has_more: false, total_count: 10 });
      expect(all.body.data[0].detected_at).toBe('2026-04-24T19:00:00.000Z');

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await call(
          'GET',
          `/log?meal_type=dinner&date_from=2026-04-21&date_to=2026-04-23&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.data.map((l: { id: string; meal_type: string }) => `${l.meal_type}:${l.id}`));
        expect(page.body.pagination.total_count).toBe(3);
        cursor = page.body.pagination.next_cursor;
      } while (cursor);
      expect(seen).toEqual([meals[7], meals[5], meals[3]].map((id) => `dinner:${id}`));
      expect((await call('GET', '/log?limit=201')).status).toBe(422);
      expect((await call('GET', '/log?limit=200')).status).toBe(200);
      const firstPage = await call('GET', '/log?limit=1');
      expect(
        (await call('GET', `/log?limit=1&meal_type=lunch&cursor=${firstPage.body.pagination.next_cursor}`))
          .status,
      ).toBe(422);

      // Correct an item: two fields changed, one sent unchanged.
      const target = (await call('GET', `/log/${meals[0]}`)).body;
      const item = target.items[0];
      const patched = await call('PATCH', `/log/${meals[0]}/items/${item.id}`, {
        json: { dish_name: 'masala dosa', calories_kcal: 250, fat_g: 1 },
      });
      expect(patched.status, patched.text).toBe(200);
      expect(patched.body.items[0]).toMatchObject({
        dish_name: 'masala dosa',
        calories_kcal: 250,
        fat_g: 1,
        is_corrected: true,
      });
      const corrected = await events(server, dev.id, 'nutrition.log.corrected');
      expect(corrected.map((e) => [e.field, e.old_value, e.new_value])).toEqual([
        ['dish_name', 'breakfast 20', 'masala dosa'],
        ['calories_kcal', 100, 250],
      ]);
      expect(corrected[0]).toMatchObject({ log_id: meals[0], user_id: user.id, item_id: item.id });
      expect((await call('PATCH', `/log/${meals[0]}/items/${item.id}`, { json: {} })).status).toBe(422);
      expect((await call('PATCH', `/log/${meals[0]}/items/${meals[1]}`, { json: { fat_g: 2 } })).status).toBe(
        404,
      );

      // Soft delete: hidden from the list and the sums, still readable, idempotent.
      expect((await call('DELETE', `/log/${meals[1]}`)).status).toBe(204);
      expect((await call('DELETE', `/log/${meals[1]}`)).status).toBe(204);
      expect((await call('GET', `/log/${meals[1]}`)).body.status).toBe('discarded');
      const after = await call('GET', '/log');
      expect(after.body.data.map((l: { id: string }) => l.id)).not.toContain(meals[1]);
      expect(after.body.pagination.total_count).toBe(9);
      expect((await call('PATCH', `/log/${meals[1]}/items/${item.id}`, { json: { fat_g: 2 } })).status).toBe(
        409,
      );

      const summary = await call('GET', '/summary?date_from=2026-04-20&date_to=2026-04-21');
      expect(summary.status, summary.text).toBe(200);
      expect(summary.body).toEqual({
        user_id: user.id,
        days: [
          {
            date: '2026-04-20',
            log_count: 1,
            calories_kcal: 250,
            protein_g: 0,
            carbs_g: 0,
            fat_g: 1,
            fiber_g: 0,
            sugar_g: 0,
            sodium_mg: 0,
          },
          {
            date: '2026-04-21',
            log_count: 2,
            calories_kcal: 400,
            protein_g: 0,
            carbs_g: 0,
            fat_g: 2,
            fiber_g: 0,
            sugar_g: 0,
            sodium_mg: 0,
          },
        ],
      });
      expect((await call('GET', '/summary?date_from=2026-01-01&date_to=2026-04-21')).status).toBe(422);
      expect((await call('GET', '/summary?date_from=2026-04-22&date_to=2026-04-21')).status).toBe(422);

      // A pending photo log cannot be corrected yet.
      const photo = await call('POST', '/log/image', { body: photoForm(jpegWithGps().bytes) });
      expect(photo.status).toBe(202);
      expect(
        (await call('PATCH', `/log/${photo.body.log_id}/items/${item.id}`, { json: { fat_g: 2 } })).status,
      ).toBe(409);
    });

    it("accepts the dashboard JWT, and a user's SDK token for that user only", async () => {
      const server = ctx();
      const { dev, user, auth } = await tenant(server);
      const login = await server.api.request('POST', '/api/v1/auth/login', {
        body: new URLSearchParams({ username: dev.email, password: dev.password }),
      });
      expect(login.status).toBe(200);
      const jwt = { bearer: login.body.access_token as string };
      const sdk = {
        bearer: (await server.api.request('POST', `/api/v1/users/${user.id}/token`, { auth })).body
          .access_token as string,
      };
      const second = await server.api.createUser(dev.key);
      const manual = (who: typeof jwt, userId: string) =>
        server.api.request('POST', `/api/v1/nutrition/log/manual?user_id=${userId}`, {
          auth: who,
          json: { items: [{ dish_name: 'idli', calories_kcal: 120 }] },
        });
      expect((await manual(jwt, user.id)).status).toBe(201);
      expect((await manual(sdk, user.id)).status).toBe(201);
      expect((await manual(sdk, second.id)).status).toBe(403);
      const upload = await server.api.request('POST', `/api/v1/nutrition/log/image?user_id=${user.id}`, {
        auth: sdk,
        body: photoForm(jpegWithGps().bytes),
      });
      expect(upload.status).toBe(202);
      const list = await server.api.request('GET', `/api/v1/nutrition/log?user_id=${user.id}`, { auth: sdk });
      expect(list.body.data).toHaveLength(3);
    });
  },
  { worker: false, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } },
);
