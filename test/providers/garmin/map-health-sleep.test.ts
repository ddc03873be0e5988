import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { buildSleepSessions } from '../../../src/health-data/sleep-sessions.ts';
import { mapGarminHealth } from '../../../src/providers/garmin/map-health.ts';

/** Garmin sleeps → stage intervals, readings during sleep and the sleep score, worked out by hand. */

const S = Date.UTC(2026, 10, 29, 22, 0, 0) / 1000; // 2026-11-29T22:00:00Z, epoch seconds
const iso = (s: number) => new Date(s * 1000).toISOString();

function health(resource: string, items: unknown[]): CanonicalBatch {
  const batch = mapGarminHealth(resource, items);
  if (batch === undefined) throw new Error(`${resource} is not a Health API resource`);
  return batch;
}

const intervals = (batch: CanonicalBatch) =>
  batch.sleep.map((i) => [i.stage, i.startMs / 1000, i.endMs / 1000, i.externalId, i.utcOffsetMin]);

const night = {
  summaryId: 'sl-1',
  calendarDate: '2026-11-30',
  startTimeInSeconds: S,
  startTimeOffsetInSeconds: 3600,
  // Asleep time only: the awake stages (10 + 20 min) are not in it.
  durationInSeconds: 9000,
  awakeDurationInSeconds: 1800,
  validation: 'ENHANCED_FINAL',
  sleepLevelsMap: {
    light: [
      { startTimeInSeconds: S, endTimeInSeconds: S + 3600 },
      { startTimeInSeconds: S + 4200, endTimeInSeconds: S + 6000 },
    ],
    deep: [{ startTimeInSeconds: S + 3600, endTimeInSeconds: S + 4200 }],
    awake: [
      { startTimeInSeconds: S + 6000, endTimeInSeconds: S + 6600 },
      // The final wake: the session ends here, 30 min after start + duration would.
      { startTimeInSeconds: S + 9600, endTimeInSeconds: S + 10800 },
    ],
    rem: [
      { startTimeInSeconds: S + 6600, endTimeInSeconds: S + 9600 },
      { startTimeInSeconds: S + 7000, endTimeInSeconds: S + 7000 },
    ],
  },
  timeOffsetSleepSpo2: { '0': 95, '60': 0, '120': 97 },
  timeOffsetSleepRespiration: { '60': 15.31, '120': -1 },
  overallSleepScore: { value: 82, qualifierKey: 'GOOD' },
  sleepScores: { totalDuration: { qualifierKey: 'EXCELLENT' }, stress: { qualifierKey: 'FAIR' }, junk: 3 },
};

describe('sleeps', () => {
  it('in_bed from start to the end of the last stage (final awake included), stages in time order', () => {
    const batch = health('sleeps', [night]);
    expect(intervals(batch)).toEqual([
      ['in_bed', S, S + 10800, 'sl-1', 60],
      ['light', S, S + 3600, `sl-1@${iso(S)}`, 60],
      ['deep', S + 3600, S + 4200, `sl-1@${iso(S + 3600)}`, 60],
      ['light', S + 4200, S + 6000, `sl-1@${iso(S + 4200)}`, 60],
      ['awake', S + 6000, S + 6600, `sl-1@${iso(S + 6000)}`, 60],
      ['rem', S + 6600, S + 9600, `sl-1@${iso(S + 6600)}`, 60],
      ['awake', S + 9600, S + 10800, `sl-1@${iso(S + 9600)}`, 60],
    ]);
    const [session] = buildSleepSessions(batch.sleep);
    expect(session?.endMs).toBe((S + 10800) * 1000);
    expect(session?.awakeS).toBe(1800);
    expect(session?.asleepS).toBe(9000);
  });

  it('SpO2 and breathing during sleep at start + offset; the overall score on the calendar day', () => {
    const batch = health('sleeps', [night]);
    expect(
      batch.samples.map((s) => [
        findSeriesTypeById(s.seriesTypeId)?.name,
        s.startMs / 1000,
        s.durationMs,
        s.value,
        s.utcOffsetMin,
      ]),
    ).toEqual([
      ['oxygen_saturation', S, 0, 95, 60],
      ['oxygen_saturation', S + 120, 0, 97, 60],
      ['respiratory_rate', S + 60, 0, 15.31, 60],
    ]);
    expect(batch.scores).toEqual([
      {
        source: 0,
        provider: 'garmin',
        date: '2026-11-30',
        category: 'sleep',
        score: 82,
        rangeMin: 0,
        rangeMax: 100,
        components: {
          summary_id: 'sl-1',
          qualifier: 'GOOD',
          qualifiers: { totalDuration: 'EXCELLENT', stress: 'FAIR' },
          validation: 'ENHANCED_FINAL',
          duration_s: 9000,
        },
      },
    ]);
  });

  it('skips OFF_WRIST sleeps in any spelling; keeps every other validation', () => {
    const batch = health('sleeps', [
      { ...night, summaryId: 'off-1', validation: 'OFF_WRIST' },
      { ...night, summaryId: 'off-2', validation: ' off_wrist ' },
      { ...night, summaryId: 'dev', validation: 'Device', overallSleepScore: undefined },
    ]);
    expect(new Set(batch.sleep.map((i) => i.externalId?.split('@')[0]))).toEqual(new Set(['dev']));
    expect(batch.sleep).toHaveLength(7);
    expect(batch.scores).toEqual([]);
  });

  it('without stages: sleeping for the duration, in_bed through the awake and unmeasurable time', () => {
    const batch = health('sleeps', [
      {
        summaryId: 'manual-1',
        startTimeInSeconds: S,
        startTimeOffsetInSeconds: -18000,
        durationInSeconds: 3600,
        awakeDurationInSeconds: 600,
        unmeasurableSleepDurationInSeconds: 300,
        validation: 'MANUAL',
      },
      { summaryId: 'empty', startTimeInSeconds: S, durationInSeconds: 0 },
    ]);
    expect(intervals(batch)).toEqual([
      ['in_bed', S, S + 4500, 'manual-1', -300],
      ['sleeping', S, S + 3600, 'manual-1@sleeping', -300],
    ]);
  });

  it('unknown level names become unknown stages; broken spans are skipped; no calendarDate → local wake day', () => {
    const batch = health('sleeps', [
      {
        summaryId: 'sl-2',
        startTimeInSeconds: S,
        startTimeOffsetInSeconds: 3600,
        sleepLevelsMap: {
          light: [{ startTimeInSeconds: S, endTimeInSeconds: S + 600 }, { startTimeInSeconds: S + 900 }, 5],
          unmeasurable: [{ startTimeInSeconds: S + 600, endTimeInSeconds: S + 900 }],
          deep: 'not a list',
        },
        overallSleepScore: { value: 140 },
      },
      {
        startTimeInSeconds: S,
        sleepLevelsMap: { deep: [{ startTimeInSeconds: S, endTimeInSeconds: S + 60 }] },
        overallSleepScore: { value: 50 },
      },
    ]);
    expect(intervals(batch)).toEqual([
      ['in_bed', S, S + 900, 'sl-2', 60],
      ['light', S, S + 600, `sl-2@${iso(S)}`, 60],
      ['unknown', S + 600, S + 900, `sl-2@${iso(S + 600)}`, 60],
      ['in_bed', S, S + 60, null, null],
      ['deep', S, S + 60, null, null],
    ]);
    // 140 is outside Garmin's 0–100; the id-less night ends 22:01 UTC on the 29th (no offset known).
    expect(batch.scores.map((s) => [s.date, s.score])).toEqual([['2026-11-29', 50]]);
  });

  it('a re-sent night maps to the same interval keys and ids', () => {
    const again = health('sleeps', [structuredClone(night)]);
    expect(again.sleep).toEqual(health('sleeps', [night]).sleep);
  });
});
