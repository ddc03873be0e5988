import { z } from '@hono/zod-openapi';

/**
 * Read-side bounds of dates and instants a query may name. PostgreSQL has no year 0, and a year past
 * 9999 reaches it as `+010000-…` (what `Date#toISOString` writes), which it refuses: either is a 500
 * unless refused here. Queries widen a day to UTC instants (an end date's next midnight, a user's
 * offset of up to ±18 h), so one day is kept free at each end.
 */
/** Instants PostgreSQL takes as ISO strings: years 1 to 9999. */
export const STORABLE_MIN_MS = Date.parse('0001-01-01T00:00:00Z');
export const STORABLE_MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

export const READ_MIN_DATE = '0001-01-02';
export const READ_MAX_DATE = '9999-12-30';
export const READ_MIN_MS = Date.parse(`${READ_MIN_DATE}T00:00:00Z`);
export const READ_MAX_MS = Date.parse(`${READ_MAX_DATE}T23:59:59.999Z`);

const boundsMessage = `must be between ${READ_MIN_DATE} and ${READ_MAX_DATE}`;

/** `YYYY-MM-DD` within the read bounds (ISO dates compare correctly as strings). */
export const boundedDate = z.iso
  .date({ message: 'must be a date, YYYY-MM-DD' })
  .refine((d) => d >= READ_MIN_DATE && d <= READ_MAX_DATE, { message: boundsMessage });

/** An RFC 3339 instant with its offset, within the read bounds once the offset is applied. */
export const boundedTimestamp = z.iso.datetime({ offset: true }).refine(
  (t) => {
    const ms = Date.parse(t);
    return ms >= READ_MIN_MS && ms <= READ_MAX_MS;
  },
  { message: boundsMessage },
);

/** `start_date`/`end_date` query pair (inclusive local days), capped at `maxDays`. */
export function dateRangeQuery(
  maxDays: number,
  names: { from: string; to: string } = { from: 'start_date', to: 'end_date' },
) {
  return z
    .object({ [names.from]: boundedDate, [names.to]: boundedDate } as Record<string, typeof boundedDate>)
    .superRefine((q, ctx) => {
      const from = q[names.from] as string;
      const to = q[names.to] as string;
      const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      if (days < 1)
        ctx.addIssue({ code: 'custom', path: [names.to], message: `${names.to} is before ${names.from}` });
      else if (days > maxDays) {
        ctx.addIssue({
          code: 'custom',
          path: [names.to],
          message: `the range may span at most ${maxDays} days`,
        });
      }
    });
}
