import { api } from '../api.ts';
import { formatNumber } from '../ui.tsx';

/** Formatting and paging helpers shared by the chart panels. */

export const DAY_MS = 86_400_000;

/** `2 h 05 min`, `42 min`, `35 s`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const minutes = Math.round(total / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Minutes as `7 h 12 min`. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || Number.isNaN(minutes)) return '—';
  return minutes < 1 ? `${formatNumber(minutes, 1)} min` : formatDuration(minutes * 60);
}

export function formatDistance(meters: number | null | undefined): string {
  if (meters === null || meters === undefined) return '—';
  if (meters < 1000) return `${Math.round(meters)} m`;
  return `${(meters / 1000).toLocaleString(undefined, { maximumFractionDigits: 2 })} km`;
}

export function formatPace(secondsPerKm: number | null | undefined): string {
  if (!secondsPerKm) return '—';
  const s = Math.round(secondsPerKm);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} /km`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}

/** `heart_rate_variability_sdnn` → `Heart rate variability sdnn`. */
export function humanize(name: string): string {
  const text = name.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `YYYY-MM-DD` of a UTC instant (the events and summaries routes take UTC or local days). */
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The value of an `<input type="datetime-local">` for an instant, in local time. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

interface Paged<T> {
  data: T[];
  pagination: { next_cursor: string | null; has_more: boolean; total_count: number };
}

/**
 * Follows `next_cursor` until the end or `cap` items (the list routes serve at most 100 a page).
 * `total` is the route's total_count, so a caller can say how much was left out.
 */
export async function fetchAllPages<T>(
  path: (cursor: string | undefined) => string,
  options: { cap: number; signal?: AbortSignal; onProgress?: (loaded: number, total: number) => void },
): Promise<{ items: T[]; total: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let total = 0;
  for (;;) {
    const page = await api.get<Paged<T>>(path(cursor), options.signal ? { signal: options.signal } : {});
    items.push(...page.data);
    total = Math.max(total, page.pagination.total_count, items.length);
    options.onProgress?.(items.length, total);
    if (!page.pagination.next_cursor || items.length >= options.cap) break;
    cursor = page.pagination.next_cursor;
  }
  return { items: items.slice(0, options.cap), total };
}
