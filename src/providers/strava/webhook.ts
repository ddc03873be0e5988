import { createHash } from 'node:crypto';
import type { InboundRequest, WebhookAdapter, WebhookNotification } from '../types.ts';
import { parseStravaJson, StravaJsonError } from './json.ts';
import { describeIssue, StravaEvent } from './schemas.ts';

/**
 * Strava push-subscription events. Unsigned (see the manifest's `why`): the only check Strava offers is
 * the `hub.verify_token` of the creation handshake, answered here.
 */

/**
 * `GET <callback>?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…` while a subscription is being
 * created: echo the challenge as JSON when the verify token is one of ours (within Strava's 2 s).
 */
function handshake(
  request: InboundRequest,
  verifyTokens: readonly string[],
): { status: number; body?: unknown; contentType?: string } | undefined {
  if (request.method !== 'GET') return undefined;
  const mode = request.query['hub.mode'];
  const challenge = request.query['hub.challenge'];
  if (mode === undefined && challenge === undefined) return undefined;
  if (mode !== 'subscribe' || challenge === undefined || challenge === '')
    return {
      status: 400,
      body: {
        detail: 'A Strava handshake needs hub.mode=subscribe and hub.challenge',
        code: 'bad_handshake',
      },
    };
  const token = request.query['hub.verify_token'];
  if (token === undefined || !verifyTokens.includes(token))
    return {
      status: 403,
      body: {
        detail: 'hub.verify_token is not the verify token of any Strava app',
        code: 'bad_verify_token',
      },
    };
  return { status: 200, body: { 'hub.challenge': challenge }, contentType: 'application/json' };
}

function readEvent(request: InboundRequest): StravaEvent | string {
  let raw: unknown;
  try {
    // Object and owner ids are int64: parsed as exact strings.
    raw = parseStravaJson(Buffer.from(request.body).toString('utf8'));
  } catch (error) {
    if (error instanceof StravaJsonError) return `Strava event is not JSON: ${error.message}`;
    throw error;
  }
  const parsed = StravaEvent.safeParse(raw);
  return parsed.success
    ? parsed.data
    : `Strava event is not in the documented shape: ${describeIssue(parsed.error)}`;
}

/** An event → what to do: pull the activity, disconnect the athlete, or nothing. */
export function notificationOf(event: StravaEvent): WebhookNotification {
  const owner = event.owner_id;
  if (event.object_type === 'athlete') {
    // Deauthorization is the only athlete event, `updates: {authorized: "false"}` (a string).
    const authorized = event.updates?.authorized;
    if (authorized === 'false' || authorized === false) return { kind: 'deauthorize', providerUserId: owner };
    return { kind: 'ignore', reason: `Strava athlete ${event.aspect_type} without a deauthorization` };
  }
  if (event.aspect_type === 'delete')
    // WearLink keeps what it synced (as on disconnect); a deleted activity is not pulled again.
    return { kind: 'ignore', reason: `Strava activity ${event.object_id} was deleted` };
  return {
    kind: 'pull',
    providerUserId: owner,
    target: {
      resource: 'activities',
      objectId: event.object_id,
      details: { aspect_type: event.aspect_type, subscription_id: event.subscription_id },
    },
  };
}

export const stravaWebhook: WebhookAdapter = {
  handshake,

  parse(request) {
    const event = readEvent(request);
    if (typeof event === 'string') return { ok: false, error: event };
    return { ok: true, notifications: [notificationOf(event)] };
  },

  /**
   * Strava re-sends an unacknowledged event as is (up to 3 attempts): same subscription, object, aspect
   * and event time. The updates are part of the key so two edits within one second stay two events.
   */
  dedupeKey(request) {
    const event = readEvent(request);
    if (typeof event === 'string') return `sha256:${createHash('sha256').update(request.body).digest('hex')}`;
    const updates = createHash('sha256')
      .update(JSON.stringify(event.updates ?? {}))
      .digest('hex')
      .slice(0, 16);
    return [
      event.subscription_id,
      event.object_type,
      event.object_id,
      event.aspect_type,
      event.event_time,
      updates,
    ].join(':');
  },
};
