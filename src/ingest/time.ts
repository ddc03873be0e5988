/**
 * Timestamps and UTC offsets from sources. Offsets are kept in minutes east of UTC so daily summaries
 * can cut days at the user's local midnight of that moment (DST included).
 */

/**
 * The instants WearLink stores and serves: calendar years 0001–9999. PostgreSQL refuses year 0000 on
 * input and PGlite's driver turns BC dates into invalid Dates; years past 9999 have no ISO 8601 form
 * that every client parses. Every instant is also read at some UTC offset (its own, or the user's zone,
 * at most ±18 hours in PostgreSQL and ISO 8601), so a stored instant keeps that much margin and its
 * local time is in range too, whatever the offset. Read routes bound their date parameters with the
 * calendar part of this (`minDate`/`maxDate`).
 */
export const TIME_BOUNDS = {
  minYear: 1,
  maxYear: 9999,
  /** First calendar day and last calendar day that can be asked for or served. */
  minDate: '0001-01-01',
  maxDate: '9999-12-31',
  /** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z. */
  minMs: Date.parse('0001-01-01T00:00:00.000Z'),
  maxMs: Date.parse('9999-12-31T23:59:59.999Z'),
  /** The widest UTC offset any instant may be shifted by: ±18:00. */
  maxOffsetMs: 18 * 3_600_000,
} as const;

/** First and last instant that may be stored: in range in UTC and at every possible offset. */
export const STORABLE_MIN_MS = TIME_BOUNDS.minMs + TIME_BOUNDS.maxOffsetMs;
export const STORABLE_MAX_MS = TIME_BOUNDS.maxMs - TIME_BOUNDS.maxOffsetMs;

/** Whether an epoch-ms instant may be stored (see TIME_BOUNDS). */
export function isStorableInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= STORABLE_MIN_MS && ms <= STORABLE_MAX_MS;
}

/** The reason given for an instant outside TIME_BOUNDS. */
export const OUT_OF_TIME_RANGE = `timestamp out of range: must lie within years ${TIME_BOUNDS.minYear}-${TIME_BOUNDS.maxYear} at every UTC offset (${new Date(STORABLE_MIN_MS).toISOString()} to ${new Date(STORABLE_MAX_MS).toISOString()})`;

const isoWithOffset = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms of an RFC 3339 / ISO 8601 timestamp that names its offset; undefined otherwise. */
export function parseTimestamp(text: string): number | undefined {
  if (!isoWithOffset.test(text)) return undefined;
  const ms = Date.parse(text.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}

/** `+02:00`, `-0530`, `Z` → minutes; undefined for anything else. */
export function parseOffset(text: string): number | undefined {
  if (/^z$/i.test(text)) return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 18 * 60) return undefined;
  return match[1] === '-' ? -minutes : minutes;
}

/** The offset written into a timestamp string, when it is not plain UTC (`Z` carries no local information). */
export function offsetInTimestamp(text: string): number | undefined {
  const match = isoWithOffset.exec(text);
  const offset = match?.[1];
  if (offset === undefined || /^z$/i.test(offset)) return undefined;
  return parseOffset(offset);
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** UTC offset of an IANA zone (HealthKit's `HKTimeZone`, e.g. `Europe/Berlin`) at an instant. */
export function offsetOfZone(zone: string, atMs: number): number | undefined {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      formatter = null;
    }
    if (formatters.size < 1000) formatters.set(zone, formatter);
  }
  if (formatter === null) return undefined;
  const name = formatter.formatToParts(atMs).find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (name === 'GMT') return 0;
  return parseOffset(name.replace(/^GMT/, ''));
}
