import { describe, expect, it } from 'vitest';
import { numericArrayLiteral } from './array-literal.ts';

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
