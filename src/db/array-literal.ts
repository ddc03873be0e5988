/**
 * A numeric array as a PostgreSQL array literal (`{1,2.5,NULL}`), for `unnest(${…}::float8[])` bulk
 * writes. node-postgres would serialise an array parameter element by element, quoting each number as
 * a string: for the 10⁴–10⁵-element arrays of a bulk insert that costs more CPU than the insert itself.
 * Values must be finite (JavaScript's number formatting is what PostgreSQL's float8 input reads).
 */
export function numericArrayLiteral(values: ArrayLike<number | null>): string {
  const parts = new Array<string | number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (Number.isFinite(v)) parts[i] = v;
    else throw new RangeError(`not a finite number at index ${i}: ${v}`);
  }
  return `{${parts.join(',')}}`;
}
