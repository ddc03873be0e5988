import { HEALTHKIT_WORKOUT_EVENTS, wristTemperatureSeries } from '../../catalog/healthkit.ts';
import { findSeriesTypeByName, type SeriesTypeName } from '../../catalog/series-types.ts';
import { toCanonicalSleepStage } from '../../catalog/sleep-stages.ts';
import { toCanonical, type UnitConverter, unitConverter } from '../../catalog/units.ts';
import { isValidRrIntervalMs } from '../../catalog/wearmetrics.ts';
import { toCanonicalWorkoutType } from '../../catalog/workout-types.ts';
import {
  type CanonicalBatch,
  type CanonicalRoutePoint,
  type CanonicalWorkout,
  type ColumnarBatch,
  emptyBatch,
  SampleColumnsBuilder,
  type SourceDescriptor,
  SourceTable,
} from '../../health-data/canonical.ts';
import { classifySdkRecordType, type RecordTarget } from '../../ingest/sdk/record-types.ts';
import { offsetOfZone } from '../../ingest/time.ts';
import { type AppleDate, beatInstant, parseAppleDate, parseTimeOfDay } from './dates.ts';
import type { XmlNode } from './xml-stream.ts';

/** Longest span a single record may cover (int4 milliseconds), as for SDK records. */
const MAX_DURATION_MS = 2_147_483_647;
const DAY_MS = 86_400_000;
/** Entries listed in a result; counts are always complete. */
const LISTED = 100;
/** Raw elements kept for the archive (unknown types, activity summaries); beyond, only counted. */
const KEPT_RAW_MAX = 50_000;

export interface RejectedElement {
  line: number;
  element: string;
  type: string | null;
  msg: string;
}

/** Everything the import saw, for the run result. */
export interface ImportTally {
  elements: Record<string, number>;
  records_by_type: Record<string, number>;
  workouts_by_type: Record<string, number>;
  correlations_by_type: Record<string, number>;
  samples: number;
  rr_intervals: number;
  sleep_intervals: number;
  workouts: number;
  route_points: number;
  routes_missing: number;
  activity_summaries: number;
  kept_raw: Record<string, number>;
  rejected_count: number;
  rejected: RejectedElement[];
  sleep_values_unrecognised: number;
  export_date: string | null;
  locale: string | null;
  me: Record<string, string> | null;
}

const workoutEvents: Record<string, string> = Object.fromEntries(
  Object.entries(HEALTHKIT_WORKOUT_EVENTS).map(([id, e]) => [id, e.event]),
);

/** `<<HKDevice: 0x…>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,7, software:10.2>` */
function parseDevice(device: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = device.replace(/^<<HKDevice:[^>]*>,?\s*/, '').replace(/>\s*$/, '');
  for (const part of body.split(/,\s+(?=[A-Za-z]+:)/)) {
    const colon = part.indexOf(':');
    if (colon > 0) out[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
  }
  return out;
}

function deviceTypeOf(...hints: (string | undefined)[]): string | null {
  const text = hints.filter(Boolean).join(' ');
  if (/watch/i.test(text)) return 'watch';
  if (/iphone/i.test(text)) return 'phone';
  if (/ipad/i.test(text)) return 'tablet';
  if (/ring/i.test(text)) return 'ring';
  if (/scale/i.test(text)) return 'scale';
  return null;
}

/**
 * The same source description the SDK path builds from HKSource/HKDevice (`map-sdk-batch.ts`), so a
 * sample sent by the SDK and exported later lands on the same data source.
 */
export function describeAppleSource(
  name: string | undefined,
  version: string | undefined,
  deviceText: string | undefined,
): SourceDescriptor {
  const device = deviceText === undefined ? {} : parseDevice(deviceText);
  const appName = name ?? null;
  return {
    provider: 'apple',
    deviceName: device.name ?? null,
    deviceModel: device.model ?? device.hardware ?? null,
    deviceType:
      deviceTypeOf(device.model, device.hardware, device.name) ?? deviceTypeOf(appName ?? undefined),
    deviceManufacturer: device.manufacturer ?? 'Apple Inc.',
    appName,
    appId: null,
    softwareVersion: version ?? device.software ?? null,
  };
}

function metadataOf(node: XmlNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const child of node.children) {
    if (child.name === 'MetadataEntry' && child.attrs.key !== undefined) {
      out[child.attrs.key] = child.attrs.value ?? '';
    }
  }
  return out;
}

function timeZoneOf(node: XmlNode): string | undefined {
  for (const child of node.children) {
    if (child.name === 'MetadataEntry' && child.attrs.key === 'HKTimeZone') return child.attrs.value;
  }
  return node.attrs.HKTimeZone;
}

/** `"6575 cm"`, `"56 degF"`, `"9.1945 kcal/hr·kg"` → number and unit. */
function quantity(text: string | undefined): { value: number; unit: string } | undefined {
  const m = text === undefined ? null : /^\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(.*?)\s*$/i.exec(text);
  if (m === null) return undefined;
  const value = Number(m[1]);
  return Number.isFinite(value) ? { value, unit: m[2] ?? '' } : undefined;
}

const num = (text: string | undefined): number | undefined => {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
};

const iso = (ms: number) => new Date(ms).toISOString();

function durationSeconds(value: string | undefined, unit: string | undefined): number | undefined {
  const n = num(value);
  if (n === undefined) return undefined;
  const converted = toCanonical('exercise_time', n, unit ?? 'min');
  return converted.ok ? converted.value * 60 : undefined;
}

/**
 * A top-level Record as the fast lane (record-lane.ts) reads it: the attributes the mapping uses, dates
 * already parsed, and the zone of its first HKTimeZone metadata entry.
 */
export interface RecordFields {
  type: string;
  sourceName: string | undefined;
  sourceVersion: string | undefined;
  device: string | undefined;
  unit: string | undefined;
  value: string | undefined;
  /** The value as `Number` reads it, when the lane could tell cheaply (else undefined: `value` decides). */
  valueNumber: number | undefined;
  start: AppleDate;
  /** Undefined without an endDate (the record is an instant). */
  end: AppleDate | undefined;
  zone: string | undefined;
}

/** What a Record maps to, decided before anything is changed. */
type RecordPlan =
  | { kind: 'sleep'; stage: ReturnType<typeof toCanonicalSleepStage> }
  /** `value` null: the record's duration in minutes (types whose span is the measurement). */
  | { kind: 'sample'; seriesTypeId: number; value: number | null }
  /** A type WearLink does not map: the element is kept raw. */
  | { kind: 'kept_raw' }
  | { kind: 'rejected'; msg: string };

function spanProblem(startMs: number, endMs: number): string | undefined {
  if (endMs < startMs) return 'endDate is before startDate';
  if (endMs - startMs > MAX_DURATION_MS) return 'spans more than 24 days';
  return undefined;
}

/**
 * Maps export.xml elements, one top-level element at a time, into canonical batches. The caller drains
 * a batch whenever `pending()` passes its batch size, so memory stays bounded by one batch.
 */
export class AppleHealthMapper {
  #batch: CanonicalBatch = emptyBatch();
  /** The batch's samples: `#batch.samples` stays empty. */
  #samples = new SampleColumnsBuilder();
  #sources = new SourceTable(this.#batch);
  #sourceCache = new Map<string, SourceDescriptor>();
  #sourceIndex = new Map<string, number>();
  #targets = new Map<string, RecordTarget>();
  #converters = new Map<string, UnitConverter>();
  #lastConverter: { seriesType: SeriesTypeName; unit: string; converter: UnitConverter } | undefined;
  /** The last sources used, most recent first (records alternate between a phone and a watch). */
  #recentSources: { name: string; version: string; device: string; index: number }[] = [];
  /** Per zone and UTC day: the zone's offset that day (null: unknown zone), or 'varies' on a transition day. */
  #zoneDays = new Map<string, Map<number, number | null | 'varies'>>();
  /** GPX files named by each workout of the current batch, resolved by the caller (they live in the zip). */
  routeFiles = new Map<CanonicalWorkout, string[]>();
  /** Raw elements of types WearLink does not map, plus activity summaries: archived, not normalised. */
  keptRawElements: { element: string; type: string | null; attrs: Record<string, string> }[] = [];
  readonly tally: ImportTally = {
    elements: {},
    records_by_type: {},
    workouts_by_type: {},
    correlations_by_type: {},
    samples: 0,
    rr_intervals: 0,
    sleep_intervals: 0,
    workouts: 0,
    route_points: 0,
    routes_missing: 0,
    activity_summaries: 0,
    kept_raw: {},
    rejected_count: 0,
    rejected: [],
    sleep_values_unrecognised: 0,
    export_date: null,
    locale: null,
    me: null,
  };

  /** Canonical items waiting in the current batch. */
  pending(): number {
    const b = this.#batch;
    return this.#samples.length + b.workouts.length + b.sleep.length;
  }

  /** Hands over the current batch and starts a new one. */
  take(): { batch: ColumnarBatch; routeFiles: Map<CanonicalWorkout, string[]> } {
    const out = { batch: { ...this.#batch, samples: this.#samples.finish() }, routeFiles: this.routeFiles };
    this.#batch = emptyBatch();
    // Sized for the next batch like this one, so its columns rarely grow.
    this.#samples = new SampleColumnsBuilder(out.batch.samples.length);
    this.#sources = new SourceTable(this.#batch);
    this.#sourceIndex = new Map();
    this.#recentSources = [];
    this.routeFiles = new Map();
    return out;
  }

  add(node: XmlNode): void {
    const t = this.tally;
    t.elements[node.name] = (t.elements[node.name] ?? 0) + 1;
    switch (node.name) {
      case 'Record':
        this.#record(node);
        return;
      case 'Workout':
        this.#workout(node);
        return;
      case 'Correlation': {
        const type = node.attrs.type ?? 'unknown';
        t.correlations_by_type[type] = (t.correlations_by_type[type] ?? 0) + 1;
        // The children are the measurements; export.xml often repeats them as top-level Records too,
        // which the samples' identity (type, source, start, duration) collapses to one row.
        for (const child of node.children) if (child.name === 'Record') this.#record(child);
        return;
      }
      case 'ActivitySummary':
        t.activity_summaries += 1;
        this.#keepRaw(node, null, false);
        return;
      case 'Me':
        t.me = { ...node.attrs };
        return;
      case 'ExportDate':
        t.export_date = node.attrs.value ?? null;
        return;
      default:
        this.#keepRaw(node, node.attrs.type ?? null, true);
    }
  }

  #keepRaw(node: XmlNode, type: string | null, count: boolean): void {
    if (count) {
      const key = type ?? node.name;
      this.tally.kept_raw[key] = (this.tally.kept_raw[key] ?? 0) + 1;
    }
    if (this.keptRawElements.length < KEPT_RAW_MAX) {
      this.keptRawElements.push({ element: node.name, type, attrs: node.attrs });
    }
  }

  #reject(node: XmlNode, msg: string): void {
    const t = this.tally;
    t.rejected_count += 1;
    if (t.rejected.length < LISTED) {
      t.rejected.push({ line: node.line, element: node.name, type: node.attrs.type ?? null, msg });
    }
  }

  #converter(seriesType: SeriesTypeName, unit: string): UnitConverter {
    // Records come in long runs of one type and unit: the last converter first, without a key string.
    const last = this.#lastConverter;
    if (last !== undefined && last.seriesType === seriesType && last.unit === unit) return last.converter;
    const key = `${seriesType}|${unit}`;
    let converter = this.#converters.get(key);
    if (converter === undefined) {
      converter = unitConverter(seriesType, unit);
      this.#converters.set(key, converter);
    }
    this.#lastConverter = { seriesType, unit, converter };
    return converter;
  }

  #source(
    sourceName: string | undefined,
    sourceVersion: string | undefined,
    device: string | undefined,
  ): number {
    const name = sourceName ?? '';
    const version = sourceVersion ?? '';
    const deviceText = device ?? '';
    // Records come in runs from a few sources: compare with the last ones before building a key.
    const recent = this.#recentSources;
    for (const r of recent) {
      if (r.name === name && r.version === version && r.device === deviceText) return r.index;
    }
    const key = `${name}\u0000${version}\u0000${deviceText}`;
    let index = this.#sourceIndex.get(key);
    if (index === undefined) {
      let descriptor = this.#sourceCache.get(key);
      if (descriptor === undefined) {
        descriptor = describeAppleSource(sourceName, sourceVersion, device);
        if (this.#sourceCache.size > 10_000) this.#sourceCache.clear();
        this.#sourceCache.set(key, descriptor);
      }
      index = this.#sources.indexOf(descriptor);
      this.#sourceIndex.set(key, index);
    }
    if (recent.unshift({ name, version, device: deviceText, index }) > 4) recent.pop();
    return index;
  }

  /** HKTimeZone first (the zone where the sample was taken), else the offset written in the date. */
  #offset(zone: string | undefined, start: AppleDate): number {
    if (zone === undefined) return start.offsetMin;
    // A zone's offset changes only at its transitions, never twice in a day: when both ends of a UTC
    // day have one offset, so has the whole day, and only a transition day is looked up per record.
    let days = this.#zoneDays.get(zone);
    if (days === undefined) {
      if (this.#zoneDays.size > 1000) this.#zoneDays.clear();
      days = new Map();
      this.#zoneDays.set(zone, days);
    }
    const day = Math.floor(start.ms / DAY_MS);
    let offset = days.get(day);
    if (offset === undefined) {
      const first = offsetOfZone(zone, day * DAY_MS) ?? null;
      offset = first === (offsetOfZone(zone, (day + 1) * DAY_MS - 1) ?? null) ? first : 'varies';
      days.set(day, offset);
    }
    if (offset === 'varies') return offsetOfZone(zone, start.ms) ?? start.offsetMin;
    return offset ?? start.offsetMin;
  }

  #span(node: XmlNode): { start: AppleDate; endMs: number } | string {
    const start = parseAppleDate(node.attrs.startDate ?? '');
    if (start === undefined) return `startDate '${node.attrs.startDate ?? ''}' is not a date`;
    const end = node.attrs.endDate === undefined ? start : parseAppleDate(node.attrs.endDate);
    if (end === undefined) return `endDate '${node.attrs.endDate}' is not a date`;
    return spanProblem(start.ms, end.ms) ?? { start, endMs: end.ms };
  }

  #target(type: string): RecordTarget {
    let target = this.#targets.get(type);
    if (target === undefined) {
      target = classifySdkRecordType('apple', type);
      this.#targets.set(type, target);
    }
    return target;
  }

  /**
   * The fast lane's entry: a top-level Record given by its fields. It is mapped when that needs nothing
   * but the fields (it becomes a sample or a sleep interval); otherwise nothing changes and the answer
   * is false, and the caller hands the element over as a node.
   */
  addRecordFields(f: RecordFields): boolean {
    const endMs = f.end === undefined ? f.start.ms : f.end.ms;
    if (spanProblem(f.start.ms, endMs) !== undefined) return false;
    const plan = this.#plan(f.type, f, undefined, f.unit);
    if (plan.kind !== 'sleep' && plan.kind !== 'sample') return false;
    const t = this.tally;
    t.elements.Record = (t.elements.Record ?? 0) + 1;
    t.records_by_type[f.type] = (t.records_by_type[f.type] ?? 0) + 1;
    this.#apply(
      plan,
      f.start,
      endMs,
      this.#offset(f.zone, f.start),
      this.#source(f.sourceName, f.sourceVersion, f.device),
    );
    return true;
  }

  #record(node: XmlNode): void {
    const t = this.tally;
    const a = node.attrs;
    const type = a.type ?? '';
    t.records_by_type[type] = (t.records_by_type[type] ?? 0) + 1;
    if (this.#target(type).kind === 'kept_raw') {
      this.#keepRaw(node, type, true);
      return;
    }
    const span = this.#span(node);
    if (typeof span === 'string') {
      this.#reject(node, span);
      return;
    }
    const { start, endMs } = span;
    const plan = this.#plan(type, { value: a.value, valueNumber: undefined }, a.average, a.unit);
    if (plan.kind === 'kept_raw') {
      this.#keepRaw(node, type, true);
      return;
    }
    if (plan.kind === 'rejected') {
      this.#reject(node, plan.msg);
      return;
    }
    const utcOffsetMin = this.#offset(timeZoneOf(node), start);
    const source = this.#source(a.sourceName ?? a.source, a.sourceVersion, a.device);
    this.#apply(plan, start, endMs, utcOffsetMin, source);
    if (plan.kind !== 'sample') return;
    for (const child of node.children) {
      if (child.name === 'HeartRateVariabilityMetadataList') this.#beats(child, start, source, utcOffsetMin);
    }
  }

  /** What a record of `type` with these attributes becomes (the span is checked by the caller). */
  #plan(
    type: string,
    given: Pick<RecordFields, 'value' | 'valueNumber'>,
    average: string | undefined,
    unitText: string | undefined,
  ): RecordPlan {
    const target = this.#target(type);
    if (target.kind === 'kept_raw') return target;
    if (target.kind === 'sleep') {
      return { kind: 'sleep', stage: toCanonicalSleepStage('healthkit', given.value ?? 'unknown') };
    }
    let seriesType: SeriesTypeName = target.seriesType;
    let value: number | null = null;
    if (target.kind !== 'duration') {
      // iOS 8 wrote discrete types (heart rate) as min/max/average instead of value.
      const raw = given.valueNumber ?? num(given.value ?? average);
      if (raw === undefined) return { kind: 'rejected', msg: `value '${given.value ?? ''}' is not a number` };
      const unit = unitText ?? target.defaultUnit ?? findSeriesTypeByName(seriesType)?.unit ?? '';
      const converter = this.#converter(seriesType, unit);
      if (!converter.ok) return { kind: 'rejected', msg: converter.reason };
      value = converter.convert(raw);
      if (type === 'HKQuantityTypeIdentifierAppleSleepingWristTemperature') {
        seriesType = wristTemperatureSeries(value);
      }
    }
    const info = findSeriesTypeByName(seriesType);
    if (info === undefined) return { kind: 'kept_raw' };
    return { kind: 'sample', seriesTypeId: info.id, value };
  }

  #apply(
    plan: Extract<RecordPlan, { kind: 'sleep' | 'sample' }>,
    start: AppleDate,
    endMs: number,
    utcOffsetMin: number,
    source: number,
  ): void {
    const t = this.tally;
    if (plan.kind === 'sleep') {
      if (!plan.stage.exact) t.sleep_values_unrecognised += 1;
      this.#batch.sleep.push({
        source,
        startMs: start.ms,
        endMs,
        stage: plan.stage.stage,
        externalId: null,
        utcOffsetMin,
      });
      t.sleep_intervals += 1;
      return;
    }
    const durationMs = endMs - start.ms;
    this.#samples.push(
      source,
      plan.seriesTypeId,
      start.ms,
      durationMs,
      plan.value ?? durationMs / 60_000,
      utcOffsetMin,
    );
    t.samples += 1;
  }

  /**
   * Beat-to-beat data of an HRV record → rr_interval samples, one per beat. The interval is the time
   * since the previous beat when that agrees with the beat's own bpm (±25 %); otherwise (first beat,
   * a gap where Apple dropped beats) it is 60000 / bpm.
   */
  #beats(list: XmlNode, start: AppleDate, source: number, utcOffsetMin: number): void {
    const rr = findSeriesTypeByName('rr_interval');
    if (rr === undefined) return;
    let previous: number | undefined;
    for (const beat of list.children) {
      if (beat.name !== 'InstantaneousBeatsPerMinute') continue;
      const bpm = num(beat.attrs.bpm);
      const ofDay = parseTimeOfDay(beat.attrs.time ?? '');
      if (bpm === undefined || bpm <= 0 || ofDay === undefined) {
        this.#reject(
          beat,
          `beat time '${beat.attrs.time ?? ''}' or bpm '${beat.attrs.bpm ?? ''}' unreadable`,
        );
        continue;
      }
      const at = beatInstant(start, ofDay);
      const fromBpm = 60_000 / bpm;
      const sincePrevious = previous === undefined ? undefined : at - previous;
      previous = at;
      const value =
        sincePrevious !== undefined && Math.abs(sincePrevious - fromBpm) <= fromBpm * 0.25
          ? sincePrevious
          : Math.round(fromBpm * 10) / 10;
      if (!isValidRrIntervalMs(value)) continue;
      this.#samples.push(source, rr.id, at, 0, value, utcOffsetMin);
      this.tally.rr_intervals += 1;
    }
  }

  #workout(node: XmlNode): void {
    const t = this.tally;
    const a = node.attrs;
    const rawType = a.workoutActivityType ?? 'HKWorkoutActivityTypeOther';
    t.workouts_by_type[rawType] = (t.workouts_by_type[rawType] ?? 0) + 1;
    const span = this.#span(node);
    if (typeof span === 'string') {
      this.#reject(node, span);
      return;
    }
    const { start, endMs } = span;
    const metadata: Record<string, unknown> = metadataOf(node);
    const statistics: Record<string, unknown> = {};
    const segments: Record<string, unknown>[] = [];
    const route: CanonicalRoutePoint[] = [];
    const files: string[] = [];
    const activities: Record<string, unknown>[] = [];
    const values = {
      distanceM: null as number | null,
      energyKcal: null as number | null,
      avgHeartRateBpm: null as number | null,
      maxHeartRateBpm: null as number | null,
      steps: null as number | null,
    };

    const statistic = (s: XmlNode, into: Record<string, unknown>, fill: boolean) => {
      const type = s.attrs.type ?? 'unknown';
      const target = this.#target(type);
      const stat: Record<string, number | string | null> = {};
      const canonical = target.kind === 'series' ? target.seriesType : undefined;
      const defaultUnit = target.kind === 'series' ? target.defaultUnit : undefined;
      for (const field of ['sum', 'average', 'minimum', 'maximum'] as const) {
        const n = num(s.attrs[field]);
        if (n === undefined) continue;
        if (canonical === undefined) {
          stat[field] = n;
          continue;
        }
        const converted = toCanonical(canonical, n, s.attrs.unit ?? defaultUnit ?? '');
        stat[field] = converted.ok ? converted.value : n;
      }
      stat.unit =
        canonical !== undefined ? (findSeriesTypeByName(canonical)?.unit ?? null) : (s.attrs.unit ?? null);
      into[canonical ?? type] = stat;
      if (!fill || canonical === undefined) return;
      const sum = typeof stat.sum === 'number' ? stat.sum : null;
      if (canonical === 'energy' && sum !== null) values.energyKcal = sum;
      else if (canonical.startsWith('distance_') && sum !== null) values.distanceM = sum;
      else if (canonical === 'steps' && sum !== null) values.steps = sum;
      else if (canonical === 'heart_rate') {
        if (typeof stat.average === 'number') values.avgHeartRateBpm = stat.average;
        if (typeof stat.maximum === 'number') values.maxHeartRateBpm = stat.maximum;
      }
    };
    const event = (e: XmlNode, activity: number | null) => {
      const at = parseAppleDate(e.attrs.date ?? e.attrs.startDate ?? '');
      const duration = durationSeconds(e.attrs.duration, e.attrs.durationUnit) ?? 0;
      const type = e.attrs.type ?? 'unknown';
      segments.push({
        kind: workoutEvents[type] ?? type,
        start: at === undefined ? null : iso(at.ms),
        end: at === undefined ? null : iso(at.ms + duration * 1000),
        duration_s: duration,
        ...(activity === null ? {} : { activity }),
        ...metadataOf(e),
      });
    };

    for (const child of node.children) {
      switch (child.name) {
        case 'WorkoutStatistics':
          statistic(child, statistics, true);
          break;
        case 'WorkoutEvent':
          event(child, null);
          break;
        case 'WorkoutActivity': {
          const index = activities.length;
          const own: Record<string, unknown> = {};
          const s = parseAppleDate(child.attrs.startDate ?? '');
          const e = parseAppleDate(child.attrs.endDate ?? '');
          for (const grand of child.children) {
            if (grand.name === 'WorkoutStatistics') statistic(grand, own, false);
            else if (grand.name === 'WorkoutEvent') event(grand, index);
          }
          activities.push({
            uuid: child.attrs.uuid ?? null,
            start: s === undefined ? null : iso(s.ms),
            end: e === undefined ? null : iso(e.ms),
            duration_s: durationSeconds(child.attrs.duration, child.attrs.durationUnit) ?? null,
            statistics: own,
            metadata: metadataOf(child),
          });
          break;
        }
        case 'WorkoutRoute':
          for (const part of child.children) {
            if (part.name === 'FileReference' && part.attrs.path) files.push(part.attrs.path);
            else if (part.name === 'Location') {
              const point = locationPoint(part.attrs);
              if (point !== undefined) route.push(point);
            }
          }
          break;
      }
    }
    if (activities.length > 0) metadata.activities = activities;

    // Before iOS 16 the totals were attributes of the workout itself.
    if (values.distanceM === null) {
      const d = num(a.totalDistance);
      const converted =
        d === undefined ? undefined : toCanonical('distance_other', d, a.totalDistanceUnit ?? 'km');
      if (converted?.ok) values.distanceM = converted.value;
    }
    if (values.energyKcal === null) {
      const e = num(a.totalEnergyBurned);
      const converted =
        e === undefined ? undefined : toCanonical('energy', e, a.totalEnergyBurnedUnit ?? 'kcal');
      if (converted?.ok) values.energyKcal = converted.value;
    }
    let elevationGainM: number | null = null;
    const ascended = quantity(metadata.HKElevationAscended as string | undefined);
    if (ascended !== undefined) {
      const converted = toCanonical('elevation', ascended.value, ascended.unit || 'm');
      if (converted.ok) elevationGainM = converted.value;
    }
    const type = toCanonicalWorkoutType('healthkit', rawType);
    const workout: CanonicalWorkout = {
      source: this.#source(a.sourceName ?? a.source, a.sourceVersion, a.device),
      externalId: null,
      type: type.type,
      sourceActivityType: rawType,
      startMs: start.ms,
      endMs,
      durationS: durationSeconds(a.duration, a.durationUnit) ?? (endMs - start.ms) / 1000,
      ...values,
      elevationGainM,
      utcOffsetMin: this.#offset(timeZoneOf(node), start),
      statistics,
      segments,
      metadata,
      route: dedupeRoute(route),
    };
    this.#batch.workouts.push(workout);
    t.workouts += 1;
    t.route_points += workout.route.length;
    if (files.length > 0) this.routeFiles.set(workout, [...new Set(files)]);
  }
}

function locationPoint(a: Record<string, string>): CanonicalRoutePoint | undefined {
  const at = parseAppleDate(a.date ?? '');
  const latitude = num(a.latitude);
  const longitude = num(a.longitude);
  if (at === undefined || latitude === undefined || longitude === undefined) return undefined;
  return {
    timeMs: at.ms,
    latitude,
    longitude,
    altitudeM: num(a.altitude) ?? null,
    speedMPerS: num(a.speed) ?? null,
    courseDeg: num(a.course) ?? null,
    horizontalAccuracyM: num(a.horizontalAccuracy) ?? null,
    verticalAccuracyM: num(a.verticalAccuracy) ?? null,
  };
}

/** Route points ordered by time, one per instant (multi-part and duplicated WorkoutRoutes overlap). */
export function dedupeRoute(points: CanonicalRoutePoint[]): CanonicalRoutePoint[] {
  const byTime = new Map<number, CanonicalRoutePoint>();
  for (const p of points) if (!byTime.has(p.timeMs)) byTime.set(p.timeMs, p);
  return [...byTime.values()].sort((x, y) => x.timeMs - y.timeMs);
}

/** A GPX `<trkpt>` (Apple's extensions: speed, course, hAcc, vAcc) → route point. */
export function gpxPoint(node: XmlNode): CanonicalRoutePoint | undefined {
  const latitude = num(node.attrs.lat);
  const longitude = num(node.attrs.lon);
  const text: Record<string, string> = {};
  const walk = (n: XmlNode) => {
    for (const c of n.children) {
      text[c.name] = c.text;
      walk(c);
    }
  };
  walk(node);
  const timeMs = text.time === undefined ? Number.NaN : Date.parse(text.time);
  if (latitude === undefined || longitude === undefined || !Number.isFinite(timeMs)) return undefined;
  return {
    timeMs,
    latitude,
    longitude,
    altitudeM: num(text.ele) ?? null,
    speedMPerS: num(text.speed) ?? null,
    courseDeg: num(text.course) ?? null,
    horizontalAccuracyM: num(text.hAcc) ?? null,
    verticalAccuracyM: num(text.vAcc) ?? null,
  };
}
