import { errorFromResponse, WearLinkError } from './errors.ts';
import type { components } from './generated/openapi.ts';
import type { Transport } from './http.ts';

/** A stream of known length (what `fileSource` from `@wearlink/sdk/node` returns for a file). */
export interface SizedStream {
  stream: ReadableStream<Uint8Array>;
  /** Bytes the stream yields: sent as Content-Length (S3 refuses uploads without one). */
  size: number;
  name?: string | undefined;
}

/**
 * What can be uploaded: a Blob or File (browsers; read from disk as it is sent), bytes, a sized stream,
 * or a bare ReadableStream (its length unknown: fine for WearLink's own upload URL, refused by S3).
 */
export type UploadSource = Blob | Uint8Array | ArrayBuffer | SizedStream | ReadableStream<Uint8Array>;

export interface AppleUploadOptions {
  /** Stored with the import (default: the File's or stream's name, else export.zip). */
  filename?: string | undefined;
  /** Called as the body goes out: bytes handed to the connection so far, and the total when known. */
  onProgress?: ((bytesSent: number, total: number | undefined) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** How long the upload URL stays valid (60-86400 s; server default 1 h). */
  expirationSeconds?: number | undefined;
}

export type AppleImportQueued = components['schemas']['AppleImportQueued'];
export type AppleImportPresigned = components['schemas']['AppleImportPresigned'];
export type AppleUploadResult = AppleImportQueued & { key: string; bytes: number };

/** Progress steps: a chunk larger than this is handed on in pieces, so progress moves smoothly. */
const PROGRESS_STEP = 64 * 1024;

function sizeOf(source: UploadSource): number | undefined {
  if (typeof Blob !== 'undefined' && source instanceof Blob) return source.size;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return source.byteLength;
  if (source instanceof ReadableStream) return undefined;
  return (source as SizedStream).size;
}

function nameOf(source: UploadSource): string | undefined {
  const name = (source as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function streamOf(source: UploadSource): ReadableStream<Uint8Array> {
  if (typeof Blob !== 'undefined' && source instanceof Blob) return source.stream();
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
  }
  if (source instanceof ReadableStream) return source;
  return (source as SizedStream).stream;
}

/** `source` as a stream that reports how much of it has been read (by fetch, as it sends). */
function counted(
  source: ReadableStream<Uint8Array>,
  total: number | undefined,
  onProgress: AppleUploadOptions['onProgress'],
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let sent = 0;
  let pending: Uint8Array | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending === undefined || pending.byteLength === 0) {
        const { value, done } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        pending = value;
      }
      const piece = pending.subarray(0, PROGRESS_STEP);
      pending = pending.subarray(piece.byteLength);
      sent += piece.byteLength;
      controller.enqueue(piece);
      onProgress?.(sent, total);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** The part of XMLHttpRequest used here (browsers only; not in Node's types). */
interface Xhr {
  open(method: string, url: string): void;
  send(body: unknown): void;
  abort(): void;
  setRequestHeader(name: string, value: string): void;
  getAllResponseHeaders(): string;
  status: number;
  responseText: string;
  upload: { onprogress: ((event: { loaded: number; total: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

/**
 * Browsers: XMLHttpRequest, which streams a Blob from disk and reports upload progress everywhere (fetch
 * takes a streamed request body only in some browsers, and only over HTTP/2).
 */
function putWithXhr(
  url: string,
  body: Blob | Uint8Array | ArrayBuffer,
  total: number | undefined,
  options: AppleUploadOptions,
): Promise<Response> {
  const XhrClass = (globalThis as unknown as { XMLHttpRequest: new () => Xhr }).XMLHttpRequest;
  return new Promise<Response>((resolve, reject) => {
    const xhr = new XhrClass();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, total ?? event.total);
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr
        .getAllResponseHeaders()
        .trim()
        .split(/[\r\n]+/)) {
        const at = line.indexOf(':');
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      resolve(new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status, headers }));
    };
    xhr.onerror = () => reject(new TypeError('Network error during the upload'));
    xhr.onabort = () => reject(new DOMException('The upload was aborted', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

async function put(
  transport: Transport,
  url: string,
  source: UploadSource,
  total: number | undefined,
  options: AppleUploadOptions,
): Promise<Response> {
  const inBrowser = typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest === 'function';
  if (
    inBrowser &&
    ((typeof Blob !== 'undefined' && source instanceof Blob) ||
      source instanceof Uint8Array ||
      source instanceof ArrayBuffer)
  ) {
    return putWithXhr(url, source, total, options);
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
  // Node's fetch sends this length with a streamed body (without it, chunked: S3 refuses those).
  if (total !== undefined) headers['Content-Length'] = String(total);
  return transport.fetchImpl(url, {
    method: 'PUT',
    headers,
    body: counted(streamOf(source), total, options.onProgress),
    // Required by fetch for a streamed request body.
    duplex: 'half',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  } as RequestInit);
}

/**
 * Uploads an Apple Health export (export.zip or export.xml) through the upload-URL flow: ask for an
 * upload URL, PUT the file to it (streamed, with progress), then start the import. With S3 configured the
 * URL is the bucket's and the import is started by `…/s3/complete`; otherwise it is WearLink's own upload
 * endpoint, whose answer already starts it. Returns the queued import's run: follow it with
 * `client.sync.run(userId, run_id)` or the sync stream.
 */
export async function uploadAppleExport(
  transport: Transport,
  userId: string,
  source: UploadSource,
  options: AppleUploadOptions = {},
): Promise<AppleUploadResult> {
  const total = sizeOf(source);
  const user = encodeURIComponent(userId);
  const filename = options.filename ?? nameOf(source) ?? 'export.zip';
  const presigned = await transport.json<AppleImportPresigned>(
    'post',
    `/api/v1/users/${user}/import/apple/xml/s3`,
    {
      body: {
        filename,
        ...(total === undefined ? {} : { file_size_bytes: total }),
        ...(options.expirationSeconds === undefined ? {} : { expiration_seconds: options.expirationSeconds }),
      },
      signal: options.signal,
    },
  );
  if (total !== undefined && total > presigned.max_bytes) {
    throw new WearLinkError({
      status: 413,
      detail: `The file has ${total} bytes; the upload URL takes ${presigned.max_bytes}`,
    });
  }
  let sent = 0;
  const tracked: AppleUploadOptions = {
    ...options,
    onProgress: (bytesSent, of) => {
      sent = bytesSent;
      options.onProgress?.(bytesSent, of);
    },
  };
  let response: Response;
  try {
    response = await put(transport, presigned.presigned_put_url, source, total, tracked);
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    throw new WearLinkError({
      status: 0,
      detail: `The upload failed: ${(error as Error).message}`,
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok) throw errorFromResponse(response, text);
  // Reported once more when done: the last chunk may have been counted before the answer came.
  if (total !== undefined && sent !== total) options.onProgress?.(total, total);
  const bytes = total ?? sent;
  // WearLink's own upload URL answers 202 with the queued run.
  if (response.status === 202 && text) {
    const queued = JSON.parse(text) as AppleImportQueued;
    return { ...queued, key: presigned.key, bytes };
  }
  // An S3 bucket answers 200 with no body: the import starts once WearLink is told.
  const queued = await transport.json<AppleImportQueued>(
    'post',
    `/api/v1/users/${user}/import/apple/xml/s3/complete`,
    {
      body: { key: presigned.key },
      signal: options.signal,
    },
  );
  return { ...queued, key: presigned.key, bytes };
}
