import { Readable } from 'node:stream';

/** A multipart body WearLink cannot read: the route answers 400 with this message. */
export class MultipartError extends Error {
  override name = 'MultipartError';
}

/** Bytes of one part's header block: more is not a form a browser or curl sends. */
const MAX_PART_HEADER_BYTES = 16 * 1024;
/** Bytes of all parts other than the file together (form fields, a preamble): discarded, but bounded. */
const MAX_OTHER_BYTES = 1024 * 1024;

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` content type (RFC 2046 §5.1.1), or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** Pulls chunks from a stream into one buffer, as much as a caller needs and no more. */
class Bytes {
  #buf: Buffer = Buffer.alloc(0);
  #done = false;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  get buffer(): Buffer {
    return this.#buf;
  }
  get done(): boolean {
    return this.#done;
  }

  /** Reads one more chunk; false at the end of the stream. */
  async more(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.source.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    const chunk: Buffer = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    return true;
  }

  consume(n: number): Buffer {
    const head = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return head;
  }
}

/**
 * Reads a `multipart/form-data` body as a stream and hands the content of its `field` part (the first
 * one) to `store` as a stream, while it arrives: an upload is never held whole in memory (a 50 MB
 * export, many at once, would be). Other parts are read and dropped. Returns what `store` returned and
 * the part's file name; throws MultipartError for a body that is not such a form or has no such part.
 */
export async function readMultipartFile<T>(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  boundary: string,
  field: string,
  store: (content: Readable) => Promise<T>,
  /** Undoes a `store` that succeeded when the rest of the body then turns out malformed. */
  discard: (stored: T) => Promise<void>,
): Promise<{ stored: T; fileName: string | undefined }> {
  const iterator = (body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const bytes = new Bytes(iterator);
  // Every delimiter but the first follows a line end; the first may follow a preamble's.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let other = 0;
  const countOther = (n: number) => {
    other += n;
    if (other > MAX_OTHER_BYTES) throw new MultipartError('The form holds more than the export');
  };

  /** Yields a part's bytes up to the next delimiter, then leaves the reader right after it. */
  async function* partBody(): AsyncGenerator<Buffer> {
    for (;;) {
      const at = bytes.buffer.indexOf(delimiter);
      if (at !== -1) {
        if (at > 0) yield bytes.consume(at);
        bytes.consume(delimiter.length);
        return;
      }
      // Keep what could be the start of a delimiter cut by the chunk's end.
      const safe = bytes.buffer.length - (delimiter.length - 1);
      if (safe > 0) yield bytes.consume(safe);
      if (!(await bytes.more())) throw new MultipartError('The multipart body ends inside a part');
    }
  }

  let result: { stored: T; fileName: string | undefined } | undefined;
  try {
    // The preamble (normally empty): up to the first delimiter.
    while (bytes.buffer.length < boundary.length + 2 && (await bytes.more()));
    const first = Buffer.from(`--${boundary}`);
    if (bytes.buffer.subarray(0, first.length).equals(first)) {
      bytes.consume(first.length);
    } else {
      for await (const chunk of partBody()) countOther(chunk.length);
    }
    for (;;) {
      // After a delimiter: `--` ends the body, a line end starts a part.
      while (bytes.buffer.length < 2 && (await bytes.more()));
      if (bytes.buffer[0] === 45 && bytes.buffer[1] === 45) break;
      let headerEnd = bytes.buffer.indexOf(CRLF) === 0 ? bytes.buffer.indexOf(HEADER_END) : -2;
      while (headerEnd === -1 && bytes.buffer.length <= MAX_PART_HEADER_BYTES && (await bytes.more())) {
        headerEnd = bytes.buffer.indexOf(HEADER_END);
      }
      // A part with no headers at all has its blank line right after the delimiter's line end.
      if (headerEnd === -2 || headerEnd === -1) {
        throw new MultipartError('Not a multipart/form-data body (part headers missing or too long)');
      }
      const headers = bytes.consume(headerEnd + HEADER_END.length).toString('utf8');
      const disposition = /^content-disposition:([^\r\n]*)$/im.exec(headers)?.[1] ?? '';
      const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
      const fileName = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
      if (name === field && result === undefined) {
        result = { stored: await store(Readable.from(partBody(), { objectMode: false })), fileName };
      } else {
        for await (const chunk of partBody()) countOther(chunk.length);
      }
    }
    if (result === undefined) throw new MultipartError(`Send the export as the multipart field "${field}"`);
    return result;
  } catch (error) {
    if (result !== undefined) await discard(result.stored);
    throw error;
  } finally {
    // Stop reading a body that was refused halfway (too large, malformed).
    await iterator.return?.();
  }
}
