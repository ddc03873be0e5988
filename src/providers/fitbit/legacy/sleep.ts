import { toCanonicalSleepStage } from '../../../catalog/sleep-stages.ts';
import type { CanonicalBatch, CanonicalSleepStage } from '../../../health-data/canonical.ts';
import { documentsOf, type FitbitLegacyOptions, isRecord, num, parseFitbitTime } from './common.ts';

/**
 * Fitbit sleep log v1.2 → an `in_bed` interval over the session plus its stage timeline.
 *
 * `levels.data[]` is the timeline ("stages": deep/light/rem/wake; "classic": asleep/restless/awake).
 * `levels.shortData[]` lists short wake bouts (≤ 3 min) that lie INSIDE `data` entries: each bout cuts
 * the stage under it, so every instant has exactly one stage and no time counts twice.
 * `levels.summary` (count/minutes per level) has no timing: it maps to nothing. The per-session totals
 * (`minutesAsleep`, `efficiency`, …) have no canonical record either (no Fitbit sleep score range).
 */

export interface StagePiece {
  startMs: number;
  endMs: number;
  stage: CanonicalSleepStage;
}

/** `{dateTime, level, seconds}` items as pieces; items with a bad time, level or length are skipped. */
function piecesOf(items: unknown, options: FitbitLegacyOptions): StagePiece[] {
  if (!Array.isArray(items)) return [];
  const out: StagePiece[] = [];
  for (const item of items) {
    if (!isRecord(item) || typeof item.level !== 'string') continue;
    const at = parseFitbitTime(item.dateTime, options);
    const seconds = num(item.seconds);
    if (at === null || seconds === null || seconds <= 0) continue;
    out.push({
      startMs: at.ms,
      endMs: at.ms + seconds * 1000,
      stage: toCanonicalSleepStage('fitbit', item.level).stage,
    });
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

/** Pieces clipped to the session and trimmed so none starts before the previous one ended. */
function exclusive(pieces: StagePiece[], startMs: number, endMs: number): StagePiece[] {
  const out: StagePiece[] = [];
  let cursor = startMs;
  for (const p of pieces) {
    const from = Math.max(p.startMs, cursor);
    const to = Math.min(p.endMs, endMs);
    if (to <= from) continue;
    out.push({ ...p, startMs: from, endMs: to });
    cursor = to;
  }
  return out;
}

/** What is left of `piece` outside `[cutFrom, cutTo)`: zero, one or two pieces. */
function cut(piece: StagePiece, cutFrom: number, cutTo: number): StagePiece[] {
  if (cutTo <= piece.startMs || cutFrom >= piece.endMs) return [piece];
  const out: StagePiece[] = [];
  if (cutFrom > piece.startMs) out.push({ ...piece, endMs: cutFrom });
  if (cutTo < piece.endMs) out.push({ ...piece, startMs: cutTo });
  return out;
}

/**
 * The session's timeline: `data` with every `shortData` bout laid over it (the bout's own stage
 * replaces what it covers), then touching pieces of the same stage joined (a bout at the edge of a
 * `wake` entry extends it rather than adding a second wake interval).
 */
export function sleepTimeline(
  data: StagePiece[],
  shortData: StagePiece[],
  startMs: number,
  endMs: number,
): StagePiece[] {
  const bouts = exclusive(shortData, startMs, endMs);
  let pieces = exclusive(data, startMs, endMs);
  for (const bout of bouts) pieces = pieces.flatMap((p) => cut(p, bout.startMs, bout.endMs));
  pieces = [...pieces, ...bouts].sort((a, b) => a.startMs - b.startMs);
  const joined: StagePiece[] = [];
  for (const p of pieces) {
    const last = joined.at(-1);
    if (last !== undefined && last.stage === p.stage && last.endMs === p.startMs) last.endMs = p.endMs;
    else joined.push({ ...p });
  }
  return joined;
}

const idOf = (v: unknown): string | null =>
  typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' && v !== '' ? v : null;

function mapLog(
  batch: CanonicalBatch,
  source: number,
  log: Record<string, unknown>,
  options: FitbitLegacyOptions,
) {
  const start = parseFitbitTime(log.startTime, options);
  if (start === null) return;
  const levels = isRecord(log.levels) ? log.levels : {};
  const data = piecesOf(levels.data, options);
  const shortData = piecesOf(levels.shortData, options);
  // endTime is the session's end; without it, start + duration, then the timeline's last end.
  const duration = num(log.duration);
  const endMs =
    parseFitbitTime(log.endTime, options)?.ms ??
    (duration !== null && duration > 0 ? start.ms + duration : (data.at(-1)?.endMs ?? Number.NaN));
  if (!(endMs > start.ms)) return;
  const logId = idOf(log.logId);
  const utcOffsetMin = start.utcOffsetMin;
  batch.sleep.push({ source, startMs: start.ms, endMs, stage: 'in_bed', externalId: logId, utcOffsetMin });
  for (const p of sleepTimeline(data, shortData, start.ms, endMs)) {
    batch.sleep.push({
      source,
      ...p,
      externalId: logId === null ? null : `${logId}@${new Date(p.startMs).toISOString()}`,
      utcOffsetMin,
    });
  }
}

/**
 * Sleep logs: one log object, an array of them, or the `GET /1.2/user/-/sleep/date/…` answer
 * (`{sleep: [...]}`). A log without a usable start/end is skipped; the others still map.
 */
export function mapLegacySleep(
  batch: CanonicalBatch,
  source: number,
  payload: unknown,
  options: FitbitLegacyOptions,
): void {
  for (const log of documentsOf(payload, 'sleep', (d) => 'startTime' in d)) {
    mapLog(batch, source, log, options);
  }
}
