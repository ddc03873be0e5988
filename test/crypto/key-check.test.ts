import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEncryptionKey } from '../../src/crypto/key-check.ts';
import { SecretBox } from '../../src/crypto/secret-box.ts';
import { StartupError } from '../../src/platform.ts';
import { databaseLegs } from '../support/harness.ts';
import { KEY_A, KEY_B, KEY_C, newPlace, type Place } from './places.ts';

const keyId = (key: string) => new SecretBox(key).keyId;

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `ENCRYPTION_KEY start-up check [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let place: Place;
      beforeAll(() => {
        place = newPlace(leg);
      });
      afterAll(async () => place.remove());

      it('writes the canary on the first start, refuses a start with another key, re-seals it under a rotated key', async () => {
        const first = await place.open(KEY_A);
        try {
          const rows = await first.deps.db.selectFrom('encryption_canary').selectAll().execute();
          expect(rows).toHaveLength(1);
          expect(rows[0]?.key_id).toBe(keyId(KEY_A));
          expect(SecretBox.keyIdOf(rows[0]?.sealed ?? '')).toBe(keyId(KEY_A));
        } finally {
          await first.close();
        }

        const refused = await place.open(KEY_B).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refused).toBeInstanceOf(StartupError);
        const message = (refused as Error).message;
        expect(message).toContain('ENCRYPTION_KEY differs from the key this database');
        expect(message).toContain(`data key id ${keyId(KEY_A)}`);
        expect(message).toContain(`this ENCRYPTION_KEY has key id ${keyId(KEY_B)}`);
        expect(message).toMatch(/set ENCRYPTION_KEY back to the key the data was written with/);
        expect(message).toMatch(/the old one in ENCRYPTION_KEY_PREVIOUS/);
        expect(message).toContain('wearlink secrets rotate');
        // An unrelated previous key does not help either.
        await expect(place.open(KEY_B, KEY_C)).rejects.toThrow(
          /neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS/,
        );

        // The refused starts closed the database (a PGlite directory would stay locked) and wrote nothing.
        const again = await place.open(KEY_A);
        await again.close();

        // The new key with the old one as previous: the canary moves to the new key.
        const rotated = await place.open(KEY_B, KEY_A);
        try {
          const row = await rotated.deps.db
            .selectFrom('encryption_canary')
            .selectAll()
            .executeTakeFirstOrThrow();
          expect(row.key_id).toBe(keyId(KEY_B));
          expect(SecretBox.keyIdOf(row.sealed)).toBe(keyId(KEY_B));
        } finally {
          await rotated.close();
        }
        // So the new key alone now starts, and the old one alone is the wrong key.
        await (await place.open(KEY_B)).close();
        await expect(place.open(KEY_A)).rejects.toThrow(`data key id ${keyId(KEY_B)}`);
      }, 300_000);

      it('lets starts that race on a fresh database all succeed, with one canary', async () => {
        const platform = await place.open(KEY_B);
        try {
          const { db } = platform.deps;
          await db.deleteFrom('encryption_canary').execute();
          // Separate boxes, as separate nodes have: each seals its own canary value, one insert wins.
          await Promise.all(Array.from({ length: 4 }, () => checkEncryptionKey(db, new SecretBox(KEY_B))));
          const rows = await db.selectFrom('encryption_canary').selectAll().execute();
          expect(rows).toHaveLength(1);
          expect(new SecretBox(KEY_B).open(rows[0]?.sealed ?? '', 'encryption_canary')).toMatch(
            /^[\w-]{32}$/,
          );
          // Nodes that start at once in mid-rotation re-seal it once; all of them succeed.
          await db
            .updateTable('encryption_canary')
            .set({ sealed: new SecretBox(KEY_A).seal('canary', 'encryption_canary'), key_id: keyId(KEY_A) })
            .execute();
          await Promise.all(
            Array.from({ length: 4 }, () => checkEncryptionKey(db, new SecretBox(KEY_B, [KEY_A]))),
          );
          const row = await db.selectFrom('encryption_canary').selectAll().executeTakeFirstOrThrow();
          expect(row.key_id).toBe(keyId(KEY_B));
          expect(new SecretBox(KEY_B).open(row.sealed, 'encryption_canary')).toBe('canary');
        } finally {
          await platform.close();
        }
      }, 120_000);

      it.skipIf(leg !== 'postgres')(
        'starts two nodes at once on a schema with no canary yet',
        async () => {
          const fresh = newPlace(leg);
          try {
            // Migrated first: two nodes migrating a new schema at once is the release step's business.
            const setup = await fresh.open(KEY_C);
            await setup.deps.db.deleteFrom('encryption_canary').execute();
            await setup.close();
            const nodes = await Promise.all([fresh.open(KEY_C), fresh.open(KEY_C)]);
            for (const node of nodes) await node.close();
            await (await fresh.open(KEY_C)).close();
            await expect(fresh.open(KEY_A)).rejects.toThrow(StartupError);
          } finally {
            await fresh.remove();
          }
        },
        120_000,
      );
    },
  );
}
