import { isWorkoutType, type WorkoutType } from '../../catalog/workout-types.ts';

/**
 * Withings workout `category` codes (the spec's list for `getworkouts`) → catalog workout types.
 * Codes Withings lists that have no closer catalog type map to the nearest group's general type;
 * anything not listed is `other` (with the raw code kept as `sourceActivityType`).
 */
const TABLE: Readonly<Record<number, readonly [name: string, type: string]>> = {
  1: ['Walk', 'walking'],
  2: ['Run', 'running'],
  3: ['Hiking', 'hiking'],
  4: ['Skating', 'skating'],
  5: ['BMX', 'cycling'],
  6: ['Bicycling', 'cycling'],
  7: ['Swimming', 'swimming'],
  8: ['Surfing', 'surfing'],
  9: ['Kitesurfing', 'kitesurfing'],
  10: ['Windsurfing', 'windsurfing'],
  11: ['Bodyboard', 'surfing'],
  12: ['Tennis', 'tennis'],
  13: ['Table tennis', 'table_tennis'],
  14: ['Squash', 'squash'],
  15: ['Badminton', 'badminton'],
  16: ['Lift weights', 'weightlifting'],
  17: ['Fitness', 'cardio_training'],
  18: ['Elliptical', 'elliptical'],
  19: ['Pilates', 'pilates'],
  20: ['Basket-ball', 'basketball'],
  21: ['Soccer', 'soccer'],
  22: ['Football', 'american_football'],
  23: ['Rugby', 'rugby'],
  24: ['Volley-ball', 'volleyball'],
  25: ['Waterpolo', 'water_polo'],
  26: ['Horse riding', 'equestrian'],
  27: ['Golf', 'golf'],
  28: ['Yoga', 'yoga'],
  29: ['Dancing', 'dance'],
  30: ['Boxing', 'boxing'],
  31: ['Fencing', 'fencing'],
  32: ['Wrestling', 'wrestling'],
  33: ['Martial arts', 'martial_arts'],
  34: ['Skiing', 'skiing'],
  35: ['Snowboarding', 'snowboarding'],
  36: ['Other', 'other'],
  187: ['Rowing', 'rowing'],
  188: ['Zumba', 'dance'],
  191: ['Baseball', 'baseball'],
  192: ['Handball', 'handball'],
  193: ['Hockey', 'field_hockey'],
  194: ['Ice hockey', 'ice_hockey'],
  195: ['Climbing', 'climbing'],
  196: ['Ice skating', 'ice_skating'],
  272: ['Multi-sport', 'multisport'],
  306: ['Indoor walk', 'walking'],
  307: ['Indoor running', 'treadmill'],
  308: ['Indoor cycling', 'indoor_cycling'],
  455: ['Standup Paddleboarding', 'stand_up_paddleboarding'],
  456: ['Padel', 'padel'],
  490: ['Beach volleyball', 'volleyball'],
  491: ['Stair Stepper', 'stair_climbing_machine'],
  492: ['Skateboarding', 'skateboarding'],
  494: ['Kayaking', 'kayaking'],
  495: ['Canoeing', 'canoeing'],
  496: ['Sailing', 'sailing'],
  497: ['Fishing', 'fishing'],
  498: ['Trail Running', 'trail_running'],
  499: ['Snowshoeing', 'snowshoeing'],
  501: ['Archery', 'archery'],
  502: ['Scuba Diving', 'diving'],
  507: ['Paragliding', 'paragliding'],
  510: ['Pickleball', 'pickleball'],
  517: ['Athletics', 'track_and_field'],
  518: ['Track Cycling', 'cycling'],
  521: ['Triathlon', 'triathlon'],
  522: ['Diving', 'diving'],
  523: ['Mountain Biking', 'mountain_biking'],
  524: ['Gravel Biking', 'gravel_cycling'],
  525: ['E-Biking', 'e_biking'],
  526: ['E-Mountain Biking', 'e_biking'],
  527: ['Handcycling', 'hand_cycling'],
  529: ['Backcountry Skiing', 'backcountry_skiing'],
  530: ['Nordic Skiing', 'cross_country_skiing'],
  532: ['Racquetball', 'racquetball'],
  534: ['Hip Hop', 'dance'],
  535: ['Muaythai', 'kickboxing'],
  536: ['Taekwondo', 'martial_arts'],
  537: ['Judo', 'martial_arts'],
  546: ['Crossfit', 'crossfit'],
  547: ['Spinclass', 'indoor_cycling'],
  548: ['Cricket', 'cricket'],
  549: ['Flamenco Dancing', 'dance'],
  550: ['HIIT', 'hiit'],
  551: ['Meditation', 'meditation'],
  552: ['Stretching', 'stretching'],
  557: ['Lacrosse', 'lacrosse'],
  559: ['Dog Walking', 'walking'],
  560: ['Breathing excercises', 'breathwork'],
  564: ['Bowling', 'bowling'],
  566: ['Nordic Walking', 'nordic_walking'],
  567: ['Sumo Wrestling', 'wrestling'],
};

/** A category code's catalog type and Withings' own name for it (kept as the source activity type). */
export function withingsWorkoutType(category: number): { type: WorkoutType; name: string } {
  const row = TABLE[category];
  if (row === undefined) return { type: 'other', name: `category ${category}` };
  const [name, type] = row;
  return { type: isWorkoutType(type) ? type : 'other', name };
}

/** Every code of the table whose type is not in the catalog (the unit test asserts there are none). */
export const UNKNOWN_CATALOG_TYPES = Object.entries(TABLE)
  .filter(([, [, type]]) => !isWorkoutType(type))
  .map(([code, [, type]]) => `${code}:${type}`);
