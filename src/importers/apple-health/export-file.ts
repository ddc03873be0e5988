import { open as openFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { pipeline, type Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { ImportFormatError } from './xml-stream.ts';

export interface ZipLimits {
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed : compressed ratio for entries over 1 MiB (XML compresses ~10–30×). */
  maxRatio: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 16 * 1024 ** 3,
  maxRatio: 200,
  maxEntries: 200_000,
};

/** An uploaded export, zipped or not: its XML as a byte stream and, in a zip, its GPX routes. */
export interface ExportFile {
  kind: 'zip' | 'xml';
  /** Bytes of the XML document (uncompressed). */
  xmlBytes: number;
  xmlName: string;
  /**
   * The XML's bytes in chunks. A chunk is only valid until the next one is asked for (the plain file's
   * reader reuses one buffer): streamXml copies what it keeps.
   */
  openXml(): Promise<AsyncIterable<Uint8Array>>;
  /** A GPX named by a `FileReference` (`/workout-routes/route_….gpx`), if the archive has it. */
  openRoute(path: string): Promise<Readable | undefined>;
  close(): void;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

async function head(path: string, bytes: number): Promise<Buffer> {
  const handle = await openFile(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Bytes per read of a plain export.xml. */
const XML_CHUNK_BYTES = 256 * 1024;

/**
 * A file's bytes through two reused buffers, each chunk valid until the next is asked for: the next
 * read is under way while the caller works on a chunk. A read stream allocates a new buffer per read
 * instead: 830 MB of garbage outside the heap for a 2M-record export, which V8 answers with a full
 * collection per 64 MB or so (a dry-run import of it: 5.41 and 4.96 CPU s with a stream, 5.18 and
 * 4.62 with these buffers and streamXml's own; reading without the read-ahead was 2 s slower on a
 * busy machine).
 */
async function* readReusing(path: string): AsyncGenerator<Uint8Array> {
  const handle = await openFile(path, 'r');
  const buffers = [Buffer.allocUnsafeSlow(XML_CHUNK_BYTES), Buffer.allocUnsafeSlow(XML_CHUNK_BYTES)];
  let position = 0;
  let next = 0;
  const read = () => handle.read(buffers[next] as Buffer, 0, XML_CHUNK_BYTES, position);
  let pending: ReturnType<typeof read> | undefined = read();
  try {
    for (;;) {
      const { bytesRead, buffer } = await pending;
      pending = undefined;
      if (bytesRead === 0) return;
      position += bytesRead;
      next ^= 1;
      pending = read();
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // A caller that stops early leaves a read under way: it ends before the file is closed.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}

/** Zip entry names that could escape a directory if anyone ever extracted them: refused outright. */
export function unsafeEntryName(name: string): boolean {
  if (name.includes('\\') || name.includes('\u0000') || name.startsWith('/') || /^[a-z]:/i.test(name)) {
    return true;
  }
  return name.split('/').some((part) => part === '..');
}

/**
 * Opens an upload. A zip is read through its central directory and entries are inflated as streams
 * (never extracted, never held whole in memory); every entry is checked before anything is read:
 * names that traverse paths, sizes over the cap, compression ratios only a zip bomb has. yauzl also
 * checks each inflated stream against its declared size, so a lying header cannot inflate further.
 */
export async function openExportFile(
  path: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ExportFile> {
  const first = await head(path, 4);
  if (!first.equals(ZIP_MAGIC)) {
    const size = (await stat(path)).size;
    return {
      kind: 'xml',
      xmlBytes: size,
      xmlName: posix.basename(path),
      openXml: async () => readReusing(path),
      openRoute: async () => undefined,
      close: () => {},
    };
  }
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true }, (error, file) =>
      error ? reject(new ImportFormatError(`not a readable zip archive: ${error.message}`)) : resolve(file),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (unsafeEntryName(name)) {
          reject(new ImportFormatError(`zip entry '${name}' has an unsafe path; refused`));
          return;
        }
        if (entries.size >= limits.maxEntries) {
          reject(new ImportFormatError(`zip has more than ${limits.maxEntries} entries; refused`));
          return;
        }
        if (entry.uncompressedSize > limits.maxEntryBytes) {
          reject(
            new ImportFormatError(
              `zip entry '${name}' inflates to ${entry.uncompressedSize} bytes; over the limit`,
            ),
          );
          return;
        }
        if (
          entry.uncompressedSize > 1024 * 1024 &&
          entry.uncompressedSize > Math.max(entry.compressedSize, 1) * limits.maxRatio
        ) {
          reject(
            new ImportFormatError(
              `zip entry '${name}' has a compression ratio over ${limits.maxRatio}:1 (zip bomb); refused`,
            ),
          );
          return;
        }
        if (!name.endsWith('/')) entries.set(name, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (error: Error) =>
        reject(new ImportFormatError(`zip archive is corrupt or unsafe: ${error.message}`)),
      );
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }

  // Apple writes apple_health_export/export.xml (iOS 8: a localised name, e.g. Exportieren.xml).
  const candidates = [...entries.keys()].filter(
    (n) => n.toLowerCase().endsWith('.xml') && !/_cda\.xml$/i.test(n) && !n.startsWith('__MACOSX/'),
  );
  const xmlName =
    candidates.find((n) => posix.basename(n) === 'export.xml') ??
    candidates.sort((a, b) => a.split('/').length - b.split('/').length)[0];
  const xmlEntry = xmlName === undefined ? undefined : entries.get(xmlName);
  if (xmlName === undefined || xmlEntry === undefined) {
    zip.close();
    throw new ImportFormatError('the zip holds no export.xml');
  }
  const root = posix.dirname(xmlName);
  const stream = (entry: yauzl.Entry) =>
    new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entry, entry.compressionMethod === 8 ? { decompress: false } : {}, (error, s) =>
        error
          ? reject(new ImportFormatError(`cannot read '${entry.fileName}': ${error.message}`))
          : resolve(entry.compressionMethod === 8 ? inflated(s, entry) : s),
      ),
    );
  return {
    kind: 'zip',
    xmlBytes: xmlEntry.uncompressedSize,
    xmlName,
    openXml: () => stream(xmlEntry),
    async openRoute(reference: string) {
      const relative = posix.normalize(reference.replace(/^\/+/, ''));
      if (relative.startsWith('..')) return undefined;
      const entry = entries.get(root === '.' ? relative : `${root}/${relative}`) ?? entries.get(relative);
      return entry === undefined ? undefined : stream(entry);
    },
    close: () => zip.close(),
  };
}

/** Inflated output per chunk: the scanner's cost per chunk is paid once per 256 KiB, not per 16 KiB. */
const INFLATE_CHUNK_BYTES = 256 * 1024;

/**
 * A deflated entry's bytes, inflated here rather than by yauzl, whose inflater hands out 16 KiB
 * chunks: inflating a 131 MB export.xml took 1.26 CPU s in those and 0.33 s in 256 KiB ones (on 2 busy
 * cores). Like yauzl's size check, the stream fails as soon as it inflates past the size the entry
 * declares, or when it ends short of it.
 */
function inflated(raw: Readable, entry: yauzl.Entry): Readable {
  let bytes = 0;
  const declared = entry.uncompressedSize;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > declared)
        done(
          new ImportFormatError(`zip entry '${entry.fileName}' inflates past its declared ${declared} bytes`),
        );
      else done(null, chunk);
    },
    flush(done) {
      if (bytes < declared)
        done(
          new ImportFormatError(
            `zip entry '${entry.fileName}' inflates to ${bytes} bytes, not its declared ${declared}`,
          ),
        );
      else done();
    },
  });
  return pipeline(raw, createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES }), counted, () => {});
}
