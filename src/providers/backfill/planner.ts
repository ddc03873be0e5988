/**
 * Which backfill windows a run asks for (pure: unit-tested without a database). Per type, the span
 * [now − historical_days, now] minus what existing windows already cover, cut into pieces of at most
 * the type's `max_window_days`. Windows that failed, timed out or were cancelled cover nothing: their
 * range is asked again (after a reconnect, or by a retry).
 */

const DAY = 86_400_000;

/** Statuses whose window no longer covers its range. */
export const UNCOVERING_STATUSES = ['failed', 'timed_out', 'cancelled'] as const;

export interface Range {
  fromMs: number;
  toMs: number;
}

export interface PlannedWindow extends Range {
  type: string;
}

/** `[span]` minus the union of `covered`, as sorted disjoint ranges. */
export function subtractRanges(span: Range, covered: readonly Range[]): Range[] {
  const sorted = covered
    .filter((r) => r.toMs > span.fromMs && r.fromMs < span.toMs && r.toMs > r.fromMs)
    .sort((a, b) => a.fromMs - b.fromMs);
  const gaps: Range[] = [];
  let cursor = span.fromMs;
  for (const r of sorted) {
    if (r.fromMs > cursor) gaps.push({ fromMs: cursor, toMs: Math.min(r.fromMs, span.toMs) });
    cursor = Math.max(cursor, r.toMs);
    if (cursor >= span.toMs) break;
  }
  if (cursor < span.toMs) gaps.push({ fromMs: cursor, toMs: span.toMs });
  return gaps;
}

/** A range cut into consecutive pieces of at most `maxDays` days (the last may be shorter). */
export function splitRange(range: Range, maxDays: number): Range[] {
  const step = maxDays * DAY;
  const out: Range[] = [];
  for (let start = range.fromMs; start < range.toMs; start += step)
    out.push({ fromMs: start, toMs: Math.min(start + step, range.toMs) });
  return out;
}

/**
 * The windows still missing for each type.
 *
 * @example
 * planBackfill({ nowMs, historicalDays: 30, types: [{ name: 'activities', max_window_days: 30 }],
 *   existing: [] });
 * // [{ type: 'activities', fromMs: nowMs - 30 days, toMs: nowMs }]
 */
export function planBackfill(input: {
  nowMs: number;
  historicalDays: number;
  types: readonly { name: string; max_window_days: number }[];
  /** Windows already stored for this user and vendor, with their status. */
  existing: readonly (PlannedWindow & { status: string })[];
}): PlannedWindow[] {
  const span = { fromMs: input.nowMs - input.historicalDays * DAY, toMs: input.nowMs };
  const out: PlannedWindow[] = [];
  for (const type of input.types) {
    const covered = input.existing.filter(
      (w) => w.type === type.name && !(UNCOVERING_STATUSES as readonly string[]).includes(w.status),
    );
    for (const gap of subtractRanges(span, covered))
      for (const piece of splitRange(gap, type.max_window_days)) out.push({ type: type.name, ...piece });
  }
  return out;
}
