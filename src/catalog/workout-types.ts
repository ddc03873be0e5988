/**
 * Canonical workout types and the per-source tables that map vendor activity names/codes onto them.
 *
 * Lookup is by a normalised key (lower-case, letters and digits only), so `HKWorkoutActivityTypeRunning`,
 * `running`, `RUNNING` and `traditional_strength_training` / `traditionalStrengthTraining` all match.
 * `exact` is true when the value is in that source's own table (or, for the SDK, is a canonical or
 * HealthKit / Health Connect name); a guess from another source's table or a keyword is `exact: false`,
 * and anything else is `other` with `exact: false`, so importers can count what they did not recognise.
 *
 * Tables come from vendor documentation and SDK sources (HealthKit HKWorkoutActivityType with raw values,
 * androidx Health Connect ExerciseSessionRecord, Strava SportType/ActivityType, WHOOP v1 sport ids,
 * Garmin Health API activityType keys, Polar AccessLink sport names, Samsung Health SDK exercise codes).
 * Garmin, Polar, Oura and Samsung lists are not exhaustive: vendors add types without notice.
 */
import { assertNever } from '../shared/errors.ts';
import type { SeriesTypeName } from './series-types.ts';

export const WORKOUT_GROUPS = [
  'running',
  'walking',
  'cycling',
  'swimming',
  'gym',
  'mind_body',
  'dance',
  'combat',
  'team_sport',
  'racket_sport',
  'precision_sport',
  'snow',
  'water',
  'climbing',
  'outdoor',
  'multisport',
  'other',
] as const;
export type WorkoutGroup = (typeof WORKOUT_GROUPS)[number];

export const WORKOUT_TYPES = [
  { name: 'running', group: 'running' },
  { name: 'trail_running', group: 'running' },
  { name: 'treadmill', group: 'running' },
  { name: 'track_running', group: 'running' },
  { name: 'virtual_running', group: 'running' },
  { name: 'walking', group: 'walking' },
  { name: 'nordic_walking', group: 'walking' },
  { name: 'hiking', group: 'walking' },
  { name: 'cycling', group: 'cycling' },
  { name: 'mountain_biking', group: 'cycling' },
  { name: 'gravel_cycling', group: 'cycling' },
  { name: 'indoor_cycling', group: 'cycling' },
  { name: 'virtual_cycling', group: 'cycling' },
  { name: 'e_biking', group: 'cycling' },
  { name: 'hand_cycling', group: 'cycling' },
  { name: 'swimming', group: 'swimming' },
  { name: 'pool_swimming', group: 'swimming' },
  { name: 'open_water_swimming', group: 'swimming' },
  { name: 'strength_training', group: 'gym' },
  { name: 'functional_strength_training', group: 'gym' },
  { name: 'weightlifting', group: 'gym' },
  { name: 'powerlifting', group: 'gym' },
  { name: 'calisthenics', group: 'gym' },
  { name: 'core_training', group: 'gym' },
  { name: 'crossfit', group: 'gym' },
  { name: 'cross_training', group: 'gym' },
  { name: 'cardio_training', group: 'gym' },
  { name: 'hiit', group: 'gym' },
  { name: 'circuit_training', group: 'gym' },
  { name: 'boot_camp', group: 'gym' },
  { name: 'exercise_class', group: 'gym' },
  { name: 'elliptical', group: 'gym' },
  { name: 'rowing_machine', group: 'gym' },
  { name: 'stair_climbing', group: 'gym' },
  { name: 'stair_climbing_machine', group: 'gym' },
  { name: 'step_training', group: 'gym' },
  { name: 'jump_rope', group: 'gym' },
  { name: 'fitness_gaming', group: 'gym' },
  { name: 'cooldown', group: 'gym' },
  { name: 'stretching', group: 'mind_body' },
  { name: 'flexibility', group: 'mind_body' },
  { name: 'yoga', group: 'mind_body' },
  { name: 'pilates', group: 'mind_body' },
  { name: 'barre', group: 'mind_body' },
  { name: 'tai_chi', group: 'mind_body' },
  { name: 'meditation', group: 'mind_body' },
  { name: 'breathwork', group: 'mind_body' },
  { name: 'mind_and_body', group: 'mind_body' },
  { name: 'dance', group: 'dance' },
  { name: 'cardio_dance', group: 'dance' },
  { name: 'social_dance', group: 'dance' },
  { name: 'boxing', group: 'combat' },
  { name: 'kickboxing', group: 'combat' },
  { name: 'martial_arts', group: 'combat' },
  { name: 'wrestling', group: 'combat' },
  { name: 'fencing', group: 'combat' },
  { name: 'golf', group: 'precision_sport' },
  { name: 'archery', group: 'precision_sport' },
  { name: 'bowling', group: 'precision_sport' },
  { name: 'curling', group: 'precision_sport' },
  { name: 'soccer', group: 'team_sport' },
  { name: 'american_football', group: 'team_sport' },
  { name: 'australian_football', group: 'team_sport' },
  { name: 'basketball', group: 'team_sport' },
  { name: 'baseball', group: 'team_sport' },
  { name: 'softball', group: 'team_sport' },
  { name: 'volleyball', group: 'team_sport' },
  { name: 'handball', group: 'team_sport' },
  { name: 'hockey', group: 'team_sport' },
  { name: 'field_hockey', group: 'team_sport' },
  { name: 'ice_hockey', group: 'team_sport' },
  { name: 'rugby', group: 'team_sport' },
  { name: 'lacrosse', group: 'team_sport' },
  { name: 'cricket', group: 'team_sport' },
  { name: 'water_polo', group: 'team_sport' },
  { name: 'disc_sports', group: 'team_sport' },
  { name: 'tennis', group: 'racket_sport' },
  { name: 'table_tennis', group: 'racket_sport' },
  { name: 'badminton', group: 'racket_sport' },
  { name: 'squash', group: 'racket_sport' },
  { name: 'racquetball', group: 'racket_sport' },
  { name: 'pickleball', group: 'racket_sport' },
  { name: 'padel', group: 'racket_sport' },
  { name: 'skiing', group: 'snow' },
  { name: 'downhill_skiing', group: 'snow' },
  { name: 'cross_country_skiing', group: 'snow' },
  { name: 'backcountry_skiing', group: 'snow' },
  { name: 'snowboarding', group: 'snow' },
  { name: 'snowshoeing', group: 'snow' },
  { name: 'snow_sports', group: 'snow' },
  { name: 'ice_skating', group: 'snow' },
  { name: 'skating', group: 'outdoor' },
  { name: 'inline_skating', group: 'outdoor' },
  { name: 'skateboarding', group: 'outdoor' },
  { name: 'rowing', group: 'water' },
  { name: 'kayaking', group: 'water' },
  { name: 'canoeing', group: 'water' },
  { name: 'paddling', group: 'water' },
  { name: 'stand_up_paddleboarding', group: 'water' },
  { name: 'surfing', group: 'water' },
  { name: 'kitesurfing', group: 'water' },
  { name: 'windsurfing', group: 'water' },
  { name: 'sailing', group: 'water' },
  { name: 'water_skiing', group: 'water' },
  { name: 'wakeboarding', group: 'water' },
  { name: 'diving', group: 'water' },
  { name: 'snorkeling', group: 'water' },
  { name: 'water_fitness', group: 'water' },
  { name: 'water_sports', group: 'water' },
  { name: 'climbing', group: 'climbing' },
  { name: 'rock_climbing', group: 'climbing' },
  { name: 'bouldering', group: 'climbing' },
  { name: 'indoor_climbing', group: 'climbing' },
  { name: 'mountaineering', group: 'climbing' },
  { name: 'equestrian', group: 'outdoor' },
  { name: 'fishing', group: 'outdoor' },
  { name: 'hunting', group: 'outdoor' },
  { name: 'paragliding', group: 'outdoor' },
  { name: 'motorsports', group: 'outdoor' },
  { name: 'obstacle_course_racing', group: 'outdoor' },
  { name: 'triathlon', group: 'multisport' },
  { name: 'duathlon', group: 'multisport' },
  { name: 'multisport', group: 'multisport' },
  { name: 'transition', group: 'multisport' },
  { name: 'gymnastics', group: 'other' },
  { name: 'track_and_field', group: 'other' },
  { name: 'play', group: 'other' },
  { name: 'preparation_and_recovery', group: 'other' },
  { name: 'wheelchair', group: 'other' },
  { name: 'other', group: 'other' },
] as const satisfies readonly { name: string; group: WorkoutGroup }[];

export type WorkoutTypeInfo = (typeof WORKOUT_TYPES)[number];
export type WorkoutType = WorkoutTypeInfo['name'];

export const WORKOUT_TYPE_NAMES: readonly WorkoutType[] = WORKOUT_TYPES.map((w) => w.name);
const workoutByName: ReadonlyMap<string, WorkoutTypeInfo> = new Map(WORKOUT_TYPES.map((w) => [w.name, w]));

export function isWorkoutType(value: unknown): value is WorkoutType {
  return typeof value === 'string' && workoutByName.has(value);
}

export function workoutGroup(type: WorkoutType): WorkoutGroup {
  return workoutByName.get(type)?.group ?? 'other';
}

type NameTable = readonly (readonly [string, WorkoutType])[];
type CodeTable = readonly (readonly [number, string, WorkoutType])[];

/** HKWorkoutActivityType: case name (without prefix), raw value, canonical type. Apple's full list. */
export const HEALTHKIT_WORKOUT_TYPES = [
  [1, 'americanFootball', 'american_football'],
  [2, 'archery', 'archery'],
  [3, 'australianFootball', 'australian_football'],
  [4, 'badminton', 'badminton'],
  [5, 'baseball', 'baseball'],
  [6, 'basketball', 'basketball'],
  [7, 'bowling', 'bowling'],
  [8, 'boxing', 'boxing'],
  [9, 'climbing', 'climbing'],
  [10, 'cricket', 'cricket'],
  [11, 'crossTraining', 'cross_training'],
  [12, 'curling', 'curling'],
  [13, 'cycling', 'cycling'],
  [14, 'dance', 'dance'],
  [15, 'danceInspiredTraining', 'dance'],
  [16, 'elliptical', 'elliptical'],
  [17, 'equestrianSports', 'equestrian'],
  [18, 'fencing', 'fencing'],
  [19, 'fishing', 'fishing'],
  [20, 'functionalStrengthTraining', 'functional_strength_training'],
  [21, 'golf', 'golf'],
  [22, 'gymnastics', 'gymnastics'],
  [23, 'handball', 'handball'],
  [24, 'hiking', 'hiking'],
  [25, 'hockey', 'hockey'],
  [26, 'hunting', 'hunting'],
  [27, 'lacrosse', 'lacrosse'],
  [28, 'martialArts', 'martial_arts'],
  [29, 'mindAndBody', 'mind_and_body'],
  [30, 'mixedMetabolicCardioTraining', 'cardio_training'],
  [31, 'paddleSports', 'paddling'],
  [32, 'play', 'play'],
  [33, 'preparationAndRecovery', 'preparation_and_recovery'],
  [34, 'racquetball', 'racquetball'],
  [35, 'rowing', 'rowing'],
  [36, 'rugby', 'rugby'],
  [37, 'running', 'running'],
  [38, 'sailing', 'sailing'],
  [39, 'skatingSports', 'skating'],
  [40, 'snowSports', 'snow_sports'],
  [41, 'soccer', 'soccer'],
  [42, 'softball', 'softball'],
  [43, 'squash', 'squash'],
  [44, 'stairClimbing', 'stair_climbing'],
  [45, 'surfingSports', 'surfing'],
  [46, 'swimming', 'swimming'],
  [47, 'tableTennis', 'table_tennis'],
  [48, 'tennis', 'tennis'],
  [49, 'trackAndField', 'track_and_field'],
  [50, 'traditionalStrengthTraining', 'strength_training'],
  [51, 'volleyball', 'volleyball'],
  [52, 'walking', 'walking'],
  [53, 'waterFitness', 'water_fitness'],
  [54, 'waterPolo', 'water_polo'],
  [55, 'waterSports', 'water_sports'],
  [56, 'wrestling', 'wrestling'],
  [57, 'yoga', 'yoga'],
  [58, 'barre', 'barre'],
  [59, 'coreTraining', 'core_training'],
  [60, 'crossCountrySkiing', 'cross_country_skiing'],
  [61, 'downhillSkiing', 'downhill_skiing'],
  [62, 'flexibility', 'flexibility'],
  [63, 'highIntensityIntervalTraining', 'hiit'],
  [64, 'jumpRope', 'jump_rope'],
  [65, 'kickboxing', 'kickboxing'],
  [66, 'pilates', 'pilates'],
  [67, 'snowboarding', 'snowboarding'],
  [68, 'stairs', 'stair_climbing'],
  [69, 'stepTraining', 'step_training'],
  [70, 'wheelchairWalkPace', 'wheelchair'],
  [71, 'wheelchairRunPace', 'wheelchair'],
  [72, 'taiChi', 'tai_chi'],
  [73, 'mixedCardio', 'cardio_training'],
  [74, 'handCycling', 'hand_cycling'],
  [75, 'discSports', 'disc_sports'],
  [76, 'fitnessGaming', 'fitness_gaming'],
  [77, 'cardioDance', 'cardio_dance'],
  [78, 'socialDance', 'social_dance'],
  [79, 'pickleball', 'pickleball'],
  [80, 'cooldown', 'cooldown'],
  [82, 'swimBikeRun', 'triathlon'],
  [83, 'transition', 'transition'],
  [84, 'underwaterDiving', 'diving'],
  [3000, 'other', 'other'],
] as const satisfies CodeTable;

/**
 * Health Connect ExerciseSessionRecord.EXERCISE_TYPE_* as defined by androidx.health.connect.client, which
 * is what Jetpack-based SDKs send. The Android framework's EXERCISE_SESSION_TYPE_* ints are numbered
 * differently, so for that spelling only the name is trusted (see `toCanonicalWorkoutType`).
 */
export const HEALTH_CONNECT_WORKOUT_TYPES = [
  [0, 'OTHER_WORKOUT', 'other'],
  [2, 'BADMINTON', 'badminton'],
  [4, 'BASEBALL', 'baseball'],
  [5, 'BASKETBALL', 'basketball'],
  [8, 'BIKING', 'cycling'],
  [9, 'BIKING_STATIONARY', 'indoor_cycling'],
  [10, 'BOOT_CAMP', 'boot_camp'],
  [11, 'BOXING', 'boxing'],
  [13, 'CALISTHENICS', 'calisthenics'],
  [14, 'CRICKET', 'cricket'],
  [16, 'DANCING', 'dance'],
  [25, 'ELLIPTICAL', 'elliptical'],
  [26, 'EXERCISE_CLASS', 'exercise_class'],
  [27, 'FENCING', 'fencing'],
  [28, 'FOOTBALL_AMERICAN', 'american_football'],
  [29, 'FOOTBALL_AUSTRALIAN', 'australian_football'],
  [31, 'FRISBEE_DISC', 'disc_sports'],
  [32, 'GOLF', 'golf'],
  [33, 'GUIDED_BREATHING', 'breathwork'],
  [34, 'GYMNASTICS', 'gymnastics'],
  [35, 'HANDBALL', 'handball'],
  [36, 'HIGH_INTENSITY_INTERVAL_TRAINING', 'hiit'],
  [37, 'HIKING', 'hiking'],
  [38, 'ICE_HOCKEY', 'ice_hockey'],
  [39, 'ICE_SKATING', 'ice_skating'],
  [44, 'MARTIAL_ARTS', 'martial_arts'],
  [46, 'PADDLING', 'paddling'],
  [47, 'PARAGLIDING', 'paragliding'],
  [48, 'PILATES', 'pilates'],
  [50, 'RACQUETBALL', 'racquetball'],
  [51, 'ROCK_CLIMBING', 'rock_climbing'],
  [52, 'ROLLER_HOCKEY', 'hockey'],
  [53, 'ROWING', 'rowing'],
  [54, 'ROWING_MACHINE', 'rowing_machine'],
  [55, 'RUGBY', 'rugby'],
  [56, 'RUNNING', 'running'],
  [57, 'RUNNING_TREADMILL', 'treadmill'],
  [58, 'SAILING', 'sailing'],
  [59, 'SCUBA_DIVING', 'diving'],
  [60, 'SKATING', 'skating'],
  [61, 'SKIING', 'skiing'],
  [62, 'SNOWBOARDING', 'snowboarding'],
  [63, 'SNOWSHOEING', 'snowshoeing'],
  [64, 'SOCCER', 'soccer'],
  [65, 'SOFTBALL', 'softball'],
  [66, 'SQUASH', 'squash'],
  [68, 'STAIR_CLIMBING', 'stair_climbing'],
  [69, 'STAIR_CLIMBING_MACHINE', 'stair_climbing_machine'],
  [70, 'STRENGTH_TRAINING', 'strength_training'],
  [71, 'STRETCHING', 'stretching'],
  [72, 'SURFING', 'surfing'],
  [73, 'SWIMMING_OPEN_WATER', 'open_water_swimming'],
  [74, 'SWIMMING_POOL', 'pool_swimming'],
  [75, 'TABLE_TENNIS', 'table_tennis'],
  [76, 'TENNIS', 'tennis'],
  [78, 'VOLLEYBALL', 'volleyball'],
  [79, 'WALKING', 'walking'],
  [80, 'WATER_POLO', 'water_polo'],
  [81, 'WEIGHTLIFTING', 'weightlifting'],
  [82, 'WHEELCHAIR', 'wheelchair'],
  [83, 'YOGA', 'yoga'],
] as const satisfies CodeTable;

/** Older Health Platform strings that Health Connect still accepts for the same types. */
const HEALTH_CONNECT_ALIASES = [
  ['para_gliding', 'paragliding'],
  ['workout', 'other'],
  ['biking', 'cycling'],
  ['running_treadmill', 'treadmill'],
  ['swimming_pool', 'pool_swimming'],
  ['swimming_open_water', 'open_water_swimming'],
] as const satisfies NameTable;

/**
 * Samsung Health SDK (`com.samsung.health.exercise`) predefined exercise codes. The common codes only;
 * 0 is a custom type whose name travels in `exercise_custom_type`.
 */
export const SAMSUNG_WORKOUT_TYPES = [
  [0, 'CUSTOM', 'other'],
  [1001, 'WALKING', 'walking'],
  [1002, 'RUNNING', 'running'],
  [2001, 'BASEBALL', 'baseball'],
  [2002, 'SOFTBALL', 'softball'],
  [2003, 'CRICKET', 'cricket'],
  [3001, 'GOLF', 'golf'],
  [3003, 'BOWLING', 'bowling'],
  [4001, 'HOCKEY', 'hockey'],
  [4002, 'RUGBY', 'rugby'],
  [4003, 'BASKETBALL', 'basketball'],
  [4004, 'FOOTBALL', 'soccer'],
  [4005, 'HANDBALL', 'handball'],
  [4006, 'AMERICAN_FOOTBALL', 'american_football'],
  [5001, 'VOLLEYBALL', 'volleyball'],
  [5002, 'BEACH_VOLLEYBALL', 'volleyball'],
  [6001, 'SQUASH', 'squash'],
  [6002, 'TENNIS', 'tennis'],
  [6003, 'BADMINTON', 'badminton'],
  [6004, 'TABLE_TENNIS', 'table_tennis'],
  [6005, 'RACQUETBALL', 'racquetball'],
  [7002, 'BOXING', 'boxing'],
  [7003, 'MARTIAL_ARTS', 'martial_arts'],
  [8002, 'DANCING', 'dance'],
  [9001, 'PILATES', 'pilates'],
  [9002, 'YOGA', 'yoga'],
  [10001, 'STRETCHING', 'stretching'],
  [10002, 'JUMP_ROPE', 'jump_rope'],
  [10007, 'CIRCUIT_TRAINING', 'circuit_training'],
  [11007, 'CYCLING', 'cycling'],
  [13001, 'HIKING', 'hiking'],
  [13002, 'ROCK_CLIMBING', 'rock_climbing'],
  [13004, 'MOUNTAIN_BIKING', 'mountain_biking'],
  [14001, 'SWIMMING', 'swimming'],
  [14003, 'CANOEING', 'canoeing'],
  [14004, 'SAILING', 'sailing'],
  [14005, 'SCUBA_DIVING', 'diving'],
  [14006, 'SNORKELING', 'snorkeling'],
  [14007, 'KAYAKING', 'kayaking'],
  [14008, 'KITESURFING', 'kitesurfing'],
  [14011, 'WINDSURFING', 'windsurfing'],
  [14013, 'WATER_SKIING', 'water_skiing'],
  [15001, 'STEP_MACHINE', 'stair_climbing_machine'],
  [15002, 'WEIGHT_MACHINE', 'strength_training'],
  [15003, 'EXERCISE_BIKE', 'indoor_cycling'],
  [15004, 'ROWING_MACHINE', 'rowing_machine'],
  [15005, 'TREADMILL', 'treadmill'],
  [15006, 'ELLIPTICAL_TRAINER', 'elliptical'],
  [16001, 'CROSS_COUNTRY_SKIING', 'cross_country_skiing'],
  [16002, 'SKIING', 'skiing'],
  [16004, 'ICE_SKATING', 'ice_skating'],
  [16006, 'ICE_HOCKEY', 'ice_hockey'],
  [16007, 'SNOWBOARDING', 'snowboarding'],
  [16008, 'ALPINE_SKIING', 'downhill_skiing'],
  [16009, 'SNOWSHOEING', 'snowshoeing'],
] as const satisfies CodeTable;

/** Strava `sport_type` values (and the older `type` values, a subset). */
export const STRAVA_WORKOUT_TYPES = [
  ['AlpineSki', 'downhill_skiing'],
  ['BackcountrySki', 'backcountry_skiing'],
  ['Badminton', 'badminton'],
  ['Canoeing', 'canoeing'],
  ['Crossfit', 'crossfit'],
  ['EBikeRide', 'e_biking'],
  ['Elliptical', 'elliptical'],
  ['EMountainBikeRide', 'e_biking'],
  ['Golf', 'golf'],
  ['GravelRide', 'gravel_cycling'],
  ['Handcycle', 'hand_cycling'],
  ['HighIntensityIntervalTraining', 'hiit'],
  ['Hike', 'hiking'],
  ['IceSkate', 'ice_skating'],
  ['InlineSkate', 'inline_skating'],
  ['Kayaking', 'kayaking'],
  ['Kitesurf', 'kitesurfing'],
  ['MountainBikeRide', 'mountain_biking'],
  ['NordicSki', 'cross_country_skiing'],
  ['Pickleball', 'pickleball'],
  ['Pilates', 'pilates'],
  ['Racquetball', 'racquetball'],
  ['Ride', 'cycling'],
  ['RockClimbing', 'rock_climbing'],
  ['RollerSki', 'cross_country_skiing'],
  ['Rowing', 'rowing'],
  ['Run', 'running'],
  ['Sail', 'sailing'],
  ['Skateboard', 'skateboarding'],
  ['Snowboard', 'snowboarding'],
  ['Snowshoe', 'snowshoeing'],
  ['Soccer', 'soccer'],
  ['Squash', 'squash'],
  ['StairStepper', 'stair_climbing_machine'],
  ['StandUpPaddling', 'stand_up_paddleboarding'],
  ['Surfing', 'surfing'],
  ['Swim', 'swimming'],
  ['TableTennis', 'table_tennis'],
  ['Tennis', 'tennis'],
  ['TrailRun', 'trail_running'],
  ['Velomobile', 'cycling'],
  ['VirtualRide', 'virtual_cycling'],
  ['VirtualRow', 'rowing_machine'],
  ['VirtualRun', 'virtual_running'],
  ['Walk', 'walking'],
  ['WeightTraining', 'strength_training'],
  ['Wheelchair', 'wheelchair'],
  ['Windsurf', 'windsurfing'],
  ['Workout', 'other'],
  ['Yoga', 'yoga'],
] as const satisfies NameTable;

/**
 * Garmin Health API `activityType` keys (also Garmin Connect `typeKey`, lower case). Keys with Garmin's
 * `_V2` / `_WS` suffixes are matched without the suffix.
 */
export const GARMIN_WORKOUT_TYPES = [
  ['RUNNING', 'running'],
  ['INDOOR_RUNNING', 'treadmill'],
  ['OBSTACLE_RUN', 'obstacle_course_racing'],
  ['STREET_RUNNING', 'running'],
  ['TRACK_RUNNING', 'track_running'],
  ['TRAIL_RUNNING', 'trail_running'],
  ['TREADMILL_RUNNING', 'treadmill'],
  ['ULTRA_RUN', 'trail_running'],
  ['VIRTUAL_RUN', 'virtual_running'],
  ['CYCLING', 'cycling'],
  ['BMX', 'cycling'],
  ['CYCLOCROSS', 'gravel_cycling'],
  ['DOWNHILL_BIKING', 'mountain_biking'],
  ['E_BIKE_FITNESS', 'e_biking'],
  ['E_BIKE_MOUNTAIN', 'e_biking'],
  ['ENDURO_MTB', 'mountain_biking'],
  ['GRAVEL_CYCLING', 'gravel_cycling'],
  ['INDOOR_CYCLING', 'indoor_cycling'],
  ['MOUNTAIN_BIKING', 'mountain_biking'],
  ['RECUMBENT_CYCLING', 'cycling'],
  ['ROAD_BIKING', 'cycling'],
  ['TRACK_CYCLING', 'cycling'],
  ['VIRTUAL_RIDE', 'virtual_cycling'],
  ['HAND_CYCLING', 'hand_cycling'],
  ['INDOOR_HAND_CYCLING', 'hand_cycling'],
  ['FITNESS_EQUIPMENT', 'cardio_training'],
  ['BOULDERING', 'bouldering'],
  ['ELLIPTICAL', 'elliptical'],
  ['INDOOR_CARDIO', 'cardio_training'],
  ['HIIT', 'hiit'],
  ['INDOOR_CLIMBING', 'indoor_climbing'],
  ['INDOOR_ROWING', 'rowing_machine'],
  ['MOBILITY', 'flexibility'],
  ['PILATES', 'pilates'],
  ['STAIR_CLIMBING', 'stair_climbing'],
  ['STRENGTH_TRAINING', 'strength_training'],
  ['YOGA', 'yoga'],
  ['MEDITATION', 'meditation'],
  ['BREATHWORK', 'breathwork'],
  ['SWIMMING', 'swimming'],
  ['LAP_SWIMMING', 'pool_swimming'],
  ['OPEN_WATER_SWIMMING', 'open_water_swimming'],
  ['WALKING', 'walking'],
  ['CASUAL_WALKING', 'walking'],
  ['SPEED_WALKING', 'walking'],
  ['HIKING', 'hiking'],
  ['RUCKING', 'hiking'],
  ['MOUNTAINEERING', 'mountaineering'],
  ['TRANSITION', 'transition'],
  ['SWIM_TO_BIKE_TRANSITION', 'transition'],
  ['BIKE_TO_RUN_TRANSITION', 'transition'],
  ['RUN_TO_BIKE_TRANSITION', 'transition'],
  ['MULTI_SPORT', 'multisport'],
  ['TRIATHLON', 'triathlon'],
  ['DUATHLON', 'duathlon'],
  ['WINTER_SPORTS', 'snow_sports'],
  ['BACKCOUNTRY_SKIING_SNOWBOARDING', 'backcountry_skiing'],
  ['BACKCOUNTRY_SKIING', 'backcountry_skiing'],
  ['BACKCOUNTRY_SNOWBOARDING', 'snowboarding'],
  ['CROSS_COUNTRY_SKIING', 'cross_country_skiing'],
  ['RESORT_SKIING_SNOWBOARDING', 'downhill_skiing'],
  ['RESORT_SKIING', 'downhill_skiing'],
  ['RESORT_SNOWBOARDING', 'snowboarding'],
  ['SKATE_SKIING', 'cross_country_skiing'],
  ['SKATING', 'ice_skating'],
  ['SNOW_SHOE', 'snowshoeing'],
  ['SNOWMOBILING', 'motorsports'],
  ['WATER_SPORTS', 'water_sports'],
  ['BOATING', 'water_sports'],
  ['KAYAKING', 'kayaking'],
  ['KITEBOARDING', 'kitesurfing'],
  ['PADDLING', 'paddling'],
  ['ROWING', 'rowing'],
  ['SAILING', 'sailing'],
  ['SNORKELING', 'snorkeling'],
  ['STAND_UP_PADDLEBOARDING', 'stand_up_paddleboarding'],
  ['SURFING', 'surfing'],
  ['WAKEBOARDING', 'wakeboarding'],
  ['WATERSKIING', 'water_skiing'],
  ['WHITEWATER_RAFTING_KAYAKING', 'paddling'],
  ['WINDSURFING', 'windsurfing'],
  ['TEAM_SPORTS', 'other'],
  ['AMERICAN_FOOTBALL', 'american_football'],
  ['BASEBALL', 'baseball'],
  ['BASKETBALL', 'basketball'],
  ['CRICKET', 'cricket'],
  ['FIELD_HOCKEY', 'field_hockey'],
  ['ICE_HOCKEY', 'ice_hockey'],
  ['LACROSSE', 'lacrosse'],
  ['RUGBY', 'rugby'],
  ['SOCCER', 'soccer'],
  ['SOFTBALL', 'softball'],
  ['ULTIMATE_DISC', 'disc_sports'],
  ['VOLLEYBALL', 'volleyball'],
  ['RACKET_SPORTS', 'other'],
  ['BADMINTON', 'badminton'],
  ['PADEL', 'padel'],
  ['PICKLEBALL', 'pickleball'],
  ['PLATFORM_TENNIS', 'tennis'],
  ['RACQUETBALL', 'racquetball'],
  ['SQUASH', 'squash'],
  ['TABLE_TENNIS', 'table_tennis'],
  ['TENNIS', 'tennis'],
  ['GOLF', 'golf'],
  ['DISC_GOLF', 'disc_sports'],
  ['BOXING', 'boxing'],
  ['MIXED_MARTIAL_ARTS', 'martial_arts'],
  ['ROCK_CLIMBING', 'rock_climbing'],
  ['HORSEBACK_RIDING', 'equestrian'],
  ['HUNTING', 'hunting'],
  ['FISHING', 'fishing'],
  ['INLINE_SKATING', 'inline_skating'],
  ['SKATEBOARDING', 'skateboarding'],
  ['DIVING', 'diving'],
  ['APNEA_DIVING', 'diving'],
  ['SINGLE_GAS_DIVING', 'diving'],
  ['MULTI_GAS_DIVING', 'diving'],
  ['GAUGE_DIVING', 'diving'],
  ['MOTORCYCLING', 'motorsports'],
  ['ATV', 'motorsports'],
  ['MOTOCROSS', 'motorsports'],
  ['DANCE', 'dance'],
  ['OTHER', 'other'],
  ['UNCATEGORIZED', 'other'],
] as const satisfies NameTable;

/** Polar AccessLink `sport` and `detailed-sport-info` names. */
export const POLAR_WORKOUT_TYPES = [
  ['RUNNING', 'running'],
  ['ROAD_RUNNING', 'running'],
  ['TRAIL_RUNNING', 'trail_running'],
  ['TREADMILL_RUNNING', 'treadmill'],
  ['TRACK_AND_FIELD_RUNNING', 'track_running'],
  ['CYCLING', 'cycling'],
  ['ROAD_BIKING', 'cycling'],
  ['MOUNTAIN_BIKING', 'mountain_biking'],
  ['INDOOR_CYCLING', 'indoor_cycling'],
  ['SWIMMING', 'swimming'],
  ['POOL_SWIMMING', 'pool_swimming'],
  ['OPEN_WATER_SWIMMING', 'open_water_swimming'],
  ['WALKING', 'walking'],
  ['NORDIC_WALKING', 'nordic_walking'],
  ['HIKING', 'hiking'],
  ['STRENGTH_TRAINING', 'strength_training'],
  ['CIRCUIT_TRAINING', 'circuit_training'],
  ['CORE', 'core_training'],
  ['CROSSFIT', 'crossfit'],
  ['GROUP_EXERCISE', 'exercise_class'],
  ['AEROBICS', 'cardio_training'],
  ['INDOOR_ROWING', 'rowing_machine'],
  ['ELLIPTICAL_TRAINER', 'elliptical'],
  ['YOGA', 'yoga'],
  ['PILATES', 'pilates'],
  ['MOBILITY_DYNAMIC', 'flexibility'],
  ['MOBILITY_STATIC', 'stretching'],
  ['FITNESS_DANCING', 'cardio_dance'],
  ['DANCING', 'dance'],
  ['BALLET', 'dance'],
  ['DOWNHILL_SKIING', 'downhill_skiing'],
  ['CROSS-COUNTRY_SKIING', 'cross_country_skiing'],
  ['BACKCOUNTRY_SKIING', 'backcountry_skiing'],
  ['SNOWBOARDING', 'snowboarding'],
  ['SNOWSHOE_TREKKING', 'snowshoeing'],
  ['ICE_SKATING', 'ice_skating'],
  ['INLINE_SKATING', 'inline_skating'],
  ['WATERSPORTS_WATERSKI', 'water_skiing'],
  ['WATERSPORTS_WAKEBOARDING', 'wakeboarding'],
  ['WATERSPORTS_SURFING', 'surfing'],
  ['WATERSPORTS_WINDSURFING', 'windsurfing'],
  ['WATERSPORTS_KITESURFING', 'kitesurfing'],
  ['WATERSPORTS_CANOEING', 'canoeing'],
  ['WATERSPORTS_KAYAKING', 'kayaking'],
  ['WATERSPORTS_ROWING', 'rowing'],
  ['WATERSPORTS_SAILING', 'sailing'],
  ['SUP', 'stand_up_paddleboarding'],
  ['CLIMBING_INDOOR', 'indoor_climbing'],
  ['CLIMBING_OUTDOOR', 'rock_climbing'],
  ['BOXING', 'boxing'],
  ['MARTIAL_ARTS', 'martial_arts'],
  ['BASKETBALL', 'basketball'],
  ['FOOTBALL', 'soccer'],
  ['SOCCER', 'soccer'],
  ['VOLLEYBALL', 'volleyball'],
  ['HANDBALL', 'handball'],
  ['FLOORBALL', 'hockey'],
  ['FIELD_HOCKEY', 'field_hockey'],
  ['ICE_HOCKEY', 'ice_hockey'],
  ['TENNIS', 'tennis'],
  ['BADMINTON', 'badminton'],
  ['SQUASH', 'squash'],
  ['TABLE_TENNIS', 'table_tennis'],
  ['PADEL', 'padel'],
  ['GOLF', 'golf'],
  ['TRIATHLON', 'triathlon'],
  ['MULTISPORT', 'multisport'],
  ['OTHER_INDOOR', 'other'],
  ['OTHER_OUTDOOR', 'other'],
  ['OTHER', 'other'],
] as const satisfies NameTable;

/** Oura workout `activity` strings (free text in the API; these are the common values). */
export const OURA_WORKOUT_TYPES = [
  ['walking', 'walking'],
  ['running', 'running'],
  ['cycling', 'cycling'],
  ['hiking', 'hiking'],
  ['swimming', 'swimming'],
  ['strength_training', 'strength_training'],
  ['weightlifting', 'weightlifting'],
  ['hiit', 'hiit'],
  ['yoga', 'yoga'],
  ['pilates', 'pilates'],
  ['dancing', 'dance'],
  ['elliptical', 'elliptical'],
  ['rowing', 'rowing'],
  ['stair_exercise', 'stair_climbing'],
  ['cross_country_skiing', 'cross_country_skiing'],
  ['downhill_skiing', 'downhill_skiing'],
  ['snowboarding', 'snowboarding'],
  ['tennis', 'tennis'],
  ['golf', 'golf'],
  ['soccer', 'soccer'],
  ['basketball', 'basketball'],
  ['other', 'other'],
] as const satisfies NameTable;

/** WHOOP v1 sport ids with their names (`sport_id` is gone after 2025-09-01; v2 sends `sport_name`). */
export const WHOOP_WORKOUT_TYPES = [
  [-1, 'Activity', 'other'],
  [0, 'Running', 'running'],
  [1, 'Cycling', 'cycling'],
  [16, 'Baseball', 'baseball'],
  [17, 'Basketball', 'basketball'],
  [18, 'Rowing', 'rowing'],
  [19, 'Fencing', 'fencing'],
  [20, 'Field Hockey', 'field_hockey'],
  [21, 'Football', 'american_football'],
  [22, 'Golf', 'golf'],
  [24, 'Ice Hockey', 'ice_hockey'],
  [25, 'Lacrosse', 'lacrosse'],
  [27, 'Rugby', 'rugby'],
  [28, 'Sailing', 'sailing'],
  [29, 'Skiing', 'skiing'],
  [30, 'Soccer', 'soccer'],
  [31, 'Softball', 'softball'],
  [32, 'Squash', 'squash'],
  [33, 'Swimming', 'swimming'],
  [34, 'Tennis', 'tennis'],
  [35, 'Track & Field', 'track_and_field'],
  [36, 'Volleyball', 'volleyball'],
  [37, 'Water Polo', 'water_polo'],
  [38, 'Wrestling', 'wrestling'],
  [39, 'Boxing', 'boxing'],
  [42, 'Dance', 'dance'],
  [43, 'Pilates', 'pilates'],
  [44, 'Yoga', 'yoga'],
  [45, 'Weightlifting', 'weightlifting'],
  [47, 'Cross Country Skiing', 'cross_country_skiing'],
  [48, 'Functional Fitness', 'functional_strength_training'],
  [49, 'Duathlon', 'duathlon'],
  [51, 'Gymnastics', 'gymnastics'],
  [52, 'Hiking/Rucking', 'hiking'],
  [53, 'Horseback Riding', 'equestrian'],
  [55, 'Kayaking', 'kayaking'],
  [56, 'Martial Arts', 'martial_arts'],
  [57, 'Mountain Biking', 'mountain_biking'],
  [59, 'Powerlifting', 'powerlifting'],
  [60, 'Rock Climbing', 'rock_climbing'],
  [61, 'Paddleboarding', 'stand_up_paddleboarding'],
  [62, 'Triathlon', 'triathlon'],
  [63, 'Walking', 'walking'],
  [64, 'Surfing', 'surfing'],
  [65, 'Elliptical', 'elliptical'],
  [66, 'Stairmaster', 'stair_climbing_machine'],
  [70, 'Meditation', 'meditation'],
  [71, 'Other', 'other'],
  [73, 'Diving', 'diving'],
  [74, 'Operations - Tactical', 'other'],
  [75, 'Operations - Medical', 'other'],
  [76, 'Operations - Flying', 'other'],
  [77, 'Operations - Water', 'other'],
  [82, 'Ultimate', 'disc_sports'],
  [83, 'Climber', 'stair_climbing_machine'],
  [84, 'Jumping Rope', 'jump_rope'],
  [85, 'Australian Football', 'australian_football'],
  [86, 'Skateboarding', 'skateboarding'],
  [87, 'Coaching', 'other'],
  [88, 'Ice Bath', 'preparation_and_recovery'],
  [89, 'Commuting', 'other'],
  [90, 'Gaming', 'other'],
  [91, 'Snowboarding', 'snowboarding'],
  [92, 'Motocross', 'motorsports'],
  [93, 'Caddying', 'golf'],
  [94, 'Obstacle Course Racing', 'obstacle_course_racing'],
  [95, 'Motor Racing', 'motorsports'],
  [96, 'HIIT', 'hiit'],
  [97, 'Spin', 'indoor_cycling'],
  [98, 'Jiu Jitsu', 'martial_arts'],
  [99, 'Manual Labor', 'other'],
  [100, 'Cricket', 'cricket'],
  [101, 'Pickleball', 'pickleball'],
  [102, 'Inline Skating', 'inline_skating'],
  [103, 'Box Fitness', 'boxing'],
  [104, 'Spikeball', 'other'],
  [105, 'Wheelchair Pushing', 'wheelchair'],
  [106, 'Paddle Tennis', 'padel'],
  [107, 'Barre', 'barre'],
  [108, 'Stage Performance', 'other'],
  [109, 'High Stress Work', 'other'],
  [110, 'Parkour', 'other'],
  [111, 'Gaelic Football', 'soccer'],
  [112, 'Hurling/Camogie', 'hockey'],
  [113, 'Circus Arts', 'gymnastics'],
] as const satisfies CodeTable;

/** WHOOP v2 `sport_name` spellings for sports whose ids disagree between published lists (>113). */
const WHOOP_EXTRA_NAMES = [
  ['Massage Therapy', 'preparation_and_recovery'],
  ['Watching Sports', 'other'],
  ['Assault Bike', 'indoor_cycling'],
  ['Kickboxing', 'kickboxing'],
  ['Stretching', 'stretching'],
  ['Table Tennis', 'table_tennis'],
  ['Badminton', 'badminton'],
  ['Netball', 'other'],
  ['Sauna', 'preparation_and_recovery'],
  ['Cold Water Immersion', 'preparation_and_recovery'],
  ['Breathwork', 'breathwork'],
  ['Strength Trainer', 'strength_training'],
  ['Physical Therapy', 'preparation_and_recovery'],
  ['Stairmaster', 'stair_climbing_machine'],
  ['Stair Climbing', 'stair_climbing'],
] as const satisfies NameTable;

export type WorkoutSource =
  | 'healthkit'
  | 'health_connect'
  | 'samsung'
  | 'garmin'
  | 'strava'
  | 'oura'
  | 'whoop'
  | 'polar'
  | 'sdk';

export interface WorkoutTypeMapping {
  readonly type: WorkoutType;
  readonly exact: boolean;
}

/** Lower-case letters and digits only: the form every table is indexed by. */
export function workoutKey(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function indexNames(
  rows: readonly (readonly [string, WorkoutType])[],
  strip?: RegExp,
): ReadonlyMap<string, WorkoutType> {
  const map = new Map<string, WorkoutType>();
  for (const [name, type] of rows) {
    const key = workoutKey(strip === undefined ? name : name.replace(strip, ''));
    if (!map.has(key)) map.set(key, type);
  }
  return map;
}

function indexCodes(rows: CodeTable): ReadonlyMap<number, WorkoutType> {
  return new Map(rows.map(([code, , type]) => [code, type]));
}

const namesOf = (rows: CodeTable): NameTable => rows.map(([, name, type]) => [name, type] as const);

const canonicalByKey = indexNames(WORKOUT_TYPES.map((w) => [w.name, w.name] as const));
const hkByName = indexNames(namesOf(HEALTHKIT_WORKOUT_TYPES));
const hkByCode = indexCodes(HEALTHKIT_WORKOUT_TYPES);
const hcByName = indexNames([...namesOf(HEALTH_CONNECT_WORKOUT_TYPES), ...HEALTH_CONNECT_ALIASES]);
const hcByCode = indexCodes(HEALTH_CONNECT_WORKOUT_TYPES);
const samsungByName = indexNames(namesOf(SAMSUNG_WORKOUT_TYPES));
const samsungByCode = indexCodes(SAMSUNG_WORKOUT_TYPES);
const stravaByName = indexNames(STRAVA_WORKOUT_TYPES);
const garminByName = indexNames(GARMIN_WORKOUT_TYPES);
const polarByName = indexNames(POLAR_WORKOUT_TYPES);
const ouraByName = indexNames(OURA_WORKOUT_TYPES);
const whoopByName = indexNames([...namesOf(WHOOP_WORKOUT_TYPES), ...WHOOP_EXTRA_NAMES]);
const whoopByCode = indexCodes(WHOOP_WORKOUT_TYPES);

/** Any table's name, for a guess when a source sends a name its own table lacks. Earlier tables win. */
const anyByName: ReadonlyMap<string, WorkoutType> = (() => {
  const merged = new Map<string, WorkoutType>();
  const tables = [canonicalByKey, hkByName, hcByName, stravaByName, garminByName, polarByName, samsungByName];
  for (const table of [...tables, whoopByName, ouraByName]) {
    for (const [key, type] of table) if (!merged.has(key)) merged.set(key, type);
  }
  return merged;
})();

/** Last resort for unseen names: a keyword inside the key. Order matters (first match wins). */
const KEYWORDS: readonly (readonly [string, WorkoutType])[] = [
  ['treadmill', 'treadmill'],
  ['trail', 'trail_running'],
  ['run', 'running'],
  ['mountainbik', 'mountain_biking'],
  ['bike', 'cycling'],
  ['biking', 'cycling'],
  ['cycl', 'cycling'],
  ['ride', 'cycling'],
  ['swim', 'swimming'],
  ['walk', 'walking'],
  ['hik', 'hiking'],
  ['snowboard', 'snowboarding'],
  ['ski', 'skiing'],
  ['yoga', 'yoga'],
  ['pilates', 'pilates'],
  ['rowing', 'rowing'],
  ['strength', 'strength_training'],
  ['weight', 'strength_training'],
  ['hiit', 'hiit'],
  ['interval', 'hiit'],
  ['danc', 'dance'],
  ['climb', 'climbing'],
  ['paddl', 'paddling'],
  ['kayak', 'kayaking'],
  ['skat', 'skating'],
  ['box', 'boxing'],
  ['tennis', 'tennis'],
  ['golf', 'golf'],
  ['stretch', 'stretching'],
  ['meditat', 'meditation'],
  ['breath', 'breathwork'],
];

const EXACT = (type: WorkoutType): WorkoutTypeMapping => ({ type, exact: true });
const GUESS = (type: WorkoutType): WorkoutTypeMapping => ({ type, exact: false });
const UNKNOWN: WorkoutTypeMapping = { type: 'other', exact: false };

function guess(key: string): WorkoutTypeMapping {
  const byName = anyByName.get(key);
  if (byName !== undefined) return GUESS(byName);
  for (const [word, type] of KEYWORDS) if (key.includes(word)) return GUESS(type);
  return UNKNOWN;
}

function integerOf(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : undefined;
  return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
}

function byNameOrCode(
  raw: string | number,
  names: ReadonlyMap<string, WorkoutType>,
  codes: ReadonlyMap<number, WorkoutType> | undefined,
  strip: RegExp | undefined,
): WorkoutTypeMapping {
  const code = integerOf(raw);
  if (code !== undefined) {
    const found = codes?.get(code);
    return found === undefined ? UNKNOWN : EXACT(found);
  }
  const text = String(raw);
  const key = workoutKey(strip === undefined ? text : text.replace(strip, ''));
  if (key === '') return UNKNOWN;
  const found = names.get(key);
  return found === undefined ? guess(key) : EXACT(found);
}

const HK_PREFIX = /^HKWorkoutActivityType/i;
const HC_PREFIX = /^(ExerciseSessionRecord\.)?EXERCISE_(SESSION_)?TYPE_/i;
const GARMIN_SUFFIX = /_(V2|WS)$/i;

function fromSdk(raw: string | number): WorkoutTypeMapping {
  if (integerOf(raw) !== undefined) return UNKNOWN;
  const text = String(raw);
  const key = workoutKey(text.replace(HK_PREFIX, '').replace(HC_PREFIX, ''));
  const found = canonicalByKey.get(key) ?? hkByName.get(key) ?? hcByName.get(key);
  return found === undefined ? (key === '' ? UNKNOWN : guess(key)) : EXACT(found);
}

/**
 * Maps a source's workout/activity type (name or numeric code) to a canonical workout type.
 * Never throws; unknown values give `{ type: 'other', exact: false }`.
 */
export function toCanonicalWorkoutType(source: WorkoutSource, raw: string | number): WorkoutTypeMapping {
  switch (source) {
    case 'healthkit':
      return byNameOrCode(raw, hkByName, hkByCode, HK_PREFIX);
    case 'health_connect': {
      // Framework (android.health.connect) ints differ from the androidx ones this table holds.
      if (typeof raw === 'string' && /EXERCISE_SESSION_TYPE_/i.test(raw)) {
        return byNameOrCode(raw, hcByName, undefined, HC_PREFIX);
      }
      return byNameOrCode(raw, hcByName, hcByCode, HC_PREFIX);
    }
    case 'samsung': {
      const found = byNameOrCode(raw, samsungByName, samsungByCode, /^EXERCISE_TYPE_/i);
      // The newer Samsung Health Data SDK names its types like Health Connect does.
      if (found.exact || typeof raw !== 'string') return found;
      const hc = hcByName.get(workoutKey(raw.replace(HC_PREFIX, '')));
      return hc === undefined ? found : EXACT(hc);
    }
    case 'garmin':
      return byNameOrCode(
        typeof raw === 'string' ? raw.trim().replace(GARMIN_SUFFIX, '') : raw,
        garminByName,
        undefined,
        undefined,
      );
    case 'strava':
      return byNameOrCode(raw, stravaByName, undefined, undefined);
    case 'oura':
      return byNameOrCode(raw, ouraByName, undefined, undefined);
    case 'whoop':
      return byNameOrCode(raw, whoopByName, whoopByCode, undefined);
    case 'polar':
      return byNameOrCode(raw, polarByName, undefined, undefined);
    case 'sdk':
      return fromSdk(raw);
    default:
      return assertNever(source, 'workout source');
  }
}

/**
 * The distance series a workout's distance belongs to, mirroring HealthKit's split: walking and running
 * together, cycling, swimming, downhill snow sports (skiing and snowboarding), and everything else.
 */
export function distanceSeriesForWorkout(type: WorkoutType): SeriesTypeName {
  switch (type) {
    case 'downhill_skiing':
    case 'backcountry_skiing':
    case 'skiing':
    case 'snowboarding':
      return 'distance_downhill_snow_sports';
    case 'wheelchair':
    case 'hand_cycling':
      return 'distance_other';
    default:
      break;
  }
  const group = workoutGroup(type);
  switch (group) {
    case 'running':
    case 'walking':
      return 'distance_walking_running';
    case 'cycling':
      return 'distance_cycling';
    case 'swimming':
      return 'distance_swimming';
    case 'gym':
    case 'mind_body':
    case 'dance':
    case 'combat':
    case 'team_sport':
    case 'racket_sport':
    case 'precision_sport':
    case 'snow':
    case 'water':
    case 'climbing':
    case 'outdoor':
    case 'multisport':
    case 'other':
      return 'distance_other';
    default:
      return assertNever(group, 'workout group');
  }
}
