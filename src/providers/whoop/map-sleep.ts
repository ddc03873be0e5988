import { scoreRange } from '../../catalog/health-scores.ts';
import { seriesType } from '../../catalog/series-types.ts';
import { type CanonicalBatch, emptyBatch } from '../../health-data/canonical.ts';
import { localDate, offsetMinutes, recordsOf, whoopSource } from './map-common.ts';
import { parseWhoop, WhoopSleep } from './schemas.ts';

const SLEEP = scoreRange('whoop', 'sleep') as { min: number; max: number };

const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : ms / 1000);

/**
 * Sleeps → one `in_bed` interval over the sleep, the night's respiratory rate, and the sleep score.
 *
 * WHOOP has no hypnogram: a sleep is a span plus stage *totals* (light, slow-wave, REM, awake, no data).
 * The canonical store holds sleep only as stage intervals, and builds sessions from them
 * (src/health-data/sleep-sessions.ts), so the only honest interval is the span itself, labelled as what
 * WHOOP says it is — time in bed (`total_in_bed_time_milli` is end − start). Laying the totals out as
 * back-to-back stage blocks would invent a timeline, and labelling the span `sleeping` would count the
 * awake minutes as sleep. The exact totals (in seconds), WHOOP's efficiency, consistency, disturbances,
 * cycles and sleep need are kept in the sleep score's components; a nap keeps them on its interval's day
 * but gets no score (one sleep score per day: the main sleep's). Until the store can take a session
 * summary, the derived session shows the span in bed with no asleep time.
 *
 * The sleep score is WHOOP's sleep performance (% of the sleep needed, 0–100), filed under the local day
 * the sleep ended. The respiratory rate (breaths/min) is a sample over the sleep, at its local offset.
 *
 * @example mapSleeps(sleepPage).sleep[0].stage // 'in_bed'
 */
export function mapSleeps(payload: unknown): CanonicalBatch {
  const batch = emptyBatch();
  const records = recordsOf(payload, 'sleep', (o) => 'id' in o && 'start' in o && 'score_state' in o);
  for (const [i, raw] of records.entries()) {
    const sleep = parseWhoop(WhoopSleep, raw, `sleep record ${i + 1}`);
    const startMs = Date.parse(sleep.start);
    const endMs = Date.parse(sleep.end);
    const offset = offsetMinutes(sleep.timezone_offset);
    const source = whoopSource(batch);
    if (endMs > startMs) {
      batch.sleep.push({
        source,
        startMs,
        endMs,
        stage: 'in_bed',
        externalId: `sleep:${sleep.id}`,
        utcOffsetMin: offset,
      });
    }
    if (sleep.score_state !== 'SCORED' || !sleep.score) continue;
    const score = sleep.score;
    if (score.respiratory_rate !== null && score.respiratory_rate !== undefined) {
      batch.samples.push({
        source,
        seriesTypeId: seriesType('respiratory_rate').id,
        startMs,
        durationMs: Math.max(0, endMs - startMs),
        value: score.respiratory_rate,
        utcOffsetMin: offset,
      });
    }
    const performance = score.sleep_performance_percentage;
    if (sleep.nap === true || performance === null || performance === undefined) continue;
    const stages = score.stage_summary;
    batch.scores.push({
      source,
      provider: 'whoop',
      date: localDate(endMs, offset),
      category: 'sleep',
      score: performance,
      rangeMin: SLEEP.min,
      rangeMax: SLEEP.max,
      components: {
        sleep_id: sleep.id,
        cycle_id: sleep.cycle_id ?? null,
        start: sleep.start,
        end: sleep.end,
        timezone_offset: sleep.timezone_offset ?? null,
        nap: sleep.nap ?? false,
        in_bed_seconds: seconds(stages?.total_in_bed_time_milli),
        awake_seconds: seconds(stages?.total_awake_time_milli),
        light_seconds: seconds(stages?.total_light_sleep_time_milli),
        deep_seconds: seconds(stages?.total_slow_wave_sleep_time_milli),
        rem_seconds: seconds(stages?.total_rem_sleep_time_milli),
        no_data_seconds: seconds(stages?.total_no_data_time_milli),
        sleep_cycle_count: stages?.sleep_cycle_count ?? null,
        disturbance_count: stages?.disturbance_count ?? null,
        efficiency_percent: score.sleep_efficiency_percentage ?? null,
        consistency_percent: score.sleep_consistency_percentage ?? null,
        respiratory_rate_brpm: score.respiratory_rate ?? null,
        sleep_needed_seconds: sleepNeeded(score.sleep_needed),
      },
    });
  }
  return batch;
}

/** `sleep_needed.*_milli` in seconds under the same names without the unit suffix. */
function sleepNeeded(needed: Record<string, number | null | undefined> | null | undefined) {
  if (!needed) return null;
  return Object.fromEntries(Object.entries(needed).map(([k, v]) => [k.replace(/_milli$/, ''), seconds(v)]));
}
