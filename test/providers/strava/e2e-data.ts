import { type ActivitySpec, BIG_ID } from '../../support/vendor-mocks/strava.ts';

/** The Strava e2e's activities (relative to now) and its small waiting helpers. */

export const DAY = 86_400_000;

/** Whole seconds, as Strava's start dates are. */
const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

export function dataSet(now: number) {
  const ride: ActivitySpec = {
    id: BIG_ID,
    sportType: 'MountainBikeRide',
    type: 'Ride',
    start: at(now - 3 * DAY),
    offsetMin: 120,
    elapsedS: 3600,
    movingS: 3300,
    distanceM: 25_000.5,
    calories: 812.4,
  };
  const run: ActivitySpec = {
    id: '1234567890123',
    sportType: 'TrailRun',
    type: 'Run',
    start: at(now - 10 * DAY),
    offsetMin: -420,
    elapsedS: 1800,
    distanceM: 5012.5,
    calories: 401,
    timezone: '(GMT-08:00) America/Los_Angeles',
  };
  const manual: ActivitySpec = {
    id: '1234567890124',
    sportType: 'WeightTraining',
    start: at(now - 20 * DAY),
    offsetMin: 60,
    elapsedS: 2700,
    distanceM: 0,
    calories: 250,
    manual: true,
    hr: false,
    gps: false,
  };
  /** Uploaded later: announced by a `create` event. */
  const swim: ActivitySpec = {
    id: '9007199254740997',
    sportType: 'Swim',
    start: at(now - 2 * DAY),
    offsetMin: 0,
    elapsedS: 2400,
    distanceM: 1500,
    gps: false,
    calories: 350,
  };
  return { ride, run, manual, swim, fromMs: now - 30 * DAY, toMs: now + DAY };
}
