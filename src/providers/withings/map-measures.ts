import { z } from 'zod';
import type { SeriesTypeName } from '../../catalog/series-types.ts';
import type { CanonicalBatch } from '../../health-data/canonical.ts';
import { parsePayload, scaled, series, withingsBatch, zoneOffsetMin } from './common.ts';

/**
 * `getmeas` measure groups → body and vital samples. Each measure is `value × 10^unit` in the unit of
 * its `type`; a group is one weigh-in / one reading at `date` (epoch s). Types without a catalog series
 * are left out (and listed): the raw payload is archived, nothing is mislabelled.
 */

/** meastype → catalog series and the power of ten from Withings' unit to the catalog's. */
export const MEASURE_TYPES: Readonly<Record<number, { series: SeriesTypeName; exponent: number }>> = {
  1: { series: 'weight', exponent: 0 }, // kg
  4: { series: 'height', exponent: 2 }, // m → cm
  5: { series: 'lean_body_mass', exponent: 0 }, // fat-free mass, kg
  6: { series: 'body_fat_percentage', exponent: 0 }, // %, 0–100
  8: { series: 'body_fat_mass', exponent: 0 }, // kg
  9: { series: 'blood_pressure_diastolic', exponent: 0 }, // mmHg
  10: { series: 'blood_pressure_systolic', exponent: 0 }, // mmHg
  11: { series: 'heart_rate', exponent: 0 }, // heart pulse, bpm
  12: { series: 'body_temperature', exponent: 0 }, // °C
  54: { series: 'oxygen_saturation', exponent: 0 }, // %, 0–100
  71: { series: 'body_temperature', exponent: 0 }, // °C
  73: { series: 'skin_temperature', exponent: 0 }, // °C (absolute, not a deviation)
  123: { series: 'vo2_max', exponent: 0 }, // mL/kg/min
};

/**
 * meastypes read but not stored, and why. Muscle mass (76) is total muscle, not the catalog's skeletal
 * muscle mass; hydration (77) is body water in kg, not the catalog's water intake in mL; bone mass (88)
 * and pulse-wave velocity (91) have no catalog series; AFib and ECG intervals are classifications.
 */
export const UNMAPPED_MEASURE_TYPES: Readonly<Record<number, string>> = {
  76: 'muscle mass (kg): the catalog has only skeletal muscle mass',
  77: 'hydration (kg of body water): the catalog hydration is water intake in mL',
  88: 'bone mass (kg): no catalog series',
  91: 'pulse wave velocity (m/s): no catalog series',
};

const Measure = z.looseObject({ value: z.number().int(), type: z.number().int(), unit: z.number().int() });
const Group = z.looseObject({
  grpid: z.number().int(),
  date: z.number().int(),
  category: z.number().int().optional(),
  deviceid: z.string().nullish(),
  model: z.string().nullish(),
  measures: z.array(Measure),
});
const Measures = z.looseObject({
  timezone: z.string().nullish(),
  measuregrps: z.array(Group),
});

export function mapMeasures(payload: unknown): CanonicalBatch {
  const body = parsePayload(Measures, payload, 'getmeas');
  const { batch, sourceOf } = withingsBatch();
  for (const group of body.measuregrps) {
    // Category 2 is a user's goal, not a measurement.
    if (group.category === 2) continue;
    const startMs = group.date * 1000;
    const utcOffsetMin = zoneOffsetMin(body.timezone, startMs);
    const source = sourceOf(group.model);
    for (const m of group.measures) {
      const type = MEASURE_TYPES[m.type];
      if (type === undefined) continue;
      batch.samples.push({
        source,
        seriesTypeId: series(type.series),
        startMs,
        durationMs: 0,
        value: scaled(m.value, m.unit + type.exponent),
        utcOffsetMin,
      });
    }
  }
  return batch;
}
