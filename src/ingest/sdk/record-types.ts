import { classifyHealthConnectType } from '../../catalog/health-connect.ts';
import { classifyHealthKitIdentifier } from '../../catalog/healthkit.ts';
import { findSeriesTypeByName, type SeriesTypeName } from '../../catalog/series-types.ts';
import type { SdkProvider } from './sdk-payload.ts';

/** What one SDK `records[]` entry becomes. */
export type RecordTarget =
  | { kind: 'series'; seriesType: SeriesTypeName; defaultUnit: string | undefined }
  /** The record's duration in minutes is the value (mindful sessions). */
  | { kind: 'duration'; seriesType: SeriesTypeName }
  /** A sleep-analysis record: `value` names the stage. */
  | { kind: 'sleep' }
  | { kind: 'kept_raw'; reason: string };

/**
 * Apple records carry HealthKit identifiers; Samsung and Google records carry Health Connect (or Samsung
 * Health) record types. Any SDK may also send a canonical series name directly (`heart_rate`).
 */
export function classifySdkRecordType(provider: SdkProvider, type: string): RecordTarget {
  const canonical = findSeriesTypeByName(type);
  if (canonical !== undefined) return { kind: 'series', seriesType: canonical.name, defaultUnit: undefined };

  if (provider === 'apple') {
    const hk = classifyHealthKitIdentifier(type);
    switch (hk.kind) {
      case 'series':
        return { kind: 'series', seriesType: hk.seriesType, defaultUnit: hk.defaultUnit };
      case 'duration_series':
        return { kind: 'duration', seriesType: hk.seriesType };
      case 'sleep':
        return { kind: 'sleep' };
      case 'kept_raw':
        return { kind: 'kept_raw', reason: hk.reason };
      default:
        // Correlations, characteristics, workouts and the like are not single records.
        return { kind: 'kept_raw', reason: `not a record type (${hk.kind})` };
    }
  }

  const hc = classifyHealthConnectType(type);
  switch (hc.kind) {
    case 'series':
      return { kind: 'series', seriesType: hc.seriesType, defaultUnit: hc.unit };
    case 'duration_series':
      return { kind: 'duration', seriesType: hc.seriesType };
    case 'sleep':
      return { kind: 'sleep' };
    case 'kept_raw':
      return { kind: 'kept_raw', reason: hc.reason };
    default:
      // Multi-value and derived records need fields a flat SDK record does not carry.
      return { kind: 'kept_raw', reason: `not a flat record type (${hc.kind})` };
  }
}
