import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowHash } from '../../src/audit/audit-log.ts';
import { hashedFieldsOf, verifyAuditChains, verifyDeveloperChain } from '../../src/audit/verify.ts';
import type { Db } from '../../src/db/database.ts';
import type { Platform } from '../../src/platform.ts';
import { startServer } from '../../src/server.ts';
import { KEY_A, newPlace, type Place } from '../crypto/places.ts';
import {
  ApiClient,
  type Credential,
  databaseLegs,
  describeEachDatabase,
  type TestServer,
} from '../support/harness.ts';
import { wearlinkSync } from '../support/processes.ts';

// The trail is append-only (a trigger refuses UPDATE and DELETE), and what a superuser changes behind
// the trigger's back is found by `audit verify`, which names the first row that does not hold.

/** A developer with a trail of `1 + keys` rows (registration, then one per key created). */
async function trail(api: ApiClient, keys: number) {
  const dev = await api.registerDeveloper();
  const auth: Credential = { key: dev.key };
  for (let i = 0; i < keys; i++) {
    const res = await api.request('POST', '/api/v1/developer/api-keys', { auth, json: { name: `k${i}` } });
    expect(res.status).toBe(201);
  }
  return dev;
}

/** What someone with the table owner's or a superuser's rights can do: switch the guard off for one change. */
function behindTheTrigger(db: Db, change: (trx: Db) => Promise<unknown>) {
  return db.transaction().execute(async (trx) => {
    await sql`alter table audit_logs disable trigger audit_logs_no_update`.execute(trx);
    await change(trx);
    await sql`alter table audit_logs enable trigger audit_logs_no_update`.execute(trx);
  });
}

describeEachDatabase('audit chain', (ctx) => {
  it('a clean chain verifies; UPDATE and DELETE through SQL are refused', async () => {
    const server: TestServer = ctx();
    const dev = await trail(server.api, 4);
    const db = server.platform.deps.db;
    expect(await verifyDeveloperChain(db, dev.id, 2)).toEqual({ developerId: dev.id, rows: 5, ok: true });

    await expect(
      sql`update audit_logs set action = 'api_key.deleted' where developer_id = ${dev.id} and seq = 2`.execute(
        db,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_logs where developer_id = ${dev.id}`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.deleteFrom('audit_logs').where('developer_id', '=', dev.id).execute()).rejects.toThrow(
      /append-only/,
    );
    expect(await verifyDeveloperChain(db, dev.id)).toMatchObject({ ok: true, rows: 5 });
    // Nor can the API change a row: the trail has no write routes.
    const put = await server.api.request('DELETE', '/api/v1/audit-logs', { auth: { key: dev.key } });
    expect([404, 405]).toContain(put.status);
  });

  it('a changed, removed or re-hashed row, or a cut tail, fails verify at its seq', async () => {
    const server: TestServer = ctx();
    const db = server.platform.deps.db;
    const where = (id: string, seq: number) => sql`where developer_id = ${id} and seq = ${seq}`;

    const changed = await trail(server.api, 4);
    await behindTheTrigger(db, (trx) =>
      sql`update audit_logs set detail = '{"name":"innocent"}' ${where(changed.id, 3)}`.execute(trx),
    );
    expect(await verifyDeveloperChain(db, changed.id, 2)).toMatchObject({
      ok: false,
      badSeq: 3,
      rows: 2,
      reason: expect.stringContaining('was changed'),
    });

    const removed = await trail(server.api, 4);
    await behindTheTrigger(db, (trx) => sql`delete from audit_logs ${where(removed.id, 2)}`.execute(trx));
    expect(await verifyDeveloperChain(db, removed.id)).toMatchObject({ ok: false, badSeq: 2 });

    // The changed row's hash recomputed: the next row's link no longer holds.
    const rehashed = await trail(server.api, 4);
    await behindTheTrigger(db, async (trx) => {
      const row = await trx
        .selectFrom('audit_logs')
        .selectAll()
        .where('developer_id', '=', rehashed.id)
        .where('seq', '=', 3)
        .executeTakeFirstOrThrow();
      const forged = { ...row, ip: '198.51.100.7' };
      const hash = auditRowHash(row.prev_hash, hashedFieldsOf(forged));
      await sql`update audit_logs set ip = ${forged.ip}, hash = ${hash} ${where(rehashed.id, 3)}`.execute(
        trx,
      );
    });
    expect(await verifyDeveloperChain(db, rehashed.id)).toMatchObject({
      ok: false,
      badSeq: 4,
      reason: expect.stringContaining('prev_hash'),
    });

    const cut = await trail(server.api, 4);
    await behindTheTrigger(db, (trx) => sql`delete from audit_logs ${where(cut.id, 5)}`.execute(trx));
    expect(await verifyDeveloperChain(db, cut.id)).toMatchObject({
      ok: false,
      badSeq: 5,
      reason: expect.stringContaining('rows removed from the end'),
    });

    const intact = await trail(server.api, 1);
    const reports = await verifyAuditChains(db);
    const byId = new Map(reports.map((r) => [r.developerId, r]));
    expect(byId.get(intact.id)).toMatchObject({ ok: true, rows: 2 });
    for (const broken of [changed, removed, rehashed, cut]) expect(byId.get(broken.id)?.ok).toBe(false);
  });
});

// The real command, in its own process, against a database a server wrote.
for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `wearlink audit verify [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let place: Place;
      beforeAll(() => {
        place = newPlace(leg);
      });
      afterAll(async () => {
        await place?.remove();
      });

      const withPlatform = async <T>(work: (platform: Platform) => Promise<T>): Promise<T> => {
        const platform = await place.open(KEY_A);
        try {
          return await work(platform);
        } finally {
          await platform.close();
        }
      };

      it('passes on an intact trail and fails, naming the seq, once a row is changed', async () => {
        const [good, bad] = await withPlatform(async (platform) => {
          const server = await startServer(platform);
          try {
            const api = new ApiClient(server.url);
            return [await trail(api, 2), await trail(api, 3)];
          } finally {
            await server.close();
          }
        });
        const env = place.processEnv(KEY_A);
        const clean = wearlinkSync(['audit', 'verify'], env);
        expect(clean.status, clean.output).toBe(0);
        expect(clean.output).toContain(`developer ${good.id}: ok (3 rows)`);
        expect(clean.output).toContain(`developer ${bad.id}: ok (4 rows)`);

        await withPlatform((platform) =>
          behindTheTrigger(platform.deps.db, (trx) =>
            sql`update audit_logs set user_agent = 'someone else' where developer_id = ${bad.id} and seq = 3`.execute(
              trx,
            ),
          ),
        );
        const tampered = wearlinkSync(['audit', 'verify'], env);
        expect(tampered.status, tampered.output).toBe(1);
        expect(tampered.output).toContain(`developer ${bad.id}: BROKEN at seq 3`);
        expect(tampered.output).toContain(`developer ${good.id}: ok (3 rows)`);
        expect(tampered.output).toContain('tampering detected in 1 of');

        const one = wearlinkSync(['audit', 'verify', '--developer', good.id], env);
        expect(one.status, one.output).toBe(0);
        expect(one.output).not.toContain(bad.id);
        const malformed = wearlinkSync(['audit', 'verify', '--developer', 'nope'], env);
        expect(malformed.status, malformed.output).toBe(2);
      }, 180_000);
    },
  );
}
