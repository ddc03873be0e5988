import { expect, it } from 'vitest';
import { describeEachDatabase, waitForRun } from '../support/harness.ts';

/**
 * Daily activity sums days that one source recorded in one pass, and reads only days that several
 * sources recorded hour by hour for the source-priority rule. These days mix both kinds, three sources
 * (watch > ring > phone by default) and a metric fed by two series types (distance).
 */

const watch = { deviceName: 'Apple Watch', deviceType: 'watch' };
const ring = { deviceName: 'Oura Ring', deviceType: 'ring' };
const phone = { deviceName: 'iPhone', deviceType: 'phone' };
type Source = typeof watch;

const quantity =
  (type: string, unit: string) => (at: string, minutes: number, value: number, source: Source) => ({
    type,
    startDate: `${at}Z`,
    endDate: new Date(Date.parse(`${at}Z`) + minutes * 60_000).toISOString(),
    value,
    unit,
    source,
  });
const steps = quantity('HKQuantityTypeIdentifierStepCount', 'count');
const walking = quantity('HKQuantityTypeIdentifierDistanceWalkingRunning', 'm');
const cycling = quantity('HKQuantityTypeIdentifierDistanceCycling', 'm');
const basal = quantity('HKQuantityTypeIdentifierBasalEnergyBurned', 'kcal');
const hr = (at: string, value: number, source: Source) => ({
  type: 'HKQuantityTypeIdentifierHeartRate',
  startDate: `${at}Z`,
  value,
  unit: 'count/min',
  source,
});

type Day = { date: string; sources: Record<string, { device: string }[]> } & Record<string, unknown>;
const devices = (d: Day) =>
  Object.fromEntries(
    Object.entries(d.sources).map(([metric, list]) => [metric, list.map((s) => s.device).sort()]),
  );

describeEachDatabase('daily activity with contested and single-source days', (ctx) => {
  it('takes each contested hour from the best source present and sums single-source days whole', async () => {
    const server = ctx();
    const dev = await server.api.registerDeveloper();
    const user = await server.api.createUser(dev.key);
    const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth: { key: dev.key },
      json: {
        provider: 'apple',
        data: {
          records: [
            // 04-14: the phone alone.
            steps('2026-04-14T08:10:00', 10, 300, phone),
            steps('2026-04-14T15:00:00', 10, 200, phone),
            // 04-15: 08:00 watch and phone (watch wins); 14:00 phone and ring (ring wins); 16:00 phone alone.
            steps('2026-04-15T08:00:00', 30, 600, watch),
            steps('2026-04-15T08:05:00', 45, 900, phone),
            steps('2026-04-15T14:10:00', 10, 500, phone),
            steps('2026-04-15T14:20:00', 10, 50, ring),
            steps('2026-04-15T16:00:00', 10, 70, phone),
            // Distance: 09:00 the watch walked and the phone cycled (one metric: the watch wins the hour);
            // 10:00 only the phone.
            walking('2026-04-15T09:10:00', 10, 1000.25, watch),
            cycling('2026-04-15T09:20:00', 10, 3000, phone),
            walking('2026-04-15T10:00:00', 10, 400.5, phone),
            hr('2026-04-15T08:10:00', 100, watch),
            hr('2026-04-15T08:20:00', 81, phone),
            // 04-16: the watch alone for steps, the ring alone for basal energy.
            steps('2026-04-16T07:00:00', 10, 1000, watch),
            basal('2026-04-16T12:00:00', 60, 1500.5, ring),
          ],
        },
      },
    });
    expect(res.status).toBe(202);
    await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
    const get = async (from: string, to: string) =>
      (
        await server.api.request(
          'GET',
          `/api/v1/users/${user.id}/summaries/activity?start_date=${from}&end_date=${to}`,
          { auth: { key: dev.key } },
        )
      ).body.data as Day[];

    const days = await get('2026-04-14', '2026-04-16');
    expect(
      days.map((d) => [d.date, d.steps, d.distance_meters, d.basal_calories_kcal, d.total_calories_kcal]),
    ).toEqual([
      ['2026-04-14', 500, null, null, null],
      ['2026-04-15', 600 + 50 + 70, 1400.8, null, null],
      ['2026-04-16', 1000, null, 1500.5, 1500.5],
    ]);
    expect(days.map(devices)).toEqual([
      { steps: ['iPhone'] },
      {
        steps: ['Apple Watch', 'Oura Ring', 'iPhone'],
        distance: ['Apple Watch', 'iPhone'],
        heart_rate: ['Apple Watch', 'iPhone'],
      },
      { steps: ['Apple Watch'], basal_energy: ['Oura Ring'] },
    ]);
    expect(days[1]?.heart_rate).toEqual({ avg_bpm: 90.5, min_bpm: 81, max_bpm: 100, resting_bpm: null });
    // Day by day, the same days.
    const single = [
      ...(await get('2026-04-14', '2026-04-14')),
      ...(await get('2026-04-15', '2026-04-15')),
      ...(await get('2026-04-16', '2026-04-16')),
    ];
    expect(single).toEqual(days);

    // The user ranks the phone first: it now wins every hour it recorded.
    const ranked = await server.api.request('PUT', `/api/v1/users/${user.id}/source-priority`, {
      auth: { key: dev.key },
      json: { priority: [{ device_name: 'iPhone' }] },
    });
    expect(ranked.status).toBe(200);
    const phoneFirst = await get('2026-04-14', '2026-04-16');
    expect(phoneFirst.map((d) => [d.date, d.steps, d.distance_meters])).toEqual([
      ['2026-04-14', 500, null],
      ['2026-04-15', 900 + 500 + 70, 3400.5],
      ['2026-04-16', 1000, null],
    ]);
    expect(devices(phoneFirst[1] as Day)).toMatchObject({ steps: ['iPhone'], distance: ['iPhone'] });
  });
});
