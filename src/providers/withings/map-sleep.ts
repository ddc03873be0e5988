import { z } from 'zod';
import { scoreRange } from '../../catalog/health-scores.ts';
import type { SeriesTypeName } from '../../catalog/series-types.ts';
import type { CanonicalBatch, CanonicalSleepStage } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import { finite, parsePayload, series, unwrap, withingsBatch, zoneOffsetMin } from './common.ts';

/**
 * Sleep: `getsummary` nights (in-bed span, sleep score 0–100 on the night's local date) and `get`
 * detail (stage segments, and per-second maps of heart rate, respiration and HRV keyed by epoch-second
 * strings). The pull combines them as `{summaries, details: [{timezone, series}]}`; a raw answer of
 * either call maps too (the reference corpus).
 */

/** `state` → stage: 0 awake, 1 light, 2 deep, 3 REM, 4 manual entry and 5 unspecified (asleep, stage unknown), 15 out of bed. */
export const WITHINGS_SLEEP_STATES: Readonly<Record<number, CanonicalSleepStage>> = {
  0: 'awake',
  1: 'light',
  2: 'deep',
  3: 'rem',
  4: 'sleeping',
  5: 'sleeping',
  15: 'awake',
};

const Summary = z.looseObject({
  id: z.union([z.number().int(), z.string().min(1)]),
  timezone: z.string().nullish(),
  model: z.union([z.number(), z.string()]).nullish(),
  startdate: z.number().int(),
  enddate: z.number().int(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  data: z.record(z.string(), z.unknown()).nullish(),
});
const Summaries = z.looseObject({ series: z.array(Summary) });

const TimeMap = z.record(z.string(), z.unknown());
const Segment = z.looseObject({
  startdate: z.number().int(),
  enddate: z.number().int(),
  state: z.number().int(),
  model: z.union([z.number(), z.string()]).nullish(),
  hr: TimeMap.nullish(),
  rr: TimeMap.nullish(),
  rmssd: TimeMap.nullish(),
  sdnn_1: TimeMap.nullish(),
});
// The spec's example gives `series` as one object; the service answers an array of segments.
const Detail = z.looseObject({
  timezone: z.string().nullish(),
  /** The night's model (from its summary) for segments that do not say theirs. */
  model: z.union([z.number(), z.string()]).nullish(),
  series: z.union([z.array(Segment), Segment.transform((s) => [s])]),
});
const Combined = z.looseObject({
  summaries: z.array(Summary),
  details: z.array(Detail),
});

/** Sleep device models: 16 a tracker (watch), 32 a sleep monitor (under-mattress). */
const modelName = (model: unknown) =>
  model === 16 ? 'Withings tracker' : model === 32 ? 'Withings sleep monitor' : (model as string | null);

export function mapSleep(payload: unknown): CanonicalBatch {
  const body = unwrap(payload) as Record<string, unknown> | null;
  if (body !== null && typeof body === 'object' && 'summaries' in body) {
    const combined = parsePayload(Combined, body, 'sleep');
    const batch = mapSleepSummaries({ series: combined.summaries });
    for (const detail of combined.details) appendDetail(batch, detail);
    return batch;
  }
  const first = Array.isArray(body?.series) ? body.series[0] : body?.series;
  if (first !== null && typeof first === 'object' && 'data' in first) return mapSleepSummaries(body);
  return mapSleepDetail(body);
}

export function mapSleepSummaries(payload: unknown): CanonicalBatch {
  const { series: nights } = parsePayload(Summaries, payload, 'sleep getsummary');
  const { batch, sourceOf } = withingsBatch();
  const range = scoreRange('withings', 'sleep') as { min: number; max: number };
  for (const night of nights) {
    if (night.enddate <= night.startdate)
      throw new ProviderResponseError(`Withings sleep ${night.id} does not end after it starts`);
    const source = sourceOf(modelName(night.model));
    const startMs = night.startdate * 1000;
    batch.sleep.push({
      source,
      startMs,
      endMs: night.enddate * 1000,
      stage: 'in_bed',
      externalId: `withings:sleep:${night.id}`,
      utcOffsetMin: zoneOffsetMin(night.timezone, startMs),
    });
    const score = finite(night.data?.sleep_score);
    if (score !== null && score >= range.min && score <= range.max)
      batch.scores.push({
        source,
        provider: 'withings',
        date: night.date,
        category: 'sleep',
        score,
        rangeMin: range.min,
        rangeMax: range.max,
        components: Object.fromEntries(
          Object.entries(night.data ?? {}).filter(([k, v]) => k !== 'sleep_score' && finite(v) !== null),
        ),
      });
  }
  return batch;
}

export function mapSleepDetail(payload: unknown): CanonicalBatch {
  const { batch } = withingsBatch();
  appendDetail(batch, parsePayload(Detail, payload, 'sleep get'));
  return batch;
}

const SERIES_MAPS: readonly (readonly ['hr' | 'rr' | 'rmssd' | 'sdnn_1', SeriesTypeName])[] = [
  ['hr', 'heart_rate'],
  ['rr', 'respiratory_rate'],
  ['rmssd', 'heart_rate_variability_rmssd'],
  ['sdnn_1', 'heart_rate_variability_sdnn'],
];

function appendDetail(batch: CanonicalBatch, detail: z.output<typeof Detail>): void {
  const sourceIndex = (model: unknown) => {
    const name = modelName(model);
    const descriptor = {
      provider: 'withings',
      deviceName: name === null || name === undefined || name === '' ? null : String(name),
      deviceManufacturer: 'Withings',
    };
    const found = batch.sources.findIndex(
      (s) => s.deviceName === descriptor.deviceName && s.provider === 'withings',
    );
    return found >= 0 ? found : batch.sources.push(descriptor) - 1;
  };
  const seen = new Set<string>();
  for (const segment of detail.series) {
    if (segment.enddate <= segment.startdate) continue;
    const source = sourceIndex(segment.model ?? detail.model);
    const startMs = segment.startdate * 1000;
    const utcOffsetMin = zoneOffsetMin(detail.timezone, startMs);
    batch.sleep.push({
      source,
      startMs,
      endMs: segment.enddate * 1000,
      stage: WITHINGS_SLEEP_STATES[segment.state] ?? 'unknown',
      externalId: `withings:sleep-stage:${segment.startdate}`,
      utcOffsetMin,
    });
    for (const [field, name] of SERIES_MAPS) {
      for (const [key, raw] of Object.entries(segment[field] ?? {})) {
        // The spec's example keys are `$timestamp` placeholders; real keys are epoch seconds.
        if (!/^\d+$/.test(key)) continue;
        const value = finite(raw);
        // Segments of one night may repeat a second; 0 is "no reading".
        if (value === null || value <= 0 || seen.has(`${field}:${key}`)) continue;
        seen.add(`${field}:${key}`);
        const at = Number(key) * 1000;
        batch.samples.push({
          source,
          seriesTypeId: series(name),
          startMs: at,
          durationMs: 0,
          value,
          utcOffsetMin: zoneOffsetMin(detail.timezone, at),
        });
      }
    }
  }
}
