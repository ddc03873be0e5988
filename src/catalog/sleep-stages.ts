/**
 * Canonical sleep stages and the mapping from each source's stage vocabulary.
 *
 * `sleeping` is "asleep, stage not known" (HealthKit AsleepUnspecified, Health Connect STAGE_TYPE_SLEEPING);
 * `unknown` is "the source could not tell whether the wearer slept" (bad contact, unknown code).
 * HealthKit's Core sleep is light sleep (N1+N2), as Apple documents it.
 */
import { assertNever } from '../shared/errors.ts';

export const SLEEP_STAGES = ['in_bed', 'awake', 'sleeping', 'light', 'deep', 'rem', 'unknown'] as const;
export type SleepStage = (typeof SLEEP_STAGES)[number];

export function isSleepStage(value: unknown): value is SleepStage {
  return typeof value === 'string' && (SLEEP_STAGES as readonly string[]).includes(value);
}

/** The stage strings of the WearLink SDK sync payload (spec 001, "Sleep stages"). */
export const SDK_SLEEP_STAGES = {
  in_bed: 'in_bed',
  sleeping: 'sleeping',
  awake: 'awake',
  asleep_light: 'light',
  asleep_deep: 'deep',
  asleep_rem: 'rem',
  unknown: 'unknown',
} as const satisfies Record<string, SleepStage>;

/** HKCategoryValueSleepAnalysis: name suffix → raw value and stage. `Asleep` is the pre-iOS 16 name of 1. */
export const HEALTHKIT_SLEEP_VALUES = {
  InBed: { value: 0, stage: 'in_bed' },
  Asleep: { value: 1, stage: 'sleeping' },
  AsleepUnspecified: { value: 1, stage: 'sleeping' },
  Awake: { value: 2, stage: 'awake' },
  AsleepCore: { value: 3, stage: 'light' },
  AsleepDeep: { value: 4, stage: 'deep' },
  AsleepREM: { value: 5, stage: 'rem' },
} as const satisfies Record<string, { value: number; stage: SleepStage }>;

/**
 * Health Connect SleepSessionRecord.Stage: STAGE_TYPE_* value → stage. Out of bed and awake in bed are
 * both wakefulness; the in-bed interval itself comes from the session bounds.
 */
export const HEALTH_CONNECT_SLEEP_STAGES = {
  0: { name: 'UNKNOWN', stage: 'unknown' },
  1: { name: 'AWAKE', stage: 'awake' },
  2: { name: 'SLEEPING', stage: 'sleeping' },
  3: { name: 'OUT_OF_BED', stage: 'awake' },
  4: { name: 'LIGHT', stage: 'light' },
  5: { name: 'DEEP', stage: 'deep' },
  6: { name: 'REM', stage: 'rem' },
  7: { name: 'AWAKE_IN_BED', stage: 'awake' },
} as const satisfies Record<number, { name: string; stage: SleepStage }>;

/** Samsung Health `com.samsung.health.sleep_stage` codes. */
export const SAMSUNG_SLEEP_STAGES = {
  40001: { name: 'AWAKE', stage: 'awake' },
  40002: { name: 'LIGHT', stage: 'light' },
  40003: { name: 'DEEP', stage: 'deep' },
  40004: { name: 'REM', stage: 'rem' },
} as const satisfies Record<number, { name: string; stage: SleepStage }>;

/** Oura `sleep_phase_5_min` characters (Oura API v2). */
export const OURA_SLEEP_PHASES = {
  '1': 'deep',
  '2': 'light',
  '3': 'rem',
  '4': 'awake',
} as const satisfies Record<string, SleepStage>;

/** Polar AccessLink sleep `hypnogram` values: both non-REM light stages are light sleep. */
export const POLAR_HYPNOGRAM = {
  0: 'awake',
  1: 'rem',
  2: 'light',
  3: 'light',
  4: 'deep',
  5: 'unknown',
} as const satisfies Record<number, SleepStage>;

/** Fitbit sleep `levels` names (stages and the older classic asleep/restless/awake). */
export const FITBIT_SLEEP_LEVELS = {
  wake: 'awake',
  light: 'light',
  deep: 'deep',
  rem: 'rem',
  asleep: 'sleeping',
  restless: 'awake',
  awake: 'awake',
} as const satisfies Record<string, SleepStage>;

export type SleepStageSource =
  | 'sdk'
  | 'healthkit'
  | 'health_connect'
  | 'samsung'
  | 'oura'
  | 'polar'
  | 'fitbit';

export interface SleepStageMapping {
  readonly stage: SleepStage;
  /** False when the raw value was not recognised and `unknown` is a fallback. */
  readonly exact: boolean;
}

const UNRECOGNISED: SleepStageMapping = { stage: 'unknown', exact: false };
const hit = (stage: SleepStage): SleepStageMapping => ({ stage, exact: true });

function lookup<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** SCREAMING, camel or kebab → snake_case, for names SDKs spell differently. */
function snake(raw: string): string {
  return raw
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

function fromSdk(raw: string | number): SleepStageMapping {
  if (typeof raw !== 'string') return UNRECOGNISED;
  const key = snake(raw);
  const stage = lookup<SleepStage>(SDK_SLEEP_STAGES, key);
  if (stage !== undefined) return hit(stage);
  if (isSleepStage(key)) return hit(key);
  // SDKs that forward HealthKit names verbatim ("asleepCore", "HKCategoryValueSleepAnalysisAsleepREM").
  return fromHealthKit(raw);
}

function fromHealthKit(raw: string | number): SleepStageMapping {
  if (typeof raw === 'number') {
    const found = Object.values(HEALTHKIT_SLEEP_VALUES).find((v) => v.value === raw);
    return found === undefined ? UNRECOGNISED : hit(found.stage);
  }
  const suffix = raw.trim().replace(/^HKCategoryValueSleepAnalysis/, '');
  const wanted = suffix.toLowerCase();
  const entry = Object.entries(HEALTHKIT_SLEEP_VALUES).find(([name]) => name.toLowerCase() === wanted);
  if (entry !== undefined) return hit(entry[1].stage);
  if (/^\d+$/.test(suffix)) return fromHealthKit(Number(suffix));
  return UNRECOGNISED;
}

function fromCodeTable(
  table: Readonly<Record<number, { readonly name: string; readonly stage: SleepStage }>>,
  raw: string | number,
  prefix: RegExp,
): SleepStageMapping {
  const text = String(raw).trim();
  if (/^\d+$/.test(text)) {
    const entry = lookup(table, text);
    return entry === undefined ? UNRECOGNISED : hit(entry.stage);
  }
  const name = text
    .replace(prefix, '')
    .replace(/[\s-]+/g, '_')
    .toUpperCase();
  const entry = Object.values(table).find((e) => e.name === name);
  return entry === undefined ? UNRECOGNISED : hit(entry.stage);
}

function fromSimpleTable(
  table: Readonly<Record<string, SleepStage>>,
  raw: string | number,
): SleepStageMapping {
  const stage = lookup(table, String(raw).trim().toLowerCase());
  return stage === undefined ? UNRECOGNISED : hit(stage);
}

/**
 * Maps a source's stage value (name or code) to a canonical stage. Unrecognised values map to
 * `unknown` with `exact: false`, so the caller can count them instead of dropping the interval.
 */
export function toCanonicalSleepStage(source: SleepStageSource, raw: string | number): SleepStageMapping {
  switch (source) {
    case 'sdk':
      return fromSdk(raw);
    case 'healthkit':
      return fromHealthKit(raw);
    case 'health_connect':
      return fromCodeTable(HEALTH_CONNECT_SLEEP_STAGES, raw, /^(SleepSessionRecord\.)?STAGE_TYPE_/i);
    case 'samsung':
      return fromCodeTable(SAMSUNG_SLEEP_STAGES, raw, /^(SLEEP_STAGE_|STAGE_)/i);
    case 'oura':
      return fromSimpleTable(OURA_SLEEP_PHASES, raw);
    case 'polar':
      return fromSimpleTable(POLAR_HYPNOGRAM, raw);
    case 'fitbit':
      return fromSimpleTable(FITBIT_SLEEP_LEVELS, raw);
    default:
      return assertNever(source, 'sleep stage source');
  }
}

/** Stages that count as asleep for "sleep duration" (in bed and awake do not; unknown does not). */
export function isAsleepStage(stage: SleepStage): boolean {
  switch (stage) {
    case 'sleeping':
    case 'light':
    case 'deep':
    case 'rem':
      return true;
    case 'in_bed':
    case 'awake':
    case 'unknown':
      return false;
    default:
      return assertNever(stage, 'sleep stage');
  }
}
