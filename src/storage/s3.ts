import { createHash, createHmac } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { S3Settings } from '../config/config.ts';

/**
 * A minimal S3 client: presigned URLs and the object calls WearLink needs (HEAD, GET, PUT, DELETE),
 * signed with AWS Signature Version 4 on node:crypto. Works with AWS S3 and S3-compatible stores
 * (MinIO, Ceph, R2, …), path-style or virtual-host style. An SDK would add megabytes for a handful of calls.
 */

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 's3';
/** Presigned uploads are signed before the body exists. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** SHA-256 of the empty body of HEAD, GET and DELETE. */
export const EMPTY_PAYLOAD_SHA256 = createHash('sha256').update('').digest('hex');
/** SigV4 caps presigned URLs at 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 86_400;
export const DEFAULT_S3_TIMEOUT_MS = 30_000;

export type S3Method = 'GET' | 'PUT' | 'HEAD' | 'DELETE';

/** RFC 3986 percent-encoding as SigV4 specifies it: only unreserved characters stay, `/` too in paths. */
export function uriEncode(value: string, keepSlash = false): string {
  const encoded = encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

/** `20130524T000000Z`: the ISO basic format SigV4 signs. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** Where an object lives: the URL to call, built the same way for signing and sending. */
export function objectUrl(settings: S3Settings, key: string): URL {
  const url = new URL(settings.endpoint);
  const basePath = url.pathname.replace(/\/+$/, '');
  const encodedKey = uriEncode(key, true);
  if (settings.forcePathStyle) {
    url.pathname = `${basePath}/${uriEncode(settings.bucket)}/${encodedKey}`;
  } else {
    url.hostname = `${settings.bucket}.${url.hostname}`;
    url.pathname = `${basePath}/${encodedKey}`;
  }
  return url;
}

function canonicalQuery(params: [string, string][]): string {
  return params
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

interface SigningInput {
  method: S3Method;
  /** Already URI-encoded, exactly as sent. */
  path: string;
  query: [string, string][];
  /** Every signed header, lower-case names. */
  headers: Record<string, string>;
  payloadHash: string;
  date: string;
}

function signature(settings: S3Settings, input: SigningInput): { signature: string; signedHeaders: string } {
  const names = Object.keys(input.headers).sort();
  const canonicalHeaders = names
    .map((name) => `${name}:${(input.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    input.method,
    input.path,
    canonicalQuery(input.query),
    canonicalHeaders,
    signedHeaders,
    input.payloadHash,
  ].join('\n');
  const day = input.date.slice(0, 8);
  const scope = `${day}/${settings.region}/${SERVICE}/aws4_request`;
  const stringToSign = [ALGORITHM, input.date, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${settings.secretAccessKey}`, day), settings.region), SERVICE),
    'aws4_request',
  );
  return { signature: hmac(signingKey, stringToSign).toString('hex'), signedHeaders };
}

const credentialScope = (settings: S3Settings, date: string) =>
  `${settings.accessKeyId}/${date.slice(0, 8)}/${settings.region}/${SERVICE}/aws4_request`;

/**
 * A query-string presigned URL: whoever holds it may send `method` to this one key until it expires,
 * with any body (`UNSIGNED-PAYLOAD`): the size is checked afterwards, with a HEAD.
 */
export function presignUrl(
  settings: S3Settings,
  method: S3Method,
  key: string,
  options: { expiresInSeconds: number; now?: Date },
): string {
  if (options.expiresInSeconds < 1 || options.expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`presigned URLs expire after 1 to ${MAX_PRESIGN_SECONDS} seconds`);
  }
  const url = objectUrl(settings, key);
  const date = amzDate(options.now ?? new Date());
  const query: [string, string][] = [
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', credentialScope(settings, date)],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', String(options.expiresInSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const signed = signature(settings, {
    method,
    path: url.pathname,
    query,
    headers: { host: url.host },
    payloadHash: UNSIGNED_PAYLOAD,
    date,
  });
  url.search = canonicalQuery([...query, ['X-Amz-Signature', signed.signature]]);
  return url.toString();
}

/**
 * Headers for a header-signed request, with an empty body unless `payloadHash` (the body's SHA-256, hex)
 * says otherwise; `host` is left to fetch (it derives the same).
 */
export function signedRequestHeaders(
  settings: S3Settings,
  method: S3Method,
  key: string,
  options: { now?: Date; headers?: Record<string, string>; payloadHash?: string } = {},
): { url: URL; headers: Record<string, string> } {
  const payloadHash = options.payloadHash ?? EMPTY_PAYLOAD_SHA256;
  const url = objectUrl(settings, key);
  const date = amzDate(options.now ?? new Date());
  const extra = Object.fromEntries(
    Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const headers: Record<string, string> = {
    ...extra,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': date,
  };
  const signed = signature(settings, {
    method,
    path: url.pathname,
    query: [],
    headers: { ...headers, host: url.host },
    payloadHash,
    date,
  });
  headers.authorization = `${ALGORITHM} Credential=${credentialScope(settings, date)}, SignedHeaders=${signed.signedHeaders}, Signature=${signed.signature}`;
  return { url, headers };
}

/** The store answered with an error (or not at all): worth retrying unless it is a 4xx. */
export class S3Error extends Error {
  override name = 'S3Error';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export class S3ObjectNotFoundError extends Error {
  override name = 'S3ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`object ${key} does not exist in the bucket`);
  }
}

export class S3ObjectTooLargeError extends Error {
  override name = 'S3ObjectTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`object exceeds ${maxBytes} bytes`);
  }
}

async function errorFrom(response: Response, what: string): Promise<S3Error> {
  // S3 errors are a small XML document: its <Code> says more than the status (SignatureDoesNotMatch, …).
  const text = response.body === null ? '' : (await response.text().catch(() => '')).slice(0, 2000);
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1];
  return new S3Error(
    `S3 ${what} failed: ${response.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
    response.status,
    code,
  );
}

export class S3BlobStore {
  constructor(
    readonly settings: S3Settings,
    private readonly timeoutMs = DEFAULT_S3_TIMEOUT_MS,
  ) {}

  presignPut(key: string, expiresInSeconds: number): string {
    return presignUrl(this.settings, 'PUT', key, { expiresInSeconds });
  }

  async #send(method: S3Method, key: string, signal: AbortSignal): Promise<Response> {
    const { url, headers } = signedRequestHeaders(this.settings, method, key);
    try {
      return await fetch(url, { method, headers, signal, redirect: 'manual' });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new S3Error(`S3 ${method} ${key} failed: ${reason}`, undefined, undefined);
    }
  }

  /** The object's size, or undefined when it does not exist (yet). */
  async head(key: string): Promise<{ bytes: number; etag: string | undefined } | undefined> {
    const response = await this.#send('HEAD', key, AbortSignal.timeout(this.timeoutMs));
    if (response.status === 404) return undefined;
    if (!response.ok) {
      // A HEAD has no body to explain itself; a 403 here is also what S3 answers for a missing key
      // when the credentials lack s3:ListBucket.
      throw new S3Error(
        `S3 HEAD ${key} failed: ${response.status}${response.status === 403 ? ' (check the credentials and that they may s3:ListBucket)' : ''}`,
        response.status,
        undefined,
      );
    }
    const length = Number(response.headers.get('content-length'));
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new S3Error(`S3 HEAD ${key} answered without a Content-Length`, response.status, undefined);
    }
    return { bytes: length, etag: response.headers.get('etag') ?? undefined };
  }

  /**
   * Streams the object into a new file at `path` (never buffered in memory); returns its size. The
   * timeout applies between chunks, not to the whole transfer: a multi-gigabyte export takes minutes.
   */
  async download(key: string, path: string, maxBytes?: number): Promise<number> {
    const controller = new AbortController();
    const idle = setTimeout(
      () => controller.abort(new S3Error(`S3 GET ${key} stalled`, undefined, undefined)),
      this.timeoutMs,
    );
    let bytes = 0;
    let created = false;
    try {
      const response = await this.#send('GET', key, controller.signal);
      if (response.status === 404) {
        await response.body?.cancel();
        throw new S3ObjectNotFoundError(key);
      }
      if (!response.ok || response.body === null) throw await errorFrom(response, `GET ${key}`);
      const file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      created = true;
      await pipeline(
        Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>),
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            idle.refresh();
            bytes += chunk.byteLength;
            if (maxBytes !== undefined && bytes > maxBytes) throw new S3ObjectTooLargeError(maxBytes);
            yield chunk;
          }
        },
        file,
      );
      return bytes;
    } catch (error) {
      if (created) await rm(path, { force: true });
      if (controller.signal.aborted && controller.signal.reason instanceof S3Error) {
        throw controller.signal.reason;
      }
      throw error;
    } finally {
      clearTimeout(idle);
    }
  }

  /**
   * Uploads the file at `path` in one streamed PUT (never read into memory) with its Content-Length and
   * its SHA-256 signed in, so the store refuses a body that differs from what was hashed. The file is read
   * twice: once to hash, once to send. Single PUTs take up to 5 GiB on AWS.
   */
  async putFile(key: string, path: string, contentType: string): Promise<void> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    const payloadHash = hash.digest('hex');
    const { size } = await stat(path);
    const { url, headers } = signedRequestHeaders(this.settings, 'PUT', key, {
      payloadHash,
      headers: { 'content-type': contentType, 'content-length': String(size) },
    });
    const controller = new AbortController();
    const idle = setTimeout(
      () => controller.abort(new S3Error(`S3 PUT ${key} stalled`, undefined, undefined)),
      this.timeoutMs,
    );
    const body = createReadStream(path);
    body.on('data', () => idle.refresh());
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'PUT',
        headers,
        body: Readable.toWeb(body) as unknown as RequestInit['body'],
        duplex: 'half',
        signal: controller.signal,
        redirect: 'manual',
      } as RequestInit);
    } catch (error) {
      const reason =
        controller.signal.aborted && controller.signal.reason instanceof S3Error
          ? controller.signal.reason.message
          : error instanceof Error
            ? error.message
            : String(error);
      throw new S3Error(`S3 PUT ${key} failed: ${reason}`, undefined, undefined);
    } finally {
      clearTimeout(idle);
      body.destroy();
    }
    if (!response.ok) throw await errorFrom(response, `PUT ${key}`);
    await response.body?.cancel();
  }

  /** Uploads a small object held in memory. */
  async putBuffer(key: string, data: Buffer, contentType: string): Promise<void> {
    const { url, headers } = signedRequestHeaders(this.settings, 'PUT', key, {
      payloadHash: createHash('sha256').update(data).digest('hex'),
      headers: { 'content-type': contentType },
    });
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'PUT',
        headers,
        body: data,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      throw new S3Error(`S3 PUT ${key} failed: ${(error as Error).message}`, undefined, undefined);
    }
    if (!response.ok) throw await errorFrom(response, `PUT ${key}`);
    await response.body?.cancel();
  }

  /**
   * The object as a stream with its size, or undefined when it does not exist. The timeout applies to the
   * answer's headers; the body then streams at the reader's pace.
   */
  async openStream(key: string): Promise<{ stream: Readable; bytes: number } | undefined> {
    // A timer, not AbortSignal.timeout: that would also cut a long download's body off.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new S3Error(`S3 GET ${key} timed out`, undefined, undefined)),
      this.timeoutMs,
    );
    const response = await this.#send('GET', key, controller.signal).finally(() => clearTimeout(timer));
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok || response.body === null) throw await errorFrom(response, `GET ${key}`);
    const bytes = Number(response.headers.get('content-length'));
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      await response.body.cancel();
      throw new S3Error(`S3 GET ${key} answered without a Content-Length`, response.status, undefined);
    }
    return { stream: Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), bytes };
  }

  /** Deletes the object; a missing one counts as deleted. */
  async delete(key: string): Promise<void> {
    const response = await this.#send('DELETE', key, AbortSignal.timeout(this.timeoutMs));
    if (response.ok || response.status === 404) {
      await response.body?.cancel();
      return;
    }
    throw await errorFrom(response, `DELETE ${key}`);
  }
}
