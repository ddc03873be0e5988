/**
 * Unit conversion into the canonical unit of a series type.
 *
 * Unit strings follow HealthKit's unit grammar where one exists (`count/min`, `Cal`, `mmol<180.15…>/L`,
 * `mL/kg·min`), plus the spellings other sources and the SDKs send. Matching is exact after whitespace
 * removal and `·`→`*`; a case-insensitive match is tried only where case carries no meaning in that
 * dimension (so `Cal` = kcal and `cal` = calorie stay distinct, as in HealthKit).
 *
 * Percent conventions: HealthKit's `%` is a FRACTION (0.97 means 97 %); `percent`/`pct` mean 0–100.
 * Canonical percent is 0–100. For the percent series only, a `%` value above 1 cannot be a fraction
 * (it would exceed 100 %); some exporters write 0–100 there, so such a value is taken as already 0–100.
 * A source that writes 0–100 under `%` for a value ≤ 1 (e.g. 0.5 % walking asymmetry) is misread
 * as a fraction; nothing in the value can tell the two apart.
 *
 * Round-off: a non-identity conversion is rounded to 12 significant digits, far below any sensor's
 * resolution, so 98.6 °F gives 37 and not 36.99999999999999. Identity conversions return the input as is.
 */
import type { CanonicalUnit, SeriesTypeName } from './series-types.ts';
import { findSeriesTypeByName } from './series-types.ts';

interface Rule {
  readonly scale: number;
  readonly offset: number;
  /** HealthKit `%`: a fraction, except that values above 1 are taken as already 0–100. */
  readonly fractionPercent: boolean;
}
type RuleTable = Readonly<Record<string, Rule>>;

const rule = (scale: number, offset = 0): Rule => ({ scale, offset, fractionPercent: false });
const ONE = rule(1);
const FRACTION_PERCENT: Rule = { scale: 100, offset: 0, fractionPercent: true };

function table(entries: Readonly<Record<string, number | Rule>>): RuleTable {
  const out: Record<string, Rule> = {};
  for (const [unit, r] of Object.entries(entries)) out[unit] = typeof r === 'number' ? rule(r) : r;
  return out;
}

/** HealthKit's glucose molar mass (g/mol), as embedded in its unit string `mmol<180.1558800000541>/L`. */
export const GLUCOSE_MOLAR_MASS = 180.15588;
/** mg/dL per mmol/L of glucose: molar mass (mg/mmol) ÷ 10 (dL per L). */
export const GLUCOSE_MG_DL_PER_MMOL_L = GLUCOSE_MOLAR_MASS / 10;
export const KJ_PER_KCAL = 4.184;
export const METERS_PER_MILE = 1609.344;
export const KG_PER_POUND = 0.45359237;

const PER_MINUTE = table({
  'count/min': 1,
  '/min': 1,
  '1/min': 1,
  'min^-1': 1,
  bpm: 1,
  brpm: 1,
  rpm: 1,
  'beats/min': 1,
  'breaths/min': 1,
  'steps/min': 1,
  spm: 1,
  'rev/min': 1,
  'revolutions/min': 1,
  'count/s': 60,
  '/s': 60,
  Hz: 60,
});

const MILLISECONDS = table({ ms: 1, µs: 0.001, us: 0.001, s: 1000, sec: 1000, min: 60_000 });

const MINUTES = table({
  min: 1,
  minutes: 1,
  minute: 1,
  s: 1 / 60,
  sec: 1 / 60,
  ms: 1 / 60_000,
  hr: 60,
  h: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
});

const YEARS = table({ years: 1, yr: 1, y: 1, year: 1 });

const ENERGY = table({
  kcal: 1,
  Cal: 1,
  kilocalories: 1,
  cal: 0.001,
  kJ: 1 / KJ_PER_KCAL,
  J: 1 / (KJ_PER_KCAL * 1000),
});

const METERS_PER: Readonly<Record<string, number>> = {
  m: 1,
  meter: 1,
  meters: 1,
  km: 1000,
  mi: METERS_PER_MILE,
  ft: 0.3048,
  yd: 0.9144,
  cm: 0.01,
  mm: 0.001,
  in: 0.0254,
};
const lengthIn = (metersPerTarget: number): RuleTable =>
  table(Object.fromEntries(Object.entries(METERS_PER).map(([u, m]) => [u, m / metersPerTarget])));
const METERS = lengthIn(1);
const CENTIMETERS = lengthIn(0.01);

const KILOGRAMS = table({
  kg: 1,
  g: 0.001,
  mg: 1e-6,
  lb: KG_PER_POUND,
  lbs: KG_PER_POUND,
  oz: KG_PER_POUND / 16,
  st: KG_PER_POUND * 14,
});

const CELSIUS_SPELLINGS = ['degC', '°C', 'C', 'celsius'] as const;
const FAHRENHEIT_SPELLINGS = ['degF', '°F', 'F', 'fahrenheit'] as const;
const KELVIN_SPELLINGS = ['K', 'kelvin'] as const;
const temperatureTable = (f: Rule, k: Rule): RuleTable =>
  Object.fromEntries([
    ...CELSIUS_SPELLINGS.map((u) => [u, ONE] as const),
    ...FAHRENHEIT_SPELLINGS.map((u) => [u, f] as const),
    ...KELVIN_SPELLINGS.map((u) => [u, k] as const),
  ]);
const CELSIUS = temperatureTable(rule(5 / 9, -160 / 9), rule(1, -273.15));
/** A temperature difference: a 1 °F step is 5/9 °C and a 1 K step is 1 °C, with no offset. */
const CELSIUS_DELTA = temperatureTable(rule(5 / 9), ONE);

const PERCENT = table({ '%': FRACTION_PERCENT, percent: 1, pct: 1, fraction: 100, ratio: 100 });

const GLUCOSE = table({
  'mg/dL': 1,
  mg_dl: 1,
  'mmol/L': GLUCOSE_MG_DL_PER_MMOL_L,
  'g/L': 100,
  'mg/L': 0.1,
});

/** Blood alcohol by mass per volume: 0.08 % BAC = 0.08 g/100 mL = 80 mg/dL. HealthKit `%` is a fraction. */
const BLOOD_ALCOHOL = table({
  'mg/dL': 1,
  mg_dl: 1,
  '%': 100_000,
  percent: 1000,
  'g/dL': 1000,
  'g/L': 100,
  'mg/L': 0.1,
});

const MMHG = table({ mmHg: 1, kPa: 7.50061683, cmHg: 10 });

const LITERS_PER: Readonly<Record<string, number>> = {
  L: 1,
  l: 1,
  liter: 1,
  liters: 1,
  mL: 0.001,
  dL: 0.1,
  cL: 0.01,
  fl_oz_us: 0.0295735295625,
  fl_oz_imp: 0.0284130625,
};
const volumeIn = (litersPerTarget: number): RuleTable =>
  table(Object.fromEntries(Object.entries(LITERS_PER).map(([u, l]) => [u, l / litersPerTarget])));
const LITERS = volumeIn(1);
const MILLILITERS = volumeIn(0.001);

const LITERS_PER_MINUTE = table({ 'L/min': 1, 'mL/min': 0.001, 'L/s': 60, 'L/h': 1 / 60, 'L/hr': 1 / 60 });

const BMI = table({ kg_m2: 1, 'kg/m^2': 1, 'kg/m2': 1, 'kg/m²': 1, count: 1, '': 1 });

const VO2 = table({
  ml_kg_min: 1,
  'mL/kg*min': 1,
  'mL/min*kg': 1,
  'mL/(kg*min)': 1,
  'mL/(min*kg)': 1,
  'mL/kg/min': 1,
  'mL/min/kg': 1,
});

/** 1 MET is defined as 1 kcal per kg per hour; HealthKit writes METs in that unit (`kcal/hr·kg`). */
const MET_SPELLINGS = {
  met: 1,
  METs: 1,
  'kcal/hr*kg': 1,
  'kcal/(hr*kg)': 1,
  'kcal/(kg*hr)': 1,
  'kcal/kg*hr': 1,
  'kcal/kg/hr': 1,
  'kcal/hr-kg': 1,
} as const;
const METS = table(MET_SPELLINGS);

const SCORE = table({ score: 1, '': 1, count: 1, unitless: 1, '1': 1, points: 1 });
const COUNT = table({ count: 1, '': 1, '1': 1, steps: 1, floors: 1, times: 1 });

const SPEED = table({
  'm/s': 1,
  m_per_s: 1,
  'km/hr': 1 / 3.6,
  'km/h': 1 / 3.6,
  kph: 1 / 3.6,
  'mi/hr': 0.44704,
  'mi/h': 0.44704,
  mph: 0.44704,
  'ft/s': 0.3048,
  'cm/s': 0.01,
});

const WATTS = table({ W: 1, watts: 1, watt: 1, kW: 1000, 'kcal/hr': (KJ_PER_KCAL * 1000) / 3600 });

const DECIBELS = table({ dB: 1, dBASPL: 1, dBSPL: 1, dBA: 1, 'dB(A)': 1, dBHL: 1 });

const BY_CANONICAL_UNIT: { readonly [U in CanonicalUnit]: RuleTable } = {
  bpm: PER_MINUTE,
  brpm: PER_MINUTE,
  rpm: PER_MINUTE,
  ms: MILLISECONDS,
  percent: PERCENT,
  mg_dl: GLUCOSE,
  mmHg: MMHG,
  count: COUNT,
  score: SCORE,
  liters: LITERS,
  'L/min': LITERS_PER_MINUTE,
  cm: CENTIMETERS,
  kg: KILOGRAMS,
  kg_m2: BMI,
  celsius: CELSIUS,
  ml_kg_min: VO2,
  meters: METERS,
  years: YEARS,
  kcal: ENERGY,
  minutes: MINUTES,
  met: METS,
  m_per_s: SPEED,
  watts: WATTS,
  dB: DECIBELS,
  mL: MILLILITERS,
};

/** Series whose meaning differs from the plain dimension of their canonical unit. Replaces, not extends. */
const BY_SERIES: Partial<Record<SeriesTypeName, RuleTable>> = {
  blood_glucose: GLUCOSE,
  blood_alcohol_content: BLOOD_ALCOHOL,
  skin_temperature_deviation: CELSIUS_DELTA,
  // Perfusion index is a percentage (typically 0.02–20 %); its canonical "score" is that 0–100 number.
  peripheral_perfusion_index: table({ ...PERCENT, score: 1, '': 1 }),
  // HealthKit's physical effort is an estimated MET rate in kcal/hr·kg; stored as a unitless score.
  physical_effort: table({ ...SCORE, ...MET_SPELLINGS }),
  body_battery: table({ ...PERCENT, score: 1, '': 1, count: 1 }),
  // DESIGN labels this `count`; HealthKit measures skin conductance in siemens (`S`), kept as sent.
  electrodermal_activity: table({ ...COUNT, S: 1 }),
};

interface CompiledTable {
  readonly exact: RuleTable;
  /** Lower-cased spellings whose meaning does not depend on case within this table. */
  readonly folded: ReadonlyMap<string, Rule>;
}

function compile(rules: RuleTable): CompiledTable {
  const folded = new Map<string, Rule>();
  const ambiguous = new Set<string>();
  for (const [unit, r] of Object.entries(rules)) {
    const key = unit.toLowerCase();
    const seen = folded.get(key);
    if (seen !== undefined && !sameRule(seen, r)) ambiguous.add(key);
    folded.set(key, r);
  }
  for (const key of ambiguous) folded.delete(key);
  return { exact: rules, folded };
}

function sameRule(a: Rule, b: Rule): boolean {
  return a.scale === b.scale && a.offset === b.offset && a.fractionPercent === b.fractionPercent;
}

const compiledCache = new Map<RuleTable, CompiledTable>();
function compiled(rules: RuleTable): CompiledTable {
  let c = compiledCache.get(rules);
  if (c === undefined) {
    c = compile(rules);
    compiledCache.set(rules, c);
  }
  return c;
}

/** Whitespace removed, `·`/`•`/`⋅` as `*`, Greek mu as the micro sign. Case is kept. */
export function normalizeUnitString(unit: string): string {
  return unit
    .replace(/\s+/g, '')
    .replace(/[·•⋅]/g, '*')
    .replace(/\u03bc/g, '\u00b5');
}

const HK_MOLAR_UNIT = /^mmol<(\d+(?:\.\d+)?)>\/L$/;

function rulesFor(series: SeriesTypeName, canonical: CanonicalUnit): RuleTable {
  return BY_SERIES[series] ?? BY_CANONICAL_UNIT[canonical];
}

function findRule(series: SeriesTypeName, canonical: CanonicalUnit, unit: string): Rule | undefined {
  if (series === 'blood_glucose') {
    const molar = HK_MOLAR_UNIT.exec(unit);
    if (molar?.[1] !== undefined) return rule(Number(molar[1]) / 10);
  }
  const c = compiled(rulesFor(series, canonical));
  return c.exact[unit] ?? c.folded.get(unit.toLowerCase());
}

function knownAnywhere(unit: string): boolean {
  const tables = [...Object.values(BY_CANONICAL_UNIT), ...Object.values(BY_SERIES)];
  return (
    HK_MOLAR_UNIT.test(unit) || tables.some((t) => unit in t || compiled(t).folded.has(unit.toLowerCase()))
  );
}

const tidy = (value: number): number => Number.parseFloat(value.toPrecision(12));

function apply(r: Rule, value: number): number {
  if (r.fractionPercent && value > 1) return value;
  if (r.scale === 1 && r.offset === 0) return value;
  return tidy(value * r.scale + r.offset);
}

export type ConversionResult =
  | { readonly ok: true; readonly value: number; readonly unit: CanonicalUnit }
  | { readonly ok: false; readonly reason: string };

/**
 * Converts `value` measured in `unit` into the canonical unit of `seriesTypeName`. Never throws:
 * an unknown series type, a non-finite value, an unknown unit or a unit of another dimension each come
 * back as `{ ok: false, reason }` naming the unit and the series type.
 */
/**
 * The conversion of one series type from one unit to its canonical unit, found once: bulk paths
 * (Apple exports) look it up per (type, unit) and apply it to every value.
 */
export type UnitConverter =
  | { readonly ok: true; readonly unit: CanonicalUnit; readonly convert: (value: number) => number }
  | { readonly ok: false; readonly reason: string };

export function unitConverter(seriesTypeName: SeriesTypeName, unit: string): UnitConverter {
  const info = findSeriesTypeByName(seriesTypeName);
  if (info === undefined) return { ok: false, reason: `unknown series type '${String(seriesTypeName)}'` };
  const normalized = normalizeUnitString(unit);
  const r = findRule(info.name, info.unit, normalized);
  if (r === undefined) {
    const why = knownAnywhere(normalized) ? `is not a ${info.unit} quantity` : 'is not a known unit';
    return {
      ok: false,
      reason: `unit '${unit}' ${why} for series type '${info.name}' (canonical unit ${info.unit})`,
    };
  }
  return { ok: true, unit: info.unit, convert: (value) => apply(r, value) };
}

export function toCanonical(seriesTypeName: SeriesTypeName, value: number, unit: string): ConversionResult {
  const converter = unitConverter(seriesTypeName, unit);
  if (!converter.ok) return converter;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return {
      ok: false,
      reason: `value ${String(value)} for series type '${String(seriesTypeName)}' is not a finite number`,
    };
  }
  const converted = converter.convert(value);
  // A finite value can still overflow in conversion (1e308 count/s is 6e309 per minute).
  if (!Number.isFinite(converted)) {
    return {
      ok: false,
      reason: `value ${value} ${unit} for series type '${String(seriesTypeName)}' is out of range once converted to ${converter.unit}`,
    };
  }
  return { ok: true, value: converted, unit: converter.unit };
}

/** Every unit spelling `toCanonical` accepts for the series type (besides HealthKit's `mmol<M>/L`). */
export function acceptedUnits(seriesTypeName: SeriesTypeName): readonly string[] {
  const info = findSeriesTypeByName(seriesTypeName);
  if (info === undefined) return [];
  return Object.keys(rulesFor(info.name, info.unit));
}
