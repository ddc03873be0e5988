import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { mapGarminHealth } from '../../../src/providers/garmin/map-health.ts';

/**
 * The Health API push bodies of the Garmin reference folder (Garmin's spec examples) through the health
 * mappers. Each expected count is worked out here from the file's own content with the mapping rules
 * spelled out next to it, and pinned to the number that gives for today's files.
 */

const referenceDir = join(import.meta.dirname, '../../../../shared/reference/providers/garmin');
const present = existsSync(referenceDir);

type Json = Record<string, unknown>;
const objects = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const values = (map: unknown): number[] =>
  map && typeof map === 'object' ? Object.values(map as Record<string, number>) : [];
const count = (xs: number[], ok: (v: number) => boolean) => xs.filter(ok).length;

interface Case {
  file: string;
  resource: string;
  listKey: string;
  /** Samples, sleep intervals and scores, counted from the items with the rules the mapper follows. */
  expect: (items: Json[]) => { samples: number; sleep: number; scores: number };
  pinned: { samples: number; sleep: number; scores: number };
}

const CASES: Case[] = [
  {
    file: 'push-dailies.json',
    resource: 'dailies',
    listKey: 'dailies',
    // Heart-rate entries > 0; complete days add resting HR, BMR, floors, active time where given.
    expect: (items) => ({
      samples: items.reduce(
        (n, d) =>
          n +
          count(values(d.timeOffsetHeartRateSamples), (v) => v > 0) +
          (Number(d.durationInSeconds) >= 86400
            ? [
                'restingHeartRateInBeatsPerMinute',
                'bmrKilocalories',
                'floorsClimbed',
                'activeTimeInSeconds',
              ].filter((k) => typeof d[k] === 'number').length
            : 0),
        0,
      ),
      sleep: 0,
      scores: items.filter((d) => {
        const s = (d.averageStressLevel ?? d.averageStresslevel) as number | undefined;
        return typeof s === 'number' && s >= 0 && s <= 100;
      }).length,
    }),
    pinned: { samples: 23, sleep: 0, scores: 2 },
  },
  {
    file: 'push-epoch.json',
    resource: 'epochs',
    listKey: 'epochs',
    // Only complete 900-s slices map; the file's one record is 840 s (synced mid-slice).
    // Per slice start, one sample per series any of its records fills (steps, energy, distance by
    // foot or other, MET weighted by active time).
    expect: (items) => {
      const series = new Map<number, Set<string>>();
      for (const e of items.filter((x) => Number(x.durationInSeconds) >= 900)) {
        const set = series.get(Number(e.startTimeInSeconds)) ?? new Set<string>();
        if (typeof e.steps === 'number') set.add('steps');
        if (typeof e.activeKilocalories === 'number') set.add('energy');
        if (Number(e.distanceInMeters) > 0)
          set.add(['WALKING', 'RUNNING'].includes(String(e.activityType)) ? 'foot' : 'other');
        if (Number(e.met) > 0 && Number(e.activeTimeInSeconds) > 0) set.add('met');
        series.set(Number(e.startTimeInSeconds), set);
      }
      return { samples: [...series.values()].reduce((n, set) => n + set.size, 0), sleep: 0, scores: 0 };
    },
    pinned: { samples: 0, sleep: 0, scores: 0 },
  },
  {
    file: 'push-sleeps.json',
    resource: 'sleeps',
    listKey: 'sleeps',
    // Per kept night: in_bed + one interval per stage span; SpO2 in (0,100], breaths > 0; one score each.
    expect: (items) => {
      const kept = items.filter((s) => String(s.validation).toUpperCase() !== 'OFF_WRIST');
      return {
        samples: kept.reduce(
          (n, s) =>
            n +
            count(values(s.timeOffsetSleepSpo2), (v) => v > 0 && v <= 100) +
            count(values(s.timeOffsetSleepRespiration), (v) => v > 0),
          0,
        ),
        sleep: kept.reduce(
          (n, s) => n + 1 + Object.values(s.sleepLevelsMap as Record<string, unknown[]>).flat().length,
          0,
        ),
        scores: kept.filter((s) => typeof (s.overallSleepScore as Json | undefined)?.value === 'number')
          .length,
      };
    },
    pinned: { samples: 10, sleep: 9, scores: 1 },
  },
  {
    file: 'push-body_comps.json',
    resource: 'body_comps',
    listKey: 'bodyComps',
    expect: (items) => ({
      samples: items.reduce(
        (n, b) =>
          n +
          ['weightInGrams', 'muscleMassInGrams', 'bodyFatInPercent', 'bodyMassIndex'].filter(
            (k) => typeof b[k] === 'number',
          ).length,
        0,
      ),
      sleep: 0,
      scores: 0,
    }),
    pinned: { samples: 8, sleep: 0, scores: 0 },
  },
  {
    file: 'push-stress.json',
    resource: 'stress_details',
    listKey: 'stressDetails',
    expect: (items) => ({
      samples: items.reduce(
        (n, s) =>
          n +
          count(values(s.timeOffsetStressLevelValues), (v) => v >= 0 && v <= 100) +
          count(values(s.timeOffsetBodyBatteryValues), (v) => v >= 0 && v <= 100),
        0,
      ),
      sleep: 0,
      scores: 0,
    }),
    pinned: { samples: 7, sleep: 0, scores: 0 },
  },
  {
    file: 'push-user_metrics.json',
    resource: 'user_metrics',
    listKey: 'userMetrics',
    expect: (items) => ({ samples: items.filter((m) => Number(m.vo2Max) > 0).length, sleep: 0, scores: 0 }),
    pinned: { samples: 1, sleep: 0, scores: 0 },
  },
  {
    file: 'push-pulse_ox.json',
    resource: 'pulse_ox',
    listKey: 'pulseox',
    expect: (items) => ({
      samples: items.reduce((n, p) => n + count(values(p.timeOffsetSpo2Values), (v) => v > 0 && v <= 100), 0),
      sleep: 0,
      scores: 0,
    }),
    pinned: { samples: 1, sleep: 0, scores: 0 },
  },
  {
    file: 'push-respiration.json',
    resource: 'respiration',
    listKey: 'allDayRespiration',
    expect: (items) => ({
      samples: items.reduce((n, r) => n + count(values(r.timeOffsetEpochToBreaths), (v) => v > 0), 0),
      sleep: 0,
      scores: 0,
    }),
    pinned: { samples: 11, sleep: 0, scores: 0 },
  },
  {
    file: 'push-health_snapshot.json',
    resource: 'health_snapshot',
    listKey: 'healthSnapshot',
    // Every summary of the file has epochSummaries (heart rate and respiration, all values > 0).
    expect: (items) => ({
      samples: items.reduce(
        (n, h) =>
          n + objects(h.summaries).reduce((m, s) => m + count(values(s.epochSummaries), (v) => v > 0), 0),
        0,
      ),
      sleep: 0,
      scores: 0,
    }),
    pinned: { samples: 18, sleep: 0, scores: 0 },
  },
  {
    file: 'push-hrv.json',
    resource: 'hrv',
    listKey: 'hrv',
    expect: (items) => ({
      samples: items.reduce((n, h) => n + count(values(h.hrvValues), (v) => v > 0), 0),
      sleep: 0,
      scores: 0,
    }),
    pinned: { samples: 12, sleep: 0, scores: 0 },
  },
  {
    file: 'push-blood_pressure.json',
    resource: 'blood_pressures',
    listKey: 'bloodPressures',
    expect: (items) => ({
      samples: items.reduce(
        (n, b) => n + ['systolic', 'diastolic', 'pulse'].filter((k) => Number(b[k]) > 0).length,
        0,
      ),
      sleep: 0,
      scores: 0,
    }),
    pinned: { samples: 3, sleep: 0, scores: 0 },
  },
];

const counts = (b: CanonicalBatch) => ({
  samples: b.samples.length,
  sleep: b.sleep.length,
  scores: b.scores.length,
});

describe.skipIf(!present)(
  `Garmin reference push bodies through the health mappers${present ? '' : ' (skipped: ../shared/reference/providers/garmin is absent)'}`,
  () => {
    const load = (c: Case) =>
      objects((JSON.parse(readFileSync(join(referenceDir, c.file), 'utf8')) as Json)[c.listKey]);

    for (const c of CASES) {
      it(`${c.file} → ${c.resource}`, () => {
        const items = load(c);
        expect(items.length).toBeGreaterThan(0);
        const batch = mapGarminHealth(c.resource, items);
        expect(batch).toBeDefined();
        expect(counts(batch as CanonicalBatch)).toEqual(c.expect(items));
        expect(counts(batch as CanonicalBatch)).toEqual(c.pinned);
        for (const s of (batch as CanonicalBatch).samples)
          expect(findSeriesTypeById(s.seriesTypeId)).toBeDefined();
      });
    }

    it('push-sleeps.json: the nights end where their last stage ends, not at start + duration', () => {
      const items = load(CASES.find((c) => c.file === 'push-sleeps.json') as Case);
      const batch = mapGarminHealth('sleeps', items) as CanonicalBatch;
      const inBed = batch.sleep
        .filter((i) => i.stage === 'in_bed')
        .map((i) => [i.externalId, i.endMs / 1000]);
      const lastEnds = items.map((s) => [
        s.summaryId,
        Math.max(
          ...Object.values(s.sleepLevelsMap as Record<string, { endTimeInSeconds: number }[]>)
            .flat()
            .map((x) => x.endTimeInSeconds),
        ),
      ]);
      expect(inBed).toEqual(lastEnds);
      expect(lastEnds[1]?.[1]).not.toBe(
        Number(items[1]?.startTimeInSeconds) + Number(items[1]?.durationInSeconds),
      );
    });
  },
);
