import type { z } from 'zod';
import { findSeriesTypeByName, seriesValueProblem } from '../../catalog/series-types.ts';
import { type SleepStageSource, toCanonicalSleepStage } from '../../catalog/sleep-stages.ts';
import { toCanonical } from '../../catalog/units.ts';
import { toCanonicalWorkoutType, type WorkoutSource } from '../../catalog/workout-types.ts';
import {
  type CanonicalBatch,
  type CanonicalWorkout,
  emptyBatch,
  type SourceDescriptor,
  SourceTable,
} from '../../health-data/canonical.ts';
import { unstorableText } from '../entry-guard.ts';
import {
  isStorableInstant,
  OUT_OF_TIME_RANGE,
  offsetInTimestamp,
  offsetOfZone,
  parseOffset,
  parseTimestamp,
} from '../time.ts';
import { classifySdkRecordType } from './record-types.ts';
import {
  type RejectedEntry,
  type SdkProvider,
  SdkRecord,
  SdkSleep,
  type SdkSource,
  type SdkSyncBody,
  SdkWorkout,
} from './sdk-payload.ts';
import { mapWorkoutValues } from './workout-values.ts';

/** Longest span a single record may cover (int4 milliseconds: ~24.8 days). */
const MAX_DURATION_MS = 2_147_483_647;

export interface MappedSdkBatch {
  batch: CanonicalBatch;
  rejected: RejectedEntry[];
  /** Entries of types WearLink does not map (yet): counted here, kept in the raw payload archive. */
  keptRaw: Record<string, number>;
  received: { records: number; workouts: number; sleep: number };
}

type Collection = RejectedEntry['collection'];

function issues(collection: Collection, index: number, error: z.ZodError): RejectedEntry[] {
  return error.issues.map((issue) => ({
    collection,
    index,
    loc: [
      'body',
      'data',
      collection,
      index,
      ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    ],
    msg: issue.message,
  }));
}

function reject(
  collection: Collection,
  index: number,
  field: string | (string | number)[] | undefined,
  msg: string,
): RejectedEntry {
  const path = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return { collection, index, loc: ['body', 'data', collection, index, ...path], msg };
}

/** An entry whose text or nesting the database cannot store, before any schema looks at it. */
function unstorable(collection: Collection, index: number, raw: unknown): RejectedEntry | undefined {
  const problem = unstorableText(raw);
  return problem && reject(collection, index, problem.path, problem.msg);
}

function describeSource(
  provider: SdkProvider,
  source: z.infer<typeof SdkSource> | undefined,
): SourceDescriptor {
  const os = source?.operatingSystemVersion;
  return {
    provider,
    deviceName: source?.deviceName ?? null,
    deviceModel: source?.deviceModel ?? source?.productType ?? null,
    deviceType: source?.deviceType ?? null,
    deviceManufacturer: source?.deviceManufacturer ?? (provider === 'apple' ? 'Apple Inc.' : null),
    appName: source?.name ?? null,
    appId: source?.bundleIdentifier ?? null,
    softwareVersion:
      os === undefined
        ? null
        : typeof os === 'string'
          ? os
          : [os.majorVersion, os.minorVersion ?? 0, os.patchVersion ?? 0].join('.'),
  };
}

/**
 * The entry's UTC offset, most explicit first: `zoneOffset`, HealthKit's `HKTimeZone` metadata, an
 * offset written into the timestamp itself. Null when the source said nothing (plain `Z`).
 */
function utcOffset(
  entry: {
    zoneOffset?: string | number | undefined;
    metadata?: Record<string, unknown> | undefined;
    startDate: string;
  },
  startMs: number,
): number | null {
  if (typeof entry.zoneOffset === 'number') return Math.round(entry.zoneOffset / 60);
  if (typeof entry.zoneOffset === 'string') return parseOffset(entry.zoneOffset) ?? null;
  const zone = entry.metadata?.HKTimeZone;
  if (typeof zone === 'string') {
    const fromZone = offsetOfZone(zone, startMs);
    if (fromZone !== undefined) return fromZone;
  }
  return offsetInTimestamp(entry.startDate) ?? null;
}

function span(
  startDate: string,
  endDate: string | undefined,
): { startMs: number; endMs: number } | { field: string; msg: string } {
  const startMs = parseTimestamp(startDate);
  if (startMs === undefined) return { field: 'startDate', msg: 'not a valid date' };
  if (!isStorableInstant(startMs)) return { field: 'startDate', msg: OUT_OF_TIME_RANGE };
  const endMs = endDate === undefined ? startMs : parseTimestamp(endDate);
  if (endMs === undefined) return { field: 'endDate', msg: 'not a valid date' };
  if (!isStorableInstant(endMs)) return { field: 'endDate', msg: OUT_OF_TIME_RANGE };
  if (endMs < startMs) return { field: 'endDate', msg: 'endDate is before startDate' };
  if (endMs - startMs > MAX_DURATION_MS) return { field: 'endDate', msg: 'spans more than 24 days' };
  return { startMs, endMs };
}

const sleepSourceOf: Record<SdkProvider, SleepStageSource> = {
  apple: 'healthkit',
  samsung: 'samsung',
  google: 'health_connect',
};
const workoutSourceOf: Record<SdkProvider, WorkoutSource> = {
  apple: 'healthkit',
  samsung: 'samsung',
  google: 'health_connect',
};

/** Maps a validated SDK envelope to canonical records, rejecting bad entries one by one. */
export function mapSdkBatch(body: SdkSyncBody): MappedSdkBatch {
  const batch = emptyBatch();
  const sources = new SourceTable(batch);
  const rejected: RejectedEntry[] = [];
  const keptRaw: Record<string, number> = {};
  const keep = (type: string) => {
    keptRaw[type] = (keptRaw[type] ?? 0) + 1;
  };
  const { provider } = body;

  for (const [index, raw] of body.data.records.entries()) {
    const bad = unstorable('records', index, raw);
    if (bad) {
      rejected.push(bad);
      continue;
    }
    const parsed = SdkRecord.safeParse(raw);
    if (!parsed.success) {
      rejected.push(...issues('records', index, parsed.error));
      continue;
    }
    const record = parsed.data;
    const target = classifySdkRecordType(provider, record.type);
    if (target.kind === 'kept_raw') {
      keep(record.type);
      continue;
    }
    const times = span(record.startDate, record.endDate);
    if ('msg' in times) {
      rejected.push(reject('records', index, times.field, times.msg));
      continue;
    }
    const utcOffsetMin = utcOffset(record, times.startMs);

    if (target.kind === 'sleep') {
      const stage = toCanonicalSleepStage(sleepSourceOf[provider], record.value ?? 'unknown');
      batch.sleep.push({
        source: sources.indexOf(describeSource(provider, record.source)),
        startMs: times.startMs,
        endMs: times.endMs,
        stage: stage.stage,
        externalId: record.id ?? null,
        utcOffsetMin,
      });
      continue;
    }
    const info = findSeriesTypeByName(target.seriesType);
    if (info === undefined) {
      keep(record.type);
      continue;
    }
    let value: number;
    if (target.kind === 'duration') {
      value = (times.endMs - times.startMs) / 60_000;
    } else {
      const numeric = typeof record.value === 'string' ? Number(record.value) : record.value;
      if (numeric === undefined || !Number.isFinite(numeric)) {
        rejected.push(reject('records', index, 'value', 'value must be a finite number'));
        continue;
      }
      const converted = toCanonical(
        target.seriesType,
        numeric,
        record.unit ?? target.defaultUnit ?? info.unit,
      );
      if (!converted.ok) {
        rejected.push(reject('records', index, 'unit', converted.reason));
        continue;
      }
      value = converted.value;
    }
    const outOfRange = seriesValueProblem(info, value);
    if (outOfRange !== undefined) {
      rejected.push(reject('records', index, target.kind === 'duration' ? 'endDate' : 'value', outOfRange));
      continue;
    }
    batch.samples.push({
      source: sources.indexOf(describeSource(provider, record.source)),
      seriesTypeId: info.id,
      startMs: times.startMs,
      durationMs: times.endMs - times.startMs,
      value,
      utcOffsetMin,
    });
  }

  for (const [index, raw] of body.data.workouts.entries()) {
    const bad = unstorable('workouts', index, raw);
    if (bad) {
      rejected.push(bad);
      continue;
    }
    const parsed = SdkWorkout.safeParse(raw);
    if (!parsed.success) {
      rejected.push(...issues('workouts', index, parsed.error));
      continue;
    }
    const w = parsed.data;
    const times = span(w.startDate, w.endDate);
    if ('msg' in times) {
      rejected.push(reject('workouts', index, times.field, times.msg));
      continue;
    }
    const values = mapWorkoutValues(w.values ?? []);
    if (!values.ok) {
      rejected.push(reject('workouts', index, 'values', values.reason));
      continue;
    }
    const mappedType = toCanonicalWorkoutType(workoutSourceOf[provider], w.type);
    const typeFromSdk = mappedType.exact ? mappedType : toCanonicalWorkoutType('sdk', w.type);
    const route: CanonicalWorkout['route'] = [];
    let routeProblem: RejectedEntry | undefined;
    for (const [i, p] of (w.route ?? []).entries()) {
      const timeMs = parseTimestamp(p.timestamp);
      if (timeMs === undefined) continue;
      if (!isStorableInstant(timeMs)) {
        routeProblem = reject('workouts', index, ['route', i, 'timestamp'], OUT_OF_TIME_RANGE);
        break;
      }
      route.push({
        timeMs,
        latitude: p.latitude,
        longitude: p.longitude,
        altitudeM: p.altitude ?? null,
        speedMPerS: p.speed ?? null,
        courseDeg: p.course ?? null,
        horizontalAccuracyM: p.horizontalAccuracy ?? null,
        verticalAccuracyM: p.verticalAccuracy ?? null,
      });
    }
    if (routeProblem) {
      rejected.push(routeProblem);
      continue;
    }
    batch.workouts.push({
      source: sources.indexOf(describeSource(provider, w.source)),
      externalId: w.id ?? null,
      type: typeFromSdk.type,
      sourceActivityType: String(w.type),
      startMs: times.startMs,
      endMs: times.endMs,
      durationS: values.durationS ?? (times.endMs - times.startMs) / 1000,
      distanceM: values.distanceM,
      energyKcal: values.energyKcal,
      avgHeartRateBpm: values.avgHeartRateBpm,
      maxHeartRateBpm: values.maxHeartRateBpm,
      elevationGainM: values.elevationGainM,
      steps: values.steps,
      utcOffsetMin: utcOffset(w, times.startMs),
      statistics: values.statistics,
      segments: (w.events ?? []).map((e) => ({
        kind: e.type,
        start: e.startDate,
        end: e.endDate ?? null,
        ...e.metadata,
      })),
      metadata: w.metadata ?? {},
      route,
    });
  }

  for (const [index, raw] of body.data.sleep.entries()) {
    const bad = unstorable('sleep', index, raw);
    if (bad) {
      rejected.push(bad);
      continue;
    }
    const parsed = SdkSleep.safeParse(raw);
    if (!parsed.success) {
      rejected.push(...issues('sleep', index, parsed.error));
      continue;
    }
    const s = parsed.data;
    const times = span(s.startDate, s.endDate);
    if ('msg' in times) {
      rejected.push(reject('sleep', index, times.field, times.msg));
      continue;
    }
    let stage = toCanonicalSleepStage('sdk', s.stage);
    if (!stage.exact) stage = toCanonicalSleepStage(sleepSourceOf[provider], s.stage);
    batch.sleep.push({
      source: sources.indexOf(describeSource(provider, s.source)),
      startMs: times.startMs,
      endMs: times.endMs,
      stage: stage.stage,
      externalId: s.id ?? null,
      utcOffsetMin: utcOffset(s, times.startMs),
    });
  }

  return {
    batch,
    rejected,
    keptRaw,
    received: {
      records: body.data.records.length,
      workouts: body.data.workouts.length,
      sleep: body.data.sleep.length,
    },
  };
}
