/**
 * Verifies WearLink's webhook deliveries (Standard Webhooks, the scheme Svix uses): each request carries
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated list of
 * `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` (several while a secret rotation overlaps).
 * The key is the base64 after `whsec_` in the endpoint's secret. Web Crypto only: Node >= 20 and browsers.
 */

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/** Headers as fetch gives them, or as node:http does (lower-case names, possibly arrays). */
export type WebhookHeaders =
  | Headers
  | Record<string, string | string[] | undefined>
  | { get(name: string): string | null };

export interface WebhookVerifierOptions {
  /** How far the timestamp may be from now, either way (default 300 s, as Standard Webhooks says). */
  toleranceSeconds?: number | undefined;
}

export interface VerifiedWebhook<T = unknown> {
  id: string;
  timestamp: Date;
  /** The body, parsed as JSON. */
  payload: T;
}

const encoder = new TextEncoder();

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : value;
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Equal strings, compared in time independent of where they differ. */
function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export class WebhookVerifier {
  private readonly keys: Promise<HmacKey[]>;
  private readonly toleranceSeconds: number;

  /** One secret (`whsec_…`), or several: a delivery signed with any of them is accepted. */
  constructor(secret: string | readonly string[], options: WebhookVerifierOptions = {}) {
    const secrets = typeof secret === 'string' ? [secret] : [...secret];
    if (secrets.length === 0) throw new TypeError('A webhook secret is required');
    this.toleranceSeconds = options.toleranceSeconds ?? 300;
    const raw = secrets.map((s) => {
      try {
        return base64ToBytes(s.startsWith('whsec_') ? s.slice('whsec_'.length) : s);
      } catch {
        throw new TypeError('A webhook secret is `whsec_` followed by base64');
      }
    });
    this.keys = Promise.all(
      raw.map((bytes) =>
        crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
      ),
    );
    this.keys.catch(() => {});
  }

  /**
   * Checks a delivery: the exact body as received (string or bytes, before any JSON parsing) and its
   * headers. Returns the parsed payload; throws WebhookVerificationError when anything is off.
   */
  async verify<T = unknown>(
    body: string | Uint8Array,
    headers: WebhookHeaders,
    now: Date = new Date(),
  ): Promise<VerifiedWebhook<T>> {
    const id = header(headers, 'webhook-id') ?? header(headers, 'svix-id');
    const timestamp = header(headers, 'webhook-timestamp') ?? header(headers, 'svix-timestamp');
    const signatures = header(headers, 'webhook-signature') ?? header(headers, 'svix-signature');
    if (!id || !timestamp || !signatures) throw new WebhookVerificationError('Missing webhook headers');
    if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('Invalid webhook-timestamp');
    const seconds = Number(timestamp);
    const skew = Math.floor(now.getTime() / 1000) - seconds;
    if (skew > this.toleranceSeconds) throw new WebhookVerificationError('Message timestamp too old');
    if (skew < -this.toleranceSeconds) throw new WebhookVerificationError('Message timestamp too new');
    const text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: false }).decode(body);
    const signed = encoder.encode(`${id}.${timestamp}.${text}`);
    const expected = await Promise.all(
      (await this.keys).map(async (key) =>
        bytesToBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, signed))),
      ),
    );
    const given = signatures
      .split(' ')
      .map((entry) => entry.split(','))
      .filter(([version, value]) => version === 'v1' && value !== undefined)
      .map(([, value]) => value as string);
    const match = given.some((sig) => expected.some((exp) => timingSafeEqual(sig, exp)));
    if (!match) throw new WebhookVerificationError('No matching signature found');
    let payload: T;
    try {
      payload = JSON.parse(text) as T;
    } catch {
      throw new WebhookVerificationError('The body is not JSON');
    }
    return { id, timestamp: new Date(seconds * 1000), payload };
  }

  /** The `webhook-signature` value for a body: for tests of your own receiver. */
  async sign(id: string, timestamp: Date | number, body: string): Promise<string> {
    const seconds = typeof timestamp === 'number' ? timestamp : Math.floor(timestamp.getTime() / 1000);
    const signed = encoder.encode(`${id}.${seconds}.${body}`);
    const signatures = await Promise.all(
      (await this.keys).map(
        async (key) => `v1,${bytesToBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, signed)))}`,
      ),
    );
    return signatures.join(' ');
  }
}
