/**
 * Meal-photo fixtures built from scratch by the tests (issue 19): real pixels from jpeg-js / pngjs, an EXIF
 * TIFF block with a GPS IFD built here byte by byte, and a hand-made HEIC container. No binary fixture
 * files: every byte the tests look for is known.
 */
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { crc32 } from '../../src/nutrition/images/png.ts';

export const TYPE = { BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, RATIONAL: 5, UNDEFINED: 7 } as const;
export interface TiffEntry {
  tag: number;
  type: number;
  /** ASCII: a string; BYTE/UNDEFINED: a Buffer; SHORT/LONG: numbers; RATIONAL: [num, den, num, den …]. */
  value: string | Buffer | number[];
}

/** Lat 52°31'12.34" N, long 13°24'56.78" E: distinctive rationals the tests hunt for in the output. */
export const GPS_LATITUDE = [52, 1, 31, 1, 123_456, 10_000];
export const GPS_LONGITUDE = [13, 1, 24, 1, 567_891, 10_000];

export const CAMERA = {
  ifd0: [
    { tag: 0x010f, type: TYPE.ASCII, value: 'WearLinkCam' },
    { tag: 0x0110, type: TYPE.ASCII, value: `Model ${'X'.repeat(100)}` }, // capped in the summary
    { tag: 0x0112, type: TYPE.SHORT, value: [1] },
    { tag: 0x0131, type: TYPE.ASCII, value: 'fixture 1.0' },
  ],
  exif: [
    { tag: 0x829a, type: TYPE.RATIONAL, value: [1, 125] },
    { tag: 0x829d, type: TYPE.RATIONAL, value: [18, 10] },
    { tag: 0x8827, type: TYPE.SHORT, value: [200] },
    { tag: 0x9003, type: TYPE.ASCII, value: '2026:11:30 12:34:56' },
    { tag: 0x920a, type: TYPE.RATIONAL, value: [4200, 1000] },
    // A MakerNote that (like some vendors') repeats the place name: must go with the GPS IFD.
    { tag: 0x927c, type: TYPE.UNDEFINED, value: Buffer.from('MAKERNOTE-Berlin-Mitte-location-copy') },
  ],
  gps: [
    { tag: 0x0000, type: TYPE.BYTE, value: Buffer.from([2, 3, 0, 0]) },
    { tag: 0x0001, type: TYPE.ASCII, value: 'N' },
    { tag: 0x0002, type: TYPE.RATIONAL, value: GPS_LATITUDE },
    { tag: 0x0003, type: TYPE.ASCII, value: 'E' },
    { tag: 0x0004, type: TYPE.RATIONAL, value: GPS_LONGITUDE },
    { tag: 0x0006, type: TYPE.RATIONAL, value: [34_567, 100] },
  ],
} satisfies Record<string, TiffEntry[]>;

function encodeValue(e: TiffEntry, le: boolean): Buffer {
  if (typeof e.value === 'string') return Buffer.from(`${e.value}\0`, 'latin1');
  if (Buffer.isBuffer(e.value)) return e.value;
  const width = e.type === TYPE.SHORT ? 2 : 4;
  const out = Buffer.alloc(e.value.length * width);
  e.value.forEach((v, i) => {
    if (width === 2) le ? out.writeUInt16LE(v, i * 2) : out.writeUInt16BE(v, i * 2);
    else le ? out.writeUInt32LE(v, i * 4) : out.writeUInt32BE(v, i * 4);
  });
  return out;
}

function count(e: TiffEntry): number {
  if (typeof e.value === 'string') return e.value.length + 1;
  if (Buffer.isBuffer(e.value)) return e.value.length;
  return e.type === TYPE.RATIONAL ? e.value.length / 2 : e.value.length;
}

/** Encoded bytes of a rational array, as they sit in a TIFF block of that byte order. */
export function rationalBytes(values: number[], le: boolean): Buffer {
  return encodeValue({ tag: 0, type: TYPE.RATIONAL, value: values }, le);
}

/**
 * A TIFF block: IFD0 (+ Exif and GPS pointers), Exif IFD, GPS IFD and, with a thumbnail, IFD1.
 * Returns the block and the exact bytes of the GPS IFD (table and values).
 */
export function buildTiff(opts: {
  le: boolean;
  ifd0?: TiffEntry[];
  exif?: TiffEntry[];
  gps?: TiffEntry[];
  thumbnail?: Buffer;
}): { tiff: Buffer; gpsBlock: Buffer } {
  const { le } = opts;
  const ptr = (tag: number): TiffEntry => ({ tag, type: TYPE.LONG, value: [0] });
  const sections: TiffEntry[][] = [
    [...(opts.ifd0 ?? CAMERA.ifd0), ptr(0x8769), ptr(0x8825)],
    opts.exif ?? CAMERA.exif,
    opts.gps ?? CAMERA.gps,
  ];
  if (opts.thumbnail) {
    sections.push([
      { tag: 0x0103, type: TYPE.SHORT, value: [6] },
      ptr(0x0201),
      { tag: 0x0202, type: TYPE.LONG, value: [opts.thumbnail.length] },
    ]);
  }
  for (const s of sections) s.sort((a, b) => a.tag - b.tag);
  const dataSize = (s: TiffEntry[]) =>
    s.reduce((n, e) => {
      const size = encodeValue(e, le).length;
      return size > 4 ? n + size + (size % 2) : n;
    }, 0);
  const offsets: number[] = [];
  let at = 8;
  for (const s of sections) {
    offsets.push(at);
    at += 2 + s.length * 12 + 4 + dataSize(s);
  }
  const thumbAt = at;
  const pointer: Record<number, number> = { 34665: offsets[1]!, 34853: offsets[2]!, 513: thumbAt };
  const tiff = Buffer.alloc(at + (opts.thumbnail?.length ?? 0));
  tiff.write(le ? 'II' : 'MM', 0, 'latin1');
  const u16 = (v: number, o: number) => (le ? tiff.writeUInt16LE(v, o) : tiff.writeUInt16BE(v, o));
  const u32 = (v: number, o: number) => (le ? tiff.writeUInt32LE(v, o) : tiff.writeUInt32BE(v, o));
  u16(42, 2);
  u32(8, 4);
  sections.forEach((s, i) => {
    const base = offsets[i]!;
    let data = base + 2 + s.length * 12 + 4;
    u16(s.length, base);
    s.forEach((e, k) => {
      const entry = base + 2 + k * 12;
      const resolved =
        pointer[e.tag] !== undefined && e.type === TYPE.LONG ? { ...e, value: [pointer[e.tag]!] } : e;
      const bytes = encodeValue(resolved, le);
      u16(e.tag, entry);
      u16(e.type, entry + 2);
      u32(count(e), entry + 4);
      if (bytes.length <= 4) bytes.copy(tiff, entry + 8);
      else {
        u32(data, entry + 8);
        bytes.copy(tiff, data);
        data += bytes.length + (bytes.length % 2);
      }
    });
    // IFD0 links to IFD1 (the thumbnail) when there is one.
    u32(i === 0 && opts.thumbnail ? offsets[3]! : 0, base + 2 + s.length * 12);
  });
  opts.thumbnail?.copy(tiff, thumbAt);
  const gpsBlock = Buffer.from(tiff.subarray(offsets[2]!, offsets[3] ?? thumbAt));
  return { tiff, gpsBlock };
}

export const XMP_WITH_GPS = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/"
 exif:GPSLatitude="52,31.2057N" exif:GPSLongitude="13,24.9465E"/>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

/** A deterministic RGBA test picture. */
export function pixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 7 + y * 3) & 0xff;
      data[i + 1] = (x * y) & 0xff;
      data[i + 2] = (255 - x * 4) & 0xff;
      data[i + 3] = 255;
    }
  }
  return data;
}

function jpegSegment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/**
 * A JPEG with an Exif APP1 (GPS IFD, MakerNote, JPEG thumbnail), an XMP APP1 with GPS, a COM segment and
 * a trailer after EOI that repeats the GPS block (as phone MPF secondary images would).
 */
export function jpegWithGps() {
  const plain = jpeg.encode({ width: 48, height: 32, data: pixels(48, 32) }, 90).data;
  const thumbnail = jpeg.encode({ width: 8, height: 8, data: pixels(8, 8) }, 50).data;
  const { tiff, gpsBlock } = buildTiff({ le: false, thumbnail });
  const app1 = jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
  const xmp = jpegSegment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0${XMP_WITH_GPS}`, 'latin1'));
  const com = jpegSegment(0xfe, Buffer.from('shot at 52.52N 13.41E', 'latin1'));
  const bytes = Buffer.concat([plain.subarray(0, 2), app1, xmp, com, plain.subarray(2), gpsBlock]);
  return { bytes, plain, gpsBlock, le: false };
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG with an eXIf chunk (GPS IFD), an XMP iTXt with GPS and an ImageMagick-style GPS tEXt. */
export function pngWithGps() {
  const png = new PNG({ width: 40, height: 30 });
  png.data = pixels(40, 30);
  const plain = PNG.sync.write(png);
  const { tiff, gpsBlock } = buildTiff({ le: true });
  const ihdrEnd = 8 + 25;
  const bytes = Buffer.concat([
    plain.subarray(0, ihdrEnd),
    pngChunk('eXIf', tiff),
    pngChunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0${XMP_WITH_GPS}`, 'utf8')),
    pngChunk('tEXt', Buffer.from('exif:GPSLatitude\x0052, 31, 12.3456', 'latin1')),
    plain.subarray(ihdrEnd),
  ]);
  return { bytes, plain, gpsBlock, le: true };
}

/** A PNG that declares width×height but carries a few bytes of image data. */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}
function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  const vf = Buffer.alloc(4);
  vf.writeUInt32BE(((version << 24) | flags) >>> 0, 0);
  return box(type, vf, ...parts);
}
function u(bytes: number, ...values: number[]): Buffer {
  const out = Buffer.alloc(bytes * values.length);
  values.forEach((v, i) => {
    out.writeUIntBE(v, i * bytes, bytes);
  });
  return out;
}
const str = (s: string) => Buffer.from(s, 'latin1');

/**
 * A hand-built HEIC: ftyp heic; meta (hdlr pict, pitm 1, iinf: 1 hvc1 / 2 Exif / 3 XMP mime, iloc v1,
 * iprp: ipco hvcC + ispe, ipma); mdat holding opaque "coded" bytes, the Exif item and the XMP item; and a
 * trailing uuid box repeating the GPS block. `width`/`height` go into ispe. With `exifInIdat` the Exif
 * item lives in meta's idat box instead (iloc construction method 1, two extents).
 */
export function heicWithGps(width = 640, height = 480, opts: { exifInIdat?: boolean; le?: boolean } = {}) {
  const le = opts.le ?? false;
  const coded = Buffer.alloc(3000);
  for (let i = 0; i < coded.length; i++) coded[i] = (i * 31 + 7) & 0xff;
  const { tiff, gpsBlock } = buildTiff({ le });
  const exifItem = Buffer.concat([u(4, 6), str('Exif\0\0'), tiff]);
  const xmpItem = str(XMP_WITH_GPS);
  const meta = (codedAt: number, exifAt: number, xmpAt: number) =>
    fullBox(
      'meta',
      0,
      0,
      fullBox('hdlr', 0, 0, u(4, 0), str('pict'), u(4, 0, 0, 0), str('\0')),
      fullBox('pitm', 0, 0, u(2, 1)),
      fullBox(
        'iinf',
        0,
        0,
        u(2, 3),
        fullBox('infe', 2, 0, u(2, 1, 0), str('hvc1'), str('\0')),
        fullBox('infe', 2, 1, u(2, 2, 0), str('Exif'), str('\0')),
        fullBox('infe', 2, 1, u(2, 3, 0), str('mime'), str('XMP\0application/rdf+xml\0')),
      ),
      fullBox(
        'iloc',
        1,
        0,
        u(1, 0x44, 0x00),
        u(2, 3),
        Buffer.concat([u(2, 1, 0, 0), u(2, 1), u(4, codedAt, coded.length)]),
        opts.exifInIdat
          ? // construction method 1 (offsets into idat), split into two extents
            Buffer.concat([u(2, 2, 1, 0), u(2, 2), u(4, 0, 100, 100, exifItem.length - 100)])
          : Buffer.concat([u(2, 2, 0, 0), u(2, 1), u(4, exifAt, exifItem.length)]),
        Buffer.concat([u(2, 3, 0, 0), u(2, 1), u(4, xmpAt, xmpItem.length)]),
      ),
      box(
        'iprp',
        box('ipco', box('hvcC', Buffer.alloc(23, 1)), fullBox('ispe', 0, 0, u(4, width, height))),
        fullBox('ipma', 0, 0, u(4, 1), u(2, 1), u(1, 2, 0x81, 0x82)),
      ),
      ...(opts.exifInIdat ? [box('idat', exifItem)] : []),
    );
  const ftyp = box('ftyp', str('heic'), u(4, 0), str('mif1heic'));
  const metaLength = meta(0, 0, 0).length;
  const mdatBody = ftyp.length + metaLength + 8;
  const codedAt = mdatBody;
  const exifAt = codedAt + coded.length;
  const xmpAt = opts.exifInIdat ? exifAt : exifAt + exifItem.length;
  const bytes = Buffer.concat([
    ftyp,
    meta(codedAt, exifAt, xmpAt),
    box('mdat', coded, ...(opts.exifInIdat ? [] : [exifItem]), xmpItem),
    box('uuid', Buffer.alloc(16, 0xab), gpsBlock),
  ]);
  return { bytes, coded, codedAt, gpsBlock, le };
}
