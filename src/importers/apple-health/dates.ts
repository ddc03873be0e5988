/**
 * Apple export timestamps. Since iOS 9 the export writes `2019-01-01 08:00:00 +0200`; the iOS 8 export
 * wrote `20140114084347-0800`. Both name their offset, which is kept as the sample's UTC offset when no
 * `HKTimeZone` says otherwise. Parsed by hand: `Date.parse` is slower and does not accept either form.
 */
import { daysFromCivil, digits } from '../../ingest/time.ts';

export interface AppleDate {
  ms: number;
  offsetMin: number;
}

const spaced =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(?:([+-])(\d{2}):?(\d{2})|Z)$/;
const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-])(\d{2})(\d{2})$/;

/** The fields of a modern date as numbers (-1: not digits), validated and turned into an instant. */
function modernDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  sign: number,
  oh: number,
  om: number,
): AppleDate | undefined {
  if ((sign !== 43 && sign !== 45) || Math.min(year, hour, minute, second, oh, om) < 0) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const offsetMin = (sign === 45 ? -1 : 1) * (oh * 60 + om);
  if (Math.abs(offsetMin) > 18 * 60) return undefined;
  const local = (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second) * 1000;
  return { ms: local - offsetMin * 60_000, offsetMin };
}

/** The form of every modern export, `2019-01-01 08:00:00 +0200`, without a regular expression. */
function parseModernDate(text: string): AppleDate | undefined {
  if (
    text.length !== 25 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 32
  ) {
    return undefined;
  }
  // Digits read inline, not through a closure: the module loader names every closure it makes (a
  // property definition per call), which in a function called twice per record costs more than the rest.
  return modernDate(
    digits(text, 0, 4),
    digits(text, 5, 2),
    digits(text, 8, 2),
    digits(text, 11, 2),
    digits(text, 14, 2),
    digits(text, 17, 2),
    text.charCodeAt(20),
    digits(text, 21, 2),
    digits(text, 23, 2),
  );
}

/** Digits at `bytes[from, from + count)` as a number, or -1 if any is not a digit. */
function digitBytes(bytes: Uint8Array, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = (bytes[i] as number) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `parseAppleDate` of the 25 bytes at `bytes[at]` when they are a modern date (undefined otherwise,
 * the other forms included): the import's fast lane reads dates without making strings of them.
 */
export function parseModernDateBytes(bytes: Uint8Array, at: number): AppleDate | undefined {
  if (
    at + 25 > bytes.length ||
    bytes[at + 4] !== 45 ||
    bytes[at + 7] !== 45 ||
    bytes[at + 10] !== 32 ||
    bytes[at + 13] !== 58 ||
    bytes[at + 16] !== 58 ||
    bytes[at + 19] !== 32
  ) {
    return undefined;
  }
  return modernDate(
    digitBytes(bytes, at, 4),
    digitBytes(bytes, at + 5, 2),
    digitBytes(bytes, at + 8, 2),
    digitBytes(bytes, at + 11, 2),
    digitBytes(bytes, at + 14, 2),
    digitBytes(bytes, at + 17, 2),
    bytes[at + 20] as number,
    digitBytes(bytes, at + 21, 2),
    digitBytes(bytes, at + 23, 2),
  );
}

export function parseAppleDate(text: string): AppleDate | undefined {
  const modern = parseModernDate(text);
  if (modern !== undefined) return modern;
  const m = spaced.exec(text) ?? compact.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m;
  const offsetMin = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (Math.abs(offsetMin) > 18 * 60) return undefined;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const local = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (!Number.isFinite(local)) return undefined;
  return { ms: local - offsetMin * 60_000, offsetMin };
}

/**
 * Time of day of an `InstantaneousBeatsPerMinute` beat, in ms after local midnight. The export formats
 * it with the phone's locale: `6:14:48.94 PM`, `08:33:44,67` (decimal comma), a narrow no-break space
 * (U+202F) before AM/PM, or `a.m.`/`p.m.`.
 */
const timeOfDay =
  /^(\d{1,2})[:.](\d{2})[:.](\d{2})(?:[.,](\d{1,3}))?[\s\u00a0\u202f]*(?:([AaPp])\.?\s*[Mm]\.?)?$/;

export function parseTimeOfDay(text: string): number | undefined {
  const m = timeOfDay.exec(text.trim());
  if (m === null) return undefined;
  const [, h, mi, s, frac, ampm] = m;
  let hours = Number(h);
  if (ampm !== undefined) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (/p/i.test(ampm) ? 12 : 0);
  }
  const minutes = Number(mi);
  const seconds = Number(s);
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const fraction = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction;
}

/**
 * A beat's instant: the time of day on the local date of the record's start (in the record's offset),
 * moved a day on when the list crosses local midnight.
 */
export function beatInstant(recordStart: AppleDate, msOfDay: number): number {
  const localStart = recordStart.ms + recordStart.offsetMin * 60_000;
  const localMidnight = localStart - (((localStart % 86_400_000) + 86_400_000) % 86_400_000);
  let local = localMidnight + msOfDay;
  // A beat can precede the record's start by a little (rounding), never by half a day.
  if (local < localStart - 12 * 3_600_000) local += 86_400_000;
  return local - recordStart.offsetMin * 60_000;
}
