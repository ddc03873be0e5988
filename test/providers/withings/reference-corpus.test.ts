import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { mapWithings } from '../../../src/providers/withings/map.ts';

/**
 * Every payload file of the Withings reference folder (examples assembled from Withings' own OpenAPI
 * `example:` values, with "string"/0 placeholders where the spec gives none) maps to canonical records,
 * with the count of each kind asserted. Files that are not data WearLink maps are listed with the
 * reason; a file in neither list fails the suite.
 */

const referenceDir = join(import.meta.dirname, '../../../../shared/reference/providers/withings');
const present = existsSync(referenceDir);

const SKIPPED: Record<string, string> = {
  'SOURCE.txt': 'provenance notes, not a payload',
  'withings-data-api-openapi-official.yml': 'the OpenAPI specification, not a payload',
  'spec-example-heartv2-list.json':
    'ECG recordings list (signal ids, AFib classification): WearLink does not pull ECG signals',
  'spec-example-notify-subscribe.json': 'the answer to a subscribe call (empty body), not data',
  'spec-example-notify_object.json': 'a subscription object (appli, callbackurl, comment), not data',
};

interface Counts {
  workouts?: number;
  sleep?: number;
  scores?: number;
  samples?: Record<string, number>;
}
const DATA: Record<string, { resource: string; counts: Counts }> = {
  'spec-example-measure-getmeas.json': { resource: 'measures', counts: { samples: { weight: 1 } } },
  'spec-example-measurev2-getactivity.json': {
    resource: 'activity',
    counts: {
      samples: { steps: 1, distance_walking_running: 1, energy: 1, basal_energy: 1, active_time: 1 },
    },
  },
  // Its only key is the spec's `$timestamp` placeholder (values all 0): nothing to store (asserted).
  'spec-example-measurev2-getintradayactivity.json': { resource: 'intraday', counts: {} },
  'spec-example-measurev2-getworkouts.json': { resource: 'workouts', counts: { workouts: 1 } },
  // One light-sleep segment; its hr/rr maps hold only `$timestamp` placeholders.
  'spec-example-sleepv2-get.json': { resource: 'sleep', counts: { sleep: 1 } },
  'spec-example-sleepv2-getsummary.json': { resource: 'sleep', counts: { sleep: 1, scores: 1 } },
};

const read = (file: string): unknown => JSON.parse(readFileSync(join(referenceDir, file), 'utf8'));

function sampleCounts(batch: CanonicalBatch): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of batch.samples) {
    const name = findSeriesTypeById(s.seriesTypeId)?.name ?? `#${s.seriesTypeId}`;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

describe.skipIf(!present)('Withings reference corpus (../shared/reference/providers/withings)', () => {
  it('knows every file of the folder', () => {
    const known = new Set([...Object.keys(SKIPPED), ...Object.keys(DATA)]);
    expect(readdirSync(referenceDir).filter((f) => !known.has(f))).toEqual([]);
  });

  for (const [file, { resource, counts }] of Object.entries(DATA))
    it(`${file} → ${resource}`, () => {
      const batch = mapWithings(resource, read(file));
      expect(batch.workouts).toHaveLength(counts.workouts ?? 0);
      expect(batch.sleep).toHaveLength(counts.sleep ?? 0);
      expect(batch.scores).toHaveLength(counts.scores ?? 0);
      expect(sampleCounts(batch)).toEqual(counts.samples ?? {});
      for (const s of batch.sources) expect(s.provider).toBe('withings');
    });

  it('the example weigh-in is exactly 65.75 kg at its date (the "string" time zone gives no offset)', () => {
    const [s] = mapWithings('measures', read('spec-example-measure-getmeas.json')).samples;
    expect(s?.value).toBe(65.75);
    expect(s?.startMs).toBe(1594245600 * 1000);
    expect(s?.utcOffsetMin).toBeNull();
  });

  it('the example day: active kcal as energy, BMR as the rest, the Paris local day (UTC+2 in June)', () => {
    const batch = mapWithings('activity', read('spec-example-measurev2-getactivity.json'));
    const by = Object.fromEntries(
      batch.samples.map((s) => [findSeriesTypeById(s.seriesTypeId)?.name, s] as const),
    );
    expect(by.energy?.value).toBe(1200);
    expect(by.basal_energy?.value).toBe(2300);
    expect(by.steps?.startMs).toBe(Date.parse('2020-06-23T22:00:00Z'));
    expect(by.steps?.durationMs).toBe(86_400_000);
    expect(by.steps?.utcOffsetMin).toBe(120);
  });

  it('the example workout: category 36 is other, its times and Paris offset', () => {
    const [w] = mapWithings('workouts', read('spec-example-measurev2-getworkouts.json')).workouts;
    expect([w?.type, w?.sourceActivityType, w?.externalId]).toEqual([
      'other',
      'Other',
      'withings:workout:12345',
    ]);
    expect(w?.durationS).toBe(1594257200 - 1594245600);
    expect(w?.utcOffsetMin).toBe(120);
    expect(w?.avgHeartRateBpm).toBeNull();
  });
});

describe.skipIf(present)('Withings reference corpus', () => {
  it.skip('skipped: ../shared/reference/providers/withings is absent on this machine', () => {});
});
