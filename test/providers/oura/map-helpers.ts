import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';

/** Shared by the Oura mapper tests: a collection page and the samples of one series, readable. */
export const page = (...data: unknown[]) => ({ data, next_token: null });
export const iso = (ms: number) => new Date(ms).toISOString();

export function samplesOf(batch: CanonicalBatch, name: string) {
  return batch.samples
    .filter((s) => findSeriesTypeById(s.seriesTypeId)?.name === name)
    .map((s) => ({
      at: iso(s.startMs),
      durationMs: s.durationMs,
      value: s.value,
      utcOffsetMin: s.utcOffsetMin,
    }));
}
