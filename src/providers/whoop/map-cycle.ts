import { scoreRange } from '../../catalog/health-scores.ts';
import { type CanonicalBatch, emptyBatch } from '../../health-data/canonical.ts';
import { kilojoulesToKcal, localDate, offsetMinutes, recordsOf, whoopSource } from './map-common.ts';
import { parseWhoop, WhoopCycle } from './schemas.ts';

const STRAIN = scoreRange('whoop', 'strain') as { min: number; max: number };

/**
 * A WHOOP cycle is a physiological day: it starts when the member falls asleep and ends when they fall
 * asleep the next time, so its start is usually the evening before the day it stands for. The day it is
 * filed under is the local calendar day twelve hours after its start (23:18 on the 24th → the 25th;
 * 00:40 on the 25th → the 25th), the morning the member wakes into — the day their recovery is filed under.
 */
const CYCLE_DAY_SHIFT_MS = 12 * 3600_000;

export function cycleDay(startMs: number, offsetMin: number | null): string {
  return localDate(startMs + CYCLE_DAY_SHIFT_MS, offsetMin);
}

/**
 * Cycles → the day's strain score (WHOOP's 0–21 scale, stored as sent). The cycle's energy and heart rate
 * are whole-day figures and go into the score's components, not into samples: WHOOP's kilojoules are
 * total expenditure (resting included) while the `energy` series is active energy only, and a day-long
 * heart-rate average would be read as a reading inside whatever night it starts in. Unscored cycles
 * (PENDING_SCORE, UNSCORABLE) yield nothing; the cycle in progress (no `end`) is stored and replaced by
 * later pulls (one strain score per day).
 *
 * @example mapCycles({ pages: [{ records: [cycle], next_token: null }] }).scores[0].category // 'strain'
 */
export function mapCycles(payload: unknown): CanonicalBatch {
  const batch = emptyBatch();
  const records = recordsOf(payload, 'cycle', (o) => 'id' in o && 'start' in o && 'score_state' in o);
  for (const [i, raw] of records.entries()) {
    const cycle = parseWhoop(WhoopCycle, raw, `cycle record ${i + 1}`);
    if (cycle.score_state !== 'SCORED' || !cycle.score) continue;
    const startMs = Date.parse(cycle.start);
    const offset = offsetMinutes(cycle.timezone_offset);
    const { strain, kilojoule, average_heart_rate, max_heart_rate } = cycle.score;
    batch.scores.push({
      source: whoopSource(batch),
      provider: 'whoop',
      date: cycleDay(startMs, offset),
      category: 'strain',
      score: strain,
      rangeMin: STRAIN.min,
      rangeMax: STRAIN.max,
      components: {
        cycle_id: cycle.id,
        start: cycle.start,
        end: cycle.end ?? null,
        in_progress: cycle.end === null || cycle.end === undefined,
        timezone_offset: cycle.timezone_offset ?? null,
        energy_kilojoules: kilojoule ?? null,
        total_energy_kcal: kilojoule === null || kilojoule === undefined ? null : kilojoulesToKcal(kilojoule),
        average_heart_rate_bpm: average_heart_rate ?? null,
        max_heart_rate_bpm: max_heart_rate ?? null,
      },
    });
  }
  return batch;
}
