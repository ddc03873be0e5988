/** The canonical catalog: series types, units, workout types, sleep stages, scores and source mappings. */
export type { FieldMapping, HealthConnectClassification } from './health-connect.ts';
export {
  classifyHealthConnectType,
  HEALTH_CONNECT_RECORD_TYPES,
  healthConnectKey,
  SAMSUNG_DATA_TYPES,
} from './health-connect.ts';
export type { HealthScoreCategory, ScoreRange } from './health-scores.ts';
export {
  HEALTH_SCORE_CATEGORIES,
  HEALTH_SCORE_CATEGORY_NAMES,
  isHealthScoreCategory,
  OURA_RESILIENCE_LEVELS,
  ouraResilienceScore,
  providersScoring,
  SCORE_RANGES,
  scoreRange,
} from './health-scores.ts';
export type {
  CharacteristicName,
  HealthKitClassification,
  HealthKitClassificationKind,
  KeptRawReason,
  WorkoutEventName,
} from './healthkit.ts';
export {
  classifyHealthKitIdentifier,
  HEALTHKIT_CORRELATIONS,
  HEALTHKIT_KEPT_RAW,
  HEALTHKIT_METADATA_KEYS,
  HEALTHKIT_QUANTITY_TYPES,
  HEALTHKIT_WORKOUT_EVENTS,
  healthKitIdentifiersFor,
  WRIST_TEMPERATURE_DEVIATION_LIMIT_C,
  wristTemperatureSeries,
} from './healthkit.ts';
export type { ProviderKind, ProviderSlug } from './providers.ts';
export { isProviderSlug, PROVIDER_SLUGS, PROVIDERS } from './providers.ts';
export type {
  Aggregation,
  CanonicalUnit,
  SeriesFamily,
  SeriesTypeInfo,
  SeriesTypeName,
} from './series-types.ts';
export {
  CANONICAL_UNITS,
  findSeriesTypeById,
  findSeriesTypeByName,
  isSeriesTypeName,
  SERIES_FAMILIES,
  SERIES_TYPE_NAMES,
  SERIES_TYPES,
  SERIES_VALUE_RANGES,
  SeriesTypeNameSchema,
  seriesType,
  seriesTypesInFamily,
  seriesValueProblem,
} from './series-types.ts';
export type { SleepStage, SleepStageMapping, SleepStageSource } from './sleep-stages.ts';
export {
  FITBIT_SLEEP_LEVELS,
  HEALTH_CONNECT_SLEEP_STAGES,
  HEALTHKIT_SLEEP_VALUES,
  isAsleepStage,
  isSleepStage,
  OURA_SLEEP_PHASES,
  POLAR_HYPNOGRAM,
  SAMSUNG_SLEEP_STAGES,
  SDK_SLEEP_STAGES,
  SLEEP_STAGES,
  toCanonicalSleepStage,
} from './sleep-stages.ts';
export type { ConversionResult } from './units.ts';
export {
  acceptedUnits,
  GLUCOSE_MG_DL_PER_MMOL_L,
  GLUCOSE_MOLAR_MASS,
  KG_PER_POUND,
  KJ_PER_KCAL,
  METERS_PER_MILE,
  normalizeUnitString,
  toCanonical,
} from './units.ts';
export type {
  WearMetricsKey,
  WearMetricsKeyClassification,
  WearMetricsValueResult,
} from './wearmetrics.ts';
export {
  classifyWearMetricsKey,
  isValidRrIntervalMs,
  isWearMetricsKey,
  partitionRrIntervals,
  providerForWearMetricsSource,
  RR_INTERVAL_MAX_MS,
  RR_INTERVAL_MIN_MS,
  WEARMETRICS_METRICS,
  WEARMETRICS_SOURCES,
  wearMetricToCanonical,
} from './wearmetrics.ts';
export type {
  WorkoutGroup,
  WorkoutSource,
  WorkoutType,
  WorkoutTypeInfo,
  WorkoutTypeMapping,
} from './workout-types.ts';
export {
  distanceSeriesForWorkout,
  GARMIN_WORKOUT_TYPES,
  HEALTH_CONNECT_WORKOUT_TYPES,
  HEALTHKIT_WORKOUT_TYPES,
  isWorkoutType,
  OURA_WORKOUT_TYPES,
  POLAR_WORKOUT_TYPES,
  SAMSUNG_WORKOUT_TYPES,
  STRAVA_WORKOUT_TYPES,
  toCanonicalWorkoutType,
  WHOOP_WORKOUT_TYPES,
  WORKOUT_GROUPS,
  WORKOUT_TYPE_NAMES,
  WORKOUT_TYPES,
  workoutGroup,
  workoutKey,
} from './workout-types.ts';
