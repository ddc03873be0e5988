/**
 * A synthetic Apple Health export.xml for benchmarks: quantity Records (heart rate, steps, walking/running
 * distance, active energy, SpO2) with Apple's attributes, device strings, `2024-03-01 08:00:00 +0100`
 * dates and MetadataEntry children (HKTimeZone on some), sleep analysis nights, workouts with metadata,
 * events, statistics and an activity, and activity summaries: the shapes of a real iOS 17 export.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';

/** The export's last instant: everything lies in the years before it. */
const END = Date.UTC(2024, 5, 30, 22, 0, 0);
const SPAN_MS = 5 * 365 * 86_400_000;
const MiB = 1024 * 1024;

/** Europe/Berlin: +02:00 from the last Sunday of March to the last Sunday of October (01:00 UTC). */
const dstCache = new Map<number, [number, number]>();
function berlinOffsetMin(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  let span = dstCache.get(year);
  if (span === undefined) {
    const lastSunday = (month: number) => {
      const last = new Date(Date.UTC(year, month + 1, 0, 1));
      return last.getTime() - last.getUTCDay() * 86_400_000;
    };
    span = [lastSunday(2), lastSunday(9)];
    dstCache.set(year, span);
  }
  return ms >= span[0] && ms < span[1] ? 120 : 60;
}

const pad = (n: number) => (n < 10 ? `0${n}` : `${n}`);
/** `2024-03-01 08:00:00 +0100`, as Apple writes it (local time in Europe/Berlin). */
function appleDate(ms: number): string {
  const offset = berlinOffsetMin(ms);
  const d = new Date(ms + offset * 60_000);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0${offset / 60}00`
  );
}

const device = (addr: string, name: string, model: string, hardware: string, software: string) =>
  `&lt;&lt;HKDevice: 0x${addr}&gt;, name:${name}, manufacturer:Apple Inc., model:${model}, hardware:${hardware}, software:${software}&gt;`;
const SOURCES = {
  watchOld: `sourceName="Anna’s Apple Watch" sourceVersion="9.6" device="${device('2834f0a00', 'Apple Watch', 'Watch', 'Watch6,2', '9.6')}"`,
  watch: `sourceName="Anna’s Apple Watch" sourceVersion="10.3" device="${device('283a1c5f0', 'Apple Watch', 'Watch', 'Watch6,2', '10.3')}"`,
  phone: `sourceName="Anna’s iPhone" sourceVersion="17.4" device="${device('2810c2d20', 'iPhone', 'iPhone', 'iPhone13,2', '17.4')}"`,
};
const watchAt = (ms: number) => (ms < END - SPAN_MS / 2 ? SOURCES.watchOld : SOURCES.watch);

/** A deterministic pseudo-random stream (xorshift32), so every run writes the same file. */
let seed = 0x9e3779b9;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4_294_967_296;
}
const round = (n: number, digits: number) => Number(n.toFixed(digits));
const hex = (digits: number) =>
  Array.from({ length: digits }, () => Math.floor(rand() * 16).toString(16))
    .join('')
    .toUpperCase();
const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;

interface QuantityKind {
  type: string;
  unit: string;
  share: number;
  /** Duration of one record, ms (0: an instant). */
  duration: () => number;
  value: () => string;
  source: (ms: number, i: number) => string;
  metadata: (i: number) => string;
}

const HR_CONTEXT = '\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="1"/>';
const KINDS: QuantityKind[] = [
  {
    type: 'HKQuantityTypeIdentifierHeartRate',
    unit: 'count/min',
    share: 0.5,
    duration: () => 0,
    value: () => (rand() < 0.5 ? String(55 + Math.floor(rand() * 70)) : String(round(55 + rand() * 70, 4))),
    source: watchAt,
    metadata: () => HR_CONTEXT,
  },
  {
    type: 'HKQuantityTypeIdentifierStepCount',
    unit: 'count',
    share: 0.2,
    duration: () => 60_000 + Math.floor(rand() * 540) * 1000,
    value: () => String(1 + Math.floor(rand() * 900)),
    source: (ms, i) => (i % 2 === 0 ? SOURCES.phone : watchAt(ms)),
    metadata: () => '',
  },
  {
    type: 'HKQuantityTypeIdentifierDistanceWalkingRunning',
    unit: 'km',
    share: 0.1,
    duration: () => 60_000 + Math.floor(rand() * 540) * 1000,
    value: () => String(round(rand() * 0.7, 5)),
    source: (ms, i) => (i % 2 === 0 ? SOURCES.phone : watchAt(ms)),
    metadata: () => '',
  },
  {
    type: 'HKQuantityTypeIdentifierActiveEnergyBurned',
    unit: 'kcal',
    share: 0.17,
    duration: () => 30_000 + Math.floor(rand() * 60) * 1000,
    value: () => String(round(rand() * 12, 3)),
    source: watchAt,
    metadata: (i) => (i % 20 === 0 ? '\n  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>' : ''),
  },
  {
    type: 'HKQuantityTypeIdentifierOxygenSaturation',
    unit: '%',
    share: 0.03,
    duration: () => 0,
    value: () => String(round(0.93 + rand() * 0.07, 2)),
    source: watchAt,
    metadata: () =>
      '\n  <MetadataEntry key="HKMetadataKeyBarometricPressure" value="101.3 kPa"/>' +
      '\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>',
  },
];

const SLEEP = [
  ['HKCategoryValueSleepAnalysisAsleepCore', 45],
  ['HKCategoryValueSleepAnalysisAsleepDeep', 25],
  ['HKCategoryValueSleepAnalysisAsleepCore', 30],
  ['HKCategoryValueSleepAnalysisAsleepREM', 20],
  ['HKCategoryValueSleepAnalysisAwake', 3],
] as const;

const WORKOUT_TYPES = [
  ['HKWorkoutActivityTypeRunning', 'HKQuantityTypeIdentifierDistanceWalkingRunning'],
  ['HKWorkoutActivityTypeWalking', 'HKQuantityTypeIdentifierDistanceWalkingRunning'],
  ['HKWorkoutActivityTypeCycling', 'HKQuantityTypeIdentifierDistanceCycling'],
  ['HKWorkoutActivityTypeFunctionalStrengthTraining', undefined],
] as const;

export interface GeneratedExport {
  bytes: number;
  records: number;
  workouts: number;
  /** Top-level elements (what the importer counts as records). */
  elements: number;
  samples: number;
  sleepIntervals: number;
}

export interface ExportShape {
  /** Record elements, sleep analysis included. */
  records: number;
  workouts: number;
  /** Nights of sleep analysis and days of activity summaries. */
  nights: number;
}

/** Where the generator's XML goes, ~1 MiB at a time; resolves once it may write again. */
type Sink = (chunk: Buffer) => Promise<void>;

async function write(out: Writable, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Streams a synthetic export.xml to `path` in ~1 MiB writes, honouring backpressure; deterministic for a
 * given shape. Every quantity Record is a distinct sample (its own type, source and start).
 */
export async function generateExport(path: string, shape: ExportShape): Promise<GeneratedExport> {
  // Flushed to disk before it is closed: otherwise the write-back of this ~1 GB file would compete with
  // every phase the benchmark then times.
  const out = createWriteStream(path, { flush: true });
  const gen = await writeExport((chunk) => write(out, chunk), shape);
  out.end();
  await once(out, 'close');
  return gen;
}

const u16 = (n: number) => Buffer.from([n & 0xff, n >>> 8]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/**
 * The same export as `generateExport`, as an `export.zip` holding `apple_health_export/export.xml`
 * (deflated, as Apple writes it): the XML is deflated as it is generated, so neither it nor the zip is
 * ever whole in memory or on disk. Sizes go in a data descriptor and the central directory (no zip64:
 * the XML must stay under 4 GiB). Level 1: the archive of a 4 GB export is written in about a third of
 * the time of the default level, and reading it costs the same.
 */
export async function generateExportZip(
  path: string,
  shape: ExportShape,
): Promise<GeneratedExport & { zipBytes: number }> {
  const name = Buffer.from('apple_health_export/export.xml');
  const out = createWriteStream(path, { flush: true });
  // Version 2.0, flag 0x0008 (sizes and CRC follow the data) | 0x0800 (UTF-8 name), deflate, no time.
  const head = [u16(20), u16(0x0808), u16(8), u32(0)];
  await write(
    out,
    Buffer.concat([u32(0x04034b50), ...head, u32(0), u32(0), u32(0), u16(name.length), u16(0), name]),
  );
  const deflate = createDeflateRaw({ level: 1 });
  let compressed = 0;
  deflate.on('data', (chunk: Buffer) => {
    compressed += chunk.length;
    if (!out.write(chunk)) {
      deflate.pause();
      out.once('drain', () => deflate.resume());
    }
  });
  const deflated = once(deflate, 'end');
  let crc = 0;
  const gen = await writeExport((chunk) => {
    crc = crc32(chunk, crc);
    return write(deflate, chunk);
  }, shape);
  deflate.end();
  await deflated;
  if (gen.bytes >= 0xffffffff)
    throw new Error(`export.xml of ${gen.bytes} bytes needs zip64, not written here`);
  const dataEnd = 30 + name.length + compressed;
  const sizes = [u32(crc), u32(compressed), u32(gen.bytes)];
  const central = Buffer.concat([
    u32(0x02014b50),
    u16(20),
    ...head,
    ...sizes,
    u16(name.length),
    u16(0),
    u16(0),
    u16(0),
    u16(0),
    u32(0),
    u32(0),
    name,
  ]);
  const descriptor = Buffer.concat([u32(0x08074b50), ...sizes]);
  const centralAt = dataEnd + descriptor.length;
  const eocd = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(1),
    u16(1),
    u32(central.length),
    u32(centralAt),
    u16(0),
  ]);
  out.end(Buffer.concat([descriptor, central, eocd]));
  await once(out, 'close');
  return { ...gen, zipBytes: centralAt + central.length + eocd.length };
}

async function writeExport(sink: Sink, shape: ExportShape): Promise<GeneratedExport> {
  const { records: RECORDS, workouts: WORKOUTS, nights: NIGHTS } = shape;
  seed = 0x9e3779b9;
  let bytes = 0;
  let buffer = '';
  const flush = async () => {
    const chunk = Buffer.from(buffer);
    buffer = '';
    bytes += chunk.length;
    await sink(chunk);
  };
  const emit = async (text: string) => {
    buffer += text;
    if (buffer.length >= MiB) await flush();
  };
  await emit(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
]>
<HealthData locale="de_DE">
 <ExportDate value="${appleDate(END)}"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1988-04-12" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
`);
  let records = 0;
  let samples = 0;
  let sleepIntervals = 0;
  const sleepRecords = NIGHTS * (1 + SLEEP.length * 3);
  const quantityRecords = Math.max(0, RECORDS - sleepRecords);

  // Quantity records, grouped by type and in time order within a type, as Apple writes them.
  for (const kind of KINDS) {
    const count = Math.round(quantityRecords * kind.share);
    const step = Math.floor(SPAN_MS / count);
    for (let i = 0; i < count; i++) {
      // Jitter within the step keeps every start distinct (a sample's identity includes its start).
      const start = Math.floor((END - SPAN_MS + i * step + rand() * step * 0.5) / 1000) * 1000;
      const end = start + Math.min(kind.duration(), step / 2);
      const metadata = kind.metadata(i);
      await emit(
        ` <Record type="${kind.type}" ${kind.source(start, i)} unit="${kind.unit}" creationDate="${appleDate(end + 90_000)}" startDate="${appleDate(start)}" endDate="${appleDate(Math.floor(end / 1000) * 1000)}" value="${kind.value()}"${metadata === '' ? '/>\n' : `>${metadata}\n </Record>\n`}`,
      );
    }
    records += count;
    samples += count;
  }

  // A year of nights: the phone's InBed span, and the watch's stages (with HKTimeZone, as iOS writes).
  const tz = '\n  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n </Record>\n';
  for (let night = NIGHTS; night >= 1; night--) {
    const bedtime = END - night * 86_400_000 - 2 * 3_600_000 + Math.floor(rand() * 60) * 60_000;
    let t = bedtime + 10 * 60_000;
    const stages: string[] = [];
    for (let cycle = 0; cycle < 3; cycle++) {
      for (const [stage, minutes] of SLEEP) {
        const end = t + (minutes + Math.floor(rand() * 10)) * 60_000;
        stages.push(
          ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" ${SOURCES.watch} creationDate="${appleDate(end + 3_600_000)}" startDate="${appleDate(t)}" endDate="${appleDate(end)}" value="${stage}">${tz}`,
        );
        t = end;
      }
    }
    await emit(
      ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" ${SOURCES.phone} creationDate="${appleDate(t + 3_600_000)}" startDate="${appleDate(bedtime)}" endDate="${appleDate(t + 15 * 60_000)}" value="HKCategoryValueSleepAnalysisInBed">${tz}`,
    );
    for (const s of stages) await emit(s);
    records += 1 + stages.length;
    sleepIntervals += 1 + stages.length;
  }

  // Workouts (iOS 16+ shape): metadata, pause/resume and segment events, statistics, one activity.
  const workoutStep = Math.floor(SPAN_MS / WORKOUTS);
  for (let w = 0; w < WORKOUTS; w++) {
    const [activityType, distanceType] = WORKOUT_TYPES[
      w % WORKOUT_TYPES.length
    ] as (typeof WORKOUT_TYPES)[number];
    const start = Math.floor((END - SPAN_MS + w * workoutStep + rand() * workoutStep * 0.5) / 1000) * 1000;
    const minutes = 20 + Math.floor(rand() * 70);
    const end = start + minutes * 60_000;
    const src = watchAt(start);
    const s = appleDate(start);
    const e = appleDate(end);
    const stat = (type: string, unit: string, fields: string) =>
      `\n  <WorkoutStatistics type="${type}" startDate="${s}" endDate="${e}" ${fields} unit="${unit}"/>`;
    const distance =
      distanceType === undefined
        ? ''
        : stat(distanceType, 'km', `sum="${round(minutes * (0.08 + rand() * 0.1), 4)}"`);
    const pause = start + Math.floor(minutes / 2) * 60_000;
    const body =
      `\n  <MetadataEntry key="HKIndoorWorkout" value="${w % 5 === 0 ? 1 : 0}"/>` +
      '\n  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>' +
      `\n  <MetadataEntry key="HKAverageMETs" value="${round(4 + rand() * 6, 5)} kcal/hr·kg"/>` +
      `\n  <MetadataEntry key="HKWeatherTemperature" value="${50 + Math.floor(rand() * 30)} degF"/>` +
      `\n  <MetadataEntry key="HKElevationAscended" value="${Math.floor(rand() * 8000)} cm"/>` +
      `\n  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="${s}" duration="${minutes / 2}" durationUnit="min"/>` +
      `\n  <WorkoutEvent type="HKWorkoutEventTypePause" date="${appleDate(pause)}"/>` +
      `\n  <WorkoutEvent type="HKWorkoutEventTypeResume" date="${appleDate(pause + 60_000)}"/>` +
      `\n  <WorkoutActivity uuid="${uuid()}" startDate="${s}" endDate="${e}" duration="${minutes}" durationUnit="min">` +
      `\n   <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="${s}" endDate="${e}" average="${130 + Math.floor(rand() * 30)}" minimum="90" maximum="178" unit="count/min"/>` +
      '\n  </WorkoutActivity>' +
      stat('HKQuantityTypeIdentifierActiveEnergyBurned', 'kcal', `sum="${round(minutes * 9.5, 3)}"`) +
      stat('HKQuantityTypeIdentifierBasalEnergyBurned', 'kcal', `sum="${round(minutes * 1.2, 3)}"`) +
      stat(
        'HKQuantityTypeIdentifierHeartRate',
        'count/min',
        `average="${130 + Math.floor(rand() * 30)}" minimum="90" maximum="178"`,
      ) +
      distance;
    await emit(
      ` <Workout workoutActivityType="${activityType}" duration="${minutes}" durationUnit="min" ${src} creationDate="${appleDate(end + 60_000)}" startDate="${s}" endDate="${e}">${body}\n </Workout>\n`,
    );
  }

  // A year of activity rings (kept raw by the importer).
  for (let day = NIGHTS; day >= 1; day--) {
    const date = appleDate(END - day * 86_400_000).slice(0, 10);
    await emit(
      ` <ActivitySummary dateComponents="${date}" activeEnergyBurned="${round(300 + rand() * 400, 3)}" activeEnergyBurnedGoal="500" activeEnergyBurnedUnit="kcal" appleMoveTime="0" appleMoveTimeGoal="0" appleExerciseTime="${Math.floor(rand() * 90)}" appleExerciseTimeGoal="30" appleStandHours="${Math.floor(rand() * 14)}" appleStandHoursGoal="12"/>\n`,
    );
  }
  buffer += '</HealthData>\n';
  await flush();
  return {
    bytes,
    records,
    workouts: WORKOUTS,
    elements: 2 + records + WORKOUTS + NIGHTS,
    samples,
    sleepIntervals,
  };
}
