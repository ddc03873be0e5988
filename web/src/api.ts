/**
 * The dashboard's one door to the API: same origin, a session JWT in the Authorization header, errors as
 * `ApiError` carrying the server's `detail` (and `code` when there is one). A 401 on a session that was
 * valid asks the user to sign in again (a dialog over the current page) and then retries the request, so
 * an expired session never loses what was on screen.
 */

const TOKEN_KEY = 'wearlink.session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string | undefined,
    readonly body: unknown,
  ) {
    super(detail);
  }
}

/** `detail` as a person reads it: validation errors (a list) joined by field. */
export function describeDetail(detail: unknown, fallback: string): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item) => {
        const entry = item as { loc?: unknown[]; msg?: string };
        const field = (entry.loc ?? []).filter((part) => part !== 'body' && part !== 'query').join('.');
        return field ? `${field}: ${entry.msg ?? 'invalid'}` : (entry.msg ?? 'invalid');
      })
      .join('; ');
  }
  return fallback;
}

let token: string | null = sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
const listeners = new Set<() => void>();
let reauth: (() => Promise<void>) | undefined;

export function getToken(): string | null {
  return token;
}

export function setToken(next: string | null, remember = true): void {
  token = next;
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  if (next !== null) (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, next);
  for (const listener of listeners) listener();
}

export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Installed by the session provider: resolves once the user has signed in again. */
export function setReauthenticate(handler: (() => Promise<void>) | undefined): void {
  reauth = handler;
}

export interface RequestOptions {
  method?: string;
  /** JSON-encoded unless it is FormData, URLSearchParams, a Blob or a string. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Return the Response itself (downloads, NDJSON, binary). */
  raw?: boolean;
  /** No session header and no re-login on 401 (sign-in, sign-up, public reads). */
  anonymous?: boolean;
}

function encodeBody(body: unknown, headers: Record<string, string>): BodyInit | undefined {
  if (body === undefined) return undefined;
  if (
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    typeof body === 'string'
  ) {
    return body;
  }
  headers['content-type'] = 'application/json';
  return JSON.stringify(body);
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const sentToken = options.anonymous ? null : token;
    if (sentToken) headers.authorization = `Bearer ${sentToken}`;
    const init: RequestInit = { method: options.method ?? 'GET', headers };
    const body = encodeBody(options.body, headers);
    if (body !== undefined) init.body = body;
    if (options.signal) init.signal = options.signal;
    const response = await fetch(path, init);
    if (response.status === 401 && !options.anonymous && attempt === 0 && reauth) {
      // Only ask once per expiry: a request that raced a fresh sign-in just retries with the new token.
      if (token === sentToken) await reauth();
      continue;
    }
    if (!response.ok) {
      const parsed: unknown = await response.json().catch(() => undefined);
      const record = (parsed ?? {}) as { detail?: unknown; code?: string };
      throw new ApiError(
        response.status,
        describeDetail(record.detail, `${response.status} ${response.statusText}`),
        record.code,
        parsed,
      );
    }
    if (options.raw) return response as unknown as T;
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>(path, { ...options, method: 'DELETE' }),
};

/** `/api/v1` + path with the defined query parameters appended. */
export function apiPath(path: string, query: Record<string, string | number | boolean | undefined> = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}
