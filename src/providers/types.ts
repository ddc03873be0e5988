import type { CanonicalBatch } from '../health-data/canonical.ts';
import type { Logger } from '../shared/logger.ts';
import type { ProviderManifest } from './manifest.ts';

/**
 * The contract between WearLink's provider platform and one vendor's folder (`src/providers/<vendor>/`).
 * The platform owns OAuth, tokens, the HTTP client, budgets, runs, webhook storage and subscriptions'
 * bookkeeping; a vendor module owns its manifest (data) and the code data cannot say: which calls fetch
 * a resource, how its payloads map to canonical records, how its webhook bodies name what changed.
 */

/** Tokens as the platform stores them (sealed) for one connection. */
export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  /** Epoch ms; absent: the vendor gave no expiry. */
  expires_at?: number;
  scope?: string;
  /** Whatever else the token response carried that a module needs (Polar's `x_user_id`, Withings' `userid`, Strava's `athlete`). */
  extra?: Record<string, unknown>;
}

/** One call to a vendor API. `host` is a manifest host name (default: the manifest's API host). */
export interface VendorRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  host?: string;
  /** A path on the host, or an absolute URL the vendor handed out (a webhook's `url`, a `next` link). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  form?: Record<string, string | number | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
  /**
   * `user`: the connection's bearer token (refreshed when due, one refresh-and-retry on 401);
   * `client_basic`: HTTP Basic with the app's client id and secret; `client_headers`: Oura's
   * `x-client-id`/`x-client-secret`; `none`.
   */
  auth?: 'user' | 'client_basic' | 'client_headers' | 'none';
  /** Status codes the caller handles itself instead of the client raising (e.g. Polar's 409 on registration). */
  accept?: number[];
  /** `text`: the body as a string (Strava ids above 2^53 must not pass through JSON numbers). Default `json`. */
  responseType?: 'json' | 'text';
}

export interface VendorResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON (undefined for an empty body). */
  body: T;
}

/**
 * The HTTP client a module calls the vendor through. Network errors and 5xx are retried with jitter,
 * 401 refreshes the token once, 429 (or a manifest's in-body rate-limit status) raises
 * `ProviderRateLimitError` so the job is rescheduled, the app-wide budget is counted, malformed JSON and
 * other 4xx raise `ProviderResponseError`.
 */
export interface VendorHttp {
  request<T = unknown>(request: VendorRequest): Promise<VendorResponse<T>>;
  /** `request` returning only the parsed body. */
  json<T = unknown>(request: VendorRequest): Promise<T>;
}

/** A time slice of a pull. */
export interface PullWindow {
  fromMs: number;
  toMs: number;
  label: string;
}

/**
 * What a webhook notification asks to pull: one object (`objectId`, or a vendor-given `url`) or a
 * window of one resource.
 */
export interface PullTarget {
  resource: string;
  objectId?: string;
  url?: string;
  fromMs?: number;
  toMs?: number;
  /** Vendor-specific extras (Withings' `appli`, Strava's `aspect_type`). */
  details?: Record<string, string>;
  /**
   * Data the vendor pushed in the webhook body itself (Garmin push): items `indexes` of the body's
   * `key` list. The engine reads them from the stored delivery (`inboundId`, filled in by the webhook
   * job) instead of calling the vendor, and maps them as this target's resource.
   */
  delivery?: { inboundId?: string; key: string; indexes: number[] };
}

export interface PullContext {
  userId: string;
  /** The vendor's id of the user (null for the sandbox). */
  providerUserId: string | null;
  /** The connection's provider-specific settings (e.g. the sandbox's simulated latency). */
  settings: Record<string, unknown>;
  /** 0-based index of the window (or target) within the run, and how many times the run's job has started. */
  windowIndex: number;
  attempt: number;
  /** Epoch ms up to which this resource was pulled before (incremental cursors; Withings' `lastupdate`). */
  cursorMs: number | undefined;
  http: VendorHttp;
}

/** How a module fetches and maps its resources; the engine drives windows, cursors, archiving and writing. */
export interface PullAdapter {
  /** One resource over one window, every page of it; the result is archived raw and then mapped. */
  fetch(context: PullContext, resource: string, window: PullWindow): Promise<unknown>;
  /** What a webhook named: pages per resource, each then mapped like a window's. */
  fetchTarget?(context: PullContext, target: PullTarget): Promise<{ resource: string; payload: unknown }[]>;
  /** Raw payload of one resource → canonical records (pure: reference-corpus tests call it directly). */
  map(
    resource: string,
    payload: unknown,
    context: { userId: string; providerUserId: string | null },
  ): CanonicalBatch;
}

/** A vendor webhook request as stored before it was acknowledged. */
export interface InboundRequest {
  method: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  body: Uint8Array;
}

/** What one webhook request means, once verified. */
export type WebhookNotification =
  | { kind: 'pull'; providerUserId: string; target: PullTarget }
  | { kind: 'deauthorize'; providerUserId: string }
  /** The user changed what they share (Garmin's userPermissionsChange): recorded as the connection's scopes. */
  | { kind: 'permissions'; providerUserId: string; permissions: string[] }
  /** A delivery that asks nothing of us (a ping, an event type WearLink does not use). */
  | { kind: 'ignore'; reason: string };

export interface WebhookAdapter {
  /**
   * The vendor's check of the callback (Oura's `challenge`, Strava's `hub.challenge`, Withings' HEAD,
   * Polar's unsigned PING): the answer, or undefined when the request is not a handshake.
   * `verifyTokens` are the configured verify tokens / webhook secrets of every app of this vendor.
   */
  handshake?(
    request: InboundRequest,
    verifyTokens: readonly string[],
  ): { status: number; body?: unknown; contentType?: string } | undefined;
  /**
   * A verified request's notifications; malformed bodies are an `error` (stored, answered 400).
   * `context.isVendorUrl` says whether a URL the body hands out points at one of this vendor's
   * configured hosts (after PROVIDER_URLS): a ping naming any other host must be refused, never fetched.
   */
  parse(
    request: InboundRequest,
    context?: WebhookParseContext,
  ): { ok: true; notifications: WebhookNotification[] } | { ok: false; error: string };
  /** Identifies a delivery for deduplication (default: the SHA-256 of the body). */
  dedupeKey?(request: InboundRequest): string;
}

export interface WebhookParseContext {
  isVendorUrl(url: string): boolean;
}

/** The app a call is made for (a developer's own, or the instance default from the environment). */
export interface ProviderAppCredentials {
  /** null: the instance-wide app from the environment. */
  developerId: string | null;
  clientId: string;
  clientSecret: string | undefined;
  webhookSecret: string | undefined;
  scopes: string[];
  /**
   * Google (fitbit) instance app only: the service account that authorizes project-level calls
   * (webhook subscribers), from FITBIT_SERVICE_ACCOUNT_KEY_FILE. Developer-owned apps have none.
   */
  serviceAccount?: { clientEmail: string; privateKeyPem: string; tokenUri: string };
}

/** Subscriptions a vendor needs WearLink to create and keep alive. */
export interface SubscriptionAdapter {
  /**
   * Makes sure the subscription exists and will not lapse: creates it, or renews it when it expires
   * within the manifest's `renew_before_days`. Returns what to store (vendor id, expiry) or undefined when nothing
   * changed. Per-app vendors are called with no connection; per-user vendors once per connection.
   */
  ensure(context: {
    http: VendorHttp;
    app: ProviderAppCredentials;
    callbackUrl: string;
    /** For what the operator must do by hand (Google subscribers without a service account). */
    logger?: Pick<Logger, 'warn'>;
    existing:
      | { vendorSubscriptionId: string | null; expiresAt: Date | null; details: Record<string, unknown> }
      | undefined;
  }): Promise<
    | { vendorSubscriptionId: string | null; expiresAt: Date | null; details?: Record<string, unknown> }
    | undefined
  >;
  /** Per-user vendors: drop the subscription when the user disconnects. */
  remove?(context: {
    http: VendorHttp;
    app: ProviderAppCredentials;
    callbackUrl: string;
    vendorSubscriptionId: string | null;
  }): Promise<void>;
}

/** Everything WearLink knows about one provider. */
export interface ProviderModule {
  manifest: ProviderManifest;
  /**
   * After the code exchange: the vendor's id of the user, plus any registration the vendor requires
   * before data calls (Polar's `POST /v3/users`). `http` is authenticated with the new tokens.
   */
  identify?(context: { http: VendorHttp; tokens: TokenSet; userId: string }): Promise<{
    providerUserId: string /** What the user granted (Garmin's permissions), stored as the connection's scopes. */;
    scopes?: string[];
  }>;
  /** Revocation the manifest cannot describe (Polar deregisters, Withings signs). */
  revoke?(context: {
    http: VendorHttp;
    tokens: TokenSet;
    providerUserId: string | null;
    app: ProviderAppCredentials;
  }): Promise<void>;
  /**
   * A cheap call with the user's token, for vendors whose webhooks are unsigned (Strava): a
   * deauthorization event is acted on only once this fails with `ProviderAuthError`, so a forged event
   * cannot disconnect a user whose grant still works.
   */
  confirmGrant?(http: VendorHttp): Promise<void>;
  pull: PullAdapter;
  webhook?: WebhookAdapter;
  subscriptions?: SubscriptionAdapter;
  /** Vendors whose history arrives by push after a request (Garmin; manifest `backfill`). */
  backfill?: BackfillAdapter;
}

/** The outcome of asking the vendor to send one window of one backfill type (expected failures are values). */
export type BackfillRequestOutcome =
  | { status: 'requested' }
  /** The vendor already has this window (Garmin's 409): nothing more will come for it. */
  | { status: 'duplicate' }
  | { status: 'failed'; reason: string; vendorStatus?: number };

export interface BackfillAdapter {
  /**
   * Asks the vendor to (re)send `type` for data recorded in [fromMs, toMs). Network errors, 5xx and
   * 429 still throw (the client retries, or the run is rescheduled); a refusal is a `failed` value.
   */
  request(
    context: { http: VendorHttp; providerUserId: string | null },
    type: string,
    window: { fromMs: number; toMs: number },
  ): Promise<BackfillRequestOutcome>;
}

/**
 * Where the vendor client gets a connection's tokens (src/providers/oauth/token-store.ts): `current`
 * refreshes first when the access token is about to expire; `refresh(stale)` after a 401 refreshes
 * unless another worker already replaced `stale` (one vendor refresh per connection at a time).
 */
export interface TokenSource {
  current(): Promise<TokenSet>;
  refresh(staleAccessToken: string): Promise<TokenSet>;
}
