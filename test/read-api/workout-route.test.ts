import { expect, it } from 'vitest';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

const watch = { name: 'Workout', deviceName: 'Apple Watch', deviceType: 'watch' };
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** `count` points 5 s apart heading north-east from Berlin, altitude on every other one. */
function route(count: number, startIso: string) {
  const start = Date.parse(startIso);
  return Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(start + i * 5000).toISOString(),
    latitude: 52.52 + i * 0.0001,
    longitude: 13.405 + i * 0.0002,
    ...(i % 2 === 0 ? { altitude: 34 + i } : {}),
  }));
}

/** A developer and a user with workouts pushed through the SDK ingest path (the one the iOS SDK uses). */
async function seed(server: TestServer, workouts: unknown[]) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const auth = { key: dev.key };
  const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
    auth,
    json: { provider: 'apple', data: { workouts } },
  });
  expect(res.status).toBe(202);
  const run = await waitForRun(server.api, auth, user.id, res.body.run_id);
  expect(run.status).toBe('success');
  const list = await server.api.request(
    'GET',
    `/api/v1/users/${user.id}/events/workouts?start_date=2026-04-01&end_date=2026-04-30`,
    { auth },
  );
  expect(list.status).toBe(200);
  const ids = new Map<string, string>(
    list.body.data.map((w: { id: string; type: string }) => [w.type, w.id] as [string, string]),
  );
  const get = (workoutId: string, query = '', key = dev.key, userId = user.id) =>
    server.api.request('GET', `/api/v1/users/${userId}/events/workouts/${workoutId}/route${query}`, {
      auth: { key },
    });
  return { dev, user, ids, get };
}

const run = (points: unknown[]) => ({
  id: 'run-1',
  type: 'running',
  startDate: '2026-04-15T06:00:00Z',
  endDate: '2026-04-15T06:35:00Z',
  source: watch,
  route: points,
});
const yoga = {
  id: 'yoga-1',
  type: 'yoga',
  startDate: '2026-04-16T18:00:00Z',
  endDate: '2026-04-16T18:45:00Z',
  source: watch,
};

describeEachDatabase('workout route', (ctx) => {
  it('returns the route points in time order, with altitude where there is one', async () => {
    const points = route(12, '2026-04-15T06:00:00Z');
    // Sent out of order: the answer is ordered by time whatever the source sent.
    const { ids, get } = await seed(ctx(), [run([...points].reverse()), yoga]);
    const res = await get(ids.get('running') as string);
    expect(res.status).toBe(200);
    expect(res.body.workout_id).toBe(ids.get('running'));
    expect(res.body.total_points).toBe(12);
    expect(res.body.downsampled).toBe(false);
    expect(res.body.points).toHaveLength(12);
    expect(res.body.points[0]).toEqual({
      time: '2026-04-15T06:00:00.000Z',
      latitude: 52.52,
      longitude: 13.405,
      altitude_m: 34,
    });
    expect(res.body.points[1]).toMatchObject({ time: '2026-04-15T06:00:05.000Z', altitude_m: null });
    const times = res.body.points.map((p: { time: string }) => p.time);
    expect(times).toEqual([...times].sort());

    // A workout without a route is a workout: an empty list, not a 404.
    const none = await get(ids.get('yoga') as string);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ total_points: 0, downsampled: false, points: [] });
  });

  it('downsamples a route over max_points evenly, keeping the first and last point', async () => {
    const { ids, get } = await seed(ctx(), [run(route(12, '2026-04-15T06:00:00Z'))]);
    const id = ids.get('running') as string;
    // 12 points into 5: stride ceil(11 / 4) = 3 → points 0, 3, 6, 9 and the last one, 11.
    const res = await get(id, '?max_points=5');
    expect(res.status).toBe(200);
    expect(res.body.total_points).toBe(12);
    expect(res.body.downsampled).toBe(true);
    expect(res.body.points.map((p: { time: string }) => p.time)).toEqual(
      [0, 3, 6, 9, 11].map((i) => new Date(Date.parse('2026-04-15T06:00:00Z') + i * 5000).toISOString()),
    );
    // A route that exactly fits is returned whole.
    const exact = await get(id, '?max_points=12');
    expect(exact.body).toMatchObject({ total_points: 12, downsampled: false });
    expect(exact.body.points).toHaveLength(12);
    // Two is the smallest sensible cap: start and finish.
    const two = await get(id, '?max_points=2');
    expect(two.body.points.map((p: { time: string }) => p.time)).toEqual([
      '2026-04-15T06:00:00.000Z',
      '2026-04-15T06:00:55.000Z',
    ]);
    for (const bad of ['?max_points=1', '?max_points=20001', '?max_points=abc']) {
      expect((await get(id, bad)).status, bad).toBe(422);
    }
  });

  it("is 404 for another tenant's user or workout and for another user's workout", async () => {
    const server = ctx();
    const a = await seed(server, [run(route(3, '2026-04-15T06:00:00Z'))]);
    const b = await seed(server, [run(route(3, '2026-04-15T07:00:00Z'))]);
    const aRun = a.ids.get('running') as string;
    const bRun = b.ids.get('running') as string;

    // B's key on A's user and workout: the user is not B's.
    const foreignUser = await a.get(aRun, '', b.dev.key);
    expect(foreignUser.status).toBe(404);
    expect(JSON.stringify(foreignUser.body)).not.toContain('52.52');
    // A's key, A's user, B's workout id: not this user's workout.
    expect((await a.get(bRun)).status).toBe(404);
    // Another user of the same tenant does not see A's user's workout under its own path.
    const sibling = await server.api.createUser(a.dev.key);
    const crossUser = await a.get(aRun, '', a.dev.key, sibling.id);
    expect(crossUser.status).toBe(404);
    expect(crossUser.body.detail).toBe('Workout not found');
    expect((await a.get(UNKNOWN)).status).toBe(404);
    expect((await a.get('not-a-uuid')).status).toBe(422);
    // And the owner still gets it.
    expect((await a.get(aRun)).body.points).toHaveLength(3);
  });
});
