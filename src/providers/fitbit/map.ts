import { type CanonicalBatch, emptyBatch, SourceTable } from '../../health-data/canonical.ts';
import { dataPoints, isObject, type Json, sourceOf } from './map-common.ts';
import { mapExercisePoint, mapSleepPoint } from './map-sessions.ts';
import { VITAL_READERS } from './map-vitals.ts';

type PointMapper = (batch: CanonicalBatch, source: () => number, point: Json, value: Json) => void;

/** Mappers by the data point's union key (the camelCase of its data type). */
const BY_KEY: Record<string, PointMapper> = {
  sleep: mapSleepPoint,
  exercise: mapExercisePoint,
  ...Object.fromEntries(
    Object.entries(VITAL_READERS).map(([key, read]) => [
      key,
      ((batch, source, _point, value) => read(batch, source, value)) satisfies PointMapper,
    ]),
  ),
};

/** Union keys the mappers know. */
export const FITBIT_MAPPED_KEYS: readonly string[] = Object.keys(BY_KEY);

/**
 * Maps a Google Health payload (`{dataPoints: [...]}`, one list page or a pull's merged pages) to
 * canonical records. Each point is dispatched by the union field it carries, so the resource name only
 * documents where the payload came from. Pure and total: a point of an unknown type, or one without
 * its time or value, is skipped; nothing here throws on vendor input.
 *
 * @example
 * const batch = mapFitbit('body', { dataPoints: [{ weight: { weightGrams: 72500,
 *   sampleTime: { physicalTime: '2026-03-01T07:00:00Z', utcOffset: '3600s' } } }] });
 * // batch.samples[0]: weight 72.5 kg at 2026-03-01T07:00Z, utcOffsetMin 60
 */
export function mapFitbit(_resource: string, payload: unknown): CanonicalBatch {
  const batch = emptyBatch();
  const sources = new SourceTable(batch);
  for (const point of dataPoints(payload)) {
    for (const [key, map] of Object.entries(BY_KEY)) {
      const value = point[key];
      if (!isObject(value)) continue;
      // The source is registered only once the point yields a record.
      map(batch, () => sourceOf(sources, point), point, value);
      break;
    }
  }
  return batch;
}
