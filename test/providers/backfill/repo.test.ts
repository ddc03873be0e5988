import { expect, it } from 'vitest';
import { createConnection } from '../../../src/connections/connections.repo.ts';
import { emptyBatch } from '../../../src/health-data/canonical.ts';
import {
  dataSpan,
  expireStaleRequests,
  insertPlannedWindows,
  markDelivered,
  settleRequest,
  windowsOfUser,
} from '../../../src/providers/backfill/repo.ts';
import { describeEachDatabase } from '../../support/harness.ts';
import { pushVendor } from './push-vendor.ts';

const DAY = 86_400_000;
const manifest = pushVendor('http://127.0.0.1:9').manifest;

describeEachDatabase('backfill windows repo', (ctx) => {
  const setup = async () => {
    const { api, platform } = ctx();
    const dev = await api.registerDeveloper();
    const user = await api.createUser(dev.key);
    const connection = await createConnection(platform.deps.db, {
      developerId: dev.id,
      userId: user.id,
      provider: 'pushvendor',
      settings: {},
    });
    return { db: platform.deps.db, connection };
  };
  const t0 = Date.UTC(2026, 10, 1);
  const w = (type: string, fromDay: number, toDay: number) => ({
    type,
    fromMs: t0 + fromDay * DAY,
    toMs: t0 + toDay * DAY,
  });

  it('never takes over a window that was asked for; a failed one is planned again under the new run', async () => {
    const { db, connection } = await setup();
    await insertPlannedWindows(db, connection, 'run-1', [w('dailies', 0, 10), w('sleeps', 0, 10)]);
    const [dailies, sleeps] = await windowsOfUser(db, connection);
    await settleRequest(db, dailies?.id as string, 'requested', null);
    await settleRequest(db, sleeps?.id as string, 'failed', 'refused with 400');
    await insertPlannedWindows(db, connection, 'run-2', [w('dailies', 0, 10), w('sleeps', 0, 10)]);
    const after = await windowsOfUser(db, connection);
    expect(after).toHaveLength(2);
    expect(after.find((x) => x.type === 'dailies')).toMatchObject({
      status: 'requested',
      run_id: 'run-1',
      attempts: 1,
    });
    expect(after.find((x) => x.type === 'sleeps')).toMatchObject({
      status: 'pending',
      run_id: 'run-2',
      detail: null,
    });
  });

  it('a delivery marks only the requested windows of the types its list key delivers', async () => {
    const { db, connection } = await setup();
    await insertPlannedWindows(db, connection, 'run-1', [
      w('activities', 0, 30),
      w('dailies', 0, 10),
      w('dailies', 10, 20),
      w('hrv', 0, 30),
    ]);
    const rows = await windowsOfUser(db, connection);
    for (const row of rows.filter(
      (r) => !(r.type === 'dailies' && r.window_start.getTime() === t0 + 10 * DAY),
    ))
      await settleRequest(db, row.id, 'requested', null);
    // An alias key of activities; a key no type is delivered as; then dailies.
    expect(await markDelivered(db, connection, manifest, 'manuallyUpdatedActivities')).toBe(1);
    expect(await markDelivered(db, connection, manifest, 'epochs')).toBe(0);
    expect(await markDelivered(db, connection, manifest, 'dailies')).toBe(1);
    const after = await windowsOfUser(db, connection);
    const status = (type: string, fromDay: number) =>
      after.find((r) => r.type === type && r.window_start.getTime() === t0 + fromDay * DAY)?.status;
    expect(status('activities', 0)).toBe('received');
    expect(status('dailies', 0)).toBe('received');
    expect(status('dailies', 10)).toBe('pending'); // never asked: a delivery does not settle it
    expect(status('hrv', 0)).toBe('requested');
    expect(after.find((r) => r.status === 'received')?.received_at).toBeInstanceOf(Date);
  });

  it('data with known times settles only the windows it falls in', async () => {
    const { db, connection } = await setup();
    await insertPlannedWindows(db, connection, 'run-1', [w('dailies', 0, 10), w('dailies', 10, 20)]);
    for (const row of await windowsOfUser(db, connection)) await settleRequest(db, row.id, 'requested', null);
    // Today's routine push (day 25) settles nothing; a day-12 record settles the second window only.
    expect(
      await markDelivered(db, connection, manifest, 'dailies', {
        fromMs: t0 + 25 * DAY,
        toMs: t0 + 26 * DAY,
      }),
    ).toBe(0);
    const span = dataSpan([
      { ...emptyBatch(), samples: [{ startMs: t0 + 12 * DAY, durationMs: 900_000 } as never] },
    ]);
    expect(span).toEqual({ fromMs: t0 + 12 * DAY, toMs: t0 + 12 * DAY + 900_000 });
    expect(await markDelivered(db, connection, manifest, 'dailies', span)).toBe(1);
    const after = await windowsOfUser(db, connection);
    expect(after.map((r) => r.status)).toEqual(['requested', 'received']);
    expect(dataSpan([emptyBatch()])).toBeUndefined();
  });

  it('a run that ended without its data leaves its requested windows to the next run as timed out', async () => {
    const { db, connection } = await setup();
    await insertPlannedWindows(db, connection, 'run-1', [w('hrv', 0, 30)]);
    const [hrv] = await windowsOfUser(db, connection);
    await settleRequest(db, hrv?.id as string, 'requested', null);
    expect(await expireStaleRequests(db, connection.id, 'run-1')).toBe(0); // its own run: still waiting
    expect(await expireStaleRequests(db, connection.id, 'run-2')).toBe(1);
    expect((await windowsOfUser(db, connection))[0]).toMatchObject({ status: 'timed_out', run_id: 'run-1' });
  });
});
