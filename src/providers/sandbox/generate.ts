/**
 * The sandbox "vendor": deterministic, realistic synthetic data, so a fresh install can connect a user
 * and watch real sync runs. The same user and day always produce the same payload (seeded PRNG), which
 * also makes re-syncs provably idempotent.
 */

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for synthetic data. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SandboxDay {
  date: string;
  heart_rate: { time: string; bpm: number }[];
  steps: { start: string; end: string; count: number }[];
  active_calories: { start: string; end: string; kcal: number }[];
  sleep: { stage: 'light' | 'deep' | 'rem' | 'awake'; start: string; end: string }[];
  workouts: {
    id: string;
    sport: string;
    start: string;
    end: string;
    distance_m: number;
    kcal: number;
    avg_hr: number;
    max_hr: number;
  }[];
  scores: { category: 'sleep' | 'readiness' | 'activity'; score: number }[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** One UTC day of data for a user. */
export function sandboxDay(userId: string, dayStartMs: number): SandboxDay {
  const date = iso(dayStartMs).slice(0, 10);
  const random = prng(hash(`${userId}:${date}`));
  const day: SandboxDay = {
    date,
    heart_rate: [],
    steps: [],
    active_calories: [],
    sleep: [],
    workouts: [],
    scores: [],
  };

  // Heart rate every 5 minutes, lower at night, with noise.
  for (let m = 0; m < 1440; m += 5) {
    const hour = m / 60;
    const base = hour < 6.5 || hour > 23 ? 54 : 68 + 10 * Math.sin(((hour - 6) / 18) * Math.PI);
    day.heart_rate.push({ time: iso(dayStartMs + m * 60_000), bpm: Math.round(base + random() * 8) });
  }
  // Steps and active calories per 15 minutes while awake.
  for (let m = 7 * 60; m < 23 * 60; m += 15) {
    const count = Math.floor(random() * (random() < 0.15 ? 1800 : 400));
    const start = dayStartMs + m * 60_000;
    day.steps.push({ start: iso(start), end: iso(start + 15 * 60_000), count });
    day.active_calories.push({
      start: iso(start),
      end: iso(start + 15 * 60_000),
      kcal: Math.round(count * 0.045 * 10) / 10,
    });
  }
  // The night ending this morning: 23:00 the day before to about 06:30, in 30-minute cycles.
  const stages = ['light', 'deep', 'light', 'rem'] as const;
  let t = dayStartMs - 3600_000;
  const wake = dayStartMs + (6 * 60 + Math.floor(random() * 60)) * 60_000;
  let cycle = 0;
  while (t < wake) {
    const length = Math.min(wake - t, (20 + Math.floor(random() * 25)) * 60_000);
    const stage =
      random() < 0.05 ? 'awake' : (stages[cycle % stages.length] as SandboxDay['sleep'][number]['stage']);
    day.sleep.push({ stage, start: iso(t), end: iso(t + length) });
    t += length;
    cycle += 1;
  }
  // A run every other day at 18:00.
  if (hash(date) % 2 === 0) {
    const start = dayStartMs + 18 * 3600_000;
    const minutes = 25 + Math.floor(random() * 35);
    day.workouts.push({
      id: `sandbox-${date}`,
      sport: 'running',
      start: iso(start),
      end: iso(start + minutes * 60_000),
      distance_m: Math.round(minutes * (150 + random() * 60)),
      kcal: Math.round(minutes * 10.5),
      avg_hr: 140 + Math.floor(random() * 15),
      max_hr: 165 + Math.floor(random() * 15),
    });
  }
  day.scores = [
    { category: 'sleep', score: 60 + Math.floor(random() * 35) },
    { category: 'readiness', score: 55 + Math.floor(random() * 40) },
    { category: 'activity', score: 50 + Math.floor(random() * 45) },
  ];
  return day;
}
