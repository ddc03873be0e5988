import { fail, ok, type RecognitionError, type Result } from './recognizer.ts';

/** Longest vendor error text kept in a failure message (an HTML error page is not worth storing). */
const DETAIL_MAX_CHARS = 300;

/** A vendor's error body, cut short and flattened to one line. */
export function vendorText(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > DETAIL_MAX_CHARS ? `${line.slice(0, DETAIL_MAX_CHARS)}…` : line;
}

/** Retry-After as seconds (a number or an HTTP date), or undefined. */
export function retryAfter(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : undefined;
}

/**
 * The error an HTTP status means for a vision call: 401/403 are configuration (a wrong key or a model the
 * key may not use) and stop at once; 429 and 5xx (Anthropic's 529 "overloaded" included) and 408 pass;
 * any other 4xx is a request the vendor will refuse again (an unknown model, an image it rejects).
 */
export function statusError(
  vendor: string,
  status: number,
  body: string,
  headers: Headers,
): RecognitionError {
  const text = vendorText(body);
  const said = text === '' ? '' : `: ${text}`;
  if (status === 401 || status === 403)
    return {
      code: 'unauthorized',
      retryable: false,
      detail: `${vendor} refused the API key (HTTP ${status})${said}`,
    };
  if (status === 429) {
    const seconds = retryAfter(headers);
    return {
      code: 'rate_limited',
      retryable: true,
      detail: `${vendor} rate limit (HTTP 429${seconds === undefined ? '' : `, retry after ${seconds} s`})${said}`,
      ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
    };
  }
  const retryable = status >= 500 || status === 408;
  return { code: 'vendor_error', retryable, detail: `${vendor} answered HTTP ${status}${said}` };
}

/**
 * POSTs `body` as JSON and returns the parsed JSON answer of a 2xx, or the error it amounts to. The whole
 * exchange (connect, headers, body) runs under one `timeoutMs` deadline.
 */
export async function postJson(
  vendor: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
): Promise<
  Result<
    { status: number; json: unknown; headers: Headers },
    RecognitionError & { status?: number; body?: string }
  >
> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted)
      return fail({
        code: 'timeout',
        retryable: true,
        detail: `${vendor} did not answer within ${timeoutMs} ms`,
      });
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return fail({
      code: 'vendor_error',
      retryable: true,
      detail: `${vendor} could not be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    });
  }
  if (response.status < 200 || response.status > 299)
    return {
      ok: false,
      error: {
        ...statusError(vendor, response.status, text, response.headers),
        status: response.status,
        body: text,
      },
    };
  try {
    return ok({ status: response.status, json: JSON.parse(text) as unknown, headers: response.headers });
  } catch {
    // A 2xx that is not JSON is a proxy or a broken server, not the model's answer: worth another try.
    return fail({
      code: 'vendor_error',
      retryable: true,
      detail: `${vendor} answered HTTP ${response.status} with a body that is not JSON: ${vendorText(text)}`,
    });
  }
}

/** `base` + `/path`, keeping the base's query (Azure's `?api-version=`) and never doubling a slash. */
export function joinUrl(base: string, path: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return url.toString();
}
