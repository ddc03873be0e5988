/**
 * HealthKit identifiers → what WearLink does with them.
 *
 * Every identifier gets an explicit answer (`classifyHealthKitIdentifier` never returns undefined):
 * a canonical series, sleep, a correlation of series, a workout part, a characteristic or its value,
 * a category value, a metadata key, or `kept_raw` with a reason. `kept_raw` data is still stored in the
 * raw payload and counted per import (DESIGN §2); `reason: 'unmapped'` means "not in this catalog",
 * every other reason is a decision.
 *
 * `defaultUnit` is the unit HealthKit itself prefers for the type (what the iOS SDK and export.xml send
 * unless the user's locale says otherwise); values are converted with `toCanonical` from `units.ts`.
 *
 * Decision: HKQuantityTypeIdentifierAppleSleepingWristTemperature maps to `skin_temperature`. HealthKit
 * stores the absolute nightly wrist temperature (about 30–37 °C); the Health app derives the deviation
 * shown to users from a baseline it does not export. Some hand-edited exports carry a deviation there
 * (e.g. 0.23 degC), so `wristTemperatureSeries` routes implausibly small absolute values to
 * `skin_temperature_deviation`.
 */
import type { SeriesTypeName } from './series-types.ts';
import type { SleepStage } from './sleep-stages.ts';
import { HEALTHKIT_SLEEP_VALUES } from './sleep-stages.ts';
import type { WorkoutType } from './workout-types.ts';
import { toCanonicalWorkoutType } from './workout-types.ts';

export type KeptRawReason =
  | 'unmapped'
  | 'no_canonical_series'
  | 'nutrition'
  | 'clinical'
  | 'reproductive_health'
  | 'symptom'
  | 'event'
  | 'deprecated'
  | 'user_goal'
  | 'derived_elsewhere';

export type CharacteristicName =
  | 'biological_sex'
  | 'blood_type'
  | 'date_of_birth'
  | 'fitzpatrick_skin_type'
  | 'wheelchair_use'
  | 'activity_move_mode'
  | 'cardio_fitness_medications_use';

export type WorkoutEventName =
  | 'pause'
  | 'resume'
  | 'lap'
  | 'marker'
  | 'motion_paused'
  | 'motion_resumed'
  | 'segment'
  | 'pause_or_resume_request';

export type HealthKitClassification =
  | { readonly kind: 'series'; readonly seriesType: SeriesTypeName; readonly defaultUnit: string }
  /** A category sample whose duration (end − start, in minutes) is the value, e.g. mindful sessions. */
  | { readonly kind: 'duration_series'; readonly seriesType: SeriesTypeName }
  | { readonly kind: 'sleep' }
  | { readonly kind: 'sleep_value'; readonly stage: SleepStage; readonly value: number }
  | {
      readonly kind: 'correlation';
      readonly children: readonly { readonly identifier: string; readonly seriesType: SeriesTypeName }[];
    }
  | {
      readonly kind: 'category_value';
      /** The category type the value belongs to; null for values shared by many (NotApplicable, Severity…). */
      readonly categoryType: string | null;
      readonly name: string;
      readonly value: number | null;
    }
  | {
      readonly kind: 'characteristic';
      readonly characteristic: CharacteristicName;
      /** Null for the characteristic type itself; the canonical value slug for a value identifier. */
      readonly value: string | null;
    }
  | { readonly kind: 'metadata_key'; readonly key: string }
  | { readonly kind: 'workout' }
  | { readonly kind: 'workout_route' }
  | { readonly kind: 'workout_activity_type'; readonly workoutType: WorkoutType }
  | { readonly kind: 'workout_event'; readonly event: WorkoutEventName }
  | { readonly kind: 'kept_raw'; readonly reason: KeptRawReason; readonly detail: string };

export type HealthKitClassificationKind = HealthKitClassification['kind'];

const Q = 'HKQuantityTypeIdentifier';
const C = 'HKCategoryTypeIdentifier';

/** Quantity types with a canonical series, and the unit HealthKit prefers for each. */
export const HEALTHKIT_QUANTITY_TYPES = {
  // heart
  [`${Q}HeartRate`]: { seriesType: 'heart_rate', defaultUnit: 'count/min' },
  [`${Q}RestingHeartRate`]: { seriesType: 'resting_heart_rate', defaultUnit: 'count/min' },
  [`${Q}WalkingHeartRateAverage`]: { seriesType: 'walking_heart_rate_average', defaultUnit: 'count/min' },
  [`${Q}HeartRateVariabilitySDNN`]: { seriesType: 'heart_rate_variability_sdnn', defaultUnit: 'ms' },
  [`${Q}HeartRateRecoveryOneMinute`]: {
    seriesType: 'heart_rate_recovery_one_minute',
    defaultUnit: 'count/min',
  },
  // vitals and lab
  [`${Q}OxygenSaturation`]: { seriesType: 'oxygen_saturation', defaultUnit: '%' },
  [`${Q}RespiratoryRate`]: { seriesType: 'respiratory_rate', defaultUnit: 'count/min' },
  [`${Q}BodyTemperature`]: { seriesType: 'body_temperature', defaultUnit: 'degC' },
  // Basal body temperature is a body temperature taken at rest (cycle tracking); same series, same unit.
  [`${Q}BasalBodyTemperature`]: { seriesType: 'body_temperature', defaultUnit: 'degC' },
  [`${Q}AppleSleepingWristTemperature`]: { seriesType: 'skin_temperature', defaultUnit: 'degC' },
  [`${Q}BloodGlucose`]: { seriesType: 'blood_glucose', defaultUnit: 'mg/dL' },
  [`${Q}BloodPressureSystolic`]: { seriesType: 'blood_pressure_systolic', defaultUnit: 'mmHg' },
  [`${Q}BloodPressureDiastolic`]: { seriesType: 'blood_pressure_diastolic', defaultUnit: 'mmHg' },
  [`${Q}BloodAlcoholContent`]: { seriesType: 'blood_alcohol_content', defaultUnit: '%' },
  [`${Q}PeripheralPerfusionIndex`]: { seriesType: 'peripheral_perfusion_index', defaultUnit: '%' },
  [`${Q}ForcedVitalCapacity`]: { seriesType: 'forced_vital_capacity', defaultUnit: 'L' },
  [`${Q}ForcedExpiratoryVolume1`]: { seriesType: 'forced_expiratory_volume_1', defaultUnit: 'L' },
  [`${Q}PeakExpiratoryFlowRate`]: { seriesType: 'peak_expiratory_flow_rate', defaultUnit: 'L/min' },
  [`${Q}AppleSleepingBreathingDisturbances`]: {
    seriesType: 'sleeping_breathing_disturbances',
    defaultUnit: 'count',
  },
  [`${Q}ElectrodermalActivity`]: { seriesType: 'electrodermal_activity', defaultUnit: 'S' },
  // body
  [`${Q}Height`]: { seriesType: 'height', defaultUnit: 'cm' },
  [`${Q}BodyMass`]: { seriesType: 'weight', defaultUnit: 'kg' },
  [`${Q}BodyMassIndex`]: { seriesType: 'body_mass_index', defaultUnit: 'count' },
  [`${Q}BodyFatPercentage`]: { seriesType: 'body_fat_percentage', defaultUnit: '%' },
  [`${Q}LeanBodyMass`]: { seriesType: 'lean_body_mass', defaultUnit: 'kg' },
  [`${Q}WaistCircumference`]: { seriesType: 'waist_circumference', defaultUnit: 'cm' },
  // fitness
  [`${Q}VO2Max`]: { seriesType: 'vo2_max', defaultUnit: 'mL/kg·min' },
  [`${Q}SixMinuteWalkTestDistance`]: { seriesType: 'six_minute_walk_test_distance', defaultUnit: 'm' },
  // activity
  [`${Q}StepCount`]: { seriesType: 'steps', defaultUnit: 'count' },
  [`${Q}ActiveEnergyBurned`]: { seriesType: 'energy', defaultUnit: 'kcal' },
  [`${Q}BasalEnergyBurned`]: { seriesType: 'basal_energy', defaultUnit: 'kcal' },
  [`${Q}AppleStandTime`]: { seriesType: 'stand_time', defaultUnit: 'min' },
  [`${Q}AppleExerciseTime`]: { seriesType: 'exercise_time', defaultUnit: 'min' },
  // Move minutes replace the move calories goal for users in Move Time mode: time spent active.
  [`${Q}AppleMoveTime`]: { seriesType: 'active_time', defaultUnit: 'min' },
  [`${Q}PhysicalEffort`]: { seriesType: 'physical_effort', defaultUnit: 'kcal/hr·kg' },
  [`${Q}FlightsClimbed`]: { seriesType: 'flights_climbed', defaultUnit: 'count' },
  [`${Q}DistanceWalkingRunning`]: { seriesType: 'distance_walking_running', defaultUnit: 'm' },
  [`${Q}DistanceCycling`]: { seriesType: 'distance_cycling', defaultUnit: 'm' },
  [`${Q}DistanceSwimming`]: { seriesType: 'distance_swimming', defaultUnit: 'm' },
  [`${Q}DistanceDownhillSnowSports`]: { seriesType: 'distance_downhill_snow_sports', defaultUnit: 'm' },
  [`${Q}DistanceWheelchair`]: { seriesType: 'distance_other', defaultUnit: 'm' },
  [`${Q}DistanceCrossCountrySkiing`]: { seriesType: 'distance_other', defaultUnit: 'm' },
  [`${Q}DistancePaddleSports`]: { seriesType: 'distance_other', defaultUnit: 'm' },
  [`${Q}DistanceRowing`]: { seriesType: 'distance_other', defaultUnit: 'm' },
  [`${Q}DistanceSkatingSports`]: { seriesType: 'distance_other', defaultUnit: 'm' },
  // mobility
  [`${Q}WalkingStepLength`]: { seriesType: 'walking_step_length', defaultUnit: 'cm' },
  [`${Q}WalkingSpeed`]: { seriesType: 'walking_speed', defaultUnit: 'm/s' },
  [`${Q}WalkingDoubleSupportPercentage`]: {
    seriesType: 'walking_double_support_percentage',
    defaultUnit: '%',
  },
  [`${Q}WalkingAsymmetryPercentage`]: { seriesType: 'walking_asymmetry_percentage', defaultUnit: '%' },
  [`${Q}AppleWalkingSteadiness`]: { seriesType: 'walking_steadiness', defaultUnit: '%' },
  [`${Q}StairAscentSpeed`]: { seriesType: 'stair_ascent_speed', defaultUnit: 'm/s' },
  [`${Q}StairDescentSpeed`]: { seriesType: 'stair_descent_speed', defaultUnit: 'm/s' },
  // workout metrics
  [`${Q}RunningPower`]: { seriesType: 'running_power', defaultUnit: 'W' },
  [`${Q}RunningSpeed`]: { seriesType: 'running_speed', defaultUnit: 'm/s' },
  [`${Q}RunningVerticalOscillation`]: { seriesType: 'running_vertical_oscillation', defaultUnit: 'cm' },
  [`${Q}RunningGroundContactTime`]: { seriesType: 'running_ground_contact_time', defaultUnit: 'ms' },
  [`${Q}RunningStrideLength`]: { seriesType: 'running_stride_length', defaultUnit: 'm' },
  [`${Q}SwimmingStrokeCount`]: { seriesType: 'swimming_stroke_count', defaultUnit: 'count' },
  [`${Q}CyclingCadence`]: { seriesType: 'cadence', defaultUnit: 'count/min' },
  [`${Q}CyclingPower`]: { seriesType: 'power', defaultUnit: 'W' },
  [`${Q}CyclingSpeed`]: { seriesType: 'speed', defaultUnit: 'm/s' },
  [`${Q}CrossCountrySkiingSpeed`]: { seriesType: 'speed', defaultUnit: 'm/s' },
  [`${Q}PaddleSportsSpeed`]: { seriesType: 'speed', defaultUnit: 'm/s' },
  [`${Q}RowingSpeed`]: { seriesType: 'speed', defaultUnit: 'm/s' },
  // environment and the rest
  [`${Q}EnvironmentalAudioExposure`]: { seriesType: 'environmental_audio_exposure', defaultUnit: 'dBASPL' },
  [`${Q}HeadphoneAudioExposure`]: { seriesType: 'headphone_audio_exposure', defaultUnit: 'dBASPL' },
  [`${Q}TimeInDaylight`]: { seriesType: 'time_in_daylight', defaultUnit: 'min' },
  [`${Q}UVExposure`]: { seriesType: 'uv_exposure', defaultUnit: 'count' },
  [`${Q}NumberOfTimesFallen`]: { seriesType: 'number_of_times_fallen', defaultUnit: 'count' },
  [`${Q}DietaryWater`]: { seriesType: 'hydration', defaultUnit: 'mL' },
} as const satisfies Record<string, { seriesType: SeriesTypeName; defaultUnit: string }>;

type Kept = readonly [KeptRawReason, string];

/** Identifiers deliberately kept raw, with why. */
export const HEALTHKIT_KEPT_RAW: Readonly<Record<string, Kept>> = {
  [`${Q}NikeFuel`]: ['deprecated', 'Nike-proprietary points, no longer written by iOS'],
  [`${Q}PushCount`]: ['no_canonical_series', 'wheelchair pushes have no canonical series yet'],
  [`${Q}CyclingFunctionalThresholdPower`]: ['no_canonical_series', 'an estimated threshold, not a sample'],
  [`${Q}AtrialFibrillationBurden`]: ['clinical', 'AFib History estimate'],
  [`${Q}InsulinDelivery`]: ['clinical', 'medication dose'],
  [`${Q}InhalerUsage`]: ['clinical', 'medication dose'],
  [`${Q}NumberOfAlcoholicBeverages`]: ['nutrition', 'intake log'],
  [`${Q}EnvironmentalSoundReduction`]: ['no_canonical_series', 'hearing-protection attenuation'],
  [`${Q}WaterTemperature`]: ['no_canonical_series', 'water temperature during a swim or dive'],
  [`${Q}UnderwaterDepth`]: ['no_canonical_series', 'dive depth'],
  [`${Q}WorkoutEffortScore`]: [
    'derived_elsewhere',
    'a rating attached to a workout, stored with the workout',
  ],
  [`${Q}EstimatedWorkoutEffortScore`]: [
    'derived_elsewhere',
    'a rating attached to a workout, stored with the workout',
  ],
  [`${C}AppleStandHour`]: [
    'derived_elsewhere',
    'stood/idle per hour; stand minutes come from AppleStandTime, the daily stand-hour count from ActivitySummary',
  ],
  [`${C}HighHeartRateEvent`]: ['event', 'heart rate notification'],
  [`${C}LowHeartRateEvent`]: ['event', 'heart rate notification'],
  [`${C}IrregularHeartRhythmEvent`]: ['event', 'heart rhythm notification'],
  [`${C}AudioExposureEvent`]: ['event', 'noise notification'],
  [`${C}EnvironmentalAudioExposureEvent`]: ['event', 'noise notification'],
  [`${C}HeadphoneAudioExposureEvent`]: ['event', 'headphone level notification'],
  [`${C}LowCardioFitnessEvent`]: ['event', 'cardio fitness notification'],
  [`${C}AppleWalkingSteadinessEvent`]: ['event', 'walking steadiness notification'],
  [`${C}SleepApneaEvent`]: ['event', 'breathing disturbances notification'],
  [`${C}ToothbrushingEvent`]: ['event', 'hygiene log'],
  [`${C}HandwashingEvent`]: ['event', 'hygiene log'],
  [`${C}SexualActivity`]: ['reproductive_health', 'cycle tracking'],
  [`${C}MenstrualFlow`]: ['reproductive_health', 'cycle tracking'],
  [`${C}IntermenstrualBleeding`]: ['reproductive_health', 'cycle tracking'],
  [`${C}OvulationTestResult`]: ['reproductive_health', 'cycle tracking'],
  [`${C}CervicalMucusQuality`]: ['reproductive_health', 'cycle tracking'],
  [`${C}InfrequentMenstrualCycles`]: ['reproductive_health', 'cycle deviation'],
  [`${C}IrregularMenstrualCycles`]: ['reproductive_health', 'cycle deviation'],
  [`${C}PersistentIntermenstrualBleeding`]: ['reproductive_health', 'cycle deviation'],
  [`${C}ProlongedMenstrualPeriods`]: ['reproductive_health', 'cycle deviation'],
  [`${C}Contraceptive`]: ['reproductive_health', 'cycle tracking'],
  [`${C}Lactation`]: ['reproductive_health', 'cycle tracking'],
  [`${C}Pregnancy`]: ['reproductive_health', 'cycle tracking'],
  [`${C}PregnancyTestResult`]: ['reproductive_health', 'cycle tracking'],
  [`${C}ProgesteroneTestResult`]: ['reproductive_health', 'cycle tracking'],
  [`${C}BleedingAfterPregnancy`]: ['reproductive_health', 'cycle tracking'],
  [`${C}BleedingDuringPregnancy`]: ['reproductive_health', 'cycle tracking'],
  HKCorrelationTypeIdentifierFood: ['nutrition', 'a meal: correlation of dietary samples'],
  HKDataTypeSleepDurationGoal: ['user_goal', 'the sleep duration goal set in the Health app'],
  HKDataTypeIdentifierHeartbeatSeries: ['derived_elsewhere', 'beat timestamps; importers derive rr_interval'],
  HKDataTypeIdentifierElectrocardiogram: ['clinical', 'ECG recording'],
  HKElectrocardiogramType: ['clinical', 'ECG recording'],
  HKDataTypeIdentifierAudiogram: ['clinical', 'hearing test'],
  HKAudiogramSampleType: ['clinical', 'hearing test'],
  HKVisionPrescriptionTypeIdentifier: ['clinical', 'vision prescription'],
  HKDataTypeStateOfMind: ['no_canonical_series', 'logged emotions and moods'],
  HKMedicationDoseEventTypeIdentifierMedicationDoseEvent: ['clinical', 'medication dose'],
};

/** HealthKit symptom category types (HKCategoryTypeIdentifier + name): kept raw as symptoms. */
const SYMPTOMS = [
  'AbdominalCramps',
  'Acne',
  'AppetiteChanges',
  'BladderIncontinence',
  'Bloating',
  'BreastPain',
  'ChestTightnessOrPain',
  'Chills',
  'Constipation',
  'Coughing',
  'Diarrhea',
  'Dizziness',
  'DrySkin',
  'Fainting',
  'Fatigue',
  'Fever',
  'GeneralizedBodyAche',
  'HairLoss',
  'Headache',
  'Heartburn',
  'HotFlashes',
  'LossOfSmell',
  'LossOfTaste',
  'LowerBackPain',
  'MemoryLapse',
  'MoodChanges',
  'Nausea',
  'NightSweats',
  'PelvicPain',
  'RapidPoundingOrFlutteringHeartbeat',
  'RunnyNose',
  'ShortnessOfBreath',
  'SinusCongestion',
  'SkippedHeartbeat',
  'SleepChanges',
  'SoreThroat',
  'VaginalDryness',
  'Vomiting',
  'Wheezing',
] as const;
const symptomTypes: ReadonlySet<string> = new Set(SYMPTOMS.map((s) => `${C}${s}`));

export const HEALTHKIT_CORRELATIONS = {
  HKCorrelationTypeIdentifierBloodPressure: [
    { identifier: `${Q}BloodPressureSystolic`, seriesType: 'blood_pressure_systolic' },
    { identifier: `${Q}BloodPressureDiastolic`, seriesType: 'blood_pressure_diastolic' },
  ],
} as const satisfies Record<string, readonly { identifier: string; seriesType: SeriesTypeName }[]>;

/** Characteristic types and their value identifiers (`HK<Family><Value>`), with value slugs. */
const CHARACTERISTICS = [
  {
    type: 'HKCharacteristicTypeIdentifierBiologicalSex',
    characteristic: 'biological_sex',
    valuePrefix: 'HKBiologicalSex',
    values: { NotSet: 'not_set', Female: 'female', Male: 'male', Other: 'other' },
  },
  {
    type: 'HKCharacteristicTypeIdentifierBloodType',
    characteristic: 'blood_type',
    valuePrefix: 'HKBloodType',
    values: {
      NotSet: 'not_set',
      APositive: 'a_positive',
      ANegative: 'a_negative',
      BPositive: 'b_positive',
      BNegative: 'b_negative',
      ABPositive: 'ab_positive',
      ABNegative: 'ab_negative',
      OPositive: 'o_positive',
      ONegative: 'o_negative',
    },
  },
  {
    type: 'HKCharacteristicTypeIdentifierFitzpatrickSkinType',
    characteristic: 'fitzpatrick_skin_type',
    valuePrefix: 'HKFitzpatrickSkinType',
    values: {
      NotSet: 'not_set',
      I: 'type_i',
      II: 'type_ii',
      III: 'type_iii',
      IV: 'type_iv',
      V: 'type_v',
      VI: 'type_vi',
    },
  },
  {
    type: 'HKCharacteristicTypeIdentifierWheelchairUse',
    characteristic: 'wheelchair_use',
    valuePrefix: 'HKWheelchairUse',
    values: { NotSet: 'not_set', No: 'no', Yes: 'yes' },
  },
  {
    type: 'HKCharacteristicTypeIdentifierActivityMoveMode',
    characteristic: 'activity_move_mode',
    valuePrefix: 'HKActivityMoveMode',
    values: { ActiveEnergy: 'active_energy', AppleMoveTime: 'apple_move_time' },
  },
  {
    type: 'HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse',
    characteristic: 'cardio_fitness_medications_use',
    valuePrefix: 'HKCardioFitnessMedicationsUse',
    values: {
      None: 'none',
      CalciumChannelBlockers: 'calcium_channel_blockers',
      BetaBlockers: 'beta_blockers',
    },
  },
  {
    type: 'HKCharacteristicTypeIdentifierDateOfBirth',
    characteristic: 'date_of_birth',
    valuePrefix: null,
    values: {},
  },
] as const satisfies readonly {
  type: string;
  characteristic: CharacteristicName;
  valuePrefix: string | null;
  values: Record<string, string>;
}[];

/** HKCategoryValue families: prefix, owning category type, value names with raw values. */
const CATEGORY_VALUES = [
  {
    prefix: 'HKCategoryValueAppleStandHour',
    categoryType: `${C}AppleStandHour`,
    values: { Stood: 0, Idle: 1 },
  },
  { prefix: 'HKCategoryValueNotApplicable', categoryType: null, values: { '': 0 } },
  {
    prefix: 'HKCategoryValueSeverity',
    categoryType: null,
    values: { Unspecified: 0, NotPresent: 1, Mild: 2, Moderate: 3, Severe: 4 },
  },
  { prefix: 'HKCategoryValuePresence', categoryType: null, values: { Present: 0, NotPresent: 1 } },
  {
    prefix: 'HKCategoryValueAppetiteChanges',
    categoryType: `${C}AppetiteChanges`,
    values: { Unspecified: 0, NoChange: 1, Decreased: 2, Increased: 3 },
  },
  {
    prefix: 'HKCategoryValueMenstrualFlow',
    categoryType: `${C}MenstrualFlow`,
    values: { Unspecified: 1, Light: 2, Medium: 3, Heavy: 4, None: 5 },
  },
  {
    prefix: 'HKCategoryValueVaginalBleeding',
    categoryType: null,
    values: { Unspecified: 1, Light: 2, Medium: 3, Heavy: 4, None: 5 },
  },
  {
    prefix: 'HKCategoryValueCervicalMucusQuality',
    categoryType: `${C}CervicalMucusQuality`,
    values: { Dry: 1, Sticky: 2, Creamy: 3, Watery: 4, EggWhite: 5 },
  },
  {
    prefix: 'HKCategoryValueOvulationTestResult',
    categoryType: `${C}OvulationTestResult`,
    values: { Negative: 1, LuteinizingHormoneSurge: 2, Positive: 2, Indeterminate: 3, EstrogenSurge: 4 },
  },
  {
    prefix: 'HKCategoryValuePregnancyTestResult',
    categoryType: `${C}PregnancyTestResult`,
    values: { Negative: 1, Positive: 2, Indeterminate: 3 },
  },
  {
    prefix: 'HKCategoryValueProgesteroneTestResult',
    categoryType: `${C}ProgesteroneTestResult`,
    values: { Negative: 1, Positive: 2, Indeterminate: 3 },
  },
  {
    prefix: 'HKCategoryValueContraceptive',
    categoryType: `${C}Contraceptive`,
    values: {
      Unspecified: 1,
      Implant: 2,
      Injection: 3,
      IntrauterineDevice: 4,
      IntravaginalRing: 5,
      Oral: 6,
      Patch: 7,
    },
  },
  {
    prefix: 'HKCategoryValueEnvironmentalAudioExposureEvent',
    categoryType: `${C}EnvironmentalAudioExposureEvent`,
    values: { MomentaryLimit: 1 },
  },
  {
    prefix: 'HKCategoryValueHeadphoneAudioExposureEvent',
    categoryType: `${C}HeadphoneAudioExposureEvent`,
    values: { SevenDayLimit: 1 },
  },
  {
    prefix: 'HKCategoryValueLowCardioFitnessEvent',
    categoryType: `${C}LowCardioFitnessEvent`,
    values: { LowFitness: 1 },
  },
  {
    prefix: 'HKCategoryValueAppleWalkingSteadinessEvent',
    categoryType: `${C}AppleWalkingSteadinessEvent`,
    values: { InitialLow: 1, InitialVeryLow: 2, RepeatLow: 3, RepeatVeryLow: 4 },
  },
] as const satisfies readonly {
  prefix: string;
  categoryType: string | null;
  values: Record<string, number>;
}[];

export const HEALTHKIT_WORKOUT_EVENTS = {
  HKWorkoutEventTypePause: { event: 'pause', value: 1 },
  HKWorkoutEventTypeResume: { event: 'resume', value: 2 },
  HKWorkoutEventTypeLap: { event: 'lap', value: 3 },
  HKWorkoutEventTypeMarker: { event: 'marker', value: 4 },
  HKWorkoutEventTypeMotionPaused: { event: 'motion_paused', value: 5 },
  HKWorkoutEventTypeMotionResumed: { event: 'motion_resumed', value: 6 },
  HKWorkoutEventTypeSegment: { event: 'segment', value: 7 },
  HKWorkoutEventTypePauseOrResumeRequest: { event: 'pause_or_resume_request', value: 8 },
} as const satisfies Record<string, { event: WorkoutEventName; value: number }>;

/**
 * Metadata keys as export.xml spells them. In code the constants are `HKMetadataKey…`, but most are
 * written out under shorter strings (`HKTimeZone`, `HKIndoorWorkout`); the `HKMetadataKey` ones are
 * matched by prefix.
 */
export const HEALTHKIT_METADATA_KEYS = [
  'HKTimeZone',
  'HKIndoorWorkout',
  'HKAverageMETs',
  'HKAverageSpeed',
  'HKMaximumSpeed',
  'HKWeatherTemperature',
  'HKWeatherHumidity',
  'HKWeatherCondition',
  'HKElevationAscended',
  'HKElevationDescended',
  'HKAlpineSlopeGrade',
  'HKSWOLFScore',
  'HKSwimmingStrokeStyle',
  'HKSwimmingLocationType',
  'HKLapLength',
  'HKWasUserEntered',
  'HKWasTakenInLab',
  'HKVO2MaxTestType',
  'HKVO2MaxValue',
  'HKBloodGlucoseMealTime',
  'HKInsulinDeliveryReason',
  'HKSleepingWristTemperatureSourceType',
  'HKSexualActivityProtectionUsed',
  'HKMenstrualCycleStart',
  'HKHeartRateEventThreshold',
  'HKHeartRateSensorLocation',
  'HKBodyTemperatureSensorLocation',
  'HKDeviceSerialNumber',
  'HKDeviceName',
  'HKDeviceManufacturerName',
  'HKDigitalSignature',
  'HKExternalUUID',
  'HKFoodType',
  'HKUDIDeviceIdentifier',
  'HKUDIProductionIdentifier',
  'HKReferenceRangeLowerLimit',
  'HKReferenceRangeUpperLimit',
  'HKCoachedWorkout',
  'HKGroupFitness',
  'HKWorkoutBrandName',
  'HKFitnessMachineDuration',
  'HKCrossTrainerDistance',
  'HKIndoorBikeDistance',
  'HKSessionEstimate',
  'HKHeartRateRecoveryTestType',
  'HKHeartRateRecoveryActivityType',
  'HKHeartRateRecoveryActivityDuration',
  'HKHeartRateRecoveryMaxObservedRecoveryHeartRate',
  'HKAppleDeviceCalibrated',
  'HKAudioExposureLevel',
  'HKAudioExposureDuration',
  'HKBarometricPressure',
  'HKDevicePlacementSide',
  'HKUserMotionContext',
  'HKActivityType',
  'HKPhysicalEffortEstimationType',
  'HKAppleFitnessPlusSession',
  'HKMaximumLightIntensity',
  'HKWaterSalinity',
  'HKCyclingFunctionalThresholdPowerTestType',
  'HKQuantityClampedToLowerBound',
  'HKQuantityClampedToUpperBound',
  'HKAppleECGAlgorithmVersion',
  'HKGlassesPrescriptionDescription',
  'HKPrescriptionType',
] as const;
const metadataKeys: ReadonlySet<string> = new Set(HEALTHKIT_METADATA_KEYS);

const quantityTypes: Readonly<Record<string, { seriesType: SeriesTypeName; defaultUnit: string }>> =
  HEALTHKIT_QUANTITY_TYPES;
const correlations: Readonly<Record<string, readonly { identifier: string; seriesType: SeriesTypeName }[]>> =
  HEALTHKIT_CORRELATIONS;
const workoutEvents: Readonly<Record<string, { event: WorkoutEventName; value: number }>> =
  HEALTHKIT_WORKOUT_EVENTS;

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

const keptRaw = (reason: KeptRawReason, detail: string): HealthKitClassification => ({
  kind: 'kept_raw',
  reason,
  detail,
});

function classifyCharacteristic(id: string): HealthKitClassification | undefined {
  for (const c of CHARACTERISTICS) {
    if (id === c.type) return { kind: 'characteristic', characteristic: c.characteristic, value: null };
    if (c.valuePrefix !== null && id.startsWith(c.valuePrefix)) {
      const slug = own<string>(c.values, id.slice(c.valuePrefix.length));
      if (slug !== undefined)
        return { kind: 'characteristic', characteristic: c.characteristic, value: slug };
    }
  }
  return undefined;
}

/** Longest prefix first, so a short family name cannot shadow a longer one that extends it. */
const categoryFamiliesLongestFirst = [...CATEGORY_VALUES].sort((a, b) => b.prefix.length - a.prefix.length);

function classifyCategoryValue(id: string): HealthKitClassification | undefined {
  const sleepPrefix = 'HKCategoryValueSleepAnalysis';
  if (id.startsWith(sleepPrefix)) {
    const entry = own<{ value: number; stage: SleepStage }>(
      HEALTHKIT_SLEEP_VALUES,
      id.slice(sleepPrefix.length),
    );
    return entry === undefined ? undefined : { kind: 'sleep_value', stage: entry.stage, value: entry.value };
  }
  for (const family of categoryFamiliesLongestFirst) {
    if (!id.startsWith(family.prefix)) continue;
    const name = id.slice(family.prefix.length);
    const value = own<number>(family.values, name);
    if (value === undefined) return undefined;
    return {
      kind: 'category_value',
      categoryType: family.categoryType,
      name: name === '' ? 'NotApplicable' : name,
      value,
    };
  }
  return undefined;
}

function classifyWorkoutActivityType(id: string): HealthKitClassification | undefined {
  if (!id.startsWith('HKWorkoutActivityType')) return undefined;
  const mapped = toCanonicalWorkoutType('healthkit', id);
  return mapped.exact ? { kind: 'workout_activity_type', workoutType: mapped.type } : undefined;
}

/** What WearLink does with a HealthKit identifier. Total: unknown identifiers are `kept_raw`/`unmapped`. */
export function classifyHealthKitIdentifier(identifier: string): HealthKitClassification {
  const id = identifier.trim();

  const quantity = own(quantityTypes, id);
  if (quantity !== undefined) return { kind: 'series', ...quantity };
  const kept = own(HEALTHKIT_KEPT_RAW, id);
  if (kept !== undefined) return keptRaw(kept[0], kept[1]);
  if (id.startsWith(`${Q}Dietary`)) return keptRaw('nutrition', 'dietary intake');
  if (symptomTypes.has(id)) return keptRaw('symptom', 'symptom log');

  if (id === `${C}SleepAnalysis`) return { kind: 'sleep' };
  if (id === `${C}MindfulSession`) return { kind: 'duration_series', seriesType: 'mindful_minutes' };

  const children = own(correlations, id);
  if (children !== undefined) return { kind: 'correlation', children };

  if (id === 'HKWorkoutTypeIdentifier') return { kind: 'workout' };
  if (id === 'HKWorkoutRouteTypeIdentifier' || id === 'HKSeriesTypeIdentifierWorkoutRoute') {
    return { kind: 'workout_route' };
  }
  const event = own(workoutEvents, id);
  if (event !== undefined) return { kind: 'workout_event', event: event.event };

  const found = classifyCharacteristic(id) ?? classifyCategoryValue(id) ?? classifyWorkoutActivityType(id);
  if (found !== undefined) return found;

  if (id.startsWith('HKMetadataKey') || metadataKeys.has(id)) return { kind: 'metadata_key', key: id };
  if (id.startsWith('HKClinicalTypeIdentifier') || id.startsWith('HKScoredAssessmentTypeIdentifier')) {
    return keptRaw('clinical', 'clinical record');
  }
  return keptRaw('unmapped', `no catalog entry for '${id}'`);
}

/** Quantity identifiers that feed the given series type (several may, e.g. the four `speed` sources). */
export function healthKitIdentifiersFor(seriesType: SeriesTypeName): readonly string[] {
  return Object.entries(quantityTypes)
    .filter(([, q]) => q.seriesType === seriesType)
    .map(([id]) => id);
}

/** Below this magnitude (°C) a "wrist temperature" cannot be an absolute skin temperature. */
export const WRIST_TEMPERATURE_DEVIATION_LIMIT_C = 10;

/**
 * HKQuantityTypeIdentifierAppleSleepingWristTemperature carries absolute temperatures; a value whose
 * magnitude is under 10 °C can only be a deviation from baseline, so it goes to the deviation series.
 */
export function wristTemperatureSeries(celsius: number): 'skin_temperature' | 'skin_temperature_deviation' {
  return Math.abs(celsius) < WRIST_TEMPERATURE_DEVIATION_LIMIT_C
    ? 'skin_temperature_deviation'
    : 'skin_temperature';
}
