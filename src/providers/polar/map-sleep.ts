import { z } from 'zod';
import { scoreRange } from '../../catalog/health-scores.ts';
import { toCanonicalSleepStage } from '../../catalog/sleep-stages.ts';
import type { CanonicalBatch } from '../../health-data/canonical.ts';
import { parsePayload, polarBatch, series } from './common.ts';
import { anchorClockKeys, MINUTE, parseLocal } from './time.ts';

/**
 * Polar sleep (Sleep Plus Stages) and Nightly Recharge → sleep stage intervals, heart-rate / HRV /
 * breathing samples and two scores: sleep (1–100) and recovery (Nightly Recharge status 1–6, with the
 * ANS charge −10…+10 among its components).
 *
 * Sleep start and end carry an offset; everything else is clock-time keys (`"HH:MM"`) of the night
 * (hypnogram change points, 5-minute heart-rate/HRV/breathing averages) that wrap past midnight and are
 * placed from the night's start. A recharge has no times of its own: its samples are placed from the
 * night of the same `date`, and a recharge without its night yields only its score.
 *
 * Polar's HRV is RMSSD (the spec: "Root Mean Square of Successive Differences"), stored as such.
 */

const ClockMap = z.record(z.string(), z.number().nullable());
const Night = z.looseObject({
  date: z.string(),
  sleep_start_time: z.string(),
  sleep_end_time: z.string(),
  device_id: z.string().nullish(),
  sleep_score: z.number().nullish(),
  hypnogram: ClockMap.nullish(),
  heart_rate_samples: ClockMap.nullish(),
});
type Night = z.infer<typeof Night>;
const Recharge = z.looseObject({
  date: z.string(),
  heart_rate_avg: z.number().nullish(),
  beat_to_beat_avg: z.number().nullish(),
  heart_rate_variability_avg: z.number().nullish(),
  breathing_rate_avg: z.number().nullish(),
  nightly_recharge_status: z.number().nullish(),
  ans_charge: z.number().nullish(),
  ans_charge_status: z.number().nullish(),
  hrv_samples: ClockMap.nullish(),
  breathing_samples: ClockMap.nullish(),
});
type Recharge = z.infer<typeof Recharge>;
const SleepPayload = z.looseObject({
  nights: z.array(Night).default([]),
  recharges: z.array(Recharge).default([]),
});

/** `{nights, recharges}` as pulled, or one night / one recharge (a webhook's `/sleep/{date}`). */
export function mapSleep(payload: unknown): CanonicalBatch {
  const p = payload as Record<string, unknown> | null;
  const shaped =
    p !== null && typeof p === 'object' && !('nights' in p) && !('recharges' in p)
      ? 'sleep_start_time' in p
        ? { nights: [p] }
        : { recharges: [p] }
      : payload;
  const { nights, recharges } = parsePayload(SleepPayload, shaped, 'sleep');
  const { batch, sourceOf } = polarBatch();
  const source = sourceOf();
  const byDate = new Map<string, NightTimes>();
  for (const night of nights) byDate.set(night.date, mapNight(batch, source, night));
  for (const recharge of recharges) mapRecharge(batch, source, recharge, byDate.get(recharge.date));
  return batch;
}

interface NightTimes {
  startMs: number;
  startLocalMs: number;
  endMs: number;
  offsetMin: number | null;
}

function mapNight(batch: CanonicalBatch, source: number, n: Night): NightTimes {
  const start = parseLocal(n.sleep_start_time);
  const end = parseLocal(n.sleep_end_time);
  const offset = start.offsetMin ?? 0;
  const times: NightTimes = {
    startMs: start.localMs - offset * MINUTE,
    startLocalMs: start.localMs,
    endMs: end.localMs - (end.offsetMin ?? 0) * MINUTE,
    offsetMin: start.offsetMin,
  };
  const toUtc = (localMs: number) => localMs - offset * MINUTE;
  const changes = anchorClockKeys(Object.keys(n.hypnogram ?? {}), start.localMs)
    .map(({ key, localMs }) => ({ atMs: toUtc(localMs), code: n.hypnogram?.[key] }))
    .filter((c) => c.atMs < times.endMs);
  if (changes.length === 0) {
    // No stage timeline (a device without Sleep Plus Stages): the night as one asleep interval.
    batch.sleep.push({
      source,
      startMs: times.startMs,
      endMs: times.endMs,
      stage: 'sleeping',
      externalId: `${n.date}:0`,
      utcOffsetMin: times.offsetMin,
    });
  }
  changes.forEach((c, i) => {
    const startMs = Math.max(times.startMs, c.atMs);
    const endMs = Math.min(times.endMs, changes[i + 1]?.atMs ?? times.endMs);
    if (endMs <= startMs) return;
    const stage =
      c.code === null || c.code === undefined ? 'unknown' : toCanonicalSleepStage('polar', c.code).stage;
    batch.sleep.push({
      source,
      startMs,
      endMs,
      stage,
      externalId: `${n.date}:${i}`,
      utcOffsetMin: times.offsetMin,
    });
  });
  pushClockSamples(batch, source, 'heart_rate', n.heart_rate_samples, times);
  const range = scoreRange('polar', 'sleep');
  if (
    range !== undefined &&
    typeof n.sleep_score === 'number' &&
    n.sleep_score >= range.min &&
    n.sleep_score <= range.max
  ) {
    const components: Record<string, unknown> = {};
    for (const key of [
      'continuity',
      'continuity_class',
      'light_sleep',
      'deep_sleep',
      'rem_sleep',
      'unrecognized_sleep_stage',
      'total_interruption_duration',
      'short_interruption_duration',
      'long_interruption_duration',
      'sleep_charge',
      'sleep_goal',
      'sleep_rating',
      'sleep_cycles',
      'group_duration_score',
      'group_solidity_score',
      'group_regeneration_score',
    ])
      if ((n as Record<string, unknown>)[key] != null) components[key] = (n as Record<string, unknown>)[key];
    batch.scores.push({
      source,
      provider: 'polar',
      date: n.date,
      category: 'sleep',
      score: n.sleep_score,
      rangeMin: range.min,
      rangeMax: range.max,
      components,
    });
  }
  return times;
}

function mapRecharge(
  batch: CanonicalBatch,
  source: number,
  r: Recharge,
  night: NightTimes | undefined,
): void {
  const range = scoreRange('polar', 'recovery');
  const status = r.nightly_recharge_status;
  if (range !== undefined && typeof status === 'number' && status >= range.min && status <= range.max) {
    batch.scores.push({
      source,
      provider: 'polar',
      date: r.date,
      category: 'recovery',
      score: status,
      rangeMin: range.min,
      rangeMax: range.max,
      components: {
        ans_charge: r.ans_charge ?? null,
        ans_charge_range: [-10, 10],
        ans_charge_status: r.ans_charge_status ?? null,
        heart_rate_avg_bpm: r.heart_rate_avg ?? null,
        beat_to_beat_avg_ms: r.beat_to_beat_avg ?? null,
        hrv_rmssd_avg_ms: r.heart_rate_variability_avg ?? null,
        breathing_rate_avg_brpm: r.breathing_rate_avg ?? null,
      },
    });
  }
  if (night === undefined) return;
  const hrv = pushClockSamples(batch, source, 'heart_rate_variability_rmssd', r.hrv_samples, night);
  const breathing = pushClockSamples(batch, source, 'respiratory_rate', r.breathing_samples, night);
  // The averages cover "a 4-hour period starting at 30 minutes after falling asleep"; stored only when
  // the 5-minute samples are missing, so an aggregate does not count the night twice.
  const avgWindow = { startMs: night.startMs + 30 * MINUTE, durationMs: 240 * MINUTE };
  const averages = [
    ['heart_rate_variability_rmssd', hrv, r.heart_rate_variability_avg],
    ['respiratory_rate', breathing, r.breathing_rate_avg],
  ] as const;
  for (const [name, sampled, avg] of averages)
    if (sampled === 0 && typeof avg === 'number' && avg > 0)
      batch.samples.push({
        source,
        seriesTypeId: series(name),
        ...avgWindow,
        value: avg,
        utcOffsetMin: night.offsetMin,
      });
}

/** Clock-keyed 5-minute averages of a night; returns how many were stored. */
function pushClockSamples(
  batch: CanonicalBatch,
  source: number,
  name: 'heart_rate' | 'heart_rate_variability_rmssd' | 'respiratory_rate',
  samples: Record<string, number | null> | null | undefined,
  night: NightTimes,
): number {
  let stored = 0;
  const offset = night.offsetMin ?? 0;
  for (const { key, localMs } of anchorClockKeys(Object.keys(samples ?? {}), night.startLocalMs)) {
    const value = samples?.[key];
    if (typeof value !== 'number' || value <= 0) continue;
    batch.samples.push({
      source,
      seriesTypeId: series(name),
      startMs: localMs - offset * MINUTE,
      durationMs: 0,
      value,
      utcOffsetMin: night.offsetMin,
    });
    stored++;
  }
  return stored;
}
