import { z } from '@hono/zod-openapi';
import { findSeriesTypeByName } from '../../catalog/series-types.ts';
import {
  isValidRrIntervalMs,
  providerForWearMetricsSource,
  wearMetricToCanonical,
} from '../../catalog/wearmetrics.ts';
import { emptyBatch, SourceTable } from '../../health-data/canonical.ts';
import { unstorableText } from '../entry-guard.ts';
import type { MappedBatch } from '../payload-kinds.ts';
import type { RejectedEntry } from '../sdk/sdk-payload.ts';
import { isStorableInstant, OUT_OF_TIME_RANGE, parseTimestamp } from '../time.ts';

/** One WearMetrics sample (spec 003). Unknown metric keys and sources are allowed by the spec. */
export const WearMetricsSample = z
  .object({
    timestamp: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp' }),
    device_id: z.string().min(1).max(200),
    source: z.string().min(1).max(100),
    metrics: z.record(z.string().min(1).max(100), z.number().nullable()).default({}),
    meta: z.record(z.string(), z.unknown()).default({}),
    rr_ms: z.array(z.number()).max(20_000).optional(),
  })
  .openapi('WearMetrics');

export const WEARMETRICS_BATCH_LIMIT = 50_000;

/** A bare array of samples, or `{samples: [...]}`; always archived in the second form. */
export const WearMetricsBatchBody = z
  .union([
    z.array(z.unknown()).max(WEARMETRICS_BATCH_LIMIT),
    z.object({ samples: z.array(z.unknown()).max(WEARMETRICS_BATCH_LIMIT) }),
  ])
  .transform((body) => (Array.isArray(body) ? { samples: body } : body))
  .openapi('WearMetricsBatch', { description: 'A JSON array of WearMetrics samples, or {"samples": [...]}' });
export type WearMetricsBatchBody = z.output<typeof WearMetricsBatchBody>;

const rrSeries = findSeriesTypeByName('rr_interval');

/**
 * WearMetrics → canonical samples. Each `metrics` key becomes one sample at `timestamp`; `rr_ms`
 * becomes `rr_interval` samples placed beat by beat from `timestamp` (the list is chronological),
 * after the [200, 6000] ms gate. `meta` and unknown keys stay in the archived payload.
 */
export function mapWearMetricsBatch(body: WearMetricsBatchBody): MappedBatch {
  const batch = emptyBatch();
  const sources = new SourceTable(batch);
  const rejected: RejectedEntry[] = [];
  const keptRaw: Record<string, number> = {};
  let rrAccepted = 0;
  let rrOutOfRange = 0;

  const reject = (index: number, path: (string | number)[], msg: string) =>
    rejected.push({ collection: 'samples', index, loc: ['body', 'samples', index, ...path], msg });

  body.samples.forEach((raw, index) => {
    // `meta` is only archived, but device and source become rows and metric keys the run's counts.
    const bad = unstorableText(raw);
    if (bad) {
      reject(index, bad.path, bad.msg);
      return;
    }
    const parsed = WearMetricsSample.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
        rejected.push({
          collection: 'samples',
          index,
          loc: ['body', 'samples', index, ...path],
          msg: issue.message,
        });
      }
      return;
    }
    const sample = parsed.data;
    const startMs = parseTimestamp(sample.timestamp);
    if (startMs === undefined || !isStorableInstant(startMs)) {
      reject(index, ['timestamp'], OUT_OF_TIME_RANGE);
      return;
    }
    // Beats are placed by adding intervals to `timestamp`: the last one must still be a storable time.
    let beatsEndMs = startMs;
    for (const rr of sample.rr_ms ?? []) if (Number.isFinite(rr) && rr > 0) beatsEndMs += rr;
    if (!isStorableInstant(beatsEndMs)) {
      reject(
        index,
        ['rr_ms'],
        `rr_ms runs past the storable time range from this timestamp (${OUT_OF_TIME_RANGE})`,
      );
      return;
    }
    const sourceType = typeof sample.meta.source_type === 'string' ? sample.meta.source_type : null;
    const source = sources.indexOf({
      provider: providerForWearMetricsSource(sample.source) ?? sample.source,
      deviceName: sample.device_id,
      deviceType: sourceType,
      appName: sample.source,
    });
    for (const [key, value] of Object.entries(sample.metrics)) {
      const result = wearMetricToCanonical(key, value);
      if (result.kind === 'kept_raw') {
        keptRaw[`metrics.${key}`] = (keptRaw[`metrics.${key}`] ?? 0) + 1;
      } else if (result.kind === 'invalid') {
        rejected.push({
          collection: 'samples',
          index,
          loc: ['body', 'samples', index, 'metrics', key],
          msg: result.reason,
        });
      } else if (result.kind === 'series') {
        const info = findSeriesTypeByName(result.seriesType);
        if (info)
          batch.samples.push({
            source,
            seriesTypeId: info.id,
            startMs,
            durationMs: 0,
            value: result.value,
            utcOffsetMin: null,
          });
      }
    }
    if (sample.rr_ms !== undefined && rrSeries !== undefined) {
      let at = startMs;
      for (const rr of sample.rr_ms) {
        if (isValidRrIntervalMs(rr)) {
          rrAccepted += 1;
          batch.samples.push({
            source,
            seriesTypeId: rrSeries.id,
            startMs: at,
            durationMs: 0,
            value: rr,
            utcOffsetMin: null,
          });
        } else {
          rrOutOfRange += 1;
        }
        // Beat times advance by every interval the device observed, gated or not.
        if (Number.isFinite(rr) && rr > 0) at += rr;
      }
    }
  });

  return {
    batch,
    rejected,
    keptRaw,
    received: { samples: body.samples.length },
    extra: { rr_intervals: { accepted: rrAccepted, rejected_out_of_range: rrOutOfRange } },
  };
}
