import { describe, expect, it } from 'vitest';
import type { SeriesTypeName } from './series-types.ts';
import { SERIES_TYPES } from './series-types.ts';
import { acceptedUnits, normalizeUnitString, toCanonical } from './units.ts';

function convert(series: SeriesTypeName, value: number, unit: string): number {
  const result = toCanonical(series, value, unit);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe('toCanonical: rates per minute', () => {
  it('keeps 72 bpm exactly 72 in every per-minute spelling', () => {
    for (const unit of ['count/min', 'bpm', '/min', 'beats/min', '1/min']) {
      expect(convert('heart_rate', 72, unit)).toBe(72);
    }
  });

  it('turns iOS 8 count/s heart rate into per minute', () => {
    expect(convert('heart_rate', 1.2, 'count/s')).toBe(72);
  });

  it('accepts breaths and revolutions per minute', () => {
    expect(convert('respiratory_rate', 14.5, 'count/min')).toBe(14.5);
    expect(convert('cadence', 88, 'rpm')).toBe(88);
    expect(convert('cadence', 170, 'steps/min')).toBe(170);
  });
});

describe('toCanonical: energy', () => {
  it('reads HealthKit Cal as kilocalories and cal as calories', () => {
    expect(convert('energy', 342, 'kcal')).toBe(342);
    expect(convert('energy', 342, 'Cal')).toBe(342);
    expect(convert('energy', 342_000, 'cal')).toBe(342);
  });

  it('converts kilojoules: 1 kJ = 1/4.184 kcal', () => {
    expect(convert('energy', 1, 'kJ')).toBeCloseTo(0.239006, 6);
    expect(convert('basal_energy', 4184, 'kJ')).toBe(1000);
    expect(convert('energy', 4184, 'J')).toBe(1);
  });
});

describe('toCanonical: length', () => {
  it('converts to meters', () => {
    expect(convert('distance_walking_running', 1, 'mi')).toBe(1609.344);
    expect(convert('distance_walking_running', 2.5, 'km')).toBe(2500);
    expect(convert('distance_cycling', 100, 'ft')).toBe(30.48);
    expect(convert('distance_swimming', 100, 'yd')).toBe(91.44);
    expect(convert('distance_other', 150, 'cm')).toBe(1.5);
    expect(convert('distance_other', 1234, 'mm')).toBe(1.234);
    expect(convert('six_minute_walk_test_distance', 480, 'm')).toBe(480);
  });

  it('converts to centimeters', () => {
    expect(convert('height', 1.8, 'm')).toBe(180);
    expect(convert('height', 70, 'in')).toBe(177.8);
    expect(convert('height', 6, 'ft')).toBe(182.88);
    expect(convert('running_stride_length', 1.12, 'm')).toBe(112);
    expect(convert('waist_circumference', 850, 'mm')).toBe(85);
  });
});

describe('toCanonical: mass', () => {
  it('converts to kilograms', () => {
    expect(convert('weight', 150, 'lb')).toBeCloseTo(68.0389, 4);
    expect(convert('weight', 150, 'lb')).toBe(68.0388555);
    expect(convert('weight', 72_500, 'g')).toBe(72.5);
    expect(convert('weight', 16, 'oz')).toBe(0.45359237);
    expect(convert('weight', 11, 'st')).toBe(69.85322498);
    expect(convert('lean_body_mass', 55, 'kg')).toBe(55);
  });
});

describe('toCanonical: temperature', () => {
  it('converts absolute temperatures to celsius', () => {
    expect(convert('body_temperature', 98.6, 'degF')).toBe(37);
    expect(convert('body_temperature', 212, '°F')).toBe(100);
    expect(convert('body_temperature', 310.15, 'K')).toBe(37);
    expect(convert('skin_temperature', 34.2, 'degC')).toBe(34.2);
  });

  it('converts a deviation as a difference, without the 32 °F offset', () => {
    expect(convert('skin_temperature_deviation', 0.9, 'degF')).toBe(0.5);
    expect(convert('skin_temperature_deviation', -0.4, 'degC')).toBe(-0.4);
    expect(convert('skin_temperature_deviation', 0.3, 'K')).toBe(0.3);
  });
});

describe('toCanonical: percent', () => {
  it("reads HealthKit's % as a fraction", () => {
    expect(convert('oxygen_saturation', 0.97, '%')).toBe(97);
    expect(convert('body_fat_percentage', 0.215, '%')).toBe(21.5);
    expect(convert('walking_asymmetry_percentage', 0.04, '%')).toBe(4);
  });

  it('reads percent and pct as 0–100', () => {
    expect(convert('oxygen_saturation', 97, 'percent')).toBe(97);
    expect(convert('body_fat_percentage', 21.5, 'pct')).toBe(21.5);
  });

  it('takes a % value above 1 as already 0–100 (it cannot be a fraction)', () => {
    expect(convert('oxygen_saturation', 98, '%')).toBe(98);
  });

  it('reads perfusion index % as a fraction into its 0–100 score', () => {
    expect(convert('peripheral_perfusion_index', 0.025, '%')).toBe(2.5);
  });
});

describe('toCanonical: blood', () => {
  it('converts glucose mmol/L to mg/dL with the HealthKit molar mass', () => {
    expect(convert('blood_glucose', 5.5, 'mmol/L')).toBeCloseTo(99.0857, 4);
    expect(convert('blood_glucose', 5.5, 'mmol<180.1558800000541>/L')).toBeCloseTo(99.0857, 4);
    expect(convert('blood_glucose', 4.59, 'mmol<180.1558800000541>/L')).toBeCloseTo(82.6915, 4);
    expect(convert('blood_glucose', 99, 'mg/dL')).toBe(99);
  });

  it('converts blood alcohol: HealthKit 0.0008 (fraction) = 0.08 % = 80 mg/dL', () => {
    expect(convert('blood_alcohol_content', 0.0008, '%')).toBe(80);
    expect(convert('blood_alcohol_content', 0.08, 'percent')).toBe(80);
    expect(convert('blood_alcohol_content', 0.8, 'g/L')).toBe(80);
  });

  it('refuses mmol/L for blood alcohol (the factor is glucose-specific)', () => {
    const result = toCanonical('blood_alcohol_content', 17, 'mmol/L');
    expect(result.ok).toBe(false);
  });

  it('converts pressure', () => {
    expect(convert('blood_pressure_systolic', 120, 'mmHg')).toBe(120);
    expect(convert('blood_pressure_diastolic', 10.666, 'kPa')).toBeCloseTo(80, 1);
  });
});

describe('toCanonical: time', () => {
  it('converts to milliseconds', () => {
    expect(convert('heart_rate_variability_sdnn', 0.045, 's')).toBe(45);
    expect(convert('running_ground_contact_time', 250, 'ms')).toBe(250);
    expect(convert('rr_interval', 0.8, 's')).toBe(800);
  });

  it('converts to minutes', () => {
    expect(convert('exercise_time', 1.5, 'hr')).toBe(90);
    expect(convert('stand_time', 2, 'h')).toBe(120);
    expect(convert('time_in_daylight', 90, 's')).toBe(1.5);
    expect(convert('mindful_minutes', 600_000, 'ms')).toBe(10);
    expect(convert('exercise_time', 30, 'min')).toBe(30);
  });
});

describe('toCanonical: volume and flow', () => {
  it('converts to mL and liters', () => {
    expect(convert('hydration', 0.5, 'L')).toBe(500);
    expect(convert('hydration', 8, 'fl_oz_us')).toBe(236.5882365);
    expect(convert('hydration', 250, 'mL')).toBe(250);
    expect(convert('forced_vital_capacity', 4200, 'mL')).toBe(4.2);
    expect(convert('forced_expiratory_volume_1', 3.1, 'L')).toBe(3.1);
    expect(convert('peak_expiratory_flow_rate', 9, 'L/s')).toBe(540);
  });
});

describe('toCanonical: fitness, speed, power, sound', () => {
  it('accepts every HealthKit VO2 max spelling', () => {
    for (const unit of ['mL/kg·min', 'mL/min·kg', 'ml/(kg*min)', 'ml/kg/min', 'mL/kg*min']) {
      expect(convert('vo2_max', 48.2, unit)).toBe(48.2);
    }
  });

  it('converts speed to m/s', () => {
    expect(convert('walking_speed', 5.4, 'km/hr')).toBe(1.5);
    expect(convert('running_speed', 10, 'mi/hr')).toBe(4.4704);
    expect(convert('stair_ascent_speed', 1, 'ft/s')).toBe(0.3048);
    expect(convert('speed', 3.2, 'm/s')).toBe(3.2);
  });

  it('converts power to watts', () => {
    expect(convert('running_power', 250, 'W')).toBe(250);
    expect(convert('power', 0.3, 'kW')).toBe(300);
  });

  it('treats every decibel spelling as dB', () => {
    expect(convert('environmental_audio_exposure', 68.2, 'dBASPL')).toBe(68.2);
    expect(convert('headphone_audio_exposure', 75, 'dBHL')).toBe(75);
  });

  it('reads METs in kcal/hr·kg', () => {
    expect(convert('average_met', 9.1945, 'kcal/hr-kg')).toBe(9.1945);
    expect(convert('average_met', 9.1945, 'kcal/hr·kg')).toBe(9.1945);
    expect(convert('physical_effort', 4.2, 'kcal/hr·kg')).toBe(4.2);
  });
});

describe('toCanonical: unitless', () => {
  it('accepts count and empty units for counts, scores and BMI', () => {
    expect(convert('steps', 1045, 'count')).toBe(1045);
    expect(convert('flights_climbed', 3, '')).toBe(3);
    expect(convert('body_mass_index', 22.4, 'count')).toBe(22.4);
    expect(convert('body_mass_index', 22.4, 'kg/m^2')).toBe(22.4);
    expect(convert('stress_level', 23, 'score')).toBe(23);
    expect(convert('stress_level', 23, '')).toBe(23);
    expect(convert('uv_exposure', 6, 'count')).toBe(6);
    expect(convert('body_battery', 64, '')).toBe(64);
  });
});

describe('toCanonical: refusals', () => {
  it('refuses an unknown unit, naming the unit and the series type', () => {
    const result = toCanonical('heart_rate', 72, 'furlongs');
    expect(result).toEqual({
      ok: false,
      reason: "unit 'furlongs' is not a known unit for series type 'heart_rate' (canonical unit bpm)",
    });
  });

  it('refuses a unit of another dimension', () => {
    const result = toCanonical('heart_rate', 72, 'kg');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain("'kg'");
      expect(result.reason).toContain("'heart_rate'");
      expect(result.reason).toContain('not a bpm quantity');
    }
    expect(toCanonical('steps', 10, 'km').ok).toBe(false);
    expect(toCanonical('weight', 70, 'kcal').ok).toBe(false);
  });

  it('refuses non-finite values', () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const result = toCanonical('steps', v, 'count');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain("'steps'");
    }
  });

  it('refuses an unknown series type', () => {
    expect(toCanonical('spo2' as SeriesTypeName, 97, 'percent')).toEqual({
      ok: false,
      reason: "unknown series type 'spo2'",
    });
  });

  it('keeps Cal and cal apart instead of guessing by case', () => {
    expect(convert('energy', 1, 'CAL'.toLowerCase())).toBe(0.001);
    expect(toCanonical('energy', 1, 'CAL').ok).toBe(false);
  });
});

describe('toCanonical: every series type', () => {
  it('accepts its own canonical unit as identity', () => {
    for (const t of SERIES_TYPES) {
      const result = toCanonical(t.name, 1.25, t.unit);
      expect(result, t.name).toEqual({ ok: true, value: 1.25, unit: t.unit });
    }
  });

  it('lists accepted units for every series type', () => {
    for (const t of SERIES_TYPES) expect(acceptedUnits(t.name).length, t.name).toBeGreaterThan(0);
    expect(acceptedUnits('blood_glucose')).toContain('mmol/L');
  });
});

describe('normalizeUnitString', () => {
  it('removes spaces and writes products with *', () => {
    expect(normalizeUnitString(' mL/kg · min ')).toBe('mL/kg*min');
    expect(normalizeUnitString('\u03bcs')).toBe('µs');
  });
});
