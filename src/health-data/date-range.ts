import { z } from '@hono/zod-openapi';

const isoDate = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

/** `start_date`/`end_date` query pair (inclusive local days), capped at `maxDays`. */
export function dateRangeQuery(
  maxDays: number,
  names: { from: string; to: string } = { from: 'start_date', to: 'end_date' },
) {
  return z
    .object({ [names.from]: isoDate, [names.to]: isoDate } as Record<string, typeof isoDate>)
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
