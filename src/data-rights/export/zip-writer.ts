import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * A streaming ZIP writer (APPNOTE 6.3.x): each entry is deflated as its bytes arrive and written at
 * once, its CRC-32 and sizes following in a data descriptor (general purpose bit 3), so no entry is ever
 * held in memory or needs a seekable output. Sizes and offsets past 4 GiB, or more than 65,535 entries,
 * get ZIP64 records (in the central directory, which is what readers trust, and 8-byte sizes in that
 * entry's data descriptor, as Go's archive/zip and zipstream writers do for streamed entries).
 */

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** Bit 3: sizes and CRC in a data descriptor after the data; bit 11: names are UTF-8. */
const FLAGS = 0x0808;
const DEFLATE = 8;
const VERSION_DEFAULT = 20;
const VERSION_ZIP64 = 45;
const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;

/** The archive grew past the writer's `maxBytes`: writing stopped there. */
export class ZipTooLargeError extends Error {
  override name = 'ZipTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`ZIP exceeds ${maxBytes} bytes`);
  }
}

export interface ZipEntryResult {
  name: string;
  /** Uncompressed bytes. */
  bytes: number;
  compressedBytes: number;
  crc32: number;
}

interface CentralRecord extends ZipEntryResult {
  nameBytes: Buffer;
  offset: number;
  dosTime: number;
  dosDate: number;
}

function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    dosTime: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    dosDate: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

export class ZipWriter {
  #offset = 0;
  #entries: CentralRecord[] = [];
  #open = false;
  #finished = false;
  readonly #zip64Threshold: number;
  readonly #level: number;
  readonly #maxBytes: number;
  #failed: Error | undefined;

  /**
   * @param out where the archive goes; writes wait for `drain`, so a slow disk or client slows the reader
   *   of the database instead of buffering.
   * @param options.zip64Threshold sizes and offsets from which ZIP64 records are written (tests lower it
   *   to check the ZIP64 layout without writing 4 GiB).
   * @param options.maxBytes stop with ZipTooLargeError as soon as the archive would grow past this.
   */
  constructor(
    private readonly out: Writable,
    options: { zip64Threshold?: number; level?: number; maxBytes?: number } = {},
  ) {
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    // Kept, not thrown from an event: the next write (or the wait for `drain`) reports it.
    out.on('error', (error) => {
      this.#failed ??= error;
    });
    this.#zip64Threshold = options.zip64Threshold ?? MAX_32;
    this.#level = options.level ?? 6;
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.#offset;
  }

  async #write(chunk: Buffer): Promise<void> {
    if (this.#offset + chunk.length > this.#maxBytes) throw new ZipTooLargeError(this.#maxBytes);
    if (this.#failed) throw this.#failed;
    if (this.out.destroyed) throw new Error('ZIP output closed before the archive was complete');
    this.#offset += chunk.length;
    if (!this.out.write(chunk)) {
      // `drain`, or the stream failing or closing (an aborted client): whichever comes first.
      // The loser's listener is removed (abort), so millions of waits add none.
      const waiting = new AbortController();
      try {
        await Promise.race([
          once(this.out, 'drain', { signal: waiting.signal }),
          once(this.out, 'close', { signal: waiting.signal }).then(() => {
            throw this.#failed ?? new Error('ZIP output closed before the archive was complete');
          }),
        ]);
      } finally {
        waiting.abort();
      }
    }
  }

  /** Adds one entry, deflating `source` as it is read. Entries are written one after another. */
  async addEntry(
    name: string,
    source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
    modified = new Date(),
  ): Promise<ZipEntryResult> {
    if (this.#open || this.#finished) throw new Error('ZIP entries are written one at a time');
    this.#open = true;
    const nameBytes = Buffer.from(name, 'utf8');
    const offset = this.#offset;
    const { dosTime, dosDate } = dosDateTime(modified);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION_DEFAULT, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(dosTime, 10);
    header.writeUInt16LE(dosDate, 12);
    // CRC and sizes (14..25) stay 0: they follow in the data descriptor.
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    await this.#write(header);
    await this.#write(nameBytes);

    let crc = 0;
    let bytes = 0;
    let compressedBytes = 0;
    const deflate = createDeflateRaw({ level: this.#level });
    const pump = (async () => {
      for await (const piece of source) {
        const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        if (chunk.length === 0) continue;
        crc = crc32(chunk, crc);
        bytes += chunk.length;
        if (!deflate.write(chunk)) await once(deflate, 'drain');
      }
      deflate.end();
    })().catch((error: unknown) => {
      deflate.destroy(error as Error);
      throw error;
    });
    try {
      for await (const compressed of deflate as AsyncIterable<Buffer>) {
        compressedBytes += compressed.length;
        await this.#write(compressed);
      }
      await pump;
    } catch (error) {
      deflate.destroy();
      await pump.catch(() => undefined);
      throw error;
    }

    const zip64 = bytes >= this.#zip64Threshold || compressedBytes >= this.#zip64Threshold;
    const descriptor = Buffer.alloc(zip64 ? 24 : 16);
    descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    if (zip64) {
      descriptor.writeBigUInt64LE(BigInt(compressedBytes), 8);
      descriptor.writeBigUInt64LE(BigInt(bytes), 16);
    } else {
      descriptor.writeUInt32LE(compressedBytes, 8);
      descriptor.writeUInt32LE(bytes, 12);
    }
    await this.#write(descriptor);
    const result = { name, bytes, compressedBytes, crc32: crc >>> 0 };
    this.#entries.push({ ...result, nameBytes, offset, dosTime, dosDate });
    this.#open = false;
    return result;
  }

  /** Writes the central directory (ZIP64 end records when needed) and ends `out`. */
  async finish(): Promise<void> {
    if (this.#open || this.#finished) throw new Error('ZIP already finished or an entry is open');
    this.#finished = true;
    const threshold = this.#zip64Threshold;
    const centralStart = this.#offset;
    for (const e of this.#entries) {
      const big = {
        bytes: e.bytes >= threshold,
        compressed: e.compressedBytes >= threshold,
        offset: e.offset >= threshold,
      };
      // The ZIP64 extra holds only the fields whose 32-bit slot says 0xFFFFFFFF, in this order.
      const extraFields: bigint[] = [];
      if (big.bytes) extraFields.push(BigInt(e.bytes));
      if (big.compressed) extraFields.push(BigInt(e.compressedBytes));
      if (big.offset) extraFields.push(BigInt(e.offset));
      const extra = Buffer.alloc(extraFields.length > 0 ? 4 + 8 * extraFields.length : 0);
      if (extraFields.length > 0) {
        extra.writeUInt16LE(0x0001, 0);
        extra.writeUInt16LE(8 * extraFields.length, 2);
        extraFields.forEach((v, i) => {
          extra.writeBigUInt64LE(v, 4 + 8 * i);
        });
      }
      const version = extraFields.length > 0 ? VERSION_ZIP64 : VERSION_DEFAULT;
      const header = Buffer.alloc(46);
      header.writeUInt32LE(CENTRAL_HEADER, 0);
      // Made by: UNIX (3) in the high byte, so readers take the permission bits below.
      header.writeUInt16LE((3 << 8) | version, 4);
      header.writeUInt16LE(version, 6);
      header.writeUInt16LE(FLAGS, 8);
      header.writeUInt16LE(DEFLATE, 10);
      header.writeUInt16LE(e.dosTime, 12);
      header.writeUInt16LE(e.dosDate, 14);
      header.writeUInt32LE(e.crc32, 16);
      header.writeUInt32LE(big.compressed ? MAX_32 : e.compressedBytes, 20);
      header.writeUInt32LE(big.bytes ? MAX_32 : e.bytes, 24);
      header.writeUInt16LE(e.nameBytes.length, 28);
      header.writeUInt16LE(extra.length, 30);
      header.writeUInt16LE(0, 32); // comment
      header.writeUInt16LE(0, 34); // disk
      header.writeUInt16LE(0, 36); // internal attributes
      header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
      header.writeUInt32LE(big.offset ? MAX_32 : e.offset, 42);
      await this.#write(header);
      await this.#write(e.nameBytes);
      if (extra.length > 0) await this.#write(extra);
    }
    const centralSize = this.#offset - centralStart;
    const count = this.#entries.length;
    const zip64 = count >= MAX_16 || centralStart >= threshold || centralSize >= threshold;
    if (zip64) {
      const zip64EndOffset = this.#offset;
      const end64 = Buffer.alloc(56);
      end64.writeUInt32LE(ZIP64_END, 0);
      end64.writeBigUInt64LE(44n, 4); // size of the rest of this record
      end64.writeUInt16LE((3 << 8) | VERSION_ZIP64, 12);
      end64.writeUInt16LE(VERSION_ZIP64, 14);
      end64.writeUInt32LE(0, 16);
      end64.writeUInt32LE(0, 20);
      end64.writeBigUInt64LE(BigInt(count), 24);
      end64.writeBigUInt64LE(BigInt(count), 32);
      end64.writeBigUInt64LE(BigInt(centralSize), 40);
      end64.writeBigUInt64LE(BigInt(centralStart), 48);
      await this.#write(end64);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(ZIP64_LOCATOR, 0);
      locator.writeUInt32LE(0, 4);
      locator.writeBigUInt64LE(BigInt(zip64EndOffset), 8);
      locator.writeUInt32LE(1, 16);
      await this.#write(locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
    end.writeUInt16LE(zip64 ? MAX_16 : count, 8);
    end.writeUInt16LE(zip64 ? MAX_16 : count, 10);
    end.writeUInt32LE(zip64 ? MAX_32 : centralSize, 12);
    end.writeUInt32LE(zip64 ? MAX_32 : centralStart, 16);
    end.writeUInt16LE(0, 20);
    await this.#write(end);
    this.out.end();
    // Until the file (or socket) is closed, not just flushed: the caller moves the file next.
    await finished(this.out);
  }
}
