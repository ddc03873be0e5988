export type {
  AuditLog,
  Connection,
  NutritionLog,
  PagedPath,
  SleepEvent,
  SyncRun,
  TimeseriesPoint,
  User,
  WebhookEndpoint,
  WorkoutEvent,
} from './client.ts';
export { WearLink } from './client.ts';
export * from './errors.ts';
export type { components, paths } from './generated/openapi.ts';
export type {
  Credentials,
  HttpMethod,
  JsonBody,
  Operation,
  PathParams,
  PathsWith,
  QueryParams,
  RequestOptions,
  ResponseBody,
  WearLinkOptions,
} from './http.ts';
export { Transport } from './http.ts';
export { type CursorPage, Paginator } from './pagination.ts';
export {
  type ReconnectInfo,
  SseParser,
  type SyncStatusEvent,
  type SyncStreamOptions,
  type SyncSubscription,
  subscribeSyncStream,
} from './sync-stream.ts';
export {
  type AppleImportQueued,
  type AppleUploadOptions,
  type AppleUploadResult,
  type SizedStream,
  type UploadSource,
  uploadAppleExport,
} from './upload.ts';
export {
  type VerifiedWebhook,
  type WebhookHeaders,
  WebhookVerificationError,
  WebhookVerifier,
  type WebhookVerifierOptions,
} from './webhooks.ts';
