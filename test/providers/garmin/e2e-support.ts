import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.ts';
import type { TestServer } from '../../support/harness.ts';
import { eventually } from '../../support/vendor-e2e.ts';
import type { RunningGarminMock } from '../../support/vendor-mocks/garmin.ts';

/** Small helpers of the Garmin end-to-end test: row counts, a foreign host, the connect flow, processing waits. */

const USER_TABLES = [
  'samples',
  'workouts',
  'sleep_sessions',
  'sleep_stage_intervals',
  'health_scores',
] as const;

/** Rows a user has in each canonical table, and route points of their workouts. */
const counter = (db: Db) => async (query: ReturnType<typeof sql<{ n: string | number }>>) =>
  Number((await query.execute(db)).rows[0]?.n ?? 0);

/** Every stored vendor delivery (one server per test file: all of them are the test's). */
export const countInbound = (db: Db) => counter(db)(sql`select count(*) as n from inbound_webhooks`);

export async function countRows(db: Db, userId: string): Promise<Record<string, number>> {
  const count = counter(db);
  const out: Record<string, number> = {};
  for (const table of USER_TABLES)
    out[table] = await count(sql`select count(*) as n from ${sql.table(table)} where user_id = ${userId}`);
  out.workout_route_points = await count(
    sql`select count(*) as n from workout_route_points p join workouts w on w.id = p.workout_id where w.user_id = ${userId}`,
  );
  return out;
}

/** A host that is not Garmin's: counts what reaches it (a refused ping must reach nothing). */
export async function startForeignHost(): Promise<{ url: string; hits: number; close(): Promise<void> }> {
  const host = { url: '', hits: 0, close: async () => {} };
  const server = createHttpServer((_req, res) => {
    host.hits += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  host.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return host;
}

/**
 * The connect flow a developer's app drives: WearLink's authorize URL, the user approving at (mock)
 * Garmin as `garminUser`, Garmin redirecting to WearLink's callback, WearLink redirecting to the app.
 * Returns Garmin's consent URL and where the user ended up.
 */
export async function connectThroughGarmin(
  server: TestServer,
  garmin: RunningGarminMock,
  key: string,
  userId: string,
  garminUser: string,
): Promise<{ consent: URL; authorizeStatus: number; outcome: URL; outcomeStatus: number }> {
  const redirectUri = 'http://127.0.0.1:9/garmin-done';
  const start = await server.api.request(
    'GET',
    `/api/v1/providers/garmin/authorize?user_id=${userId}&redirect_uri=${encodeURIComponent(redirectUri)}`,
    { auth: { key } },
  );
  if (start.status !== 200) throw new Error(`authorize: ${start.status} ${start.text}`);
  const consent = new URL(start.body.authorization_url);
  garmin.oauth.approveNextAs(garminUser);
  const toCallback = await fetch(consent, { redirect: 'manual' });
  const done = await fetch(toCallback.headers.get('location') ?? '', { redirect: 'manual' });
  return {
    consent,
    authorizeStatus: start.status,
    outcome: new URL(done.headers.get('location') ?? 'http://invalid/'),
    outcomeStatus: done.status,
  };
}

/** The stored delivery once its job has settled it (processed, ignored or failed). */
export function settledInbound(db: Db, id: string) {
  return eventually(async () => {
    const row = await db.selectFrom('inbound_webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row !== undefined && row.status !== 'received' ? row : undefined;
  }, `inbound webhook ${id} settled`);
}

/** Every delivery the mock sent answered, every stored one processed, every run of the user finished. */
export async function allProcessed(db: Db, garmin: RunningGarminMock, userId: string): Promise<void> {
  await garmin.notifier.idle();
  await eventually(async () => {
    const open = await db
      .selectFrom('inbound_webhooks')
      .select('id')
      .where('status', '=', 'received')
      .executeTakeFirst();
    const running = await db
      .selectFrom('sync_runs')
      .select('id')
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return open === undefined && running === undefined ? true : undefined;
  }, 'deliveries processed');
}
