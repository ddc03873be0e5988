import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are written as Date (or left to their default) and always read back as Date. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export interface DevelopersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  plan: Generated<string>;
  source_priority: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Null for a tenant (its owner); for a team member, the tenant's id (migration 0015_team). */
  tenant_id: ColumnType<string | null, string | null | undefined, string | null>;
  role: ColumnType<TeamRole, TeamRole | undefined, TeamRole>;
  // Account state for the operator (migration 0016_admin_billing).
  is_superuser: Generated<boolean>;
  email_verified_at: NullableTimestamp;
  failed_login_count: Generated<number>;
  last_failed_login_at: NullableTimestamp;
  locked_until: NullableTimestamp;
  organization: ColumnType<string | null, string | null | undefined, string | null>;
}

export type TeamRole = 'owner' | 'admin' | 'viewer';

/** An invitation into a tenant's team; only the token's SHA-256 is stored. */
export interface TeamInvitationsTable {
  id: string;
  /** The tenant invited into. */
  developer_id: string;
  email: string;
  role: 'admin' | 'viewer';
  token_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  accepted_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface ApiKeysTable {
  id: string;
  developer_id: string;
  name: string;
  /** SHA-256 (hex) of the full key: keys are high-entropy, so a fast hash is enough and allows an index. */
  key_hash: string;
  /** First characters of the key, safe to show in lists. */
  prefix: string;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
}

export interface UsersTable {
  id: string;
  developer_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  external_id: string | null;
  timezone: Generated<string | null>;
  source_priority: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Set when a delete was asked: the user is gone from the API at once, its rows go by a job. */
  deleted_at: NullableTimestamp;
}

export interface DataSourcesTable {
  id: Generated<number>;
  user_id: string;
  provider: string;
  device_name: string | null;
  device_model: string | null;
  device_type: string | null;
  device_manufacturer: string | null;
  app_name: string | null;
  app_id: string | null;
  software_version: string | null;
  /** Identity of the source within a user: provider and every device/app field, normalised. */
  fingerprint: string;
  created_at: CreatedAt;
}

export interface SamplesTable {
  user_id: string;
  series_type: number;
  start_time: Date;
  source_id: number;
  duration_ms: number;
  value: number;
  utc_offset_min: number | null;
}

type Json = ColumnType<unknown, string, string>;

export interface WorkoutsTable {
  id: string;
  user_id: string;
  source_id: number;
  dedupe_key: string;
  external_id: string | null;
  type: string;
  source_activity_type: string | null;
  start_time: Date;
  end_time: Date;
  duration_s: number;
  distance_m: number | null;
  energy_kcal: number | null;
  avg_heart_rate_bpm: number | null;
  max_heart_rate_bpm: number | null;
  avg_pace_sec_per_km: number | null;
  elevation_gain_m: number | null;
  steps: number | null;
  utc_offset_min: number | null;
  statistics: Json;
  segments: Json;
  metadata: Json;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WorkoutRoutePointsTable {
  workout_id: string;
  time: Date;
  latitude: number;
  longitude: number;
  altitude_m: number | null;
  speed_m_per_s: number | null;
  course_deg: number | null;
  horizontal_accuracy_m: number | null;
  vertical_accuracy_m: number | null;
}

export interface SleepStageIntervalsTable {
  user_id: string;
  source_id: number;
  start_time: Date;
  end_time: Date;
  stage: string;
  external_id: string | null;
  utc_offset_min: number | null;
}

export interface SleepSessionsTable {
  id: string;
  user_id: string;
  source_id: number;
  start_time: Date;
  end_time: Date;
  is_nap: boolean;
  in_bed_s: number;
  asleep_s: number;
  awake_s: number;
  light_s: number;
  deep_s: number;
  rem_s: number;
  unknown_s: number;
  efficiency_percent: number | null;
  interruptions: number;
  stages: Json;
  utc_offset_min: number | null;
  created_at: CreatedAt;
}

export interface HealthScoresTable {
  id: string;
  user_id: string;
  source_id: number | null;
  provider: string;
  date: ColumnType<string, string, string>;
  category: string;
  score: number;
  range_min: number;
  range_max: number;
  components: Json;
  created_at: CreatedAt;
}

export interface RawPayloadsTable {
  id: Generated<number>;
  user_id: string;
  provider: string;
  kind: string;
  content_type: string;
  encoding: string;
  size_bytes: number;
  body: Uint8Array;
  received_at: CreatedAt;
}

export interface SyncRunsTable {
  id: string;
  developer_id: string;
  user_id: string;
  provider: string;
  source: string;
  stage: string;
  status: string;
  message: string | null;
  items_processed: number | null;
  items_total: number | null;
  error: ColumnType<unknown, string | null, string | null>;
  result: ColumnType<unknown, string | null, string | null>;
  raw_payload_id: number | null;
  connection_id: string | null;
  mode: string | null;
  cancel_requested_at: NullableTimestamp;
  attempts: Generated<number>;
  window_from: NullableTimestamp;
  window_to: NullableTimestamp;
  queue_job_id: string | null;
  /** A webhook run's pull targets (see src/providers/types.ts PullTarget). */
  targets: ColumnType<unknown, string | null | undefined, string | null>;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SampleRollupsTable {
  user_id: string;
  series_type: number;
  /** Wall-clock hour in the sample's local time (timestamp without time zone). */
  local_hour: string;
  source_id: number;
  n: number;
  sum: number;
  min: number;
  max: number;
}

/** `sample_rollups` summed per local day, kept by triggers (migration 0017). */
export interface SampleDailyRollupsTable {
  user_id: string;
  series_type: number;
  /** The local hours' date (`date`). */
  local_day: string;
  source_id: number;
  n: number;
  sum: number;
  min: number;
  max: number;
}

export interface ConnectionsTable {
  id: string;
  developer_id: string;
  user_id: string;
  provider: string;
  status: string;
  provider_user_id: string | null;
  scopes: Generated<string[]>;
  /** The OAuth tokens, sealed with ENCRYPTION_KEY (src/crypto); null for providers without OAuth. */
  tokens_sealed: string | null;
  token_expires_at: NullableTimestamp;
  settings: ColumnType<unknown, string | undefined, string>;
  /** resource -> epoch ms up to which that resource has been pulled. */
  sync_cursors: ColumnType<Record<string, number>, string | undefined, string>;
  schedule_cron: string | null;
  schedule_enabled: Generated<boolean>;
  last_synced_at: NullableTimestamp;
  next_sync_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type ConnectionRow = Selectable<ConnectionsTable>;

export interface WebhookEndpointsTable {
  id: string;
  developer_id: string;
  url: string;
  description: string | null;
  filter_types: ColumnType<string[], string[] | undefined, string[]>;
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: NullableTimestamp;
  failing_since: NullableTimestamp;
  consecutive_failures: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WebhookMessagesTable {
  id: string;
  developer_id: string;
  event_type: string;
  payload: string;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  message_id: string;
  endpoint_id: string;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  lease_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  endpoint_id: string;
  message_id: string;
  attempt: number;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
  duration_ms: number;
  next_attempt_at: NullableTimestamp;
  created_at: CreatedAt;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;

export interface PendingUploadsTable {
  /** The S3 object key the presigned PUT URL was issued for. */
  key: string;
  developer_id: string;
  user_id: string;
  file_name: string;
  max_bytes: number;
  expires_at: Timestamp;
  /** Set once, when the upload's import is queued. */
  run_id: string | null;
  created_at: CreatedAt;
}

export type PendingUploadRow = Selectable<PendingUploadsTable>;

/** The lease of an Apple import being run (see 0009_import_leases). */
export interface ImportLeasesTable {
  run_id: string;
  /** host:pid:nonce of the importing process. */
  owner: string;
  host: string;
  pid: number;
  expires_at: Timestamp;
}

export interface EncryptionCanaryTable {
  id: number;
  key_id: string;
  sealed: string;
  updated_at: Timestamp;
}

export interface ProviderAppsTable {
  developer_id: string;
  provider: string;
  client_id: string;
  client_secret_sealed: string | null;
  webhook_secret_sealed: string | null;
  scopes: string[] | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}
export type ProviderAppRow = Selectable<ProviderAppsTable>;

export interface OAuthStatesTable {
  state_hash: string;
  developer_id: string;
  user_id: string;
  provider: string;
  redirect_uri: string;
  code_verifier_sealed: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}
export type OAuthStateRow = Selectable<OAuthStatesTable>;

export interface InboundWebhooksTable {
  id: string;
  provider: string;
  dedupe_key: string;
  received_at: CreatedAt;
  headers: ColumnType<Record<string, string>, string, string>;
  query: ColumnType<Record<string, string>, string, string>;
  body: Uint8Array;
  developer_id: string | null;
  /** received → processed | ignored | failed */
  status: Generated<string>;
  detail: string | null;
  processed_at: NullableTimestamp;
}
export type InboundWebhookRow = Selectable<InboundWebhooksTable>;

export interface ProviderSubscriptionsTable {
  id: string;
  provider: string;
  developer_id: string | null;
  connection_id: string | null;
  kind: string;
  vendor_subscription_id: string | null;
  callback_url: string;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  expires_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}
export type ProviderSubscriptionRow = Selectable<ProviderSubscriptionsTable>;

/** One window of one vendor backfill type asked for a user (src/providers/backfill). */
export interface ProviderBackfillWindowsTable {
  id: string;
  developer_id: string;
  user_id: string;
  connection_id: string | null;
  provider: string;
  type: string;
  window_start: Date;
  window_end: Date;
  /** pending | requested | received | duplicate | failed | timed_out | cancelled */
  status: Generated<string>;
  run_id: string | null;
  requested_at: NullableTimestamp;
  received_at: NullableTimestamp;
  detail: string | null;
  attempts: Generated<number>;
  created_at: CreatedAt;
}
export type ProviderBackfillWindowRow = Selectable<ProviderBackfillWindowsTable>;

/** One privileged action of a developer (issue 18). Append-only; `hash` chains to the previous row. */
export interface AuditLogsTable {
  id: Generated<number>;
  developer_id: string;
  seq: number;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  detail: ColumnType<unknown, string, never>;
  created_at: ColumnType<Date, Date, never>;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadsTable {
  developer_id: string;
  seq: number;
  hash: string;
}

export interface DataExportsTable {
  id: string;
  developer_id: string;
  user_id: string;
  run_id: string | null;
  status: string;
  format_version: number;
  blob_key: string | null;
  size_bytes: number | null;
  manifest: ColumnType<unknown, string | null | undefined, string | null>;
  error: ColumnType<unknown, string | null | undefined, string | null>;
  token_nonce: string | null;
  expires_at: NullableTimestamp;
  downloaded_at: NullableTimestamp;
  created_at: CreatedAt;
  completed_at: NullableTimestamp;
}

export interface DataRetentionPoliciesTable {
  developer_id: string;
  raw_payload_days: number | null;
  sample_days: number | null;
  delete_after_days: number | null;
  updated_at: Timestamp;
}

/** A meal log (issue 19): a photo awaiting or past recognition, or a manual entry. */
export interface NutritionLogsTable {
  id: string;
  developer_id: string;
  user_id: string;
  /** pending | recognized | manual | failed | discarded */
  status: string;
  /** queued | approved | rejected; null when no human review was needed */
  review_state: string | null;
  /** breakfast | lunch | dinner | snack | other */
  meal_type: ColumnType<string, string | undefined, string>;
  detected_at: Date;
  note: string | null;
  image_key: string | null;
  image_content_type: string | null;
  image_bytes: number | null;
  /** Redacted EXIF dict (no location). */
  exif: ColumnType<unknown, string | null | undefined, string | null>;
  vision_model: string | null;
  verifier_model: string | null;
  confidence_score: number | null;
  verifier_agreed: boolean | null;
  human_reviewed: Generated<boolean>;
  /** {code, message} of a recognition that failed for good. */
  failure: ColumnType<unknown, string | null | undefined, string | null>;
  job_id: string | null;
  discarded_at: NullableTimestamp;
  image_deleted_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface NutritionItemsTable {
  id: string;
  log_id: string;
  user_id: string;
  position: number;
  dish_name: string;
  quantity_grams: number | null;
  quantity_uncertainty: number | null;
  confidence: number | null;
  calories_kcal: number | null;
  protein_g: number | null;
  carbs_g: number | null;
  fat_g: number | null;
  fiber_g: number | null;
  sugar_g: number | null;
  sodium_mg: number | null;
  food_db_source: string | null;
  food_db_id: string | null;
  is_corrected: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Photos accepted per developer and UTC day: what the plan's daily quota is checked against. */
export interface NutritionImageUsageTable {
  developer_id: string;
  day: ColumnType<string, string, string>;
  used: number;
}

/** The food table (migration 0014): read-only reference data, searched by src/nutrition/food-db. */
export interface FoodItemsTable {
  id: string;
  source: 'in_curated' | 'usda_sr28';
  name: string;
  aliases: string[];
  food_group: string | null;
  search_text: string;
  calories_kcal: number;
  protein_g: number;
  carbs_g: number;
  fat_g: number;
  fiber_g: number | null;
  sugar_g: number | null;
  sodium_mg: number | null;
  typical_portion_g: number | null;
}

/** The version of the data food_items holds (one row; see ensureFoodItems). */
export interface FoodItemsVersionTable {
  version: string;
  loaded_at: ColumnType<Date, Date | string, Date | string>;
}

export interface Database {
  developers: DevelopersTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  data_sources: DataSourcesTable;
  samples: SamplesTable;
  sample_rollups: SampleRollupsTable;
  sample_daily_rollups: SampleDailyRollupsTable;
  workouts: WorkoutsTable;
  workout_route_points: WorkoutRoutePointsTable;
  sleep_stage_intervals: SleepStageIntervalsTable;
  sleep_sessions: SleepSessionsTable;
  health_scores: HealthScoresTable;
  raw_payloads: RawPayloadsTable;
  sync_runs: SyncRunsTable;
  connections: ConnectionsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_messages: WebhookMessagesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  pending_uploads: PendingUploadsTable;
  import_leases: ImportLeasesTable;
  encryption_canary: EncryptionCanaryTable;
  provider_apps: ProviderAppsTable;
  oauth_states: OAuthStatesTable;
  inbound_webhooks: InboundWebhooksTable;
  provider_subscriptions: ProviderSubscriptionsTable;
  provider_backfill_windows: ProviderBackfillWindowsTable;
  audit_logs: AuditLogsTable;
  audit_chain_heads: AuditChainHeadsTable;
  data_exports: DataExportsTable;
  data_retention_policies: DataRetentionPoliciesTable;
  // Nutrition (issue 19): its tables below.
  nutrition_logs: NutritionLogsTable;
  nutrition_items: NutritionItemsTable;
  nutrition_image_usage: NutritionImageUsageTable;
  food_items: FoodItemsTable;
  food_items_version: FoodItemsVersionTable;
  team_invitations: TeamInvitationsTable;
  // The operator's side (issue 21).
  billing_subscriptions: BillingSubscriptionsTable;
  billing_invoices: BillingInvoicesTable;
  billing_webhook_events: BillingWebhookEventsTable;
  support_tickets: SupportTicketsTable;
  announcements: AnnouncementsTable;
}

export type SubscriptionStatus =
  | 'created'
  | 'authenticated'
  | 'active'
  | 'pending'
  | 'halted'
  | 'cancelled'
  | 'completed'
  | 'expired';

/** A developer's Razorpay subscription (or a plan set by hand: no razorpay ids). Amounts in paise. */
export interface BillingSubscriptionsTable {
  id: string;
  developer_id: string;
  plan: string;
  status: SubscriptionStatus;
  razorpay_subscription_id: string | null;
  razorpay_plan_id: string | null;
  amount_inr_paise: ColumnType<string, number | string | undefined, number | string>;
  current_start: NullableTimestamp;
  current_end: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
  activated_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
}

export interface BillingInvoicesTable {
  id: string;
  developer_id: string;
  subscription_id: string | null;
  plan: string;
  status: 'paid' | 'failed' | 'refunded';
  amount_inr_paise: ColumnType<string, number | string, number | string>;
  refunded_inr_paise: ColumnType<string, number | string | undefined, number | string>;
  razorpay_payment_id: string | null;
  razorpay_invoice_id: string | null;
  failure_reason: string | null;
  paid_at: NullableTimestamp;
  refunded_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface BillingWebhookEventsTable {
  event_id: string;
  event: string;
  received_at: CreatedAt;
}

export interface SupportTicketsTable {
  id: string;
  email: string;
  name: string | null;
  subject: string;
  message: string;
  status: Generated<'open' | 'resolved'>;
  developer_id: string | null;
  created_at: CreatedAt;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
}

export interface AnnouncementsTable {
  id: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  body: string;
  cta_label: string | null;
  cta_url: string | null;
  active: Generated<boolean>;
  published_by: string | null;
  published_at: CreatedAt;
  deactivated_at: NullableTimestamp;
}

export type DeveloperRow = Selectable<DevelopersTable>;
export type NewDeveloper = Insertable<DevelopersTable>;
export type TeamInvitationRow = Selectable<TeamInvitationsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SyncRunRow = Selectable<SyncRunsTable>;
export type WorkoutRow = Selectable<WorkoutsTable>;
export type SleepSessionRow = Selectable<SleepSessionsTable>;
