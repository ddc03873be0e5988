import { z } from 'zod';
import { STORABLE_MAX_MS as MAX_MS, STORABLE_MIN_MS as MIN_MS } from '../health-data/date-range.ts';
import { ValidationError } from '../shared/errors.ts';

/** Opaque cursors: base64url JSON. Clients must treat them as strings; the shape may change. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * A cursor is client input like any other: its fields end up in SQL as int2/int4 columns and timestamps,
 * so each is bounded to what its column holds (a tampered `1e300` is a 422, not a driver error), and
 * unknown fields are refused. Build every cursor schema from these.
 */
export const cursorField = {
  int2: () => z.number().int().min(0).max(32_767),
  int4: () => z.number().int().min(-2_147_483_648).max(2_147_483_647),
  count: () => z.number().int().min(0).max(2_147_483_647),
  /** A bigint identity as JSON carries it exactly. */
  bigintId: () => z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** Epoch milliseconds in years 1-9999. */
  epochMs: () => z.number().min(MIN_MS).max(MAX_MS),
  /** Epoch seconds (fractional: microseconds) in years 1-9999. */
  epochSeconds: () =>
    z
      .number()
      .min(MIN_MS / 1000)
      .max(MAX_MS / 1000),
  /** An instant as the database wrote it, in years 1-9999. */
  timestamp: () =>
    z.iso.datetime({ offset: true }).refine((t) => Date.parse(t) >= MIN_MS && Date.parse(t) <= MAX_MS),
  /** The query a cursor belongs to (compared to the current one, never used in SQL). */
  fingerprint: () => z.string().max(1000),
};

const strictSchemas = new WeakMap<z.ZodObject, z.ZodObject>();

/** Decodes a cursor against its object schema, made strict here so no route can forget it. */
export function decodeCursor<S extends z.ZodRawShape>(
  cursor: string,
  schema: z.ZodObject<S>,
): z.infer<z.ZodObject<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  let strict = strictSchemas.get(schema);
  if (strict === undefined) {
    strict = schema.strict();
    strictSchemas.set(schema, strict);
  }
  const parsed = (strict as z.ZodObject<S>).safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError([{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'invalid_cursor' }]);
  }
  return parsed.data;
}

export const offsetCursor = z.object({ o: cursorField.count() });
