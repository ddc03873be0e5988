import { describe, expect, it } from 'vitest';
import { pullWindows } from './sync-engine.ts';

const at = (iso: string) => Date.parse(iso);

describe('pullWindows', () => {
  it('cuts UTC-day-aligned windows of the manifest size, the last one ending at the pull end', () => {
    const windows = pullWindows(at('2026-11-01T13:00:00Z'), at('2026-11-30T08:00:00Z'), 7);
    expect(windows.map((w) => w.label)).toEqual([
      '2026-11-01..2026-11-07',
      '2026-11-08..2026-11-14',
      '2026-11-15..2026-11-21',
      '2026-11-22..2026-11-28',
      '2026-11-29..2026-11-30',
    ]);
    expect(windows[0]?.fromMs).toBe(at('2026-11-01T00:00:00Z'));
    expect(windows.at(-1)?.toMs).toBe(at('2026-11-30T08:00:00Z'));
    // Contiguous: nothing between windows is skipped or fetched twice.
    for (let i = 1; i < windows.length; i++) expect(windows[i]?.fromMs).toBe(windows[i - 1]?.toMs);
  });

  it('labels one-day windows by their date and returns none for an empty span', () => {
    expect(
      pullWindows(at('2026-11-01T00:00:00Z'), at('2026-11-03T00:00:00Z'), 1).map((w) => w.label),
    ).toEqual(['2026-11-01', '2026-11-02']);
    expect(pullWindows(at('2026-11-03T00:00:00Z'), at('2026-11-03T00:00:00Z'), 1)).toEqual([]);
  });
});
