import { expect, it } from 'vitest';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

const watch = { deviceName: 'Apple Watch', deviceModel: 'Watch7,1', deviceType: 'watch' };
const phone = { deviceName: 'iPhone', deviceModel: 'iPhone15,2', deviceType: 'phone' };

type Rec = Record<string, unknown>;
const steps = (start: string, end: string, value: number, source: Rec, extra: Rec = {}) => ({
  type: 'HKQuantityTypeIdentifierStepCount',
  startDate: start,
  endDate: end,
  value,
  unit: 'count',
  source,
  ...extra,
});
const hr = (at: string, value: number, source: Rec = watch) => ({
  type: 'HKQuantityTypeIdentifierHeartRate',
  startDate: at,
  value,
  unit: 'count/min',
  source,
});

async function seed(server: TestServer, records: Rec[], sleep: Rec[] = []) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
    auth: { key: dev.key },
    json: { provider: 'apple', data: { records, sleep } },
  });
  expect(res.status).toBe(202);
  expect(res.body.rejected).toEqual([]);
  await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
  const get = (path: string) =>
    server.api.request('GET', `/api/v1/users/${user.id}${path}`, { auth: { key: dev.key } });
  return { dev, user, get };
}

describeEachDatabase('daily summaries', (ctx) => {
  it('counts phone and watch steps once: the watch wins the hours both saw, the phone fills the rest', async () => {
    const { get, user, dev } = await seed(ctx(), [
      // 08:00–09:00 UTC: both devices counted the same walk.
      steps('2026-04-15T08:00:00Z', '2026-04-15T08:30:00Z', 600, watch),
      steps('2026-04-15T08:30:00Z', '2026-04-15T09:00:00Z', 400, watch),
      steps('2026-04-15T08:05:00Z', '2026-04-15T08:50:00Z', 900, phone),
      // 14:00: the watch was charging; only the phone counted.
      steps('2026-04-15T14:10:00Z', '2026-04-15T14:20:00Z', 500, phone),
      hr('2026-04-15T08:10:00Z', 100),
      hr('2026-04-15T08:20:00Z', 120),
      hr('2026-04-15T14:15:00Z', 80),
    ]);
    const day = await get('/summaries/activity?start_date=2026-04-15&end_date=2026-04-15');
    expect(day.status).toBe(200);
    expect(day.body.data).toHaveLength(1);
    expect(day.body.data[0]).toMatchObject({
      date: '2026-04-15',
      steps: 1500,
      heart_rate: { avg_bpm: 100, min_bpm: 80, max_bpm: 120, resting_bpm: null },
    });
    expect(day.body.data[0].sources.steps).toEqual(
      expect.arrayContaining([
        { provider: 'apple', device: 'Apple Watch' },
        { provider: 'apple', device: 'iPhone' },
      ]),
    );

    // The user prefers their phone: 08:00 hour from the phone (900) plus 14:00 (500).
    const put = await ctx().api.request('PUT', `/api/v1/users/${user.id}/source-priority`, {
      auth: { key: dev.key },
      json: { priority: [{ device_type: 'phone' }] },
    });
    expect(put.status).toBe(200);
    expect(put.body.effective.map((s: { device: string; reason: string }) => [s.device, s.reason])).toEqual([
      ['iPhone', 'user rule 1'],
      ['Apple Watch', 'default: watch'],
    ]);
    const preferPhone = await get('/summaries/activity?start_date=2026-04-15&end_date=2026-04-15');
    expect(preferPhone.body.data[0].steps).toBe(1400);
  });

  it('cuts days at local midnight, across a DST change, using the offset of each sample', async () => {
    const berlin = { HKTimeZone: 'Europe/Berlin' };
    const { get, user, dev } = await seed(ctx(), [
      // 28 March, CET (+01:00): 22:59Z is 23:59 local, still the 28th.
      steps('2026-03-28T22:59:00Z', '2026-03-28T22:59:30Z', 10, watch, { metadata: berlin }),
      // 23:30Z is 00:30 on the 29th.
      steps('2026-03-28T23:30:00Z', '2026-03-28T23:31:00Z', 20, watch, { metadata: berlin }),
      // Clocks go forward at 01:00Z on the 29th; 20:59Z is 22:59 CEST, still the 29th.
      steps('2026-03-29T20:59:00Z', '2026-03-29T20:59:30Z', 40, watch, { metadata: berlin }),
      // 22:30Z is 00:30 CEST on the 30th.
      steps('2026-03-29T22:30:00Z', '2026-03-29T22:31:00Z', 80, watch, { metadata: berlin }),
      // No offset at all: the user's zone decides (unset: UTC, so the 29th).
      steps('2026-03-29T23:30:00Z', '2026-03-29T23:31:00Z', 1000, phone),
    ]);
    const days = await get('/summaries/activity?start_date=2026-03-28&end_date=2026-03-30');
    expect(days.body.data.map((d: { date: string; steps: number }) => [d.date, d.steps])).toEqual([
      ['2026-03-28', 10],
      ['2026-03-29', 1060],
      ['2026-03-30', 80],
    ]);
    // Setting the user's zone moves the offset-less sample to Berlin's 30th (01:30 CEST).
    const patch = await ctx().api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth: { key: dev.key },
      json: { timezone: 'Europe/Berlin' },
    });
    expect(patch.body.timezone).toBe('Europe/Berlin');
    const moved = await get('/summaries/activity?start_date=2026-03-28&end_date=2026-03-30');
    expect(moved.body.data.map((d: { date: string; steps: number }) => [d.date, d.steps])).toEqual([
      ['2026-03-28', 10],
      ['2026-03-29', 60],
      ['2026-03-30', 1080],
    ]);
    const badZone = await ctx().api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth: { key: dev.key },
      json: { timezone: 'Mars/Olympus' },
    });
    expect(badZone.status).toBe(422);
  });

  it('summarises sleep per wake-up day, preferring one source, with naps apart', async () => {
    const oura = { deviceName: 'Oura Ring Gen3', deviceType: 'ring' };
    const { get } = await seed(
      ctx(),
      [],
      [
        // Night on the watch: 23:00–07:00 UTC, 1 h deep, 6 h light, 30 min awake between, 30 min REM.
        {
          stage: 'asleep_light',
          startDate: '2026-04-14T23:00:00Z',
          endDate: '2026-04-15T02:00:00Z',
          source: watch,
        },
        { stage: 'awake', startDate: '2026-04-15T02:00:00Z', endDate: '2026-04-15T02:30:00Z', source: watch },
        {
          stage: 'asleep_deep',
          startDate: '2026-04-15T02:30:00Z',
          endDate: '2026-04-15T03:30:00Z',
          source: watch,
        },
        {
          stage: 'asleep_light',
          startDate: '2026-04-15T03:30:00Z',
          endDate: '2026-04-15T06:30:00Z',
          source: watch,
        },
        {
          stage: 'asleep_rem',
          startDate: '2026-04-15T06:30:00Z',
          endDate: '2026-04-15T07:00:00Z',
          source: watch,
        },
        // The same night on a ring: ranked below the watch by default, so not mixed in.
        {
          stage: 'asleep_deep',
          startDate: '2026-04-14T23:10:00Z',
          endDate: '2026-04-15T06:50:00Z',
          source: oura,
        },
        // An afternoon nap on the watch: 14:00–14:40 UTC.
        {
          stage: 'asleep_light',
          startDate: '2026-04-15T14:00:00Z',
          endDate: '2026-04-15T14:40:00Z',
          source: watch,
        },
      ],
    );
    const res = await get('/summaries/sleep?start_date=2026-04-15&end_date=2026-04-15');
    expect(res.body.data).toEqual([
      {
        date: '2026-04-15',
        total_sleep_minutes: 450,
        time_in_bed_minutes: 480,
        awake_minutes: 30,
        light_minutes: 360,
        deep_minutes: 60,
        rem_minutes: 30,
        unknown_minutes: 0,
        efficiency_percent: 93.8,
        interruptions: 1,
        sessions: 1,
        bedtime_start: '2026-04-14T23:00:00.000Z',
        bedtime_end: '2026-04-15T07:00:00.000Z',
        naps: { count: 1, minutes: 40 },
        source: { provider: 'apple', device: 'Apple Watch' },
      },
    ]);
  });

  it('reports the latest body metrics and their 7-day averages', async () => {
    const scale = { deviceName: 'Withings Body+', deviceType: 'scale' };
    const weight = (at: string, kg: number) => ({
      type: 'HKQuantityTypeIdentifierBodyMass',
      startDate: at,
      value: kg,
      unit: 'kg',
      source: scale,
    });
    const { get } = await seed(ctx(), [
      weight('2026-04-01T07:00:00Z', 80), // outside the 7 days before as_of
      weight('2026-04-10T07:00:00Z', 72),
      weight('2026-04-12T07:00:00Z', 71),
      weight('2026-04-14T07:00:00Z', 70),
      {
        type: 'HKQuantityTypeIdentifierRestingHeartRate',
        startDate: '2026-04-14T06:00:00Z',
        value: 52,
        unit: 'count/min',
        source: watch,
      },
      {
        type: 'HKQuantityTypeIdentifierBloodPressureSystolic',
        startDate: '2026-04-13T06:00:00Z',
        value: 121,
        unit: 'mmHg',
        source: phone,
      },
      {
        type: 'HKQuantityTypeIdentifierBloodPressureDiastolic',
        startDate: '2026-04-13T06:00:00Z',
        value: 79,
        unit: 'mmHg',
        source: phone,
      },
      weight('2026-04-16T07:00:00Z', 69), // after as_of
    ]);
    const res = await get('/summaries/body?as_of=2026-04-15T00:00:00Z');
    expect(res.status).toBe(200);
    expect(res.body.latest).toMatchObject({
      weight_kg: 70,
      resting_heart_rate_bpm: 52,
      blood_pressure_systolic_mmhg: 121,
      blood_pressure_diastolic_mmhg: 79,
      body_fat_percent: null,
    });
    expect(res.body.latest_measured_at.weight_kg).toBe('2026-04-14T07:00:00.000Z');
    expect(res.body.averaged.weight_kg).toBe(71);
  });

  it('balances energy per day, degrading to wearable_only or none, within a 92-day cap', async () => {
    const energy = (start: string, kcal: number, basal = false) => ({
      type: basal
        ? 'HKQuantityTypeIdentifierBasalEnergyBurned'
        : 'HKQuantityTypeIdentifierActiveEnergyBurned',
      startDate: start,
      endDate: start.replace(':00:00Z', ':30:00Z'),
      value: kcal,
      unit: 'kcal',
      source: watch,
    });
    const { get } = await seed(ctx(), [
      energy('2026-04-20T10:00:00Z', 480.5),
      energy('2026-04-20T11:00:00Z', 1900, true),
    ]);
    const res = await get('/energy_balance?date_from=2026-04-20&date_to=2026-04-21');
    expect(res.status).toBe(200);
    expect(res.body.days).toEqual([
      {
        date: '2026-04-20',
        calories_consumed_kcal: null,
        calories_burned_kcal: 2380.5,
        active_calories_kcal: 480.5,
        basal_calories_kcal: 1900,
        net_energy_balance_kcal: null,
        data_completeness: 'wearable_only',
      },
      {
        date: '2026-04-21',
        calories_consumed_kcal: null,
        calories_burned_kcal: null,
        active_calories_kcal: null,
        basal_calories_kcal: null,
        net_energy_balance_kcal: null,
        data_completeness: 'none',
      },
    ]);
    const tooLong = await get('/energy_balance?date_from=2026-01-01&date_to=2026-04-21');
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.detail[0].msg).toMatch(/92 days/);
    const reversed = await get('/summaries/activity?start_date=2026-04-21&end_date=2026-04-20');
    expect(reversed.status).toBe(422);
  });
});
