import { describe, expect, it } from 'vitest';
import {
  BinaryCopyRows,
  fieldBytes,
  NULL_FIELD_BYTES,
  ROW_BYTES,
  toTimestampMicros,
  uuidWords,
} from './binary-copy.ts';

describe('BinaryCopyRows', () => {
  const rowBytes = ROW_BYTES + fieldBytes(16) + fieldBytes(2) + fieldBytes(8) + NULL_FIELD_BYTES;

  it('writes the header, big-endian fields and the trailer', () => {
    const out = new BinaryCopyRows(rowBytes);
    out.row(4);
    out.uuid(uuidWords('00112233-4455-6677-8899-aabbccddeeff'));
    out.int2(-2);
    out.timestamptzFromUnixSeconds(946_684_800 - 1); // one second before 2000-01-01: -10⁶ µs
    out.null();
    const bytes = out.finish();
    expect(bytes.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(bytes.readInt32BE(11)).toBe(0);
    expect(bytes.readInt32BE(15)).toBe(0);
    // The row starts after the 19-byte header: field count, then each field's length and value.
    expect(bytes.readInt16BE(19)).toBe(4);
    expect(bytes.readInt32BE(21)).toBe(16);
    expect(bytes.subarray(25, 41).toString('hex')).toBe('00112233445566778899aabbccddeeff');
    expect(bytes.readInt32BE(41)).toBe(2);
    expect(bytes.readInt16BE(45)).toBe(-2);
    expect(bytes.readInt32BE(47)).toBe(8);
    expect(bytes.readBigInt64BE(51)).toBe(-1_000_000n);
    expect(bytes.readInt32BE(59)).toBe(-1);
    expect(bytes.readInt16BE(63)).toBe(-1);
    expect(bytes.length).toBe(65);
  });

  it('refuses values its type cannot hold and a declared size the rows do not fill', () => {
    const out = new BinaryCopyRows(rowBytes);
    expect(() => out.int2(40_000)).toThrow(RangeError);
    expect(() => out.int4(1.5)).toThrow(RangeError);
    expect(() => out.float8(Number.NaN)).toThrow(RangeError);
    out.row(1);
    expect(() => out.finish()).toThrow(/not the .* declared/);
    expect(() => new BinaryCopyRows(0).int2(1)).toThrow(RangeError);
    expect(() => uuidWords('not-a-uuid')).toThrow(RangeError);
  });

  it('rounds microseconds as to_timestamp does: halves to the even neighbour', () => {
    // 2⁻⁷ s after 2000 is exactly 7812.5 µs (and three times it 23437.5 µs).
    expect(toTimestampMicros(946_684_800)).toBe(0);
    expect(toTimestampMicros(946_684_800 + 2 ** -7)).toBe(7812);
    expect(toTimestampMicros(946_684_800 + 3 * 2 ** -7)).toBe(23_438);
    expect(toTimestampMicros(946_684_800 - 2 ** -7)).toBe(-7812);
    expect(toTimestampMicros(0)).toBe(-946_684_800_000_000);
    expect(() => toTimestampMicros(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
