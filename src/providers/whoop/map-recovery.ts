import { scoreRange } from '../../catalog/health-scores.ts';
import { type SeriesTypeName, seriesType } from '../../catalog/series-types.ts';
import { type CanonicalBatch, emptyBatch } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import { localDate, offsetMinutes, recordsOf, whoopSource } from './map-common.ts';
import { parseWhoop, WhoopRecovery, WhoopSleep } from './schemas.ts';

const RECOVERY = scoreRange('whoop', 'recovery') as { min: number; max: number };

/**
 * The recovery resource as `pull.ts` archives it: the recovery pages plus the sleeps they were measured
 * in (a recovery record carries no time of its own, only `sleep_id` and `cycle_id`).
 */
export interface WhoopRecoveryPayload {
  pages: unknown[];
  sleeps: unknown[];
}

/**
 * Recoveries → the recovery score (0–100 %) and the night's vitals as samples over the sleep they were
 * measured in, at that sleep's local offset: resting heart rate (bpm), HRV as RMSSD in ms (WHOOP's
 * `hrv_rmssd_milli` is RMSSD, never SDNN), SpO2 (%) and skin temperature (°C, an absolute temperature:
 * `skin_temperature`, not `skin_temperature_deviation`). The score is filed under the local day the
 * sleep ended (the morning it stands for). A recovery whose sleep is not in the payload is timed at its
 * `created_at` (WHOOP scores it on waking) as an instant, in UTC. Unscored recoveries yield nothing.
 *
 * @example mapRecoveries({ pages: [page], sleeps: [sleep] }).samples.map((s) => s.seriesTypeId)
 */
export function mapRecoveries(payload: unknown): CanonicalBatch {
  const batch = emptyBatch();
  const object = payload as Partial<WhoopRecoveryPayload> | null;
  const sleeps = new Map<string, WhoopSleep>();
  if (object !== null && typeof object === 'object' && 'sleeps' in object) {
    if (!Array.isArray(object.sleeps))
      throw new ProviderResponseError('WHOOP recovery "sleeps" is not an array');
    for (const [i, raw] of object.sleeps.entries()) {
      const sleep = parseWhoop(WhoopSleep, raw, `sleep record ${i + 1} (of the recovery payload)`);
      sleeps.set(sleep.id, sleep);
    }
  }
  const records = recordsOf(payload, 'recovery', (o) => 'cycle_id' in o && 'score_state' in o);
  for (const [i, raw] of records.entries()) {
    const recovery = parseWhoop(WhoopRecovery, raw, `recovery record ${i + 1}`);
    if (recovery.score_state !== 'SCORED' || !recovery.score) continue;
    const sleep = recovery.sleep_id ? sleeps.get(recovery.sleep_id) : undefined;
    const timing = recoveryTiming(recovery, sleep, i);
    const source = whoopSource(batch);
    const score = recovery.score;
    const sample = (name: SeriesTypeName, value: number | null | undefined) => {
      if (value === null || value === undefined) return;
      batch.samples.push({
        source,
        seriesTypeId: seriesType(name).id,
        startMs: timing.startMs,
        durationMs: timing.durationMs,
        value,
        utcOffsetMin: timing.offset,
      });
    };
    sample('resting_heart_rate', score.resting_heart_rate);
    sample('heart_rate_variability_rmssd', score.hrv_rmssd_milli);
    sample('oxygen_saturation', score.spo2_percentage);
    sample('skin_temperature', score.skin_temp_celsius);
    batch.scores.push({
      source,
      provider: 'whoop',
      date: localDate(timing.startMs + timing.durationMs, timing.offset),
      category: 'recovery',
      score: score.recovery_score,
      rangeMin: RECOVERY.min,
      rangeMax: RECOVERY.max,
      components: {
        cycle_id: recovery.cycle_id,
        sleep_id: recovery.sleep_id ?? null,
        user_calibrating: score.user_calibrating ?? null,
        resting_heart_rate_bpm: score.resting_heart_rate ?? null,
        hrv_rmssd_ms: score.hrv_rmssd_milli ?? null,
        spo2_percent: score.spo2_percentage ?? null,
        skin_temperature_celsius: score.skin_temp_celsius ?? null,
        timed_by: sleep ? 'sleep' : 'created_at',
      },
    });
  }
  return batch;
}

function recoveryTiming(
  recovery: WhoopRecovery,
  sleep: WhoopSleep | undefined,
  index: number,
): { startMs: number; durationMs: number; offset: number | null } {
  if (sleep !== undefined) {
    const startMs = Date.parse(sleep.start);
    return {
      startMs,
      durationMs: Math.max(0, Date.parse(sleep.end) - startMs),
      offset: offsetMinutes(sleep.timezone_offset),
    };
  }
  const at = recovery.created_at ?? recovery.updated_at;
  if (at === null || at === undefined) {
    throw new ProviderResponseError(
      `WHOOP recovery record ${index + 1} (cycle ${recovery.cycle_id}) has no sleep in the payload and no created_at to time it by`,
    );
  }
  return { startMs: Date.parse(at), durationMs: 0, offset: null };
}
