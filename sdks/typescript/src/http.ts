import { ConnectionError, errorFromResponse, WearLinkError } from './errors.ts';
import type { paths } from './generated/openapi.ts';

export type { components, paths } from './generated/openapi.ts';

/** How the client authenticates: an API key, a developer's dashboard JWT, or a user's SDK token. */
export type Credentials = { apiKey: string } | { accessToken: string } | { sdkToken: string };

export type WearLinkOptions = Credentials & {
  /** Where WearLink runs, e.g. `https://wearlink.example.com` (no `/api/v1`). */
  baseUrl: string;
  /** A fetch to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: typeof fetch | undefined;
  /** Headers sent with every request (e.g. a tracing header). */
  headers?: Record<string, string> | undefined;
};

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The paths that have an operation for `M`. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];

export type Operation<P extends keyof paths, M extends HttpMethod> = NonNullable<paths[P][M]>;

type ParamsOf<O, K extends string> = O extends { parameters: infer Ps }
  ? K extends keyof Ps
    ? NonNullable<Ps[K]>
    : never
  : never;
export type PathParams<O> = ParamsOf<O, 'path'>;
export type QueryParams<O> = ParamsOf<O, 'query'>;

/** The JSON request body of an operation (never when it takes none or no JSON). */
export type JsonBody<O> = O extends { requestBody?: infer B }
  ? NonNullable<B> extends { content: { 'application/json': infer J } }
    ? J
    : never
  : never;

type SuccessStatus = 200 | 201 | 202 | 203 | 204;

/** The JSON body of an operation's 2xx answers (a union when it has several); undefined for a 204. */
export type ResponseBody<O> = O extends { responses: infer R }
  ? {
      [S in keyof R]: S extends SuccessStatus
        ? R[S] extends { content: { 'application/json': infer J } }
          ? J
          : S extends 204
            ? undefined
            : unknown
        : never;
    }[keyof R]
  : never;

/** The options of `request` for one operation: path params when it has some, its query and JSON body. */
/** `[options?]` when nothing in them is required, else `[options]`. */
export type OptionsArg<T> = Record<string, never> extends T ? [options?: T] : [options: T];

export type RequestOptions<O> = ([PathParams<O>] extends [never]
  ? { path?: undefined }
  : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [never]
    ? { query?: undefined }
    : Record<string, never> extends QueryParams<O>
      ? { query?: QueryParams<O> | undefined }
      : { query: QueryParams<O> }) &
  ([JsonBody<O>] extends [never] ? { body?: undefined } : { body?: JsonBody<O> | undefined }) & {
    headers?: Record<string, string> | undefined;
    signal?: AbortSignal | undefined;
  };

/** Options for the calls that take no typed body (raw bodies, streams, downloads). */
export interface RawRequestOptions {
  query?: Record<string, unknown> | undefined;
  /** Sent as JSON unless it is a body fetch sends as is (string, Blob, FormData, bytes, stream). */
  body?: unknown;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
}

/** Fills `{name}` segments of a path template, each value URL-encoded. */
export function fillPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new TypeError(`Missing path parameter "${name}"`);
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=x` from defined values; arrays as comma-separated lists (what the API's list parameters take). */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (query === undefined) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

type FetchBody = NonNullable<RequestInit['body']>;

function isPassThroughBody(body: unknown): body is FetchBody {
  return (
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof FormData !== 'undefined' && body instanceof FormData) ||
    (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) ||
    (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
  );
}

/** Sends requests with the client's credentials and turns failures into typed errors. */
export class Transport {
  readonly baseUrl: string;
  readonly credentials: Credentials;
  /** The fetch every request goes through. */
  readonly fetchImpl: typeof fetch;
  private readonly extraHeaders: Record<string, string>;

  constructor(options: WearLinkOptions) {
    if (!options.baseUrl) throw new TypeError('baseUrl is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const given = [
      'apiKey' in options && options.apiKey,
      'accessToken' in options && options.accessToken,
      'sdkToken' in options && options.sdkToken,
    ].filter(Boolean);
    if (given.length !== 1) throw new TypeError('Pass exactly one of apiKey, accessToken or sdkToken');
    this.credentials =
      'apiKey' in options
        ? { apiKey: options.apiKey }
        : 'accessToken' in options
          ? { accessToken: options.accessToken }
          : { sdkToken: options.sdkToken };
    // Bound: some runtimes refuse a fetch called as a method of another object.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.extraHeaders = { ...options.headers };
  }

  /** The authentication header of every request. */
  authHeaders(): Record<string, string> {
    const c = this.credentials;
    if ('apiKey' in c) return { 'X-WearLink-API-Key': c.apiKey };
    return { Authorization: `Bearer ${'accessToken' in c ? c.accessToken : c.sdkToken}` };
  }

  url(path: string, query?: Record<string, unknown>): string {
    return `${this.baseUrl}${path}${queryString(query)}`;
  }

  /**
   * Sends a request and returns the response when it is a 2xx; throws the typed error otherwise.
   * `extraInit` is merged into fetch's init (e.g. `duplex` for streamed bodies).
   */
  async send(
    method: string,
    path: string,
    options: RawRequestOptions = {},
    extraInit: Record<string, unknown> = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...this.extraHeaders, ...this.authHeaders() };
    let body: FetchBody | undefined;
    if (options.body !== undefined) {
      if (isPassThroughBody(options.body)) {
        body = options.body;
      } else {
        body = JSON.stringify(options.body);
        headers['Content-Type'] = 'application/json';
      }
    }
    Object.assign(headers, options.headers);
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), {
        method: method.toUpperCase(),
        headers,
        ...(body === undefined ? {} : { body }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...extraInit,
      } as RequestInit);
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') throw error;
      throw new ConnectionError({
        status: 0,
        detail: `Could not reach WearLink at ${this.baseUrl}: ${(error as Error).message}`,
        cause: error,
      });
    }
    if (!response.ok) throw errorFromResponse(response, await response.text().catch(() => ''));
    return response;
  }

  /** `send`, then the body parsed as JSON (undefined for an empty body, e.g. a 204). */
  async json<T>(method: string, path: string, options: RawRequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const text = await response.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new WearLinkError({
        status: response.status,
        detail: `The answer to ${method.toUpperCase()} ${path} is not JSON`,
        requestId: response.headers.get('x-request-id') ?? undefined,
        body: text,
        cause,
      });
    }
  }
}
