import { findSeriesTypeById, seriesValueProblem } from '../catalog/series-types.ts';
import type { Db } from '../db/database.ts';
import { isForeignKeyViolation } from '../db/errors.ts';
import type {
  CanonicalHealthScore,
  CanonicalSleepInterval,
  CanonicalWorkout,
  SampleColumns,
  StorableBatch,
} from '../health-data/canonical.ts';
import { allocateColumns, NO_OFFSET, toSampleColumns } from '../health-data/canonical.ts';
import { upsertDataSources } from '../health-data/data-sources.repo.ts';
import { upsertHealthScores } from '../health-data/health-scores.repo.ts';
import { insertSamples } from '../health-data/samples.repo.ts';
import { ingestSleep } from '../health-data/sleep.repo.ts';
import { upsertWorkouts } from '../health-data/workouts.repo.ts';
import { effectiveTimezone } from '../users/timezones.ts';
import { UserGoneError } from '../users/user-gone.ts';
import { printable } from './entry-guard.ts';
import { isStorableInstant, OUT_OF_TIME_RANGE, TIME_BOUNDS } from './time.ts';

/** A canonical record that was not stored: outside the storable bounds, or refused by the database. */
export interface WriteRejected {
  kind: 'source' | 'sample' | 'workout' | 'sleep' | 'score';
  /** Series type of a sample, external id of a workout or interval, category of a score. */
  what: string | null;
  /** ISO start time (or score date) where it is representable. */
  at: string | null;
  reason: string;
}

/** At most this many write rejects are listed in the counts; `count` is always complete. */
const WRITE_REJECTS_LISTED = 100;

export interface WriteCounts {
  samples: { received: number; inserted: number; duplicates: number };
  workouts: { received: number; inserted: number; updated: number };
  sleep: { intervals_received: number; intervals_inserted: number; sessions_rebuilt: number };
  scores: { received: number; upserted: number };
  /** Present when records were not stored; every other record of the batch was. */
  write_rejected?: { count: number; records: WriteRejected[] };
}

/**
 * Writes a canonical batch. Every step is idempotent on its own, so a batch interrupted halfway and
 * written again ends exactly as one clean write.
 *
 * One record never costs the rest of its batch. Records outside the storable bounds (time within
 * TIME_BOUNDS, sample values within their series type's range, durations within int4) are set aside
 * before writing, whichever path mapped them; and when the database still refuses a step with a data
 * error, that step is bisected down to the records it refuses (each retry is idempotent, so what was
 * committed before the failure is neither lost nor counted twice). Both kinds come back in
 * `write_rejected`. Errors that are not about the data (a lost connection) fail the write as before.
 *
 * A user who is deleted or being deleted gets nothing written: `UserGoneError` (a 404), checked up
 * front and again by every sample chunk's guard (samples.repo.ts); a row of a table with a foreign key
 * to users that fails it because the user went meanwhile is the same error.
 */
export async function writeCanonicalBatch(
  db: Db,
  userId: string,
  batch: StorableBatch,
): Promise<WriteCounts> {
  const user = await db
    .selectFrom('users')
    .select('timezone')
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (user === undefined) throw new UserGoneError(userId);
  try {
    return await writeLiveUserBatch(db, userId, user.timezone, batch);
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      const live = await db
        .selectFrom('users')
        .select('id')
        .where('id', '=', userId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (live === undefined) throw new UserGoneError(userId);
    }
    throw error;
  }
}

async function writeLiveUserBatch(
  db: Db,
  userId: string,
  storedTimezone: string | null,
  batch: StorableBatch,
): Promise<WriteCounts> {
  const rejects = new Rejects();
  const received = {
    samples: batch.samples.length,
    workouts: batch.workouts.length,
    sleep: batch.sleep.length,
    scores: batch.scores.length,
  };

  const sourceIds = await writeSources(db, userId, batch.sources, rejects);
  const badSource = (source: number) => sourceIds[source] === undefined;
  const sourceReason = (source: number) => `its source was not stored: ${rejects.sourceReason(source)}`;

  const samples = storableSamples(
    Array.isArray(batch.samples) ? toSampleColumns(batch.samples) : batch.samples,
    badSource,
    sourceReason,
    rejects,
  );
  const workouts = batch.workouts.filter((w) => keepWorkout(w, badSource, sourceReason, rejects));
  const sleep = batch.sleep.filter((s) => keepSleep(s, badSource, sourceReason, rejects));
  const scores = batch.scores.filter((s) => keepScore(s, rejects));
  const ids = sourceIds as number[];

  const timezone = await effectiveTimezone(db, storedTimezone);
  const budget = { failures: 0 };

  const sampleIndices = Array.from({ length: samples.length }, (_, i) => i);
  const inserted = sum(
    await isolate(
      sampleIndices,
      (part) => insertSamples(db, userId, pickColumns(samples, part), ids, timezone),
      (i, reason) =>
        rejects.add('sample', sampleWhat(samples, i), isoAt(samples.startMs[i] as number), reason),
      budget,
    ),
  );
  const workoutCounts = await isolate(
    workouts,
    (part) => upsertWorkouts(db, userId, part, ids),
    (w, reason) => rejects.add('workout', w.externalId ?? w.type, isoAt(w.startMs), reason),
    budget,
  );
  const sleepCounts = await isolate(
    sleep,
    (part) => ingestSleep(db, userId, part, ids),
    (s, reason) => rejects.add('sleep', s.externalId ?? s.stage, isoAt(s.startMs), reason),
    budget,
  );
  const scoreCounts = await isolate(
    scores,
    (part) => upsertHealthScores(db, userId, part, ids),
    (s, reason) => rejects.add('score', s.category, s.date, reason),
    budget,
  );

  const sampleRejects = rejects.count('sample');
  return {
    samples: {
      received: received.samples,
      inserted,
      duplicates: received.samples - sampleRejects - inserted,
    },
    workouts: {
      received: received.workouts,
      inserted: sum(workoutCounts.map((c) => c.inserted)),
      updated: sum(workoutCounts.map((c) => c.updated)),
    },
    sleep: {
      intervals_received: received.sleep,
      intervals_inserted: sum(sleepCounts.map((c) => c.intervalsInserted)),
      sessions_rebuilt: sum(sleepCounts.map((c) => c.sessions)),
    },
    scores: { received: received.scores, upserted: sum(scoreCounts) },
    ...(rejects.total > 0 ? { write_rejected: rejects.summary() } : {}),
  };
}

class Rejects {
  readonly #listed: WriteRejected[] = [];
  readonly #counts = new Map<WriteRejected['kind'], number>();
  readonly #sourceReasons = new Map<number, string>();
  total = 0;

  add(kind: WriteRejected['kind'], what: string | null, at: string | null, reason: string): void {
    this.total += 1;
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1);
    if (this.#listed.length < WRITE_REJECTS_LISTED) {
      this.#listed.push({
        kind,
        what: what === null ? null : printable(what),
        at,
        reason: printable(reason),
      });
    }
  }

  addSource(index: number, what: string, reason: string): void {
    this.#sourceReasons.set(index, reason);
    this.add('source', what, null, reason);
  }

  sourceReason(index: number): string {
    return this.#sourceReasons.get(index) ?? 'refused by the database';
  }

  count(kind: WriteRejected['kind']): number {
    return this.#counts.get(kind) ?? 0;
  }

  summary(): { count: number; records: WriteRejected[] } {
    return { count: this.total, records: this.#listed };
  }
}

/**
 * Data errors: the rows are at fault, not the database being away. SQLSTATE classes 22 (data exception:
 * bad encoding, out-of-range values and dates), 23 (constraints; a deleted user's foreign key aside,
 * which fails every part alike) and 54 (limits: nesting, sizes), and the range errors of encoding a
 * value for the wire.
 */
function isDataError(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code) && code !== '23503';
}

/** Failed attempts one batch may spend on isolating bad records before the write fails as a whole. */
const ISOLATION_BUDGET = 512;

function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return `refused by the database${typeof code === 'string' ? ` (${code})` : ''}: ${message.slice(0, 300)}`;
}

/**
 * Writes `items` with `write`; on a data error, writes each half again, down to the single items the
 * database refuses, which go to `reject`. Returns the result of every write that succeeded.
 */
async function isolate<T, R>(
  items: readonly T[],
  write: (part: T[]) => Promise<R>,
  reject: (item: T, reason: string) => void,
  budget: { failures: number },
): Promise<R[]> {
  const results: R[] = [];
  const attempt = async (part: T[]): Promise<void> => {
    if (part.length === 0) return;
    try {
      results.push(await write(part));
    } catch (error) {
      if (!isDataError(error) || ++budget.failures > ISOLATION_BUDGET) throw error;
      if (part.length === 1) {
        reject(part[0] as T, describeError(error));
        return;
      }
      const mid = Math.ceil(part.length / 2);
      await attempt(part.slice(0, mid));
      await attempt(part.slice(mid));
    }
  };
  await attempt([...items]);
  return results;
}

/** Source ids by batch index; undefined where the database refused the source. */
async function writeSources(
  db: Db,
  userId: string,
  sources: StorableBatch['sources'],
  rejects: Rejects,
): Promise<(number | undefined)[]> {
  try {
    return await upsertDataSources(db, userId, sources);
  } catch (error) {
    if (!isDataError(error)) throw error;
  }
  // Sources are few per batch: one at a time finds the ones refused.
  const ids: (number | undefined)[] = [];
  for (const [i, source] of sources.entries()) {
    try {
      ids.push((await upsertDataSources(db, userId, [source]))[0]);
    } catch (error) {
      if (!isDataError(error)) throw error;
      ids.push(undefined);
      rejects.addSource(
        i,
        `${source.provider}/${source.deviceName ?? source.appName ?? ''}`,
        describeError(error),
      );
    }
  }
  return ids;
}

const INT4_MAX = 2_147_483_647;
const MAX_OFFSET_MIN = TIME_BOUNDS.maxOffsetMs / 60_000;

function isoAt(ms: number): string | null {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : null;
}

function sampleWhat(c: SampleColumns, i: number): string {
  const id = c.seriesTypeId[i] as number;
  return findSeriesTypeById(id)?.name ?? `series type ${id}`;
}

/** The samples that may be stored; the others are rejected with a reason. */
function storableSamples(
  c: SampleColumns,
  badSource: (source: number) => boolean,
  sourceReason: (source: number) => string,
  rejects: Rejects,
): SampleColumns {
  const keep: number[] = [];
  for (let i = 0; i < c.length; i++) {
    const reason = sampleProblem(c, i, badSource, sourceReason);
    if (reason === undefined) keep.push(i);
    else rejects.add('sample', sampleWhat(c, i), isoAt(c.startMs[i] as number), reason);
  }
  return keep.length === c.length ? c : pickColumns(c, keep);
}

function sampleProblem(
  c: SampleColumns,
  i: number,
  badSource: (source: number) => boolean,
  sourceReason: (source: number) => string,
): string | undefined {
  const source = c.source[i] as number;
  if (badSource(source)) return sourceReason(source);
  const type = findSeriesTypeById(c.seriesTypeId[i] as number);
  if (type === undefined) return `unknown series type ${c.seriesTypeId[i]}`;
  const start = c.startMs[i] as number;
  const duration = c.durationMs[i] as number;
  if (!isStorableInstant(start) || !isStorableInstant(start + duration)) return OUT_OF_TIME_RANGE;
  if (duration < 0 || duration > INT4_MAX) return `duration ${duration} ms is out of range`;
  const offset = c.utcOffsetMin[i] as number;
  if (offset !== NO_OFFSET && Math.abs(offset) > MAX_OFFSET_MIN)
    return `UTC offset ${offset} min is out of range`;
  return seriesValueProblem(type, c.value[i] as number);
}

function keepWorkout(
  w: CanonicalWorkout,
  badSource: (source: number) => boolean,
  sourceReason: (source: number) => string,
  rejects: Rejects,
): boolean {
  let reason: string | undefined;
  if (badSource(w.source)) reason = sourceReason(w.source);
  else if (!isStorableInstant(w.startMs) || !isStorableInstant(w.endMs)) reason = OUT_OF_TIME_RANGE;
  else if (w.route.some((p) => !isStorableInstant(p.timeMs))) reason = `route: ${OUT_OF_TIME_RANGE}`;
  else {
    const numbers = [w.durationS, w.distanceM, w.energyKcal, w.avgHeartRateBpm, w.maxHeartRateBpm];
    if (numbers.some((n) => n !== null && !Number.isFinite(n))) reason = 'a statistic is not a finite number';
  }
  if (reason === undefined) return true;
  rejects.add('workout', w.externalId ?? w.type, isoAt(w.startMs), reason);
  return false;
}

function keepSleep(
  s: CanonicalSleepInterval,
  badSource: (source: number) => boolean,
  sourceReason: (source: number) => string,
  rejects: Rejects,
): boolean {
  let reason: string | undefined;
  if (badSource(s.source)) reason = sourceReason(s.source);
  else if (!isStorableInstant(s.startMs) || !isStorableInstant(s.endMs)) reason = OUT_OF_TIME_RANGE;
  if (reason === undefined) return true;
  rejects.add('sleep', s.externalId ?? s.stage, isoAt(s.startMs), reason);
  return false;
}

/** A score's source is optional: one whose source was refused is stored without it. */
function keepScore(s: CanonicalHealthScore, rejects: Rejects): boolean {
  let reason: string | undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.date) || s.date < TIME_BOUNDS.minDate || s.date > TIME_BOUNDS.maxDate) {
    reason = `date ${s.date} is out of range`;
  } else if (![s.score, s.rangeMin, s.rangeMax].every(Number.isFinite)) {
    reason = 'score is not a finite number';
  }
  if (reason === undefined) return true;
  rejects.add('score', s.category, s.date, reason);
  return false;
}

/** The columns of the rows at `indices`, in that order. */
function pickColumns(c: SampleColumns, indices: readonly number[]): SampleColumns {
  if (indices.length === c.length && indices.every((v, i) => v === i)) return c;
  const n = indices.length;
  const out = allocateColumns(n, n);
  for (let j = 0; j < n; j++) {
    const i = indices[j] as number;
    out.source[j] = c.source[i] as number;
    out.seriesTypeId[j] = c.seriesTypeId[i] as number;
    out.startMs[j] = c.startMs[i] as number;
    out.durationMs[j] = c.durationMs[i] as number;
    out.value[j] = c.value[i] as number;
    out.utcOffsetMin[j] = c.utcOffsetMin[i] as number;
  }
  return out;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
