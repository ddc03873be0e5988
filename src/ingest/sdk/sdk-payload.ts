import { z } from '@hono/zod-openapi';

/**
 * The SDK sync payload of spec 001. The envelope is validated as a whole (a malformed envelope is a
 * 422); each record, workout and sleep entry is validated on its own, so one bad entry is reported by
 * index while the rest of the batch is stored.
 */
export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
export const OFFSET_PATTERN = /^(Z|[+-]\d{2}:?\d{2})$/i;

const timestamp = z.string().max(40).regex(TIMESTAMP_PATTERN, {
  message: 'must be an ISO 8601 timestamp with Z or a UTC offset',
});

const offset = z.union([
  z.string().regex(OFFSET_PATTERN, { message: 'must look like +02:00' }),
  z
    .number()
    .int()
    .min(-18 * 3600)
    .max(18 * 3600)
    .describe('seconds east of UTC'),
]);

export const SdkSource = z
  .object({
    name: z.string().max(200).optional(),
    bundleIdentifier: z.string().max(200).optional(),
    deviceName: z.string().max(200).optional(),
    deviceModel: z.string().max(200).optional(),
    deviceType: z.string().max(100).optional(),
    deviceManufacturer: z.string().max(200).optional(),
    productType: z.string().max(200).optional(),
    operatingSystemVersion: z
      .union([
        z.object({
          majorVersion: z.number(),
          minorVersion: z.number().optional(),
          patchVersion: z.number().optional(),
        }),
        z.string().max(50),
      ])
      .optional(),
  })
  .openapi('SdkSource');

const metadata = z.record(z.string().max(200), z.unknown());

export const SdkRecord = z
  .object({
    id: z.string().max(200).optional(),
    type: z.string().min(1).max(200),
    startDate: timestamp,
    endDate: timestamp.optional(),
    value: z.union([z.number(), z.string().max(64)]).optional(),
    unit: z.string().max(64).optional(),
    zoneOffset: offset.optional(),
    source: SdkSource.optional(),
    metadata: metadata.optional(),
  })
  .openapi('SdkRecord');

const WorkoutValue = z.object({
  type: z.string().min(1).max(100),
  value: z.number(),
  unit: z.string().max(64).optional(),
});

const RoutePoint = z.object({
  timestamp,
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  altitude: z.number().optional(),
  speed: z.number().optional(),
  course: z.number().optional(),
  horizontalAccuracy: z.number().optional(),
  verticalAccuracy: z.number().optional(),
});

const WorkoutSegment = z.object({
  type: z.string().min(1).max(50).describe('lap, segment, pause, resume, marker…'),
  startDate: timestamp,
  endDate: timestamp.optional(),
  metadata: metadata.optional(),
});

export const SdkWorkout = z
  .object({
    id: z.string().max(200).optional(),
    type: z.union([z.string().min(1).max(100), z.number().int()]),
    startDate: timestamp,
    endDate: timestamp,
    zoneOffset: offset.optional(),
    values: z.array(WorkoutValue).max(200).optional(),
    events: z.array(WorkoutSegment).max(10_000).optional(),
    route: z.array(RoutePoint).max(100_000).optional(),
    source: SdkSource.optional(),
    metadata: metadata.optional(),
  })
  .openapi('SdkWorkout');

export const SdkSleep = z
  .object({
    id: z.string().max(200).optional(),
    stage: z.union([z.string().min(1).max(100), z.number().int()]),
    startDate: timestamp,
    endDate: timestamp,
    zoneOffset: offset.optional(),
    source: SdkSource.optional(),
    metadata: metadata.optional(),
  })
  .openapi('SdkSleepStage');

export const SdkProvider = z.enum(['apple', 'samsung', 'google']);
export type SdkProvider = z.infer<typeof SdkProvider>;

/** Limits per request; larger uploads are split by the SDK. */
export const SDK_LIMITS = { records: 50_000, workouts: 2_000, sleep: 20_000 } as const;

export const SdkSyncBody = z
  .object({
    provider: SdkProvider,
    sdkVersion: z.string().max(50).optional(),
    syncTimestamp: timestamp.optional(),
    data: z.object({
      records: z.array(z.unknown()).max(SDK_LIMITS.records).default([]),
      workouts: z.array(z.unknown()).max(SDK_LIMITS.workouts).default([]),
      sleep: z.array(z.unknown()).max(SDK_LIMITS.sleep).default([]),
    }),
  })
  .openapi('SdkSyncRequest', {
    description: `Entries are validated one by one: see SdkRecord, SdkWorkout, SdkSleepStage.`,
  });
export type SdkSyncBody = z.infer<typeof SdkSyncBody>;

export const RejectedEntry = z
  .object({
    collection: z.enum(['records', 'workouts', 'sleep', 'samples']),
    index: z.number().int(),
    loc: z.array(z.union([z.string(), z.number()])),
    msg: z.string(),
  })
  .openapi('RejectedEntry');
export type RejectedEntry = z.infer<typeof RejectedEntry>;
