import type { CanonicalSleepStage } from './canonical.ts';

/** A gap longer than this between stage intervals of one source starts a new session. */
export const SESSION_GAP_MS = 60 * 60 * 1000;

export interface StageInterval {
  startMs: number;
  endMs: number;
  stage: CanonicalSleepStage;
  utcOffsetMin: number | null;
}

export interface BuiltSleepSession {
  startMs: number;
  endMs: number;
  isNap: boolean;
  inBedS: number;
  asleepS: number;
  awakeS: number;
  lightS: number;
  deepS: number;
  remS: number;
  unknownS: number;
  efficiencyPercent: number | null;
  interruptions: number;
  /** Non-overlapping timeline, one entry per run of a stage. */
  stages: { stage: CanonicalSleepStage; start: string; end: string }[];
  utcOffsetMin: number | null;
}

/**
 * Where sources overlap their own intervals (Apple writes one `in_bed` over the night plus stages inside
 * it; older watches write `asleep` over the night plus `awake` blips), the more specific stage wins.
 */
const priority: Record<CanonicalSleepStage, number> = {
  awake: 6,
  deep: 5,
  rem: 5,
  light: 5,
  sleeping: 3,
  unknown: 2,
  in_bed: 1,
};

const asleep = new Set<CanonicalSleepStage>(['light', 'deep', 'rem', 'sleeping']);

function flatten(
  intervals: StageInterval[],
): { startMs: number; endMs: number; stage: CanonicalSleepStage }[] {
  const bounds = [...new Set(intervals.flatMap((i) => [i.startMs, i.endMs]))].sort((a, b) => a - b);
  const out: { startMs: number; endMs: number; stage: CanonicalSleepStage }[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const from = bounds[k] as number;
    const to = bounds[k + 1] as number;
    let best: CanonicalSleepStage | undefined;
    for (const i of intervals) {
      if (i.startMs <= from && i.endMs >= to && (best === undefined || priority[i.stage] > priority[best]))
        best = i.stage;
    }
    if (best === undefined) continue;
    const last = out.at(-1);
    if (last && last.stage === best && last.endMs === from) last.endMs = to;
    else out.push({ startMs: from, endMs: to, stage: best });
  }
  return out;
}

function summarise(intervals: StageInterval[]): BuiltSleepSession {
  const timeline = flatten(intervals);
  const seconds: Record<CanonicalSleepStage, number> = {
    in_bed: 0,
    awake: 0,
    sleeping: 0,
    light: 0,
    deep: 0,
    rem: 0,
    unknown: 0,
  };
  for (const seg of timeline) seconds[seg.stage] += (seg.endMs - seg.startMs) / 1000;
  const covered = Object.values(seconds).reduce((a, b) => a + b, 0);
  const asleepS = seconds.light + seconds.deep + seconds.rem + seconds.sleeping;
  const firstAsleep = timeline.findIndex((s) => asleep.has(s.stage));
  const lastAsleep = timeline.findLastIndex((s) => asleep.has(s.stage));
  let interruptions = 0;
  for (let k = firstAsleep + 1; firstAsleep >= 0 && k < lastAsleep; k++) {
    if (timeline[k]?.stage === 'awake') interruptions += 1;
  }
  const startMs = Math.min(...intervals.map((i) => i.startMs));
  const endMs = Math.max(...intervals.map((i) => i.endMs));
  const utcOffsetMin = intervals.find((i) => i.utcOffsetMin !== null)?.utcOffsetMin ?? null;
  const localStartHour = new Date(startMs + (utcOffsetMin ?? 0) * 60_000).getUTCHours();
  return {
    startMs,
    endMs,
    // A short daytime sleep; the local hour uses the source's offset (UTC when it gave none).
    isNap: endMs - startMs < 4 * 3600_000 && localStartHour >= 9 && localStartHour < 20,
    inBedS: covered,
    asleepS,
    awakeS: seconds.awake,
    lightS: seconds.light,
    deepS: seconds.deep,
    remS: seconds.rem,
    unknownS: seconds.unknown + seconds.sleeping,
    efficiencyPercent: covered > 0 ? Math.round((asleepS / covered) * 1000) / 10 : null,
    interruptions,
    stages: timeline.map((s) => ({
      stage: s.stage,
      start: new Date(s.startMs).toISOString(),
      end: new Date(s.endMs).toISOString(),
    })),
    utcOffsetMin,
  };
}

/** Groups one source's stage intervals into sessions and summarises each. */
export function buildSleepSessions(intervals: StageInterval[]): BuiltSleepSession[] {
  const sorted = intervals.filter((i) => i.endMs > i.startMs).sort((a, b) => a.startMs - b.startMs);
  const sessions: BuiltSleepSession[] = [];
  let group: StageInterval[] = [];
  let groupEnd = -Infinity;
  for (const interval of sorted) {
    if (group.length > 0 && interval.startMs > groupEnd + SESSION_GAP_MS) {
      sessions.push(summarise(group));
      group = [];
      groupEnd = -Infinity;
    }
    group.push(interval);
    groupEnd = Math.max(groupEnd, interval.endMs);
  }
  if (group.length > 0) sessions.push(summarise(group));
  return sessions;
}
