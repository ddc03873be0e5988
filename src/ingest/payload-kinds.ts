import type { StorableBatch } from '../health-data/canonical.ts';
import { jsonTextIsStorable } from './entry-guard.ts';
import { mapSdkBatch } from './sdk/map-sdk-batch.ts';
import type { RejectedEntry } from './sdk/sdk-payload.ts';
import { SdkSyncBody } from './sdk/sdk-payload.ts';
import { mapWearMetricsBatch, WearMetricsBatchBody } from './wearmetrics/map-wearmetrics.ts';

/** A payload mapped to canonical records, with what could not be. */
export interface MappedBatch {
  batch: StorableBatch;
  rejected: RejectedEntry[];
  keptRaw: Record<string, number>;
  received: Record<string, number>;
  /** Path-specific counts for the run result (e.g. RR intervals outside the range gate). */
  extra?: Record<string, unknown>;
}

/**
 * Every archived push payload kind: `mapValid` maps a body the route's schema validated, parsed from
 * `text`; `archived` is the text kept for it; `map` replays an interrupted run from that text.
 */
export const payloadKinds = {
  sdk_sync: {
    mapValid: (body: unknown, text: string): MappedBatch =>
      mapSdkBatch(body as SdkSyncBody, { storableText: jsonTextIsStorable(text) }),
    // The request's own text: nothing to serialise again (a 10,000-record batch is ~2.3 MB).
    archived: (_body: unknown, text: string): string => text,
    map: (text: string): MappedBatch =>
      mapSdkBatch(SdkSyncBody.parse(JSON.parse(text)), { storableText: jsonTextIsStorable(text) }),
  },
  wearmetrics: {
    mapValid: (body: unknown): MappedBatch => mapWearMetricsBatch(body as WearMetricsBatchBody),
    // Always archived as {samples: [...]}, whichever form was sent.
    archived: (body: unknown): string => JSON.stringify(body),
    map: (text: string): MappedBatch => mapWearMetricsBatch(WearMetricsBatchBody.parse(JSON.parse(text))),
  },
} as const;

export type PayloadKind = keyof typeof payloadKinds;

export function isPayloadKind(kind: string): kind is PayloadKind {
  return Object.hasOwn(payloadKinds, kind);
}
