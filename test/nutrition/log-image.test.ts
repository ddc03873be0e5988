import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { sweepExpiredMealImages } from '../../src/nutrition/image-retention.ts';
import { nutritionBlobStore } from '../../src/nutrition/nutrition.routes.ts';
import { describeEachDatabase } from '../support/harness.ts';
import { jpegWithGps } from './image-fixtures.ts';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describeEachDatabase(
  'meal photo of a log (GET /api/v1/nutrition/log/{log_id}/image)',
  (ctx) => {
    it('streams the stored photo to its tenant only, and 404s once retention deleted it', async () => {
      const server = ctx();
      const db = server.platform.database.db;
      const dev = await server.api.registerDeveloper();
      const other = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const otherUser = await server.api.createUser(other.key);
      const form = new FormData();
      form.set('file', new Blob([jpegWithGps().bytes], { type: 'image/jpeg' }), 'meal.jpg');
      const upload = await server.api.request('POST', `/api/v1/nutrition/log/image?user_id=${user.id}`, {
        auth: { key: dev.key },
        body: form,
      });
      expect(upload.status).toBe(202);
      const logId = upload.body.log_id as string;
      const path = `/api/v1/nutrition/log/${logId}/image?user_id=${user.id}`;

      const res = await fetch(`${server.api.baseUrl}${path}`, { headers: { 'X-WearLink-API-Key': dev.key } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      const bytes = Buffer.from(await res.arrayBuffer());
      // The stored (EXIF-stripped) photo, byte for byte, not the upload.
      const row = await db
        .selectFrom('nutrition_logs')
        .select('image_key')
        .where('id', '=', logId)
        .executeTakeFirstOrThrow();
      const blob = await nutritionBlobStore(server.platform.config).open(row.image_key as string);
      expect(bytes.equals(await readAll(blob?.stream as NodeJS.ReadableStream))).toBe(true);
      expect(res.headers.get('content-length')).toBe(String(bytes.length));

      // No credential: 401. Another tenant: its user is not found, nor is this log under its own user.
      expect((await server.api.request('GET', path)).status).toBe(401);
      expect((await server.api.request('GET', path, { auth: { key: other.key } })).status).toBe(404);
      const crossed = await server.api.request(
        'GET',
        `/api/v1/nutrition/log/${logId}/image?user_id=${otherUser.id}`,
        { auth: { key: other.key } },
      );
      expect(crossed.status).toBe(404);
      expect(crossed.body.code).toBeUndefined();

      // A manual log has no photo.
      const manual = await server.api.request('POST', `/api/v1/nutrition/log/manual?user_id=${user.id}`, {
        auth: { key: dev.key },
        json: { items: [{ dish_name: 'Apple', quantity_grams: 150 }] },
      });
      expect(manual.status).toBe(201);
      const none = await server.api.request(
        'GET',
        `/api/v1/nutrition/log/${manual.body.id}/image?user_id=${user.id}`,
        { auth: { key: dev.key } },
      );
      expect(none.status).toBe(404);
      expect(none.body.code).toBe('no_image');

      // Retention deletes the photo: the log stays, its image is gone with a reason.
      // created_at is never written by WearLink (not updatable in the schema types): aged by hand here.
      await sql`update nutrition_logs set created_at = ${new Date(Date.now() - 31 * 86_400_000)} where id = ${logId}`.execute(
        db,
      );
      expect(await sweepExpiredMealImages(db, nutritionBlobStore(server.platform.config), 30)).toBe(1);
      const gone = await server.api.request('GET', path, { auth: { key: dev.key } });
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('image_deleted');
    });
  },
  { worker: false },
);
