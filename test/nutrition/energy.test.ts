import { expect, it } from 'vitest';
import { describeEachDatabase, waitForRun } from '../support/harness.ts';
import { jpegWithGps } from './image-fixtures.ts';

const watch = { deviceName: 'Apple Watch', deviceModel: 'Watch7,1', deviceType: 'watch' };
const energy = (start: string, kcal: number, basal = false) => ({
  type: basal ? 'HKQuantityTypeIdentifierBasalEnergyBurned' : 'HKQuantityTypeIdentifierActiveEnergyBurned',
  startDate: start,
  endDate: start.replace(':00:00Z', ':30:00Z'),
  value: kcal,
  unit: 'kcal',
  source: watch,
});

describeEachDatabase('energy balance with nutrition logs', (ctx) => {
  it('reports calories in from recognized/manual logs, the net, and which sides a day has', async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    const auth = { key: dev.key };
    const user = await api.createUser(dev.key);
    const synced = await api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth,
      json: {
        provider: 'apple',
        data: {
          records: [
            energy('2026-04-25T10:00:00Z', 480.5),
            energy('2026-04-25T11:00:00Z', 1900, true),
            energy('2026-04-27T10:00:00Z', 300),
          ],
        },
      },
    });
    expect(synced.status).toBe(202);
    await waitForRun(api, auth, user.id, synced.body.run_id);

    const manual = async (detectedAt: string, kcal: number[]) => {
      const res = await api.request('POST', `/api/v1/nutrition/log/manual?user_id=${user.id}`, {
        auth,
        json: {
          meal_type: 'lunch',
          detected_at: detectedAt,
          items: kcal.map((k, i) => ({ dish_name: `dish ${i}`, quantity_grams: 100, calories_kcal: k })),
        },
      });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    };
    // 2026-04-25: wearable and two meals (2150 kcal); a discarded meal and a pending photo do not count.
    await manual('2026-04-25T08:00:00Z', [400, 350]);
    await manual('2026-04-25T19:00:00Z', [1400]);
    const discarded = await manual('2026-04-25T21:00:00Z', [900]);
    expect(
      (await api.request('DELETE', `/api/v1/nutrition/log/${discarded}?user_id=${user.id}`, { auth })).status,
    ).toBe(204);
    const form = new FormData();
    form.set('file', new Blob([jpegWithGps().bytes], { type: 'image/jpeg' }), 'meal.jpg');
    form.set('detected_at', '2026-04-25T13:00:00Z');
    const photo = await api.request('POST', `/api/v1/nutrition/log/image?user_id=${user.id}`, {
      auth,
      body: form,
    });
    expect(photo.status, photo.text).toBe(202);
    // 2026-04-26: nutrition only.
    await manual('2026-04-26T12:00:00Z', [600.25]);

    const res = await api.request(
      'GET',
      `/api/v1/users/${user.id}/energy_balance?date_from=2026-04-25&date_to=2026-04-28`,
      { auth },
    );
    expect(res.status).toBe(200);
    expect(res.body.days).toEqual([
      {
        date: '2026-04-25',
        calories_consumed_kcal: 2150,
        calories_burned_kcal: 2380.5,
        active_calories_kcal: 480.5,
        basal_calories_kcal: 1900,
        net_energy_balance_kcal: -230.5,
        data_completeness: 'wearable_and_nutrition',
      },
      {
        date: '2026-04-26',
        calories_consumed_kcal: 600.3,
        calories_burned_kcal: null,
        active_calories_kcal: null,
        basal_calories_kcal: null,
        net_energy_balance_kcal: null,
        data_completeness: 'nutrition_only',
      },
      {
        date: '2026-04-27',
        calories_consumed_kcal: null,
        calories_burned_kcal: 300,
        active_calories_kcal: 300,
        basal_calories_kcal: null,
        net_energy_balance_kcal: null,
        data_completeness: 'wearable_only',
      },
      {
        date: '2026-04-28',
        calories_consumed_kcal: null,
        calories_burned_kcal: null,
        active_calories_kcal: null,
        basal_calories_kcal: null,
        net_energy_balance_kcal: null,
        data_completeness: 'none',
      },
    ]);
  });

  it("cuts meals into the user's local days", async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    const auth = { key: dev.key };
    const user = await api.createUser(dev.key, { timezone: 'Asia/Kolkata' });
    // 20:00 UTC on the 25th is 01:30 on the 26th in India.
    const res = await api.request('POST', `/api/v1/nutrition/log/manual?user_id=${user.id}`, {
      auth,
      json: { detected_at: '2026-04-25T20:00:00Z', items: [{ dish_name: 'dosa', calories_kcal: 300 }] },
    });
    expect(res.status, res.text).toBe(201);
    const balance = await api.request(
      'GET',
      `/api/v1/users/${user.id}/energy_balance?date_from=2026-04-25&date_to=2026-04-26`,
      { auth },
    );
    expect(
      balance.body.days.map((d: { calories_consumed_kcal: number | null }) => d.calories_consumed_kcal),
    ).toEqual([null, 300]);
  });
});
