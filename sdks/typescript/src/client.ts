import type { components, paths } from './generated/openapi.ts';
import {
  fillPath,
  type HttpMethod,
  type JsonBody,
  type Operation,
  type OptionsArg,
  type PathsWith,
  type QueryParams,
  type RequestOptions,
  type ResponseBody,
  Transport,
  type WearLinkOptions,
} from './http.ts';
import { type CursorPage, Paginator } from './pagination.ts';
import { type SyncStreamOptions, type SyncSubscription, subscribeSyncStream } from './sync-stream.ts';
import {
  type AppleUploadOptions,
  type AppleUploadResult,
  type UploadSource,
  uploadAppleExport,
} from './upload.ts';

type Schemas = components['schemas'];
type Op<P extends keyof paths, M extends HttpMethod> = Operation<P, M>;
/** The query of GET `P`. */
type Query<P extends PathsWith<'get'>> = QueryParams<Op<P, 'get'>>;
/** The query of a paged GET, without the cursor (the paginator handles it). */
type PageQuery<P extends PathsWith<'get'>> = Omit<Query<P>, 'cursor'>;
type Result<P extends keyof paths, M extends HttpMethod> = ResponseBody<Op<P, M>>;
type Body<P extends keyof paths, M extends HttpMethod> = JsonBody<Op<P, M>>;
type Item<R> = R extends { data: (infer T)[] } ? T : never;

/** GET paths whose answer is a cursor page. */
export type PagedPath = {
  [P in PathsWith<'get'>]: Result<P, 'get'> extends CursorPage<unknown>
    ? 'cursor' extends keyof Query<P>
      ? P
      : never
    : never;
}[PathsWith<'get'>];

export type User = Schemas['User'];
export type Connection = Schemas['Connection'];
export type SyncRun = Schemas['SyncRun'];
export type TimeseriesPoint = Schemas['TimeseriesPoint'];
export type WorkoutEvent = Schemas['WorkoutEvent'];
export type SleepEvent = Schemas['SleepEvent'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type AuditLog = Schemas['AuditLog'];
export type NutritionLog = Schemas['NutritionLog'];

/**
 * The WearLink client: `new WearLink({baseUrl, apiKey})` (or `accessToken`, a developer's JWT, or
 * `sdkToken`, a user's token from `users.token()`, which may use the /sdk routes and that user's reads).
 * Named methods cover the common calls; `request` reaches every operation of the API, typed from its
 * OpenAPI document.
 */
export class WearLink {
  readonly transport: Transport;

  constructor(options: WearLinkOptions) {
    this.transport = new Transport(options);
  }

  /**
   * Any operation, typed by path and method: `client.request('get', '/api/v1/users/{user_id}',
   * {path: {user_id}})`. Throws a WearLinkError subclass on a non-2xx answer.
   */
  request<M extends HttpMethod, P extends PathsWith<M>>(
    method: M,
    path: P,
    ...[options]: OptionsArg<RequestOptions<Op<P, M>>>
  ): Promise<Result<P, M>> {
    const o = (options ?? {}) as {
      path?: Record<string, unknown>;
      query?: Record<string, unknown>;
      body?: unknown;
      headers?: Record<string, string>;
      signal?: AbortSignal;
    };
    return this.transport.json<Result<P, M>>(method, fillPath(path, o.path), {
      query: o.query,
      body: o.body,
      headers: o.headers,
      signal: o.signal,
    });
  }

  /** Any cursor-paged GET as a Paginator: `for await (const row of client.paginate(path, {…}))`. */
  paginate<P extends PagedPath>(
    path: P,
    ...[options]: OptionsArg<RequestOptions<Op<P, 'get'>>>
  ): Paginator<Item<Result<P, 'get'>>, Result<P, 'get'> & CursorPage<Item<Result<P, 'get'>>>> {
    const o = (options ?? {}) as { path?: Record<string, unknown>; query?: Record<string, unknown> };
    const url = fillPath(path, o.path);
    return new Paginator((cursor) =>
      this.transport.json('get', url, { query: { ...o.query, ...(cursor === undefined ? {} : { cursor }) } }),
    );
  }

  private page<P extends PagedPath>(
    path: P,
    params: Record<string, unknown>,
    query: Record<string, unknown> | undefined,
  ): Paginator<Item<Result<P, 'get'>>, Result<P, 'get'> & CursorPage<Item<Result<P, 'get'>>>> {
    return (this.paginate as (p: string, o: unknown) => never)(path, { path: params, query });
  }

  private call<T>(
    method: HttpMethod,
    path: string,
    params?: Record<string, unknown>,
    init?: { query?: unknown; body?: unknown; signal?: AbortSignal | undefined },
  ): Promise<T> {
    return this.transport.json<T>(method, fillPath(path, params), {
      query: init?.query as Record<string, unknown> | undefined,
      body: init?.body,
      signal: init?.signal,
    });
  }

  readonly users = {
    /** Newest first by default; iterate it, or `.pages()`. */
    list: (query?: PageQuery<'/api/v1/users'>) => this.page('/api/v1/users', {}, query),
    get: (userId: string) =>
      this.call<Result<'/api/v1/users/{user_id}', 'get'>>('get', '/api/v1/users/{user_id}', {
        user_id: userId,
      }),
    create: (body: Body<'/api/v1/users', 'post'> = {}) =>
      this.call<Result<'/api/v1/users', 'post'>>('post', '/api/v1/users', {}, { body }),
    update: (userId: string, body: Body<'/api/v1/users/{user_id}', 'patch'>) =>
      this.call<Result<'/api/v1/users/{user_id}', 'patch'>>(
        'patch',
        '/api/v1/users/{user_id}',
        { user_id: userId },
        { body },
      ),
    delete: (userId: string) => this.call<void>('delete', '/api/v1/users/{user_id}', { user_id: userId }),
    /** A short-lived SDK token acting for this user only. */
    token: (userId: string) =>
      this.call<Result<'/api/v1/users/{user_id}/token', 'post'>>('post', '/api/v1/users/{user_id}/token', {
        user_id: userId,
      }),
  };

  readonly connections = {
    list: (userId: string) =>
      this.call<Result<'/api/v1/users/{user_id}/connections', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/connections',
        { user_id: userId },
      ),
    /** Connects a provider without OAuth (the built-in sandbox). */
    create: (userId: string, body: Body<'/api/v1/users/{user_id}/connections', 'post'>) =>
      this.call<Result<'/api/v1/users/{user_id}/connections', 'post'>>(
        'post',
        '/api/v1/users/{user_id}/connections',
        { user_id: userId },
        { body },
      ),
    delete: (userId: string, provider: string) =>
      this.call<void>('delete', '/api/v1/users/{user_id}/connections/{provider}', {
        user_id: userId,
        provider,
      }),
  };

  readonly sync = {
    /** Starts a sync of one connection (one active job per connection and mode). */
    trigger: (body: Body<'/api/v1/sync', 'post'>) =>
      this.call<Result<'/api/v1/sync', 'post'>>('post', '/api/v1/sync', {}, { body }),
    /** A job's progress, by job_id or a connection's latest job. */
    status: (query: Query<'/api/v1/sync/status'>) =>
      this.call<Result<'/api/v1/sync/status', 'get'>>('get', '/api/v1/sync/status', {}, { query }),
    cancel: (jobId: string) =>
      this.call<Result<'/api/v1/sync/cancel', 'post'>>(
        'post',
        '/api/v1/sync/cancel',
        {},
        { body: { job_id: jobId } },
      ),
    /** The latest state of a user's recent runs, newest first. */
    runs: (userId: string, query?: Query<'/api/v1/users/{user_id}/sync/runs'>) =>
      this.call<Result<'/api/v1/users/{user_id}/sync/runs', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/sync/runs',
        { user_id: userId },
        { query },
      ),
    /** One run: stage, status, counts and (when finished) its result. */
    run: (userId: string, runId: string) =>
      this.call<Result<'/api/v1/users/{user_id}/sync/runs/{run_id}', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/sync/runs/{run_id}',
        { user_id: userId, run_id: runId },
      ),
    recent: (userId: string, query?: Query<'/api/v1/users/{user_id}/sync/recent'>) =>
      this.call<Result<'/api/v1/users/{user_id}/sync/recent', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/sync/recent',
        { user_id: userId },
        { query },
      ),
    history: (query: Query<'/api/v1/sync/history'>) =>
      this.call<Result<'/api/v1/sync/history', 'get'>>('get', '/api/v1/sync/history', {}, { query }),
    /**
     * Live sync events of a user over Server-Sent Events, with this client's credentials in headers.
     * Reconnects with Last-Event-ID after a drop (no gap, no duplicate); see SyncStreamOptions.
     */
    stream: (userId: string, options: SyncStreamOptions): SyncSubscription =>
      subscribeSyncStream(this.transport, userId, options),
    /** Polls a run until it completes, fails or is cancelled. */
    waitForRun: async (
      userId: string,
      runId: string,
      options: { timeoutMs?: number; intervalMs?: number } = {},
    ) => {
      const deadline = Date.now() + (options.timeoutMs ?? 120_000);
      for (;;) {
        const run = await this.sync.run(userId, runId);
        if (run.stage === 'completed' || run.stage === 'failed' || run.stage === 'cancelled') return run;
        if (Date.now() > deadline) throw new Error(`Run ${runId} is still ${run.stage}`);
        await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
      }
    },
  };

  /** Samples, raw or aggregated per bucket, per source. */
  readonly timeseries = {
    list: (userId: string, query: PageQuery<'/api/v1/users/{user_id}/timeseries'>) =>
      this.page('/api/v1/users/{user_id}/timeseries', { user_id: userId }, query),
  };

  readonly workouts = {
    list: (userId: string, query: PageQuery<'/api/v1/users/{user_id}/events/workouts'>) =>
      this.page('/api/v1/users/{user_id}/events/workouts', { user_id: userId }, query),
  };

  readonly sleep = {
    list: (userId: string, query: PageQuery<'/api/v1/users/{user_id}/events/sleep'>) =>
      this.page('/api/v1/users/{user_id}/events/sleep', { user_id: userId }, query),
  };

  readonly summaries = {
    activity: (userId: string, query: Query<'/api/v1/users/{user_id}/summaries/activity'>) =>
      this.call<Result<'/api/v1/users/{user_id}/summaries/activity', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/summaries/activity',
        { user_id: userId },
        { query },
      ),
    sleep: (userId: string, query: Query<'/api/v1/users/{user_id}/summaries/sleep'>) =>
      this.call<Result<'/api/v1/users/{user_id}/summaries/sleep', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/summaries/sleep',
        { user_id: userId },
        { query },
      ),
    body: (userId: string, query?: Query<'/api/v1/users/{user_id}/summaries/body'>) =>
      this.call<Result<'/api/v1/users/{user_id}/summaries/body', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/summaries/body',
        { user_id: userId },
        { query },
      ),
    /** How much is stored for a user. */
    data: (userId: string) =>
      this.call<Result<'/api/v1/users/{user_id}/summaries/data', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/summaries/data',
        { user_id: userId },
      ),
  };

  readonly scores = {
    /** Providers' scores (offset pagination: `limit`, `offset`). */
    list: (userId: string, query?: Query<'/api/v1/users/{user_id}/health-scores'>) =>
      this.call<Result<'/api/v1/users/{user_id}/health-scores', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/health-scores',
        { user_id: userId },
        { query },
      ),
  };

  readonly energyBalance = {
    get: (userId: string, query: Query<'/api/v1/users/{user_id}/energy_balance'>) =>
      this.call<Result<'/api/v1/users/{user_id}/energy_balance', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/energy_balance',
        { user_id: userId },
        { query },
      ),
  };

  readonly nutrition = {
    list: (query: PageQuery<'/api/v1/nutrition/log'>) => this.page('/api/v1/nutrition/log', {}, query),
    get: (logId: string, userId: string) =>
      this.call<Result<'/api/v1/nutrition/log/{log_id}', 'get'>>(
        'get',
        '/api/v1/nutrition/log/{log_id}',
        { log_id: logId },
        { query: { user_id: userId } },
      ),
    logManual: (userId: string, body: Body<'/api/v1/nutrition/log/manual', 'post'>) =>
      this.call<Result<'/api/v1/nutrition/log/manual', 'post'>>(
        'post',
        '/api/v1/nutrition/log/manual',
        {},
        { query: { user_id: userId }, body },
      ),
    delete: (logId: string, userId: string) =>
      this.call<void>(
        'delete',
        '/api/v1/nutrition/log/{log_id}',
        { log_id: logId },
        { query: { user_id: userId } },
      ),
    summary: (query: Query<'/api/v1/nutrition/summary'>) =>
      this.call<Result<'/api/v1/nutrition/summary', 'get'>>(
        'get',
        '/api/v1/nutrition/summary',
        {},
        { query },
      ),
  };

  readonly webhooks = {
    list: () => this.call<Result<'/api/v1/webhooks/endpoints', 'get'>>('get', '/api/v1/webhooks/endpoints'),
    create: (body: Body<'/api/v1/webhooks/endpoints', 'post'>) =>
      this.call<Result<'/api/v1/webhooks/endpoints', 'post'>>(
        'post',
        '/api/v1/webhooks/endpoints',
        {},
        { body },
      ),
    get: (id: string) =>
      this.call<Result<'/api/v1/webhooks/endpoints/{id}', 'get'>>('get', '/api/v1/webhooks/endpoints/{id}', {
        id,
      }),
    update: (id: string, body: Body<'/api/v1/webhooks/endpoints/{id}', 'patch'>) =>
      this.call<Result<'/api/v1/webhooks/endpoints/{id}', 'patch'>>(
        'patch',
        '/api/v1/webhooks/endpoints/{id}',
        { id },
        { body },
      ),
    delete: (id: string) => this.call<void>('delete', '/api/v1/webhooks/endpoints/{id}', { id }),
    /** The signing secret (`whsec_…`) for WebhookVerifier. */
    secret: (id: string) =>
      this.call<Result<'/api/v1/webhooks/endpoints/{id}/secret', 'get'>>(
        'get',
        '/api/v1/webhooks/endpoints/{id}/secret',
        { id },
      ),
    rotateSecret: (id: string) =>
      this.call<Result<'/api/v1/webhooks/endpoints/{id}/secret/rotate', 'post'>>(
        'post',
        '/api/v1/webhooks/endpoints/{id}/secret/rotate',
        { id },
      ),
    /** Sends a `webhook.test` event to the endpoint. */
    test: (id: string) =>
      this.call<Result<'/api/v1/webhooks/endpoints/{id}/test', 'post'>>(
        'post',
        '/api/v1/webhooks/endpoints/{id}/test',
        { id },
      ),
    attempts: (id: string, query?: PageQuery<'/api/v1/webhooks/endpoints/{id}/attempts'>) =>
      this.page('/api/v1/webhooks/endpoints/{id}/attempts', { id }, query),
    eventTypes: () =>
      this.call<Result<'/api/v1/webhooks/event-types', 'get'>>('get', '/api/v1/webhooks/event-types'),
  };

  readonly exports = {
    /** Starts an export of all of a user's data (a ZIP built by a job). */
    start: (userId: string) =>
      this.call<Result<'/api/v1/users/{user_id}/export/async', 'post'>>(
        'post',
        '/api/v1/users/{user_id}/export/async',
        { user_id: userId },
      ),
    /** Its status and, once ready, its single-use download link. */
    get: (userId: string, exportId: string) =>
      this.call<Result<'/api/v1/users/{user_id}/exports/{export_id}', 'get'>>(
        'get',
        '/api/v1/users/{user_id}/exports/{export_id}',
        { user_id: userId, export_id: exportId },
      ),
  };

  readonly auditLogs = {
    list: (query?: PageQuery<'/api/v1/audit-logs'>) => this.page('/api/v1/audit-logs', {}, query),
  };

  readonly imports = {
    /** Uploads an Apple Health export through the upload-URL flow, with progress; see uploadAppleExport. */
    uploadAppleExport: (
      userId: string,
      source: UploadSource,
      options?: AppleUploadOptions,
    ): Promise<AppleUploadResult> => uploadAppleExport(this.transport, userId, source, options),
  };
}
