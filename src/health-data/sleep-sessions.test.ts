import { describe, expect, it } from 'vitest';
import { buildSleepSessions, type StageInterval } from './sleep-sessions.ts';

const at = (hhmm: string, day = 22) =>
  Date.UTC(2026, 3, day, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3)));
const iv = (
  stage: StageInterval['stage'],
  from: number,
  to: number,
  utcOffsetMin: number | null = null,
): StageInterval => ({
  stage,
  startMs: from,
  endMs: to,
  utcOffsetMin,
});

describe('sleep sessions from stage intervals', () => {
  it('lets specific stages win over an overlapping in-bed or unspecified-asleep interval', () => {
    const [night] = buildSleepSessions([
      iv('in_bed', at('22:00'), at('06:00', 23)),
      iv('sleeping', at('22:30'), at('05:30', 23)),
      iv('deep', at('23:00'), at('00:00', 23)),
      iv('awake', at('02:00', 23), at('02:10', 23)),
    ]);
    // 22:00–22:30 in bed 30 min; 22:30–23:00 asleep 30; 23:00–00:00 deep 60; 00:00–02:00 asleep 120;
    // 02:00–02:10 awake 10; 02:10–05:30 asleep 200; 05:30–06:00 in bed 30.
    expect(night).toMatchObject({
      inBedS: 480 * 60,
      asleepS: (30 + 60 + 120 + 200) * 60,
      deepS: 3600,
      awakeS: 600,
      unknownS: 350 * 60,
      interruptions: 1,
      efficiencyPercent: 85.4,
      isNap: false,
    });
    expect(night?.stages.map((s) => s.stage)).toEqual([
      'in_bed',
      'sleeping',
      'deep',
      'sleeping',
      'awake',
      'sleeping',
      'in_bed',
    ]);
  });

  it('splits sessions at gaps over an hour and marks short daytime sleep as a nap (in local time)', () => {
    const sessions = buildSleepSessions([
      iv('light', at('23:00'), at('03:00', 23), 120),
      iv('light', at('03:30', 23), at('06:00', 23), 120),
      // 12:00 UTC is 14:00 at +02:00: an afternoon nap.
      iv('light', at('12:00', 23), at('12:40', 23), 120),
    ]);
    expect(sessions.map((s) => [new Date(s.startMs).toISOString(), s.isNap, s.asleepS / 60])).toEqual([
      ['2026-04-22T23:00:00.000Z', false, 390],
      ['2026-04-23T12:00:00.000Z', true, 40],
    ]);
  });

  it('ignores empty intervals and returns nothing for nothing', () => {
    expect(buildSleepSessions([])).toEqual([]);
    expect(buildSleepSessions([iv('deep', at('01:00'), at('01:00'))])).toEqual([]);
  });
});
