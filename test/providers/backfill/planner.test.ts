import { describe, expect, it } from 'vitest';
import { planBackfill, splitRange, subtractRanges } from '../../../src/providers/backfill/planner.ts';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 2, 12);
const types = [
  { name: 'dailies', max_window_days: 90 },
  { name: 'activities', max_window_days: 30 },
  { name: 'moveiq', max_window_days: 7 },
];

describe('backfill planner', () => {
  it('plans every type over [now - historical_days, now], each piece within its max window', () => {
    const planned = planBackfill({ nowMs: now, historicalDays: 30, types, existing: [] });
    expect(planned.filter((w) => w.type === 'dailies')).toEqual([
      { type: 'dailies', fromMs: now - 30 * DAY, toMs: now },
    ]);
    expect(planned.filter((w) => w.type === 'activities')).toEqual([
      { type: 'activities', fromMs: now - 30 * DAY, toMs: now },
    ]);
    const moveiq = planned.filter((w) => w.type === 'moveiq');
    // 30 days in pieces of at most 7: 7,7,7,7,2, contiguous, covering the span exactly.
    expect(moveiq.map((w) => (w.toMs - w.fromMs) / DAY)).toEqual([7, 7, 7, 7, 2]);
    for (let i = 1; i < moveiq.length; i++) expect(moveiq[i]?.fromMs).toBe(moveiq[i - 1]?.toMs);
    for (const w of planned) {
      const max = types.find((t) => t.name === w.type)?.max_window_days as number;
      expect(w.toMs - w.fromMs).toBeLessThanOrEqual(max * DAY);
      expect(w.toMs).toBeGreaterThan(w.fromMs);
    }
  });

  it('a later run asks only the gap; windows that failed, timed out or were cancelled count as gaps', () => {
    const earlier = now - 3 * DAY;
    const existing = [
      { type: 'dailies', fromMs: earlier - 30 * DAY, toMs: earlier, status: 'received' },
      { type: 'activities', fromMs: earlier - 30 * DAY, toMs: earlier, status: 'failed' },
      { type: 'moveiq', fromMs: earlier - 30 * DAY, toMs: earlier - 10 * DAY, status: 'requested' },
      { type: 'moveiq', fromMs: earlier - 10 * DAY, toMs: earlier, status: 'timed_out' },
    ];
    const planned = planBackfill({ nowMs: now, historicalDays: 30, types, existing });
    expect(planned.filter((w) => w.type === 'dailies')).toEqual([
      { type: 'dailies', fromMs: earlier, toMs: now },
    ]);
    // The failed window's range is planned again (within 30 days of now), then the new gap.
    expect(planned.filter((w) => w.type === 'activities')).toEqual([
      { type: 'activities', fromMs: now - 30 * DAY, toMs: now },
    ]);
    const moveiq = planned.filter((w) => w.type === 'moveiq');
    expect(moveiq[0]?.fromMs).toBe(earlier - 10 * DAY);
    expect(moveiq.at(-1)?.toMs).toBe(now);
    expect(moveiq.map((w) => (w.toMs - w.fromMs) / DAY)).toEqual([7, 6]);
  });

  it('subtracts overlapping and out-of-span ranges, and splits ranges', () => {
    expect(
      subtractRanges({ fromMs: 0, toMs: 100 }, [
        { fromMs: 10, toMs: 20 },
        { fromMs: 15, toMs: 30 },
        { fromMs: 90, toMs: 200 },
        { fromMs: -50, toMs: -10 },
      ]),
    ).toEqual([
      { fromMs: 0, toMs: 10 },
      { fromMs: 30, toMs: 90 },
    ]);
    expect(subtractRanges({ fromMs: 0, toMs: 100 }, [{ fromMs: -1, toMs: 101 }])).toEqual([]);
    expect(splitRange({ fromMs: 0, toMs: 2.5 * DAY }, 1).map((r) => r.toMs / DAY)).toEqual([1, 2, 2.5]);
  });
});
