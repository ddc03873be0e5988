import { z } from 'zod';
import type { CanonicalBatch } from '../../health-data/canonical.ts';
import { finite, parsePayload, polarBatch, series } from './common.ts';
import { clockMs, MINUTE, parseDate, parseIsoDurationMs, parseLocal } from './time.ts';

/**
 * Polar's day-based data: daily activity (steps samples, active and basal energy, distance from steps,
 * active time), continuous heart rate, Elixir biosensing (SpO2 tests, sleep skin temperature) and the
 * physical info (weight kg, height cm, resting heart rate, VO2max).
 *
 * Activity and continuous heart rate are in the device's local time with no offset. The pull adds
 * `utc_offset_min`, the offset of the user's latest night (sleep times carry one); without it the
 * local times are stored as UTC with an unknown offset ([UNV]: Polar gives nothing better). The spec
 * calls the activity summary's `start_time`/`end_time` "UTC", yet its own example ends the day at
 * `23:59:59` and step timestamps start at `00:02`: they are read as device-local days too ([UNV]).
 *
 * The daily `daily_activity` percentage is not stored as a score: it is a share of the user's goal with
 * no upper bound, and the catalog has no Polar activity range.
 */

const WithOffset = z.looseObject({ utc_offset_min: z.number().int().nullish() });

const StepSamples = z.looseObject({
  interval_ms: z.number().nullish(),
  total_steps: z.number().nullish(),
  samples: z.array(z.looseObject({ steps: z.number().nullish(), timestamp: z.string() })).nullish(),
});
const DaySamples = z.looseObject({ date: z.string().nullish(), steps: StepSamples.nullish() });
const Activity = z.looseObject({
  start_time: z.string().nullish(),
  end_time: z.string().nullish(),
  date: z.string().nullish(),
  active_duration: z.string().nullish(),
  calories: z.number().nullish(),
  active_calories: z.number().nullish(),
  steps: z.union([z.number(), StepSamples]).nullish(),
  distance_from_steps: z.number().nullish(),
  samples: DaySamples.nullish(),
});
type Activity = z.infer<typeof Activity>;

/** `{activities, utc_offset_min}` as pulled, an array of days, or one day (summary or samples). */
export function mapActivities(payload: unknown): CanonicalBatch {
  const wrapped = isObject(payload) && 'activities' in payload ? payload : { activities: toArray(payload) };
  const { activities, utc_offset_min } = parsePayload(
    WithOffset.extend({ activities: z.array(Activity) }),
    wrapped,
    'daily activity',
  );
  const { batch, sourceOf } = polarBatch();
  const source = sourceOf();
  const offset = utc_offset_min ?? null;
  for (const a of activities) mapActivity(batch, source, a, offset);
  return batch;
}

function mapActivity(batch: CanonicalBatch, source: number, a: Activity, offset: number | null): void {
  const toUtc = (localMs: number) => localMs - (offset ?? 0) * MINUTE;
  // The samples endpoint nests step samples in `steps`; the summary endpoint in `samples.steps`.
  const stepBlock = typeof a.steps === 'object' && a.steps !== null ? a.steps : a.samples?.steps;
  const date = a.date ?? a.samples?.date ?? a.start_time?.slice(0, 10);
  if (date == null) return;
  const dayStartLocal = a.start_time == null ? parseDate(date) : parseLocal(a.start_time).localMs;
  const dayEndLocal =
    a.end_time == null ? parseDate(date) + 86_400_000 : parseLocal(a.end_time).localMs + 1000;
  const span = {
    startMs: toUtc(dayStartLocal),
    durationMs: Math.max(0, dayEndLocal - dayStartLocal),
    utcOffsetMin: offset,
  };
  const stepCount = pushStepSamples(batch, source, stepBlock, toUtc, offset);
  const totalSteps = typeof a.steps === 'number' ? a.steps : null;
  // Totals only where no finer samples say the same thing (an aggregate would count the day twice).
  if (stepCount === 0 && totalSteps !== null && totalSteps > 0)
    batch.samples.push({ source, seriesTypeId: series('steps'), ...span, value: totalSteps });
  if (a.active_calories != null && a.active_calories >= 0)
    batch.samples.push({ source, seriesTypeId: series('energy'), ...span, value: a.active_calories });
  // `calories` includes BMR; basal energy is the rest.
  if (a.calories != null && a.active_calories != null && a.calories >= a.active_calories)
    batch.samples.push({
      source,
      seriesTypeId: series('basal_energy'),
      ...span,
      value: a.calories - a.active_calories,
    });
  if (a.distance_from_steps != null && a.distance_from_steps > 0)
    batch.samples.push({
      source,
      seriesTypeId: series('distance_walking_running'),
      ...span,
      value: a.distance_from_steps,
    });
  if (a.active_duration != null)
    batch.samples.push({
      source,
      seriesTypeId: series('active_time'),
      ...span,
      value: parseIsoDurationMs(a.active_duration) / MINUTE,
    });
}

/**
 * Polar drops consecutive repeats of a step count: a gap of k intervals after a sample means the same
 * count repeated k times. Each sample is expanded back into `interval_ms` slices so sums are right.
 */
function pushStepSamples(
  batch: CanonicalBatch,
  source: number,
  block: z.infer<typeof StepSamples> | null | undefined,
  toUtc: (localMs: number) => number,
  offset: number | null,
): number {
  const samples = (block?.samples ?? []).map((s) => ({
    steps: s.steps ?? 0,
    atMs: parseLocal(s.timestamp).localMs,
  }));
  samples.sort((a, b) => a.atMs - b.atMs);
  const interval = block?.interval_ms != null && block.interval_ms > 0 ? block.interval_ms : null;
  let stored = 0;
  samples.forEach((s, i) => {
    const next = samples[i + 1]?.atMs;
    if (s.steps <= 0) return;
    if (interval === null) {
      // No interval given: the count covers the time up to the next sample.
      const durationMs = next === undefined ? 0 : next - s.atMs;
      batch.samples.push({
        source,
        seriesTypeId: series('steps'),
        startMs: toUtc(s.atMs),
        durationMs,
        value: s.steps,
        utcOffsetMin: offset,
      });
      stored++;
      return;
    }
    const repeats = next === undefined ? 1 : Math.max(1, Math.round((next - s.atMs) / interval));
    for (let k = 0; k < repeats; k++) {
      batch.samples.push({
        source,
        seriesTypeId: series('steps'),
        startMs: toUtc(s.atMs + k * interval),
        durationMs: interval,
        value: s.steps,
        utcOffsetMin: offset,
      });
      stored++;
    }
  });
  return stored;
}

const HeartRateDay = z.looseObject({
  date: z.string(),
  heart_rate_samples: z
    .array(z.looseObject({ heart_rate: z.number().nullish(), sample_time: z.string() }))
    .nullish(),
});

/** `{days, utc_offset_min}` as pulled, `{heart_rates: [...]}`, an array of days, or one day. */
export function mapContinuousHeartRate(payload: unknown): CanonicalBatch {
  let wrapped: unknown = payload;
  if (isObject(payload) && 'heart_rates' in payload) wrapped = { ...payload, days: payload.heart_rates };
  else if (!(isObject(payload) && 'days' in payload)) wrapped = { days: toArray(payload) };
  const { days, utc_offset_min } = parsePayload(
    WithOffset.extend({ days: z.array(HeartRateDay) }),
    wrapped,
    'continuous heart rate',
  );
  const { batch, sourceOf } = polarBatch();
  const source = sourceOf();
  const offset = utc_offset_min ?? null;
  for (const day of days) {
    const midnight = parseDate(day.date);
    for (const s of day.heart_rate_samples ?? []) {
      if (s.heart_rate == null || s.heart_rate <= 0) continue;
      const localMs = midnight + clockMs(s.sample_time);
      batch.samples.push({
        source,
        seriesTypeId: series('heart_rate'),
        startMs: localMs - (offset ?? 0) * MINUTE,
        durationMs: 0,
        value: s.heart_rate,
        utcOffsetMin: offset,
      });
    }
  }
  return batch;
}

const Spo2 = z.looseObject({
  source_device_id: z.string().nullish(),
  test_time: z.number(),
  time_zone_offset: z.number().int().nullish(),
  test_status: z.string().nullish(),
  blood_oxygen_percent: z.number().nullish(),
});
const SkinTemperature = z.looseObject({
  sleep_time_skin_temperature_celsius: z.number().nullish(),
  deviation_from_baseline_celsius: z.number().nullish(),
  sleep_date: z.string(),
});
const Biosensing = z.looseObject({
  spo2: z.array(Spo2).default([]),
  skin_temperature: z.array(SkinTemperature).default([]),
});

/** `{spo2, skin_temperature}` as pulled from the Elixir endpoints. */
export function mapBiosensing(payload: unknown): CanonicalBatch {
  const { spo2, skin_temperature } = parsePayload(Biosensing, payload, 'biosensing');
  const { batch, sourceOf } = polarBatch();
  const source = sourceOf();
  for (const t of spo2) {
    // Only a passed test has a reading worth storing; the inconclusive ones say why they have none.
    if (t.test_status !== 'SPO2_TEST_PASSED' || t.blood_oxygen_percent == null) continue;
    batch.samples.push({
      source,
      seriesTypeId: series('oxygen_saturation'),
      startMs: t.test_time * 1000,
      durationMs: 0,
      value: t.blood_oxygen_percent,
      utcOffsetMin: t.time_zone_offset ?? null,
    });
  }
  for (const t of skin_temperature) {
    // A per-night value with only the night's date: stored at that date's midnight (UTC), offset unknown.
    const at = { source, startMs: parseDate(t.sleep_date), durationMs: 0, utcOffsetMin: null };
    const celsius = finite(t.sleep_time_skin_temperature_celsius);
    const deviation = finite(t.deviation_from_baseline_celsius);
    if (celsius !== null)
      batch.samples.push({ ...at, seriesTypeId: series('skin_temperature'), value: celsius });
    if (deviation !== null)
      batch.samples.push({ ...at, seriesTypeId: series('skin_temperature_deviation'), value: deviation });
  }
  return batch;
}

const PhysicalInfo = z.looseObject({
  created: z.string().nullish(),
  modified: z.string().nullish(),
  weight: z.number().nullish(),
  height: z.number().nullish(),
  resting_heart_rate: z.number().nullish(),
  vo2_max: z.number().nullish(),
});

/**
 * Physical info (weight kg, height cm — not metres —, resting heart rate, VO2max) as of its last change;
 * the deprecated transactional shape (kebab-case, `created` only) reads the same.
 */
export function mapPhysicalInfo(payload: unknown, fetchedAtMs = Date.now()): CanonicalBatch {
  const raw = isObject(payload)
    ? Object.fromEntries(Object.entries(payload).map(([k, v]) => [k.replaceAll('-', '_'), v]))
    : payload;
  const info = parsePayload(PhysicalInfo, raw, 'physical info');
  const { batch, sourceOf } = polarBatch();
  const stamp = info.modified ?? info.created;
  const stampMs = stamp == null ? Number.NaN : Date.parse(stamp.replace(/:(\d)(\.\d+)?Z$/, ':0$1$2Z'));
  const at = {
    source: sourceOf(),
    startMs: Number.isFinite(stampMs) ? stampMs : fetchedAtMs,
    durationMs: 0,
    utcOffsetMin: null,
  };
  const values = [
    ['weight', info.weight],
    ['height', info.height],
    ['resting_heart_rate', info.resting_heart_rate],
    ['vo2_max', info.vo2_max],
  ] as const;
  for (const [name, value] of values)
    if (value != null && value > 0) batch.samples.push({ ...at, seriesTypeId: series(name), value });
  return batch;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
const toArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
