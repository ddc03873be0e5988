import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { CanonicalHealthScore } from './canonical.ts';

/** One score per (user, provider, category, day); a re-sent score replaces the value. */
export async function upsertHealthScores(
  db: Db,
  userId: string,
  scores: CanonicalHealthScore[],
  sourceIds: number[],
): Promise<number> {
  if (scores.length === 0) return 0;
  const rows = scores.map((s) => ({
    id: randomUUID(),
    user_id: userId,
    source_id: sourceIds[s.source] ?? null,
    provider: s.provider,
    date: s.date,
    category: s.category,
    score: s.score,
    range_min: s.rangeMin,
    range_max: s.rangeMax,
    components: JSON.stringify(s.components),
  }));
  const unique = [...new Map(rows.map((r) => [`${r.provider}|${r.category}|${r.date}`, r])).values()];
  await db
    .insertInto('health_scores')
    .values(unique)
    .onConflict((oc) =>
      oc.columns(['user_id', 'provider', 'category', 'date']).doUpdateSet((eb) => ({
        score: eb.ref('excluded.score'),
        range_min: eb.ref('excluded.range_min'),
        range_max: eb.ref('excluded.range_max'),
        components: eb.ref('excluded.components'),
      })),
    )
    .execute();
  return unique.length;
}
