import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { sweepExpiredMealImages } from '../../src/nutrition/image-retention.ts';
import { nutritionBlobStore } from '../../src/nutrition/nutrition.routes.ts';
import { describeEachDatabase } from '../support/harness.ts';
import { jpegWithGps } from './image-fixtures.ts';

describeEachDatabase(
  'meal photo retention',
  (ctx) => {
    it('deletes photos past NUTRITION_IMAGE_RETENTION_DAYS and keeps their logs', async () => {
      const server = ctx();
      const db = server.platform.database.db;
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const upload = async () => {
        const form = new FormData();
        form.set('file', new Blob([jpegWithGps().bytes], { type: 'image/jpeg' }), 'meal.jpg');
        const res = await server.api.request('POST', `/api/v1/nutrition/log/image?user_id=${user.id}`, {
          auth: { key: dev.key },
          body: form,
        });
        expect(res.status).toBe(202);
        return res.body.log_id as string;
      };
      const old = await upload();
      const fresh = await upload();
      await sql`update nutrition_logs set created_at = now() - interval '31 days' where id = ${old}`.execute(
        db,
      );
      const store = nutritionBlobStore(server.platform.config);
      const keyOf = async (id: string) =>
        (
          await db
            .selectFrom('nutrition_logs')
            .select('image_key')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).image_key as string;

      expect(await sweepExpiredMealImages(db, store, 30)).toBe(1);
      expect(await store.open(await keyOf(old))).toBeUndefined();
      expect(await store.open(await keyOf(fresh))).toBeDefined();
      const log = await server.api.request('GET', `/api/v1/nutrition/log/${old}?user_id=${user.id}`, {
        auth: { key: dev.key },
      });
      expect(log.body).toMatchObject({ id: old, status: 'pending', has_image: false });
      // Swept once: a second pass finds nothing.
      expect(await sweepExpiredMealImages(db, store, 30)).toBe(0);
    });
  },
  { worker: false },
);
