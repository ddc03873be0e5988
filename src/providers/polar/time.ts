import { ProviderResponseError } from '../errors.ts';

/**
 * Polar's ways of saying time: ISO-8601 durations (`PT2H44M45S`, `PT210.026S`), local wall-clock
 * times without an offset (exercise `start_time` + `start_time_utc_offset`), and clock-time keys
 * (`"00:39"`) that only a night's start can place on a day.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

// Days, hours, minutes and (decimal) seconds; years, months and weeks have no fixed length: refused.
const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d+))?S)?)?$/;

/**
 * An ISO-8601 duration in whole milliseconds, exactly: the seconds' fraction is read as digits, not
 * through floating point, so `PT1H2M3.5S` is 3_723_500 and `PT0.001S` is 1.
 *
 * @example parseIsoDurationMs('PT2H44M45S') // 9_885_000
 */
export function parseIsoDurationMs(raw: string): number {
  const m = DURATION.exec(raw.trim());
  if (m === null || raw.trim() === 'P' || raw.trim().endsWith('T'))
    throw new ProviderResponseError(`Polar sent "${raw}" where an ISO-8601 duration (PT…) was expected`);
  const [, d, h, min, s, frac] = m;
  const fractionMs = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  return (
    Number(d ?? 0) * DAY +
    Number(h ?? 0) * 3_600_000 +
    Number(min ?? 0) * MINUTE +
    Number(s ?? 0) * 1000 +
    fractionMs
  );
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const ZONED = /(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A wall-clock date-time without an offset, read as if it were UTC ("local epoch"): subtract the
 * offset to get the real instant. A string that carries its own offset gives its real instant and
 * that offset instead. Polar writes seconds with a bare `0` too (`10:40:0.000Z`), which is accepted.
 */
export function parseLocal(raw: string): { localMs: number; offsetMin: number | null } {
  const text = raw.trim();
  if (ZONED.test(text)) {
    const fixed = text.replace(/:(\d)(\.\d+)?(Z|[+-])/, ':0$1$2$3');
    const ms = Date.parse(fixed);
    if (!Number.isFinite(ms)) throw new ProviderResponseError(`Polar sent an unreadable time "${raw}"`);
    const offset = offsetOf(fixed);
    return { localMs: ms + offset * MINUTE, offsetMin: offset };
  }
  const m = LOCAL.exec(text);
  if (m === null) throw new ProviderResponseError(`Polar sent an unreadable time "${raw}"`);
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const fractionMs = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  if (!Number.isFinite(ms)) throw new ProviderResponseError(`Polar sent an unreadable time "${raw}"`);
  return { localMs: ms + fractionMs, offsetMin: null };
}

/** Minutes east of UTC of an ISO string's own offset (`Z` = 0). */
function offsetOf(text: string): number {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (m === null) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** A `YYYY-MM-DD` date as local epoch ms of its midnight. */
export function parseDate(raw: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw))
    throw new ProviderResponseError(`Polar sent an unreadable date "${raw}"`);
  const ms = Date.parse(`${raw}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new ProviderResponseError(`Polar sent an unreadable date "${raw}"`);
  return ms;
}

/** Seconds into the day of a `HH:MM` or `HH:MM:SS(.fff)` clock time. */
export function clockMs(raw: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(raw.trim());
  if (m === null || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59)
    throw new ProviderResponseError(`Polar sent an unreadable clock time "${raw}"`);
  const fractionMs = m[4] === undefined ? 0 : Math.round(Number(`0.${m[4]}`) * 1000);
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1000 + fractionMs;
}

/**
 * Places clock-time keys of a night on the time line: the first occurrence of each clock time at or
 * after the night's local start (less `toleranceMs`, since `"00:39"` marks a stage that began at
 * 00:39:07). Keys before that belong to the next day: a hypnogram of a night that starts at 23:10 goes
 * on with `"00:30"` after midnight, whatever order the keys came in. Local epoch ms, sorted.
 *
 * @example anchorClockKeys(['23:58', '00:30'], startLocal /* 23:10 *\/) // [23:58 day 0, 00:30 day 1]
 */
export function anchorClockKeys(
  keys: readonly string[],
  startLocalMs: number,
  toleranceMs = 10 * MINUTE,
): { key: string; localMs: number }[] {
  const dayStart = Math.floor(startLocalMs / DAY) * DAY;
  return keys
    .map((key) => {
      let localMs = dayStart + clockMs(key);
      if (localMs < startLocalMs - toleranceMs) localMs += DAY;
      return { key, localMs };
    })
    .sort((a, b) => a.localMs - b.localMs);
}

/** `YYYY-MM-DD` of an epoch ms (UTC). */
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export { DAY, MINUTE };
