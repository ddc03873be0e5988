import { createHash, timingSafeEqual } from 'node:crypto';
import type { InboundRequest, WebhookAdapter, WebhookNotification } from '../types.ts';
import { resourceOfDataType } from './manifest.ts';
import { instant, isObject } from './map-common.ts';

/**
 * Google Health webhook deliveries. The platform checks the shared secret in `Authorization` against
 * every app's webhook secret (manifest `shared_secret_header`); this adapter answers Google's endpoint
 * verification and reads what a notification names:
 * `{data: {healthUserId, dataType, operation: 'UPSERT'|'DELETE', intervals: [{physicalTimeInterval:
 * {startTime, endTime}}]}}` ([3P] open-wearables' handler; Google's page shows no full example).
 */

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
}

function sameSecret(a: string, b: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

const isVerification = (body: unknown) => isObject(body) && body.type === 'verification';

/** The span covering every changed interval of a notification, or undefined when none is usable. */
function changedSpan(intervals: unknown): { fromMs: number; toMs: number } | undefined {
  if (!Array.isArray(intervals)) return undefined;
  let fromMs = Number.POSITIVE_INFINITY;
  let toMs = Number.NEGATIVE_INFINITY;
  for (const entry of intervals) {
    const physical =
      isObject(entry) && isObject(entry.physicalTimeInterval) ? entry.physicalTimeInterval : undefined;
    const start = instant(physical?.startTime);
    const end = instant(physical?.endTime);
    if (start === undefined || end === undefined || end < start) continue;
    fromMs = Math.min(fromMs, start);
    toMs = Math.max(toMs, end);
  }
  return Number.isFinite(fromMs) ? { fromMs, toMs } : undefined;
}

export const fitbitWebhook: WebhookAdapter = {
  /**
   * Google's endpoint verification: two POSTs of `{"type":"verification"}` when a subscriber is
   * created or updated, one with the secret in Authorization (must get 201) and one without (must get
   * 401 or 403). Any other body is not a handshake.
   */
  handshake(request: InboundRequest, verifyTokens: readonly string[]) {
    if (request.method !== 'POST' || !isVerification(parseJson(request.body))) return undefined;
    const raw = request.headers.authorization?.trim() ?? '';
    const presented = raw.replace(/^Bearer\s+/i, '');
    if (presented !== '' && verifyTokens.some((t) => sameSecret(t, presented)))
      return { status: 201, body: { status: 'verified' } };
    return {
      status: 401,
      body: { detail: 'Authorization does not match the webhook secret', code: 'invalid_secret' },
    };
  },

  parse(request: InboundRequest) {
    const body = parseJson(request.body);
    if (!isObject(body)) return { ok: false, error: 'the body is not a JSON object' };
    if (isVerification(body))
      return { ok: true, notifications: [{ kind: 'ignore', reason: 'Google endpoint verification' }] };
    const data = body.data;
    if (!isObject(data)) return { ok: false, error: 'data: missing' };
    const userId = data.healthUserId;
    const dataType = data.dataType;
    if (typeof userId !== 'string' || userId === '')
      return { ok: false, error: 'data.healthUserId: missing' };
    if (typeof dataType !== 'string' || dataType === '')
      return { ok: false, error: 'data.dataType: missing' };
    let notification: WebhookNotification;
    const resource = resourceOfDataType(dataType);
    const span = changedSpan(data.intervals);
    if (resource === undefined)
      notification = {
        kind: 'ignore',
        reason: `Google Health data type "${dataType}" is not synced by WearLink`,
      };
    else if (data.operation === 'DELETE')
      // WearLink keeps what it pulled; a deletion has nothing to fetch.
      notification = { kind: 'ignore', reason: `Google Health deleted ${dataType} data` };
    else if (span === undefined) return { ok: false, error: 'data.intervals: no physicalTimeInterval' };
    else
      notification = {
        kind: 'pull',
        providerUserId: userId,
        target: { resource, ...span, details: { dataType, operation: String(data.operation ?? 'UPSERT') } },
      };
    return { ok: true, notifications: [notification] };
  },
};
