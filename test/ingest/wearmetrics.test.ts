import { expect, it } from 'vitest';
import { describeEachDatabase, waitForRun } from '../support/harness.ts';

describeEachDatabase('WearMetrics ingest (spec 003)', (ctx) => {
  it('stores known metrics in canonical units, RR intervals behind the range gate, unknowns kept raw', async () => {
    const server = ctx();
    const dev = await server.api.registerDeveloper();
    const user = await server.api.createUser(dev.key);
    const samples = [
      {
        timestamp: '2025-10-20T18:30:00Z',
        device_id: 'applewatch_1234',
        source: 'apple_healthkit',
        metrics: {
          hr: 72,
          hrv_rmssd: 45,
          hrv_sdnn: 62,
          steps: 1045,
          calories: 120.4,
          distance: 2.5,
          stress: 23,
          vo2_estimate: 41,
        },
        meta: { battery: 0.82, synced: true },
        rr_ms: [800, 850, 150, 820, 7000],
      },
      {
        timestamp: '2025-10-20T18:31:00Z',
        device_id: 'strap-01',
        source: 'polar_h10_ble',
        metrics: { hr: 75, hrv_rmssd: null },
        meta: { source_type: 'ble' },
      },
      { timestamp: 'yesterday', device_id: 'x', source: 'whoop', metrics: { hr: 60 } },
    ];
    const res = await server.api.request('POST', `/api/v1/users/${user.id}/wearmetrics`, {
      auth: { key: dev.key },
      json: samples,
    });
    expect(res.status).toBe(202);
    expect(res.body.kept_raw).toEqual({ 'metrics.vo2_estimate': 1 });
    expect(res.body.rejected).toEqual([
      {
        collection: 'samples',
        index: 2,
        loc: ['body', 'samples', 2, 'timestamp'],
        msg: 'must be an ISO 8601 timestamp',
      },
    ]);
    const run = await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
    expect(run).toMatchObject({ provider: 'wearmetrics', status: 'partial' });
    expect(run.result.rr_intervals).toEqual({ accepted: 3, rejected_out_of_range: 2 });

    const rows = await server.platform.database.db
      .selectFrom('samples')
      .innerJoin('data_sources', 'data_sources.id', 'samples.source_id')
      .select([
        'samples.series_type',
        'samples.start_time',
        'samples.value',
        'data_sources.provider',
        'data_sources.device_name',
        'data_sources.app_name',
      ])
      .where('samples.user_id', '=', user.id)
      .orderBy('samples.start_time')
      .orderBy('samples.series_type')
      .execute();
    const { findSeriesTypeById } = await import('../../src/catalog/series-types.ts');
    const named = rows.map((r) => ({ ...r, type: findSeriesTypeById(r.series_type)?.name }));
    const at1830 = named.filter((r) => r.start_time.toISOString() === '2025-10-20T18:30:00.000Z');
    expect(Object.fromEntries(at1830.map((r) => [r.type, r.value]))).toEqual({
      heart_rate: 72,
      heart_rate_variability_rmssd: 45,
      heart_rate_variability_sdnn: 62,
      steps: 1045,
      energy: 120.4,
      distance_other: 2500,
      stress_level: 23,
      rr_interval: 800,
    });
    expect(at1830[0]).toMatchObject({
      provider: 'apple',
      device_name: 'applewatch_1234',
      app_name: 'apple_healthkit',
    });
    // Beats are placed by the cumulative intervals: 800 at +0, 850 at +0.8 s, (150 gated) 820 at +1.8 s.
    const rr = named.filter((r) => r.type === 'rr_interval');
    expect(rr.map((r) => [r.start_time.toISOString(), r.value])).toEqual([
      ['2025-10-20T18:30:00.000Z', 800],
      ['2025-10-20T18:30:00.800Z', 850],
      ['2025-10-20T18:30:01.800Z', 820],
    ]);
    // An unknown source is tolerated and kept as its own provider.
    expect(named.find((r) => r.device_name === 'strap-01')).toMatchObject({
      provider: 'polar_h10_ble',
      value: 75,
    });
    // meta is kept with the archived payload.
    const raw = await server.platform.database.db
      .selectFrom('raw_payloads')
      .select('id')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    const { readRawPayload } = await import('../../src/health-data/raw-payloads.repo.ts');
    const archived = JSON.parse((await readRawPayload(server.platform.database.db, raw.id))!.body.toString());
    expect(archived.samples[0].meta).toEqual({ battery: 0.82, synced: true });
  });

  it('accepts {samples: [...]} and rejects a non-batch with 422', async () => {
    const server = ctx();
    const dev = await server.api.registerDeveloper();
    const user = await server.api.createUser(dev.key);
    const ok = await server.api.request('POST', `/api/v1/users/${user.id}/wearmetrics`, {
      auth: { key: dev.key },
      json: {
        samples: [{ timestamp: '2025-10-20T18:30:00Z', device_id: 'd', source: 'oura', metrics: { hr: 50 } }],
      },
    });
    expect(ok.status).toBe(202);
    const bad = await server.api.request('POST', `/api/v1/users/${user.id}/wearmetrics`, {
      auth: { key: dev.key },
      json: { hr: 50 },
    });
    expect(bad.status).toBe(422);
  });
});
