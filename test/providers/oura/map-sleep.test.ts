import { describe, expect, it } from 'vitest';
import { ProviderResponseError } from '../../../src/providers/errors.ts';
import { mapOura } from '../../../src/providers/oura/map.ts';
import { OuraPayloadError } from '../../../src/providers/oura/map-common.ts';
import { iso, page, samplesOf } from './map-helpers.ts';

/** Oura sleep periods on our own fixtures, and malformed payloads of every resource. */

const night = {
  id: 'sleep-1',
  day: '2026-03-02',
  type: 'long_sleep',
  // 23:00 local (UTC+2) = 21:00Z; 7 epochs of 5 minutes, but the period ends 2 minutes into the 7th.
  bedtime_start: '2026-03-01T23:00:00+02:00',
  bedtime_end: '2026-03-01T23:32:00+02:00',
  sleep_phase_5_min: '4221353',
  hrv: { interval: 300, items: [null, 41, 0, 38.5], timestamp: '2026-03-01T23:00:00.000+02:00' },
  heart_rate: { interval: 300, items: [55, 52, 50], timestamp: '2026-03-01T23:00:00.000+02:00' },
  average_hrv: 40,
  average_breath: 14.5,
  lowest_heart_rate: 49,
  time_in_bed: 1920,
  period: 0,
  low_battery_alert: false,
};

describe('Oura sleep', () => {
  const batch = mapOura('sleep', page(night));

  it('is an in_bed interval over the period plus the hypnogram runs, clipped to bedtime_end', () => {
    expect(batch.sleep.map((s) => [s.stage, iso(s.startMs), iso(s.endMs), s.utcOffsetMin])).toEqual([
      ['in_bed', '2026-03-01T21:00:00.000Z', '2026-03-01T21:32:00.000Z', 120],
      ['awake', '2026-03-01T21:00:00.000Z', '2026-03-01T21:05:00.000Z', 120],
      ['light', '2026-03-01T21:05:00.000Z', '2026-03-01T21:15:00.000Z', 120],
      ['deep', '2026-03-01T21:15:00.000Z', '2026-03-01T21:20:00.000Z', 120],
      ['rem', '2026-03-01T21:20:00.000Z', '2026-03-01T21:25:00.000Z', 120],
      // '5' is no Oura phase: kept as unknown rather than dropped.
      ['unknown', '2026-03-01T21:25:00.000Z', '2026-03-01T21:30:00.000Z', 120],
      ['rem', '2026-03-01T21:30:00.000Z', '2026-03-01T21:32:00.000Z', 120],
    ]);
    expect(batch.sleep[0]?.externalId).toBe('sleep-1');
    expect(new Set(batch.sleep.map((s) => s.externalId)).size).toBe(batch.sleep.length);
  });

  it('labels HRV as RMSSD in ms (never SDNN), one sample per 5-minute item, gaps and zeros skipped', () => {
    expect(samplesOf(batch, 'heart_rate_variability_sdnn')).toEqual([]);
    expect(samplesOf(batch, 'heart_rate_variability_rmssd')).toEqual([
      { at: '2026-03-01T21:05:00.000Z', durationMs: 300_000, value: 41, utcOffsetMin: 120 },
      { at: '2026-03-01T21:15:00.000Z', durationMs: 300_000, value: 38.5, utcOffsetMin: 120 },
    ]);
  });

  it('maps breathing (brpm) and the night’s lowest heart rate as resting heart rate, not the HR items', () => {
    expect(samplesOf(batch, 'respiratory_rate')).toEqual([
      { at: '2026-03-01T21:00:00.000Z', durationMs: 1_920_000, value: 14.5, utcOffsetMin: 120 },
    ]);
    expect(samplesOf(batch, 'resting_heart_rate').map((s) => s.value)).toEqual([49]);
    // The heartrate series already carries the night's 5-minute readings (source "sleep").
    expect(samplesOf(batch, 'heart_rate')).toEqual([]);
  });

  it('skips deleted and rejected (rest) periods; a nap gives no resting heart rate', () => {
    const b = mapOura(
      'sleep',
      page(
        { ...night, id: 'd', type: 'deleted' },
        { ...night, id: 'r', type: 'rest' },
        { ...night, type: 'sleep' },
      ),
    );
    expect(new Set(b.sleep.map((s) => s.externalId?.split('@')[0]))).toEqual(new Set(['sleep-1']));
    expect(samplesOf(b, 'resting_heart_rate')).toEqual([]);
  });

  it('falls back to the average HRV over the night when the series has no reading', () => {
    const b = mapOura('sleep', page({ ...night, hrv: null }));
    expect(samplesOf(b, 'heart_rate_variability_rmssd')).toEqual([
      { at: '2026-03-01T21:00:00.000Z', durationMs: 1_920_000, value: 40, utcOffsetMin: 120 },
    ]);
  });

  it('a period without a hypnogram is its in_bed interval only', () => {
    const b = mapOura('sleep', page({ ...night, sleep_phase_5_min: null }));
    expect(b.sleep.map((s) => s.stage)).toEqual(['in_bed']);
  });
});
describe('Oura malformed payloads', () => {
  it.each([
    ['heartrate', {}, /Oura heartrate: the payload has no "data" array/],
    ['heartrate', page({ bpm: '60', timestamp: '2026-03-02T03:00:00Z' }), /Oura heartrate: data\[0\]: bpm: /],
    ['sleep', page({ ...night, bedtime_start: undefined }), /Oura sleep: document sleep-1: bedtime_start: /],
    ['sleep', page({ ...night, bedtime_end: night.bedtime_start }), /bedtime_end is not after bedtime_start/],
    ['sleep', page({ ...night, sleep_phase_5_min: '<long sequence of 1|2|3|4>' }), /not a string of digits/],
    [
      'daily_activity',
      page({ id: 'a', day: '2 March', timestamp: '2026-03-02T04:00:00Z' }),
      /day: not a YYYY-MM-DD day/,
    ],
    [
      'workout',
      page({
        id: 'w',
        activity: 'running',
        day: '2026-03-02',
        start_datetime: '2026-03-02 10:00',
        end_datetime: '2026-03-02T11:00:00Z',
      }),
      /start_datetime: not an ISO date-time/,
    ],
    ['personal_info', 'nope', /Oura personal_info: /],
    ['steps', page(), /no mapper for resource "steps"/],
  ])('%s %j → a clear OuraPayloadError', (resource, payload, message) => {
    expect(() => mapOura(resource, payload)).toThrow(message);
    try {
      mapOura(resource, payload);
    } catch (error) {
      expect(error).toBeInstanceOf(OuraPayloadError);
      expect(error).toBeInstanceOf(ProviderResponseError);
    }
  });
});
