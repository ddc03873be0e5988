/**
 * Timestamps and UTC offsets from sources. Offsets are kept in minutes east of UTC so daily summaries
 * can cut days at the user's local midnight of that moment (DST included).
 */

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
