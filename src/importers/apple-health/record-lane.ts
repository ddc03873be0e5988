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
 * have; `test/importers/record-lane.test.ts` checks that on every fixture and reference export, at every chunk size.
 */

const QUOTE = 34;
const EQ = 61;
const LT = 60;
const GT = 62;
const SLASH = 47;
const AMP = 38;

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
].map((name) => Buffer.from(name));

// Buffers like the input (not plain Uint8Arrays): byte comparisons then see one kind of array.
const bytesOf = (text: string) => Buffer.from(text);
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

/** A lane for `<Record>` elements feeding `mapper`; `onTaken` is called for each record it takes. */
export function recordLane(mapper: AppleHealthMapper, onTaken: () => void): ElementLane {
  const recent = [TYPE, SOURCE_NAME, SOURCE_VERSION, DEVICE, UNIT].map(() => new RecentValues());
  const zones = new RecentValues();
  const position = { end: -1 };

  /** The record at `lt`, read into fields, and the position after it; undefined to refuse it. */
  function read(buf: Buffer, lt: number): { fields: RecordFields; end: number } | undefined {
    const len = buf.length;
    const strings: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
    let start: AppleDate | undefined;
    let end: AppleDate | undefined;
    let value: string | undefined;
    let seen = 0;
    let i = lt + 7; // after `<Record`
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
      if (i === ws || i >= len) return undefined;
      const nameStart = i;
      while (i < len && isLetter(buf[i] as number)) i++;
      if (buf[i] !== EQ || buf[i + 1] !== QUOTE) return undefined;
      const id = attributeAt(buf, nameStart, i);
      if (id === -1 || (seen & (1 << id)) !== 0) return undefined;
      seen |= 1 << id;
      const from = i + 2;
      if (id <= UNIT) {
        const values = recent[id] as RecentValues;
        const text = values.read(buf, from);
        if (text === undefined) return undefined;
        strings[id] = text;
        i = values.end + 1;
      } else if (id === START_DATE || id === END_DATE) {
        const date = readDate(buf, from, position);
        if (date === undefined) return undefined;
        if (id === START_DATE) start = date;
        else end = date;
        i = position.end + 1;
      } else {
        const close = plainEnd(buf, from, id === VALUE);
        if (close === -1) return undefined;
        if (id === VALUE) value = buf.latin1Slice(from, close);
        i = close + 1;
      }
    }
    const type = strings[TYPE];
    if (type === undefined || start === undefined) return undefined;
    let zone: string | undefined;
    if (!selfClosing) {
      for (;;) {
        while (i < len && isSpace(buf[i] as number)) i++;
        if (buf[i] !== LT) return undefined;
        if (bytesAt(buf, i + 1, RECORD_END)) {
          i += 1 + RECORD_END.length;
          break;
        }
        // <MetadataEntry key="…" value="…"/>
        if (!bytesAt(buf, i + 1, METADATA_ENTRY)) return undefined;
        i += 1 + METADATA_ENTRY.length;
        if (!isSpace(buf[i] as number)) return undefined;
        while (i < len && isSpace(buf[i] as number)) i++;
        if (!bytesAt(buf, i, KEY)) return undefined;
        const keyFrom = i + KEY.length;
        const keyEnd = plainEnd(buf, keyFrom, false);
        if (keyEnd === -1) return undefined;
        i = keyEnd + 1;
        if (!isSpace(buf[i] as number)) return undefined;
        while (i < len && isSpace(buf[i] as number)) i++;
        if (!bytesAt(buf, i, VALUE_EQ)) return undefined;
        const valueFrom = i + VALUE_EQ.length;
        if (zone === undefined && keyEnd - keyFrom === TIME_ZONE.length && bytesAt(buf, keyFrom, TIME_ZONE)) {
          zone = zones.read(buf, valueFrom);
          if (zone === undefined) return undefined;
          i = zones.end + 1;
        } else {
          const valueEnd = plainEnd(buf, valueFrom, false);
          if (valueEnd === -1) return undefined;
          i = valueEnd + 1;
        }
        while (i < len && isSpace(buf[i] as number)) i++;
        if (buf[i] !== SLASH || buf[i + 1] !== GT) return undefined;
        i += 2;
      }
    }
    return {
      fields: {
        type,
        sourceName: strings[SOURCE_NAME],
        sourceVersion: strings[SOURCE_VERSION],
        device: strings[DEVICE],
        unit: strings[UNIT],
        value,
        start,
        end,
        zone,
      },
      end: i,
    };
  }

  return {
    name: 'Record',
    take(buf, lt) {
      const record = read(buf, lt);
      if (record === undefined || !mapper.addRecordFields(record.fields)) return -1;
      onTaken();
      return record.end;
    },
  };
}
