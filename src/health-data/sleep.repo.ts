import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { enqueueWebhookEvents } from '../webhooks/outbox.ts';
import type { CanonicalSleepInterval, CanonicalSleepStage } from './canonical.ts';
import { buildSleepSessions } from './sleep-sessions.ts';

/** Sessions are rebuilt from intervals within this margin around what a batch touched. */
const REBUILD_MARGIN_MS = 18 * 3600_000;

/**
 * Stores stage intervals idempotently, then rebuilds the sessions of every touched source around the
 * touched time, so a night split over several uploads still ends as one session. A per-user advisory
 * lock serialises rebuilds of the same user's nights across concurrent batches and processes.
 */
export async function ingestSleep(
  db: Db,
  userId: string,
  intervals: CanonicalSleepInterval[],
  sourceIds: number[],
): Promise<{ intervalsInserted: number; sessions: number }> {
  if (intervals.length === 0) return { intervalsInserted: 0, sessions: 0 };
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`sleep:${userId}`}))`.execute(trx);
    const rows = intervals
      .map((i) => ({
        user_id: userId,
        source_id: sourceIds[i.source] as number,
        start_time: new Date(i.startMs),
        end_time: new Date(i.endMs),
        stage: i.stage,
        external_id: i.externalId,
        utc_offset_min: i.utcOffsetMin,
      }))
      .sort((a, b) => a.source_id - b.source_id || a.start_time.getTime() - b.start_time.getTime());
    const unique = [
      ...new Map(rows.map((r) => [`${r.source_id}|${r.start_time.getTime()}|${r.stage}`, r])).values(),
    ];
    const inserted = await trx
      .insertInto('sleep_stage_intervals')
      .values(unique)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();

    let sessions = 0;
    const touched = new Map<number, { from: number; to: number }>();
    for (const r of unique) {
      const t = touched.get(r.source_id) ?? { from: Infinity, to: -Infinity };
      t.from = Math.min(t.from, r.start_time.getTime());
      t.to = Math.max(t.to, r.end_time.getTime());
      touched.set(r.source_id, t);
    }
    for (const [sourceId, span] of touched) {
      sessions += await rebuildSessions(
        trx,
        userId,
        sourceId,
        span.from - REBUILD_MARGIN_MS,
        span.to + REBUILD_MARGIN_MS,
      );
    }
    return { intervalsInserted: Number(inserted.numInsertedOrUpdatedRows ?? 0n), sessions };
  });
}

async function rebuildSessions(
  db: Db,
  userId: string,
  sourceId: number,
  from: number,
  to: number,
): Promise<number> {
  const existing = await db
    .selectFrom('sleep_sessions')
    .select(['id', 'start_time', 'end_time'])
    .where('user_id', '=', userId)
    .where('source_id', '=', sourceId)
    .where('end_time', '>=', new Date(from))
    .where('start_time', '<=', new Date(to))
    .execute();
  // Widen to whole existing sessions, so none is cut in half.
  for (const s of existing) {
    from = Math.min(from, s.start_time.getTime());
    to = Math.max(to, s.end_time.getTime());
  }
  const intervals = await db
    .selectFrom('sleep_stage_intervals')
    .select(['start_time', 'end_time', 'stage', 'utc_offset_min'])
    .where('user_id', '=', userId)
    .where('source_id', '=', sourceId)
    .where('end_time', '>=', new Date(from))
    .where('start_time', '<=', new Date(to))
    .execute();
  const built = buildSleepSessions(
    intervals.map((i) => ({
      startMs: i.start_time.getTime(),
      endMs: i.end_time.getTime(),
      stage: i.stage as CanonicalSleepStage,
      utcOffsetMin: i.utc_offset_min,
    })),
  );
  // Keep ids stable for sessions whose start did not move.
  const idByStart = new Map(existing.map((s) => [s.start_time.getTime(), s.id]));
  if (existing.length > 0) {
    await db
      .deleteFrom('sleep_sessions')
      .where(
        'id',
        'in',
        existing.map((s) => s.id),
      )
      .execute();
  }
  if (built.length === 0) return 0;
  const rows = built.map((s) => ({ id: idByStart.get(s.startMs) ?? randomUUID(), s }));
  await db
    .insertInto('sleep_sessions')
    .values(
      rows.map(({ id, s }) => ({
        id,
        user_id: userId,
        source_id: sourceId,
        start_time: new Date(s.startMs),
        end_time: new Date(s.endMs),
        is_nap: s.isNap,
        in_bed_s: s.inBedS,
        asleep_s: s.asleepS,
        awake_s: s.awakeS,
        light_s: s.lightS,
        deep_s: s.deepS,
        rem_s: s.remS,
        unknown_s: s.unknownS,
        efficiency_percent: s.efficiencyPercent,
        interruptions: s.interruptions,
        stages: JSON.stringify(s.stages),
        utc_offset_min: s.utcOffsetMin,
      })),
    )
    .execute();
  // Only sessions that did not exist before: a re-sent night keeps its id and fires nothing.
  await enqueueWebhookEvents(
    db,
    rows
      .filter(({ s }) => !idByStart.has(s.startMs))
      .map(({ id, s }) => ({
        type: 'sleep.created',
        userId,
        data: {
          id,
          user_id: userId,
          start_time: new Date(s.startMs).toISOString(),
          end_time: new Date(s.endMs).toISOString(),
          is_nap: s.isNap,
          in_bed_seconds: s.inBedS,
          asleep_seconds: s.asleepS,
          awake_seconds: s.awakeS,
          light_seconds: s.lightS,
          deep_seconds: s.deepS,
          rem_seconds: s.remS,
          efficiency_percent: s.efficiencyPercent,
          interruptions: s.interruptions,
          stages: s.stages,
        },
      })),
  );
  return built.length;
}
