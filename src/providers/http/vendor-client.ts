import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderAuthError, ProviderRateLimitError, ProviderResponseError } from '../errors.ts';
import { isVendorUrl, resolveHost } from '../manifest.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type {
  ProviderAppCredentials,
  ProviderModule,
  TokenSource,
  VendorHttp,
  VendorRequest,
  VendorResponse,
} from '../types.ts';
import { spendBudget } from './budget.ts';
import { retryAfterSeconds } from './retry-after.ts';

/** Back-off before retry n (1-based): full jitter over 250 ms · 2^n, capped, so workers do not retry in step. */
const backoffMs = (attempt: number) => Math.random() * Math.min(8000, 250 * 2 ** attempt);

/** The numeric `status` of a JSON body (Withings answers HTTP 200 and puts the outcome there). */
function bodyStatus(text: string): number | undefined {
  if (!text.includes('"status"')) return undefined;
  try {
    const status = (JSON.parse(text) as { status?: unknown }).status;
    return typeof status === 'number' ? status : undefined;
  } catch {
    return undefined;
  }
}

/** A network error or 5xx that outlived every attempt: the job retries later (not a failed run at once). */
export class VendorUnavailableError extends Error {
  override name = 'VendorUnavailableError';
}

/**
 * The one HTTP client every vendor call goes through: URLs from the manifest (after PROVIDER_URLS),
 * the app's budget counted before each call, timeouts, retries with jitter on network errors and 5xx,
 * one token refresh and retry on 401, vendor rate limits raised as `ProviderRateLimitError` (the job is
 * rescheduled after the vendor's reset, never slept through), anything else unusable raised as
 * `ProviderResponseError`.
 *
 * @example
 * const http = createVendorHttp(runtime, { module: ouraProvider, app, tokens });
 * const page = await http.json<{ data: unknown[]; next_token: string | null }>({
 *   path: '/v2/usercollection/daily_sleep',
 *   query: { start_date: '2026-11-01', end_date: '2026-11-30' },
 * });
 */
export function createVendorHttp(
  runtime: ProviderRuntime,
  options: { module: ProviderModule; app: ProviderAppCredentials; tokens?: TokenSource },
): VendorHttp {
  const { module, app, tokens } = options;
  const { manifest } = module;
  const overrides = runtime.config.PROVIDER_URLS;

  function urlFor(request: VendorRequest): URL {
    let url: URL;
    if (/^https?:\/\//.test(request.path)) {
      url = new URL(request.path);
      // A URL a vendor handed out (a webhook's `url`) is only followed to that vendor's own hosts.
      if (!isVendorUrl(manifest, request.path, overrides))
        throw new ProviderResponseError(`${manifest.name} named a URL outside its API hosts: ${url.origin}`);
    } else {
      url = new URL(`${resolveHost(manifest, request.host ?? manifest.api.host, overrides)}${request.path}`);
    }
    for (const [name, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    return url;
  }

  async function headersFor(request: VendorRequest, accessToken: string | undefined): Promise<Headers> {
    const headers = new Headers({ accept: 'application/json', 'user-agent': 'WearLink' });
    const auth = request.auth ?? 'user';
    if (auth === 'user') headers.set('authorization', `Bearer ${accessToken}`);
    else if (auth === 'client_basic')
      headers.set(
        'authorization',
        `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret ?? ''}`).toString('base64')}`,
      );
    else if (auth === 'client_headers') {
      headers.set('x-client-id', app.clientId);
      headers.set('x-client-secret', app.clientSecret ?? '');
    }
    if (request.form !== undefined) headers.set('content-type', 'application/x-www-form-urlencoded');
    else if (request.json !== undefined) headers.set('content-type', 'application/json');
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    return headers;
  }

  function bodyFor(request: VendorRequest): string | undefined {
    if (request.form !== undefined) {
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(request.form))
        if (value !== undefined) form.set(name, String(value));
      return form.toString();
    }
    return request.json === undefined ? undefined : JSON.stringify(request.json);
  }

  /** One call with network/5xx retries; the response, not yet judged. */
  async function send(request: VendorRequest, accessToken: string | undefined): Promise<Response> {
    const url = urlFor(request);
    const method = request.method ?? 'GET';
    const attempts = runtime.config.PROVIDER_HTTP_ATTEMPTS;
    let lastProblem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const wait = await spendBudget(runtime.rateLimiter, manifest, app.clientId);
      if (wait !== undefined)
        throw new ProviderRateLimitError(
          wait,
          `WearLink's request budget for this ${manifest.name} app is spent`,
        );
      try {
        const body = bodyFor(request);
        const response = await fetch(url, {
          method,
          headers: await headersFor(request, accessToken),
          ...(body === undefined ? {} : { body }),
          redirect: 'manual',
          signal: AbortSignal.timeout(runtime.config.PROVIDER_HTTP_TIMEOUT_MS),
        });
        if (response.status < 500) return response;
        lastProblem = `HTTP ${response.status}`;
        await response.body?.cancel();
      } catch (error) {
        lastProblem = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message;
      }
      runtime.logger.debug(
        { provider: manifest.slug, method, path: url.pathname, attempt, problem: lastProblem },
        'vendor call failed',
      );
      if (attempt < attempts) await sleep(backoffMs(attempt));
    }
    throw new VendorUnavailableError(
      `${manifest.name} ${method} ${url.pathname} failed ${attempts} times (last: ${lastProblem})`,
    );
  }

  /** One call and its body text (a refused token shows in either the status or, for Withings, the body). */
  async function exchange(request: VendorRequest, token: string | undefined) {
    const response = await send(request, token);
    return { response, text: await response.text() };
  }

  const refusedToken = ({ response, text }: { response: Response; text: string }) =>
    response.status === 401 ||
    (manifest.api.body_status_auth.length > 0 &&
      manifest.api.body_status_auth.includes(bodyStatus(text) ?? Number.NaN));

  async function request<T>(request: VendorRequest): Promise<VendorResponse<T>> {
    const usesToken = (request.auth ?? 'user') === 'user';
    if (usesToken && tokens === undefined)
      throw new Error(`${manifest.slug}: a user call needs the connection's tokens`);
    let token = usesToken ? (await (tokens as TokenSource).current()).access_token : undefined;
    let answer = await exchange(request, token);
    if (refusedToken(answer) && usesToken && manifest.oauth?.refresh !== 'none') {
      token = (await (tokens as TokenSource).refresh(token as string)).access_token;
      answer = await exchange(request, token);
    }
    const { response, text } = answer;
    const method = request.method ?? 'GET';
    const where = `${method} ${urlFor(request).pathname}`;
    if (refusedToken(answer) && usesToken)
      throw new ProviderAuthError(
        `${manifest.name} refused the access token (${response.status === 401 ? '401' : `status ${bodyStatus(answer.text)}`} on ${where})`,
      );
    if (response.status === 429) {
      throw new ProviderRateLimitError(
        retryAfterSeconds(manifest, response.headers),
        `${manifest.name} answered 429 on ${where}`,
      );
    }
    const accepted = request.accept?.includes(response.status) ?? false;
    if (response.status >= 400 && !accepted)
      throw new ProviderResponseError(
        `${manifest.name} answered ${response.status} on ${where}: ${text.slice(0, 300)}`,
        response.status,
      );
    if (request.responseType === 'text')
      return { status: response.status, headers: response.headers, body: text as T };
    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ProviderResponseError(
          `${manifest.name} answered malformed JSON on ${where}: ${text.slice(0, 120)}`,
          response.status,
        );
      }
    }
    const status = (body as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && manifest.api.body_status_rate_limited.includes(status))
      throw new ProviderRateLimitError(
        retryAfterSeconds(manifest, response.headers),
        `${manifest.name} reported status ${status} (rate limited) on ${where}`,
      );
    return { status: response.status, headers: response.headers, body: body as T };
  }

  return {
    request,
    async json<T>(r: VendorRequest) {
      return (await request<T>(r)).body;
    },
  };
}
