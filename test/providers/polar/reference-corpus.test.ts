import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { mapPolar } from '../../../src/providers/polar/map.ts';
import { polarWebhook } from '../../../src/providers/polar/webhook.ts';

/**
 * Every payload file of the Polar reference folder (examples assembled from Polar's AccessLink v3
 * OpenAPI) maps to canonical records, with the count of each kind asserted. Files that are not data
 * WearLink maps are listed with the reason; a file in neither list fails the suite.
 */

const referenceDir = join(import.meta.dirname, '../../../../shared/reference/providers/polar');
const present = existsSync(referenceDir);

const SKIPPED: Record<string, string> = {
  'SOURCE.txt': 'provenance notes, not a payload',
  'polar-accesslink-api-openapi-v3.yml': 'the OpenAPI specification, not a payload',
  'spec-example-cardio_load.json':
    'daily cardio load (TRIMP), strain and tolerance: the catalog has no Polar score range for them; ' +
    "an exercise's own cardio load is kept in its workout statistics",
};

interface Counts {
  workouts?: number;
  sleep?: number;
  scores?: number;
  samples?: Record<string, number>;
}
const DATA: Record<string, { resource: string; counts: Counts }> = {
  'spec-example-exercise.json': { resource: 'exercises', counts: { workouts: 1 } },
  'spec-example-continuous_heartrate.json': {
    resource: 'continuous_heart_rate',
    counts: { samples: { heart_rate: 2 } },
  },
  // A summary without step samples: the day's totals.
  'spec-example-daily_activity_summary_deprecated.json': {
    resource: 'activities',
    counts: {
      samples: { steps: 1, energy: 1, basal_energy: 1, distance_walking_running: 1, active_time: 1 },
    },
  },
  // The example's one step sample counts 0 steps and it has no totals: nothing to store (asserted).
  'spec-example-daily_activity_v3_with_samples.json': { resource: 'activities', counts: {} },
  // A recharge alone has no times to place its samples: its score only.
  'spec-example-nightly_recharge.json': { resource: 'sleep', counts: { scores: 1 } },
  'spec-example-nightly_recharge_list.json': { resource: 'sleep', counts: { scores: 1 } },
  'spec-example-physical_information.json': {
    resource: 'physical_info',
    counts: { samples: { weight: 1, height: 1, resting_heart_rate: 1, vo2_max: 1 } },
  },
  'spec-example-sleep.json': {
    resource: 'sleep',
    counts: { sleep: 3, scores: 1, samples: { heart_rate: 3 } },
  },
  'spec-example-sleep_list_nights.json': {
    resource: 'sleep',
    counts: { sleep: 3, scores: 1, samples: { heart_rate: 3 } },
  },
};
const WEBHOOKS: Record<string, { kind: string; resource?: string }> = {
  'spec-example-webhook_payload_exercise.json': { kind: 'pull', resource: 'exercises' },
  'spec-example-webhook_payload_sleep.json': { kind: 'pull', resource: 'sleep' },
  'spec-example-webhook_ping.json': { kind: 'ignore' },
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

describe.skipIf(!present)('Polar reference corpus (../shared/reference/providers/polar)', () => {
  it('knows every file of the folder', () => {
    const known = new Set([...Object.keys(SKIPPED), ...Object.keys(DATA), ...Object.keys(WEBHOOKS)]);
    expect(readdirSync(referenceDir).filter((f) => !known.has(f))).toEqual([]);
  });

  for (const [file, { resource, counts }] of Object.entries(DATA))
    it(`${file} → ${resource}`, () => {
      const batch = mapPolar(resource, read(file));
      expect(batch.workouts).toHaveLength(counts.workouts ?? 0);
      expect(batch.sleep).toHaveLength(counts.sleep ?? 0);
      expect(batch.scores).toHaveLength(counts.scores ?? 0);
      expect(sampleCounts(batch)).toEqual(counts.samples ?? {});
      for (const s of batch.sources) expect(s.provider).toBe('polar');
    });

  for (const [file, { kind, resource }] of Object.entries(WEBHOOKS))
    it(`${file} → ${kind} notification`, () => {
      const body = new TextEncoder().encode(JSON.stringify(read(file)));
      const parsed = polarWebhook.parse({ method: 'POST', headers: {}, query: {}, body });
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.notifications).toHaveLength(1);
      const [n] = parsed.notifications;
      expect(n?.kind).toBe(kind);
      if (n?.kind === 'pull') {
        expect(n.providerUserId).toBe('475');
        expect(n.target.resource).toBe(resource);
      }
    });

  it('the example exercise: local start with its offset, exact ISO duration, detailed sport → catalog', () => {
    const [w] = mapPolar('exercises', read('spec-example-exercise.json')).workouts;
    expect(w?.startMs).toBe(Date.parse('2008-10-13T07:40:02Z'));
    expect(w?.utcOffsetMin).toBe(180);
    expect(w?.durationS).toBe(2 * 3600 + 44 * 60 + 45);
    expect(w?.type).toBe('running');
    expect(w?.sourceActivityType).toBe('RUNNING');
    expect(w?.externalId).toBe('1937529874');
    expect(w?.distanceM).toBe(1600.2);
    expect(w?.energyKcal).toBe(530);
    expect([w?.avgHeartRateBpm, w?.maxHeartRateBpm]).toEqual([129, 147]);
  });

  it('the example night and recharge of the same date place HRV (RMSSD) and breathing samples', () => {
    const night = read('spec-example-sleep.json');
    const recharge = read('spec-example-nightly_recharge.json');
    const batch = mapPolar('sleep', { nights: [night], recharges: [recharge] });
    expect(sampleCounts(batch)).toEqual({
      heart_rate: 3,
      heart_rate_variability_rmssd: 3,
      respiratory_rate: 3,
    });
    expect(batch.scores.map((s) => [s.category, s.score, s.rangeMin, s.rangeMax])).toEqual([
      ['sleep', 80, 1, 100],
      ['recovery', 3, 1, 6],
    ]);
  });
});

describe.skipIf(present)('Polar reference corpus', () => {
  it.skip('skipped: ../shared/reference/providers/polar is absent on this machine', () => {});
});
