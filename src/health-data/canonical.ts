/**
 * The in-memory shape every ingest path (SDK batches, WearMetrics, XML imports, provider pulls) maps
 * into before anything is written. Times are epoch milliseconds; values are already in the canonical
 * unit of their series type. Records point at their data source by index into `sources`.
 */
export interface SourceDescriptor {
  provider: string;
  deviceName?: string | null | undefined;
  deviceModel?: string | null | undefined;
  deviceType?: string | null | undefined;
  deviceManufacturer?: string | null | undefined;
  appName?: string | null | undefined;
  appId?: string | null | undefined;
  softwareVersion?: string | null | undefined;
}

export interface CanonicalSample {
  source: number;
  seriesTypeId: number;
  startMs: number;
  /** 0 for instantaneous readings. */
  durationMs: number;
  value: number;
  utcOffsetMin: number | null;
}

export interface CanonicalRoutePoint {
  timeMs: number;
  latitude: number;
  longitude: number;
  altitudeM?: number | null;
  speedMPerS?: number | null;
  courseDeg?: number | null;
  horizontalAccuracyM?: number | null;
  verticalAccuracyM?: number | null;
}

export interface CanonicalWorkout {
  source: number;
  externalId: string | null;
  type: string;
  sourceActivityType: string | null;
  startMs: number;
  endMs: number;
  durationS: number;
  distanceM: number | null;
  energyKcal: number | null;
  avgHeartRateBpm: number | null;
  maxHeartRateBpm: number | null;
  elevationGainM: number | null;
  steps: number | null;
  utcOffsetMin: number | null;
  /** Every statistic the source gave, canonical names and units where known, raw otherwise. */
  statistics: Record<string, unknown>;
  /** Laps, segments, pauses: `{kind, start, end, ...}`. */
  segments: Record<string, unknown>[];
  metadata: Record<string, unknown>;
  route: CanonicalRoutePoint[];
}

export type CanonicalSleepStage = 'in_bed' | 'awake' | 'sleeping' | 'light' | 'deep' | 'rem' | 'unknown';

export interface CanonicalSleepInterval {
  source: number;
  startMs: number;
  endMs: number;
  stage: CanonicalSleepStage;
  externalId: string | null;
  utcOffsetMin: number | null;
}

export interface CanonicalHealthScore {
  source: number;
  provider: string;
  /** Local calendar day, YYYY-MM-DD. */
  date: string;
  category: string;
  score: number;
  rangeMin: number;
  rangeMax: number;
  components: Record<string, unknown>;
}

export interface CanonicalBatch {
  sources: SourceDescriptor[];
  samples: CanonicalSample[];
  workouts: CanonicalWorkout[];
  sleep: CanonicalSleepInterval[];
  scores: CanonicalHealthScore[];
}

/**
 * Samples as columns: what bulk paths hand between threads (typed arrays are transferred, not copied
 * object by object) and what the insert reads. `utcOffsetMin` holds NO_OFFSET where it is unknown.
 */
export interface SampleColumns {
  length: number;
  source: Int32Array;
  seriesTypeId: Int16Array;
  startMs: Float64Array;
  durationMs: Int32Array;
  value: Float64Array;
  utcOffsetMin: Int16Array;
}

export const NO_OFFSET = -32768;

export function toSampleColumns(samples: readonly CanonicalSample[]): SampleColumns {
  const n = samples.length;
  const cols = allocateColumns(n, n);
  for (let i = 0; i < n; i++) {
    const s = samples[i] as CanonicalSample;
    cols.source[i] = s.source;
    cols.seriesTypeId[i] = s.seriesTypeId;
    cols.startMs[i] = s.startMs;
    cols.durationMs[i] = s.durationMs;
    cols.value[i] = s.value;
    cols.utcOffsetMin[i] = s.utcOffsetMin ?? NO_OFFSET;
  }
  return cols;
}

/**
 * Samples appended straight into columns, for mappers of bulk input (an Apple export's millions of
 * records): no object per sample for the collector to trace, and nothing to convert before the write.
 */
export class SampleColumnsBuilder {
  #cols: SampleColumns;

  constructor(capacity = 1024) {
    this.#cols = allocateColumns(Math.max(16, capacity), 0);
  }

  get length(): number {
    return this.#cols.length;
  }

  push(
    source: number,
    seriesTypeId: number,
    startMs: number,
    durationMs: number,
    value: number,
    utcOffsetMin: number | null,
  ): void {
    let c = this.#cols;
    const i = c.length;
    if (i === c.source.length) c = this.#grow();
    c.source[i] = source;
    c.seriesTypeId[i] = seriesTypeId;
    c.startMs[i] = startMs;
    c.durationMs[i] = durationMs;
    c.value[i] = value;
    c.utcOffsetMin[i] = utcOffsetMin ?? NO_OFFSET;
    c.length = i + 1;
  }

  /** The columns so far (views of this builder's arrays: push no more afterwards). */
  finish(): SampleColumns {
    const c = this.#cols;
    const n = c.length;
    return {
      length: n,
      source: c.source.subarray(0, n),
      seriesTypeId: c.seriesTypeId.subarray(0, n),
      startMs: c.startMs.subarray(0, n),
      durationMs: c.durationMs.subarray(0, n),
      value: c.value.subarray(0, n),
      utcOffsetMin: c.utcOffsetMin.subarray(0, n),
    };
  }

  #grow(): SampleColumns {
    const old = this.#cols;
    const grown = allocateColumns(old.source.length * 2, old.length);
    grown.source.set(old.source);
    grown.seriesTypeId.set(old.seriesTypeId);
    grown.startMs.set(old.startMs);
    grown.durationMs.set(old.durationMs);
    grown.value.set(old.value);
    grown.utcOffsetMin.set(old.utcOffsetMin);
    this.#cols = grown;
    return grown;
  }
}

/** Empty sample columns with room for `capacity` rows, of which the first `length` count. */
export function allocateColumns(capacity: number, length: number): SampleColumns {
  return {
    length,
    source: new Int32Array(capacity),
    seriesTypeId: new Int16Array(capacity),
    startMs: new Float64Array(capacity),
    durationMs: new Int32Array(capacity),
    value: new Float64Array(capacity),
    utcOffsetMin: new Int16Array(capacity),
  };
}

/** The buffers of a SampleColumns, for a `postMessage` transfer list. */
export const sampleColumnBuffers = (c: SampleColumns): ArrayBuffer[] =>
  [c.source, c.seriesTypeId, c.startMs, c.durationMs, c.value, c.utcOffsetMin].map(
    (a) => a.buffer as ArrayBuffer,
  );

/** A batch whose samples are columns (SampleColumnsBuilder): what the Apple importer hands on. */
export type ColumnarBatch = Omit<CanonicalBatch, 'samples'> & { samples: SampleColumns };

/** A batch on its way to storage: samples as objects (from a mapper) or already as columns. */
export type StorableBatch = CanonicalBatch | ColumnarBatch;

export function emptyBatch(): CanonicalBatch {
  return { sources: [], samples: [], workouts: [], sleep: [], scores: [] };
}

/** Adds a source to a batch once, keyed by its fingerprint; returns its index. */
export class SourceTable {
  readonly #index = new Map<string, number>();
  constructor(private readonly batch: Pick<CanonicalBatch, 'sources'>) {}

  indexOf(source: SourceDescriptor): number {
    const key = sourceFingerprint(source);
    let index = this.#index.get(key);
    if (index === undefined) {
      index = this.batch.sources.push(source) - 1;
      this.#index.set(key, index);
    }
    return index;
  }
}

const norm = (v: string | null | undefined) => (v ?? '').trim().toLowerCase();

/** Software version is deliberately not part of a source's identity: an OS update is the same watch. */
export function sourceFingerprint(s: SourceDescriptor): string {
  return [s.provider, s.deviceName, s.deviceModel, s.deviceType, s.deviceManufacturer, s.appName, s.appId]
    .map(norm)
    .join('|');
}
