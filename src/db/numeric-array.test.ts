import { describe, expect, it } from 'vitest';
import { binaryNumericArray, numericArrayLiteral } from './numeric-array.ts';

describe('numericArrayLiteral', () => {
  it('writes numbers, fractions, exponents and nulls as PostgreSQL reads them', () => {
    expect(numericArrayLiteral([1, -2.5, 1e-7, 1709280000.25, null])).toBe(
      '{1,-2.5,1e-7,1709280000.25,NULL}',
    );
    expect(numericArrayLiteral([])).toBe('{}');
  });
  it('refuses what float8 would misread', () => {
    expect(() => numericArrayLiteral([1, Number.NaN])).toThrow(/index 1/);
    expect(() => numericArrayLiteral([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe('binaryNumericArray', () => {
  it('writes the array_recv layout: header, then length-prefixed big-endian elements, -1 for null', () => {
    const out = binaryNumericArray([1, null, -2], 'int2');
    expect([...out]).toEqual([
      ...[0, 0, 0, 1], // one dimension
      ...[0, 0, 0, 1], // has nulls
      ...[0, 0, 0, 21], // int2
      ...[0, 0, 0, 3], // three elements
      ...[0, 0, 0, 1], // from index 1
      ...[0, 0, 0, 2, 0, 1],
      ...[0xff, 0xff, 0xff, 0xff],
      ...[0, 0, 0, 2, 0xff, 0xfe],
    ]);
    const floats = binaryNumericArray([1709280000.25], 'float8');
    expect(floats.readInt32BE(8)).toBe(701);
    expect(floats.readDoubleBE(24)).toBe(1709280000.25);
    expect(binaryNumericArray([], 'int4').length).toBe(20);
  });
  it('refuses what the element type cannot hold', () => {
    expect(() => binaryNumericArray([1, 32768], 'int2')).toThrow(/index 1/);
    expect(() => binaryNumericArray([1.5], 'int4')).toThrow(RangeError);
    expect(() => binaryNumericArray([Number.NaN], 'float8')).toThrow(RangeError);
  });
});
