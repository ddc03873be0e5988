import type { Db } from './database.ts';
import { isEmbedded } from './pglite-dialect.ts';

/**
 * Numeric arrays as query parameters, for `unnest(${…}::float8[])` bulk writes. node-postgres would
 * serialise a JavaScript array element by element, quoting each number as a string: for the
 * 10⁴–10⁵-element arrays of a bulk insert that costs more CPU than the insert itself.
 */
export type NumericArrayType = 'int2' | 'int4' | 'float8';

/**
 * A numeric array as a PostgreSQL array literal (`{1,2.5,NULL}`). Values must be finite (JavaScript's
 * number formatting is what PostgreSQL's float8 input reads).
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

const ELEMENT = { int2: { oid: 21, bytes: 2 }, int4: { oid: 23, bytes: 4 }, float8: { oid: 701, bytes: 8 } };

/**
 * A numeric array in PostgreSQL's binary wire format (what `array_recv` reads): node-postgres sends a
 * Buffer parameter as binary, so the server neither lexes nor parses a digit. Integers must fit the
 * element type and floats be finite, as for the literal.
 */
export function binaryNumericArray(values: ArrayLike<number | null>, type: NumericArrayType): Buffer {
  const { oid, bytes } = ELEMENT[type];
  const n = values.length;
  let nulls = 0;
  for (let i = 0; i < n; i++) if (values[i] === null || values[i] === undefined) nulls++;
  const out = Buffer.allocUnsafe(20 + n * 4 + (n - nulls) * bytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setInt32(0, 1); // dimensions
  view.setInt32(4, nulls > 0 ? 1 : 0);
  view.setInt32(8, oid);
  view.setInt32(12, n);
  view.setInt32(16, 1); // lower bound
  let p = 20;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      view.setInt32(p, -1);
      p += 4;
      continue;
    }
    view.setInt32(p, bytes);
    if (type === 'float8') {
      if (!Number.isFinite(v)) throw new RangeError(`not a finite number at index ${i}: ${v}`);
      view.setFloat64(p + 4, v);
    } else if (
      !Number.isInteger(v) ||
      v < (type === 'int2' ? -32768 : -(2 ** 31)) ||
      v >= (type === 'int2' ? 32768 : 2 ** 31)
    ) {
      throw new RangeError(`not an ${type} at index ${i}: ${v}`);
    } else if (type === 'int2') view.setInt16(p + 4, v);
    else view.setInt32(p + 4, v);
    p += 4 + bytes;
  }
  return out;
}

/**
 * How numeric arrays travel on this database: binary on PostgreSQL; PGlite serialises parameters by
 * their inferred type itself, so there they go as literals.
 */
export function numericArrays(
  db: Db,
): (values: ArrayLike<number | null>, type: NumericArrayType) => string | Buffer {
  return isEmbedded(db) ? numericArrayLiteral : binaryNumericArray;
}
