import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/load-config.ts';

/**
 * A small client of Razorpay's Subscriptions API (https://api.razorpay.com/v1, HTTP Basic with
 * key_id:key_secret). Expected failures (Razorpay's `{error: {code, description}}`, a network error, a
 * timeout) come back as values, so the route decides what the developer sees; only bugs throw.
 */
export interface RazorpaySubscription {
  id: string;
  entity?: string;
  plan_id: string;
  status: string;
  short_url?: string | null;
  current_start?: number | null;
  current_end?: number | null;
  notes?: Record<string, string> | unknown[];
  [key: string]: unknown;
}

export type RazorpayResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: number | null; code: string; description: string };

const TIMEOUT_MS = 10_000;

export class RazorpayClient {
  readonly #base: string;
  readonly #authorization: string;

  constructor(config: Pick<Config, 'RAZORPAY_API_URL' | 'RAZORPAY_KEY_ID' | 'RAZORPAY_KEY_SECRET'>) {
    if (config.RAZORPAY_KEY_ID === undefined || config.RAZORPAY_KEY_SECRET === undefined)
      throw new Error('Razorpay is not configured');
    this.#base = config.RAZORPAY_API_URL.replace(/\/$/, '');
    this.#authorization = `Basic ${Buffer.from(`${config.RAZORPAY_KEY_ID}:${config.RAZORPAY_KEY_SECRET}`).toString('base64')}`;
  }

  createSubscription(input: {
    plan_id: string;
    total_count: number;
    customer_notify?: boolean;
    notes?: Record<string, string>;
  }): Promise<RazorpayResult<RazorpaySubscription>> {
    return this.#call('POST', '/subscriptions', { customer_notify: true, ...input });
  }

  fetchSubscription(id: string): Promise<RazorpayResult<RazorpaySubscription>> {
    return this.#call('GET', `/subscriptions/${encodeURIComponent(id)}`);
  }

  cancelSubscription(id: string, atCycleEnd = false): Promise<RazorpayResult<RazorpaySubscription>> {
    return this.#call('POST', `/subscriptions/${encodeURIComponent(id)}/cancel`, {
      cancel_at_cycle_end: atCycleEnd,
    });
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<RazorpayResult<T>> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          Authorization: this.#authorization,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      return {
        ok: false,
        status: null,
        code: 'NETWORK_ERROR',
        description: `Razorpay could not be reached: ${(error as Error).message}`,
      };
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: unknown; description?: unknown } } | undefined)?.error;
      return {
        ok: false,
        status: response.status,
        code: typeof error?.code === 'string' ? error.code : 'SERVER_ERROR',
        description:
          typeof error?.description === 'string' ? error.description : `Razorpay answered ${response.status}`,
      };
    }
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null)
      return {
        ok: false,
        status: response.status,
        code: 'BAD_RESPONSE',
        description: 'Razorpay answered no JSON',
      };
    return { ok: true, value: parsed as T };
  }
}

/** Razorpay's webhook signature: hex HMAC-SHA256 of the raw body, keyed with the webhook secret. */
export function razorpaySignature(secret: string, rawBody: Uint8Array | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Compares in constant time; a missing or malformed header is simply not valid. */
export function razorpaySignatureValid(
  secret: string,
  rawBody: Uint8Array,
  header: string | undefined,
): boolean {
  if (header === undefined || !/^[0-9a-f]{64}$/i.test(header.trim())) return false;
  const expected = Buffer.from(razorpaySignature(secret, rawBody), 'hex');
  const given = Buffer.from(header.trim(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
