import { z } from 'zod';
import { serviceAccountKeyProblem } from '../providers/fitbit/service-account.ts';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const secret = (name: string) =>
  optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: `${name} must be at least 32 characters (generate one with: openssl rand -base64 48)`,
  });

/** OAuth vendors whose app can be configured instance-wide from the environment. */
export const ENV_CONFIGURABLE_PROVIDERS = [
  'oura',
  'whoop',
  'polar',
  'strava',
  'withings',
  'garmin',
  'fitbit',
] as const;

/**
 * `<VENDOR>_CLIENT_ID`, `<VENDOR>_CLIENT_SECRET`, `<VENDOR>_WEBHOOK_SECRET` and `<VENDOR>_SCOPES`: the
 * instance-wide app of a vendor, used by every developer who has not registered an app of their own.
 */
function providerAppDefaults() {
  const out: Record<string, typeof optionalString> = {};
  for (const slug of ENV_CONFIGURABLE_PROVIDERS) {
    for (const suffix of ['CLIENT_ID', 'CLIENT_SECRET', 'WEBHOOK_SECRET', 'SCOPES'])
      out[`${slug.toUpperCase()}_${suffix}`] = optionalString;
  }
  return out as Record<
    `${Uppercase<(typeof ENV_CONFIGURABLE_PROVIDERS)[number]>}_${'CLIENT_ID' | 'CLIENT_SECRET' | 'WEBHOOK_SECRET' | 'SCOPES'}`,
    typeof optionalString
  >;
}

/**
 * Every environment variable WearLink reads, with its default. This is the only place that touches
 * `process.env`; the README's configuration table mirrors it.
 */
const envVariables = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  /** Public base URL used in printed links; defaults to http://HOST:PORT. */
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  /** PostgreSQL connection string. Unset: embedded PGlite in WEARLINK_DATA_DIR. */
  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'DATABASE_URL must start with postgres:// or postgresql://',
  }),
  /** Schema that holds WearLink's tables (lets several instances or test runs share one database). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'DATABASE_SCHEMA must be a lower-case SQL identifier')
    .default('public'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Redis connection string. Unset: rate-limit state and the event bus stay in-process. */
  REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\//.test(v), {
    message: 'REDIS_URL must start with redis:// or rediss://',
  }),
  REDIS_KEY_PREFIX: z.string().min(1).default('wearlink:'),
  /**
   * On PostgreSQL without REDIS_URL, `worker`, `scheduler` and `serve --no-worker` refuse to start: their
   * sync events would never reach another process's SSE clients. `true` starts them anyway.
   */
  ALLOW_SPLIT_WITHOUT_REDIS: booleanFromEnv.default(false),
  /** Embedded database and generated secrets; `memory://` keeps nothing (demos, tests). */
  WEARLINK_DATA_DIR: z.string().min(1).default('.wearlink'),
  /** HS256 key for developer sessions and SDK tokens. Embedded mode generates and persists one. */
  JWT_SECRET: secret('JWT_SECRET'),
  /**
   * Key for secrets at rest (OAuth tokens, vendor app and webhook secrets, PKCE verifiers, outgoing webhook
   * signing secrets). Embedded mode generates and persists one. Rotate with ENCRYPTION_KEY_PREVIOUS.
   */
  ENCRYPTION_KEY: secret('ENCRYPTION_KEY'),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  SDK_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Requests per minute per API key (or IP when unauthenticated) outside the auth routes. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  RATE_LIMIT_REGISTER_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Take the client IP from X-Forwarded-For (only behind a proxy you control). */
  TRUST_PROXY: booleanFromEnv.default(false),
  /**
   * How many proxies of yours stand in front of WearLink (each appends the address it saw to
   * X-Forwarded-For): the client is that many entries from the right; whatever lies further left was
   * written by the client and is never trusted.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(16).default(1),
  /**
   * Who may create a developer account through `POST /auth/register`: anyone (`open`), only the first
   * account of an empty instance (`first`), or nobody (`closed`: accounts come from `wearlink developer
   * create`). A public instance should not stay `open`.
   */
  REGISTRATION_MODE: z.enum(['open', 'first', 'closed']).default('open'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Interval of `: heartbeat` comments on the sync event stream (spec 000: 15 s). */
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  /**
   * Bytes a sync event stream may have waiting for its client (sent by the server, not yet taken by the
   * socket) before the stream is closed: a client that stops reading costs at most this much, and it
   * resumes with Last-Event-ID where it stopped (no event lost).
   */
  SSE_MAX_BUFFERED_BYTES: z.coerce.number().int().min(16_384).default(1_048_576),
  /** Interval of heartbeats on a sync job's subscription stream (spec 002: 30 s). */
  JOB_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Sync jobs one worker process runs at once. */
  SYNC_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** A job whose worker vanished (crash, kill -9) is retried after this long. */
  SYNC_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(900),
  /**
   * A pushed batch (SDK, WearMetrics) whose worker vanished is retried by any node after this long; a
   * batch takes seconds, so this only needs to exceed the slowest one.
   */
  INGEST_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(300),
  /**
   * An Apple import renews a lease on its run every quarter of this; a run whose lease lapsed (or whose
   * process on this host is gone) is resumed or failed by any other process (issue 15 #13).
   */
  IMPORT_LEASE_SECONDS: z.coerce.number().int().min(1).default(60),
  /** How often the queue's maintenance looks for such jobs. */
  SYNC_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Interval between syncs of a connection that has no cron schedule of its own. */
  SYNC_DEFAULT_INTERVAL_MINUTES: z.coerce.number().int().min(1).default(360),
  /** How often the scheduler looks for connections that are due. */
  SCHEDULER_TICK_SECONDS: z.coerce.number().int().min(1).default(30),
  /** How often a vendor backfill run (Garmin) looks whether the data it asked for has arrived. */
  BACKFILL_POLL_SECONDS: z.coerce.number().positive().max(3600).default(10),
  /** How long a backfill run waits for pushed data before its windows time out; unset: the vendor manifest's. */
  BACKFILL_WAIT_MINUTES: z.coerce.number().positive().optional(),
  /** Grace period for in-flight requests and jobs on SIGTERM/SIGINT. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Where uploads (Apple Health exports) wait for their import job; must be shared by API nodes and workers. */
  UPLOAD_DIR: optionalString,
  /** Allow webhook endpoints on loopback/private/link-local addresses (local development and tests only). */
  WEBHOOK_ALLOW_PRIVATE_URLS: booleanFromEnv.default(false),
  /** A webhook receiver that has not answered within this long counts as a failed attempt. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Delay before each attempt, in seconds (the first is the initial attempt); its length is the attempt cap. */
  WEBHOOK_RETRY_SCHEDULE_SECONDS: z
    .string()
    .default('0,5,300,1800,7200,18000,36000,36000')
    .transform((v, ctx) => {
      const delays = v.split(',').map((d) => Number(d.trim()));
      if (delays.length === 0 || delays.some((d) => !Number.isFinite(d) || d < 0)) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of seconds, e.g. 0,5,300' });
        return z.NEVER;
      }
      return delays;
    }),
  /** An endpoint failing without a single success for this long (and WEBHOOK_DISABLE_MIN_FAILURES attempts) is disabled. */
  WEBHOOK_DISABLE_AFTER_SECONDS: z.coerce
    .number()
    .min(0)
    .default(5 * 86_400),
  WEBHOOK_DISABLE_MIN_FAILURES: z.coerce.number().int().min(1).default(10),
  /** How long a rotated-out signing secret still signs deliveries, next to the new one. */
  WEBHOOK_SECRET_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(86_400),
  /** Deliveries one process sends at once, and at most per endpoint (so one slow receiver cannot take them all). */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: z.coerce.number().int().min(1).max(1024).default(16),
  /** How often an idle delivery loop looks for due deliveries. */
  WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(200),
  /** S3-compatible endpoint (MinIO, R2, …); unset: AWS, `https://s3.<S3_REGION>.amazonaws.com`. */
  S3_ENDPOINT: optionalString.refine((v) => v === undefined || /^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(v), {
    message: 'S3_ENDPOINT must be an http:// or https:// URL without query, e.g. http://127.0.0.1:9000',
  }),
  /** The bucket's region: part of every signature. */
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, 'S3_REGION must look like us-east-1')
    .default('us-east-1'),
  /** Bucket for large uploads; with both keys set, uploads go to S3 instead of UPLOAD_DIR. */
  S3_BUCKET: optionalString.refine((v) => v === undefined || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v), {
    message: 'S3_BUCKET must be a bucket name (3-63 characters: lower-case letters, digits, dots, hyphens)',
  }),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint host>/<key>`; unset: on when S3_ENDPOINT is set. */
  S3_FORCE_PATH_STYLE: booleanFromEnv.optional(),
  /**
   * Earlier values of ENCRYPTION_KEY, comma-separated: data sealed with them stays readable (and is
   * re-sealed with the current key) while the key is rotated.
   */
  ENCRYPTION_KEY_PREVIOUS: optionalString,
  /**
   * Vendor URL overrides (regional endpoints, a local mock): `oura=http://127.0.0.1:9001` replaces every
   * host of a vendor, `oura.auth=https://…` one named host of its manifest. Comma-separated.
   */
  PROVIDER_URLS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const out: Record<string, string> = {};
      for (const part of v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const match = /^([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)=(https?:\/\/[^\s?#]+)$/.exec(part);
        if (match === null) {
          ctx.addIssue({
            code: 'custom',
            message: `"${part}" is not vendor=url or vendor.host=url (e.g. oura=http://127.0.0.1:9001)`,
          });
          return z.NEVER;
        }
        out[match[1] as string] = (match[2] as string).replace(/\/+$/, '');
      }
      return out;
    }),
  /** How long an OAuth authorize link (its `state`) stays usable. */
  OAUTH_STATE_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
  /** How long a hosted connect page link (`POST /users/{id}/connect-link`) stays usable. */
  CONNECT_LINK_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(3600),
  /** A vendor API call that has not answered within this long is a network error (retried). */
  PROVIDER_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** Attempts of one vendor call on network errors and 5xx, with jittered back-off between them. */
  PROVIDER_HTTP_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** The largest vendor webhook body stored (Garmin's review asks for 10 MB). */
  PROVIDER_WEBHOOK_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  ...providerAppDefaults(),
  /**
   * How far V8's heap may grow past its live size between full collections, in percent (V8's own
   * heuristic, up to ~300 %, is used with 0). Lower keeps the resident set flat under allocation-heavy
   * work such as exports; see src/cli/main.ts.
   */
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(30),
  /** How long a user export's download link (its signed, single-use token) stays valid. */
  EXPORT_LINK_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 1440)
    .default(1440),
  /** How long a finished export's ZIP is kept (then deleted; its link ends with it). */
  EXPORT_KEEP_HOURS: z.coerce.number().int().min(1).default(168),
  /** `POST /users/{id}/export` answers in-band only up to this many bytes; larger accounts get 413 (use /export/async). */
  EXPORT_INLINE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(25 * 1024 * 1024),
  /** Rows one statement of a user (or provider-data) deletion removes: small enough that PGlite stays responsive. */
  DELETE_BATCH_ROWS: z.coerce.number().int().min(100).max(1_000_000).default(5000),
  /** How often the retention pass (per-developer data-retention policies) runs. */
  RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(1).default(60),
  /** The plan of new developers (daily meal-photo quota: hobby 20, developer 500, scale 5,000, enterprise unlimited). */
  DEFAULT_PLAN: z.enum(['hobby', 'developer', 'scale', 'enterprise']).default('hobby'),
  /** Emails of the instance's superusers (comma-separated): the only accounts that see /admin routes. */
  SUPERUSER_EMAILS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    ),
  /**
   * Outgoing mail (team invitations, email verification): smtp://user:pass@host:587 or smtps://…:465.
   * Unset: mail is not sent; invitation links are shown to the inviter and verification links logged.
   */
  SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\//.test(v), {
    message: 'SMTP_URL must start with smtp:// or smtps://',
  }),
  /** The From address of WearLink's mail. */
  SMTP_FROM: z.string().min(3).default('WearLink <no-reply@wearlink.local>'),
  /** Failed logins in a row that lock an account, and for how long (an admin can unlock it sooner). */
  LOGIN_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(525_600).default(15),
  /** Public contact form (support tickets): submissions per client address per hour. */
  CONTACT_FORM_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(5),
  /**
   * Razorpay billing, off unless the key id, key secret and webhook secret are all set. Plans map to
   * Razorpay plan ids as `developer:plan_ABC,scale:plan_DEF`. RAZORPAY_API_URL is for tests and proxies.
   */
  RAZORPAY_KEY_ID: optionalString,
  RAZORPAY_KEY_SECRET: optionalString,
  RAZORPAY_WEBHOOK_SECRET: optionalString,
  RAZORPAY_PLAN_IDS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const map: Record<string, string> = {};
      for (const pair of v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const [plan, id] = pair.split(':').map((p) => p.trim());
        if (!plan || !id) {
          ctx.addIssue({
            code: 'custom',
            message: `RAZORPAY_PLAN_IDS entry "${pair}" is not plan:razorpay_plan_id`,
          });
          continue;
        }
        map[plan] = id;
      }
      return map;
    }),
  RAZORPAY_API_URL: z.url().default('https://api.razorpay.com/v1'),
  /** Finance figures are shown in INR and USD at this rate. */
  USD_INR_RATE: z.coerce.number().positive().default(84.0),
  /** COGS unit rates (defaults: public list prices as of 2026-04), overridable per deployment. */
  COST_PER_VISION_RECOGNITION_INR: z.coerce.number().min(0).default(1.2),
  COST_PER_GB_STORAGE_INR_PER_MONTH: z.coerce.number().min(0).default(1.85),
  COST_PER_WEBHOOK_DELIVERY_INR: z.coerce.number().min(0).default(0.04),
  RAZORPAY_FEE_PCT: z.coerce.number().min(0).max(100).default(2.36),
  FIXED_INFRA_INR_PER_MONTH: z.coerce.number().min(0).default(12_000),
  /** Meal-photo recogniser: `none` (every photo goes to the review queue), `openai` (any OpenAI-compatible chat-completions API) or `anthropic`. */
  VISION_PROVIDER: z.enum(['none', 'openai', 'anthropic']).default('none'),
  VISION_MODEL: optionalString,
  /** e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1 (Ollama), https://api.anthropic.com */
  VISION_BASE_URL: optionalString,
  VISION_API_KEY: optionalString,
  /** Optional second-opinion model, consulted below the accept threshold (same choices as VISION_PROVIDER). */
  VERIFIER_PROVIDER: z.enum(['none', 'openai', 'anthropic']).default('none'),
  VERIFIER_MODEL: optionalString,
  VERIFIER_BASE_URL: optionalString,
  VERIFIER_API_KEY: optionalString,
  /** A vision call that has not answered within this long fails (and is retried per the job policy). */
  VISION_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(60_000),
  /** Meal photos are deleted from the blob store this many days after upload; unset: kept. */
  NUTRITION_IMAGE_RETENTION_DAYS: z.coerce.number().int().min(1).optional(),
  /**
   * A Google service-account JSON key for the instance-wide fitbit app: authorizes the Google Health
   * webhook subscriber calls (project-level, no user token). Checked at start.
   */
  FITBIT_SERVICE_ACCOUNT_KEY_FILE: optionalString.superRefine((path, ctx) => {
    if (path === undefined) return;
    const problem = serviceAccountKeyProblem(path);
    if (typeof problem === 'string') ctx.addIssue({ code: 'custom', message: problem });
  }),
});

const S3_REQUIRED = ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;
const S3_OPTIONAL_GIVEN = ['S3_ENDPOINT', 'S3_FORCE_PATH_STYLE'] as const;

export const envSchema = envVariables.superRefine(
  (env, ctx) => {
    // Half an S3 configuration would quietly keep uploads on one node's disk: refuse to start instead.
    const set = [...S3_REQUIRED, ...S3_OPTIONAL_GIVEN].filter((name) => env[name] !== undefined);
    if (set.length === 0) return;
    for (const name of S3_REQUIRED) {
      if (env[name] !== undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `must be set because ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set: S3 storage needs S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (unset every S3_* variable to keep uploads on local disk)`,
      });
    }
  },
  // Reported together with any other bad variable, not only once those are fixed.
  { when: () => true },
);

export type Env = z.output<typeof envSchema>;

/** Where large uploads go when S3 is configured; `undefined` keeps them on local disk. */
export interface S3Settings {
  /** Origin (and optional base path) of the S3 API, without the bucket. */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `<endpoint>/<bucket>/<key>` rather than virtual-host style `<bucket>.<host>/<key>`. */
  forcePathStyle: boolean;
}

/** The S3 settings of a parsed environment, with the documented defaults applied. */
export function s3Settings(
  env: Pick<
    Env,
    | 'S3_ENDPOINT'
    | 'S3_REGION'
    | 'S3_BUCKET'
    | 'S3_ACCESS_KEY_ID'
    | 'S3_SECRET_ACCESS_KEY'
    | 'S3_FORCE_PATH_STYLE'
  >,
): S3Settings | undefined {
  const { S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (bucket === undefined || accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  return {
    endpoint: (env.S3_ENDPOINT ?? `https://s3.${env.S3_REGION}.amazonaws.com`).replace(/\/+$/, ''),
    region: env.S3_REGION,
    bucket,
    accessKeyId,
    secretAccessKey,
    // Self-hosted stores (MinIO) rarely have wildcard DNS for buckets; AWS prefers virtual hosts.
    forcePathStyle: env.S3_FORCE_PATH_STYLE ?? env.S3_ENDPOINT !== undefined,
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment; the error names every offending variable. */
export function parseEnv(env: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const value = env[variable];
    const secretLike = /SECRET|KEY|PASSWORD/.test(variable);
    const shown = value === undefined ? 'unset' : secretLike ? 'set' : `"${value}"`;
    return `  ${variable} (${shown}): ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
