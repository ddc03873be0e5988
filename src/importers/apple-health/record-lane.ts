import { Buffer } from 'node:buffer';
import { type AppleDate, parseAppleDate, parseModernDateBytes } from './dates.ts';
import type { AppleHealthMapper, RecordFields } from './mapper.ts';
import { attributeValueOrUndefined, type ElementLane } from './xml-stream.ts';

/**
 * The fast lane of an import (see ElementLane): a top-level `<Record>` read straight from the bytes
 * into the mapper, without the XmlNode, attribute object and value strings the scanner would build.
 * Records are nine in ten elements of an export and the scanner's general path spends most of an
 * import's parse time on them; this lane reads one in a fraction of that.
 *
 * It takes only the plain, common shape and refuses (returns -1, having changed nothing) anything else,
 * which the scanner then reads the ordinary way: attributes other than the nine below or written twice,
 * `=` with spaces around it or single quotes, a reference or line break in a date, number or
 * metadata key, children other than self-closing `<MetadataEntry key="…" value="…"/>`, text or a comment
 * inside, a record cut by the end of the buffer, and every record the mapper would reject or keep raw.
 * So everything it takes is well-formed by the scanner's rules and maps to exactly what the node would
 * have; `test/importers/record-lane.test.ts` checks that on every fixture and reference export, at
 * every chunk size.
 */

const QUOTE = 34;
const EQ = 61;
const LT = 60;
const GT = 62;
const SLASH = 47;
const AMP = 38;

// Buffers like the input (not plain Uint8Arrays): byte comparisons then see one kind of array.
const bytesOf = (text: string) => Buffer.from(text);

const TYPE = 0;
const SOURCE_NAME = 1;
const SOURCE_VERSION = 2;
const DEVICE = 3;
const UNIT = 4;
// 5: creationDate, skipped
const START_DATE = 6;
const END_DATE = 7;
const VALUE = 8;
const NAMES = [
  'type',
  'sourceName',
  'sourceVersion',
  'device',
  'unit',
  'creationDate',
  'startDate',
  'endDate',
  'value',
].map(bytesOf);

const RECORD_END = bytesOf('/Record>');
const METADATA_ENTRY = bytesOf('MetadataEntry');
const KEY = bytesOf('key="');
const VALUE_EQ = bytesOf('value="');
const TIME_ZONE = bytesOf('HKTimeZone');

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

function bytesAt(buf: Buffer, at: number, bytes: Buffer): boolean {
  if (at + bytes.length > buf.length) return false;
  for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
  return true;
}

/** Which of NAMES is `buf[from, to)`, or -1. */
function attributeAt(buf: Buffer, from: number, to: number): number {
  for (let id = 0; id < NAMES.length; id++) {
    const name = NAMES[id] as Buffer;
    if (name.length === to - from && bytesAt(buf, from, name)) return id;
  }
  return -1;
}

/**
 * The closing quote of a value starting at `from`, or -1 when the buffer ends first or the value holds
 * a byte that would need normalising (`&`, `<`, tab, CR, LF) or, with `ascii`, a non-ASCII byte.
 */
function plainEnd(buf: Buffer, from: number, ascii: boolean): number {
  const len = buf.length;
  for (let i = from; i < len; i++) {
    const c = buf[i] as number;
    if (c === QUOTE) return i;
    if (c === AMP || c === LT || c === 10 || c === 9 || c === 13 || (ascii && c >= 0x80)) return -1;
  }
  return -1;
}

/**
 * The last few distinct values of one attribute with their raw bytes: a value seen again (a record's
 * type, source, device, unit) is recognised by comparing bytes, without making a string.
 */
class RecentValues {
  readonly #raw: Buffer[] = [];
  readonly #values: string[] = [];
  /** Set by `read`: the position of the value's closing quote. */
  end = -1;

  /** The value starting at `from` (decoded as the scanner would), or undefined to refuse the record. */
  read(buf: Buffer, from: number): string | undefined {
    const raws = this.#raw;
    for (let k = 0; k < raws.length; k++) {
      const raw = raws[k] as Buffer;
      if (buf[from + raw.length] === QUOTE && bytesAt(buf, from, raw)) {
        this.end = from + raw.length;
        return this.#values[k];
      }
    }
    const close = buf.indexOf(QUOTE, from);
    if (close === -1) return undefined;
    const text = buf.utf8Slice(from, close);
    const value = plainEnd(buf, from, false) === close ? text : attributeValueOrUndefined(text);
    if (value === undefined) return undefined;
    if (raws.length === 8) {
      raws.pop();
      this.#values.pop();
    }
    raws.unshift(Buffer.from(buf.subarray(from, close)));
    this.#values.unshift(value);
    this.end = close;
    return value;
  }
}

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * `Number()` of the ASCII bytes `buf[from, to)` when they are a plain decimal (`-?digits[.digits]`, at
 * most 15 digits), else undefined. Exact: the digits as an integer and the power of ten are both exact
 * doubles, and IEEE division rounds their quotient to the double nearest the decimal, as `Number` does.
 */
export function plainDecimal(buf: Uint8Array, from: number, to: number): number | undefined {
  let i = from;
  const negative = buf[i] === 45;
  if (negative) i += 1;
  let mantissa = 0;
  let digits = 0;
  let scale = -1;
  for (; i < to; i++) {
    const c = buf[i] as number;
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits += 1;
      if (scale >= 0) scale += 1;
    } else if (c === 46 && scale === -1 && digits > 0) {
      scale = 0;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || digits > 15 || scale === 0) return undefined;
  const value = scale <= 0 ? mantissa : mantissa / (POW10[scale] as number);
  return negative ? -value : value;
}

/** A date attribute's value at `from`; `end` is set to its closing quote. */
function readDate(buf: Buffer, from: number, at: { end: number }): AppleDate | undefined {
  if (buf[from + 25] === QUOTE) {
    const modern = parseModernDateBytes(buf, from);
    if (modern !== undefined) {
      at.end = from + 25;
      return modern;
    }
  }
  const close = plainEnd(buf, from, false);
  if (close === -1) return undefined;
  at.end = close;
  return parseAppleDate(buf.utf8Slice(from, close));
}

/** A record's fields as the lane read them; its value becomes a string only when the mapper asks. */
class LaneRecord implements RecordFields {
  type = '';
  sourceName: string | undefined;
  sourceVersion: string | undefined;
  device: string | undefined;
  unit: string | undefined;
  valueNumber: number | undefined;
  start: AppleDate = { ms: 0, offsetMin: 0 };
  end: AppleDate | undefined;
  zone: string | undefined;
  buf: Buffer = Buffer.alloc(0);
  valueFrom = -1;
  valueTo = -1;

  get value(): string | undefined {
    return this.valueFrom === -1 ? undefined : this.buf.latin1Slice(this.valueFrom, this.valueTo);
  }
}

/** A lane for `<Record>` elements feeding `mapper`; `onTaken` is called for each record it takes. */
export function recordLane(mapper: AppleHealthMapper, onTaken: () => void): ElementLane {
  const recent = [TYPE, SOURCE_NAME, SOURCE_VERSION, DEVICE, UNIT].map(() => new RecentValues());
  const zones = new RecentValues();
  const position = { end: -1 };
  // One fields object for every record (the mapper keeps nothing of it): no allocation per record.
  const f = new LaneRecord();
  const strings: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  /** The leading string attributes of recent records: their bytes, their values, which ones they are. */
  const prefixes: { bytes: Buffer; strings: (string | undefined)[]; seen: number }[] = [];

  /** Reads the record at `lt` into `f`; returns the position after it, or -1 to refuse it. */
  function read(buf: Buffer, lt: number): number {
    const len = buf.length;
    for (let k = 0; k <= UNIT; k++) strings[k] = undefined;
    let start: AppleDate | undefined;
    let end: AppleDate | undefined;
    let valueFrom = -1;
    let valueTo = -1;
    let seen = 0;
    let i = lt + 7; // after `<Record`
    // The leading string attributes as in a recent record: one native comparison instead of five reads.
    let prefixEnd = -1;
    for (const prefix of prefixes) {
      const n = prefix.bytes.length;
      if (
        i + n <= len &&
        buf[i + n - 2] === prefix.bytes[n - 2] &&
        buf.compare(prefix.bytes, 0, n, i, i + n) === 0
      ) {
        for (let k = 0; k <= UNIT; k++) strings[k] = prefix.strings[k];
        seen = prefix.seen;
        i += n;
        break;
      }
    }
    // Reading the attributes one by one, the leading string ones become a prefix for the next records.
    let leading = seen === 0;
    let prefixSeen = 0;
    let selfClosing: boolean;
    for (;;) {
      const ws = i;
      while (i < len && isSpace(buf[i] as number)) i++;
      const c = buf[i];
      if (c === GT) {
        selfClosing = false;
        i += 1;
        break;
      }
      if (c === SLASH && buf[i + 1] === GT) {
        selfClosing = true;
        i += 2;
        break;
      }
      if (i === ws || i >= len) return -1;
      const nameStart = i;
      while (i < len && isLetter(buf[i] as number)) i++;
      if (buf[i] !== EQ || buf[i + 1] !== QUOTE) return -1;
      const id = attributeAt(buf, nameStart, i);
      if (id === -1 || (seen & (1 << id)) !== 0) return -1;
      seen |= 1 << id;
      const from = i + 2;
      if (id <= UNIT) {
        const values = recent[id] as RecentValues;
        const text = values.read(buf, from);
        if (text === undefined) return -1;
        strings[id] = text;
        i = values.end + 1;
        if (leading) {
          prefixEnd = i;
          prefixSeen = seen;
        }
        continue;
      }
      leading = false;
      if (id === START_DATE || id === END_DATE) {
        const date = readDate(buf, from, position);
        if (date === undefined) return -1;
        if (id === START_DATE) start = date;
        else end = date;
        i = position.end + 1;
      } else {
        const close = plainEnd(buf, from, id === VALUE);
        if (close === -1) return -1;
        if (id === VALUE) {
          valueFrom = from;
          valueTo = close;
        }
        i = close + 1;
      }
    }
    const type = strings[TYPE];
    if (type === undefined || start === undefined) return -1;
    let zone: string | undefined;
    if (!selfClosing) {
      for (;;) {
        while (i < len && isSpace(buf[i] as number)) i++;
        if (buf[i] !== LT) return -1;
        if (bytesAt(buf, i + 1, RECORD_END)) {
          i += 1 + RECORD_END.length;
          break;
        }
        // <MetadataEntry key="…" value="…"/>
        if (!bytesAt(buf, i + 1, METADATA_ENTRY)) return -1;
        i += 1 + METADATA_ENTRY.length;
        if (!isSpace(buf[i] as number)) return -1;
        while (i < len && isSpace(buf[i] as number)) i++;
        if (!bytesAt(buf, i, KEY)) return -1;
        const keyFrom = i + KEY.length;
        const keyEnd = plainEnd(buf, keyFrom, false);
        if (keyEnd === -1) return -1;
        i = keyEnd + 1;
        if (!isSpace(buf[i] as number)) return -1;
        while (i < len && isSpace(buf[i] as number)) i++;
        if (!bytesAt(buf, i, VALUE_EQ)) return -1;
        const valueFrom = i + VALUE_EQ.length;
        if (zone === undefined && keyEnd - keyFrom === TIME_ZONE.length && bytesAt(buf, keyFrom, TIME_ZONE)) {
          zone = zones.read(buf, valueFrom);
          if (zone === undefined) return -1;
          i = zones.end + 1;
        } else {
          const valueEnd = plainEnd(buf, valueFrom, false);
          if (valueEnd === -1) return -1;
          i = valueEnd + 1;
        }
        while (i < len && isSpace(buf[i] as number)) i++;
        if (buf[i] !== SLASH || buf[i + 1] !== GT) return -1;
        i += 2;
      }
    }
    if (prefixEnd !== -1) {
      if (
        prefixes.unshift({
          bytes: Buffer.from(buf.subarray(lt + 7, prefixEnd)),
          strings: strings.map((text, k) => ((prefixSeen & (1 << k)) !== 0 ? text : undefined)),
          seen: prefixSeen,
        }) > 4
      )
        prefixes.pop();
    }
    f.type = type;
    f.sourceName = strings[SOURCE_NAME];
    f.sourceVersion = strings[SOURCE_VERSION];
    f.device = strings[DEVICE];
    f.unit = strings[UNIT];
    f.buf = buf;
    f.valueFrom = valueFrom;
    f.valueTo = valueTo;
    f.valueNumber = valueFrom === -1 ? undefined : plainDecimal(buf, valueFrom, valueTo);
    f.start = start;
    f.end = end;
    f.zone = zone;
    return i;
  }

  return {
    name: 'Record',
    take(buf, lt) {
      const end = read(buf, lt);
      if (end === -1 || !mapper.addRecordFields(f)) return -1;
      onTaken();
      return end;
    },
  };
}
