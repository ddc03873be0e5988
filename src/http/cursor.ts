import { z } from 'zod';
import { ValidationError } from '../shared/errors.ts';

/** Opaque cursors: base64url JSON. Clients must treat them as strings; the shape may change. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError([{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'invalid_cursor' }]);
  }
  return parsed.data;
}

export const offsetCursor = z.object({ o: z.number().int().min(0) });
