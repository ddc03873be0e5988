import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { dailyPhotoQuota } from './plans.ts';

/**
 * The daily meal-photo quota of a developer (the billing tenant). It counts every photo accepted for the
 * developer's users on the UTC day (soft-deleted logs included: the counter is never decremented) and
 * resets at 00:00 UTC. Manual logs never touch it.
 */
export interface QuotaRefusal {
  code: 'quota_exceeded';
  message: string;
  limit: number;
  used: number;
  plan: string;
  resource: 'nutrition_image';
}

export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

/** Seconds until the next 00:00 UTC: the Retry-After of a refusal. */
export function secondsUntilReset(now: Date): number {
  const next = Date.parse(`${utcDay(now)}T00:00:00Z`) + 86_400_000;
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/** The spec's 429 `detail`, word for word. */
export function quotaRefusal(plan: string, limit: number, used: number): QuotaRefusal {
  return {
    code: 'quota_exceeded',
    message: `Daily nutrition image quota reached (${limit} for the ${plan} plan). Resets at 00:00 UTC. Manual logs are not affected.`,
    limit,
    used,
    plan,
    resource: 'nutrition_image',
  };
}

/** Today's count and the plan, without a lock: the early refusal before any bytes are stored. */
export async function imageQuotaStatus(
  db: Db,
  developerId: string,
  now: Date,
): Promise<{ plan: string; limit: number | null; used: number }> {
  const row = await db
    .selectFrom('developers')
    .leftJoin('nutrition_image_usage as u', (join) =>
      join.onRef('u.developer_id', '=', 'developers.id').on('u.day', '=', utcDay(now)),
    )
    .select(['developers.plan', 'u.used'])
    .where('developers.id', '=', developerId)
    .executeTakeFirstOrThrow();
  return { plan: row.plan, limit: dailyPhotoQuota(row.plan), used: row.used ?? 0 };
}

/**
 * Takes one photo of today's quota, inside the caller's transaction (the one that inserts the log), or
 * returns the refusal. The developer row is locked first, so concurrent uploads of one developer queue
 * here one at a time and each sees the count the previous one left: no over-admission. The lock is held
 * until the caller's transaction ends, so a rolled-back insert gives its slot back.
 */
export async function takeImageSlot(
  trx: Db,
  developerId: string,
  now: Date,
): Promise<QuotaRefusal | undefined> {
  const developer = await trx
    .selectFrom('developers')
    .select('plan')
    .where('id', '=', developerId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const day = utcDay(now);
  const usage = await trx
    .selectFrom('nutrition_image_usage')
    .select('used')
    .where('developer_id', '=', developerId)
    .where('day', '=', day)
    .executeTakeFirst();
  const used = usage?.used ?? 0;
  const limit = dailyPhotoQuota(developer.plan);
  if (limit !== null && used >= limit) return quotaRefusal(developer.plan, limit, used);
  await sql`
    insert into nutrition_image_usage (developer_id, day, used) values (${developerId}, ${day}, 1)
    on conflict (developer_id, day) do update set used = nutrition_image_usage.used + 1`.execute(trx);
  return undefined;
}
