import type { CanonicalBatch } from '../health-data/canonical.ts';
import { mapSdkBatch } from './sdk/map-sdk-batch.ts';
import type { RejectedEntry } from './sdk/sdk-payload.ts';
import { SdkSyncBody } from './sdk/sdk-payload.ts';
import { mapWearMetricsBatch, WearMetricsBatchBody } from './wearmetrics/map-wearmetrics.ts';

/** A payload mapped to canonical records, with what could not be. */
export interface MappedBatch {
  batch: CanonicalBatch;
  rejected: RejectedEntry[];
  keptRaw: Record<string, number>;
  received: Record<string, number>;
  /** Path-specific counts for the run result (e.g. RR intervals outside the range gate). */
  extra?: Record<string, unknown>;
}

/**
 * Every archived push payload kind and how to map it: used on the request path and again to replay an
 * interrupted run from its archived payload.
 */
export const payloadKinds = {
  sdk_sync: { map: (payload: unknown): MappedBatch => mapSdkBatch(SdkSyncBody.parse(payload)) },
  wearmetrics: {
    map: (payload: unknown): MappedBatch => mapWearMetricsBatch(WearMetricsBatchBody.parse(payload)),
  },
} as const;

export type PayloadKind = keyof typeof payloadKinds;

export function isPayloadKind(kind: string): kind is PayloadKind {
  return Object.hasOwn(payloadKinds, kind);
}
