import { type RedactedExif, stripLocationInPlace } from './exif.ts';
import { checkDimensions, ImageRejected } from './result.ts';

/**
 * JPEG: walks the marker segments, keeps the ones a decoder or colour management needs, strips location
 * from the Exif APP1 in place and copies the entropy-coded data byte for byte (no re-encoding).
 *
 * Dropped: XMP APP1 (standard and extended; XMP carries GPS as exif:GPSLatitude, and rewriting RDF is not
 * worth the risk), APP13 Photoshop/IPTC, APP2 MPF (it indexes the secondary images that follow EOI),
 * every other APPn but JFIF/JFXX, ICC and Adobe, COM comments, and all bytes after EOI (phone trailers and
 * MPF secondary images, which carry their own EXIF). Table segments are kept only when their content is
 * exactly the tables they declare; unknown and reserved markers are dropped.
 */
export function prepareJpeg(input: Buffer): {
  bytes: Buffer;
  exif: RedactedExif;
  width: number;
  height: number;
} {
  const out: Buffer[] = [input.subarray(0, 2)];
  let exif: RedactedExif | undefined;
  let size: { width: number; height: number } | undefined;
  let pos = 2;
  let sawScan = false;
  for (;;) {
    if (pos >= input.length) throw new ImageRejected('truncated', 'JPEG ends before its end-of-image marker');
    if (input[pos] !== 0xff) throw new ImageRejected('malformed', `JPEG: expected a marker at byte ${pos}`);
    while (input[pos] === 0xff) pos++; // fill bytes
    if (pos >= input.length) throw new ImageRejected('truncated', 'JPEG ends before its end-of-image marker');
    const marker = input[pos]!;
    pos++;
    if (marker === 0xd9) {
      if (!sawScan) throw new ImageRejected('malformed', 'JPEG ends before any image data');
      out.push(Buffer.from([0xff, 0xd9]));
      break;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      out.push(Buffer.from([0xff, marker]));
      continue;
    }
    if (marker === 0x00 || marker === 0xd8) throw new ImageRejected('malformed', 'JPEG: misplaced marker');
    if (pos + 2 > input.length) throw new ImageRejected('truncated', 'JPEG segment header cut short');
    const length = input.readUInt16BE(pos);
    if (length < 2) throw new ImageRejected('malformed', 'JPEG segment with an impossible length');
    const end = pos + length;
    if (end > input.length)
      throw new ImageRejected('truncated', 'JPEG segment runs past the end of the file');
    const segment = input.subarray(pos - 2, end);
    const body = input.subarray(pos + 2, end);
    pos = end;

    if (isSof(marker)) {
      if (body.length < 6) throw new ImageRejected('malformed', 'JPEG frame header cut short');
      if (size) throw new ImageRejected('malformed', 'JPEG with more than one frame header');
      size = { height: body.readUInt16BE(1), width: body.readUInt16BE(3) };
      checkDimensions('JPEG', size.width, size.height);
      out.push(segment);
    } else if (marker === 0xda) {
      if (!size) throw new ImageRejected('malformed', 'JPEG scan before its frame header');
      sawScan = true;
      out.push(segment);
      const dataEnd = scanEnd(input, pos);
      out.push(input.subarray(pos, dataEnd));
      pos = dataEnd;
    } else if (marker >= 0xe0 && marker <= 0xef) {
      const kept = keepAppSegment(marker, segment, body, exif === undefined);
      if (kept) {
        out.push(kept.segment);
        if (kept.exif) exif = kept.exif;
      }
    } else if (TABLE_MARKERS.has(marker)) {
      checkTables(marker, body);
      out.push(segment); // needed to decode
    }
    // Anything else (COM, EXP, JPGn, reserved markers) is dropped: a decoder has no use for it.
  }
  if (!size) throw new ImageRejected('malformed', 'JPEG without a frame header');
  return { bytes: Buffer.concat(out), exif: exif ?? {}, ...size };
}

/** DQT, DHT, DAC, DNL, DRI. */
const TABLE_MARKERS = new Set([0xdb, 0xc4, 0xcc, 0xdc, 0xdd]);

/**
 * Quantisation and Huffman tables must be exactly what their headers say: a segment kept verbatim may
 * not double as a hiding place for anything else (e.g. an APP1 whose marker byte was altered).
 */
function checkTables(marker: number, body: Buffer): void {
  const bad = () =>
    new ImageRejected('malformed', `JPEG table segment 0x${marker.toString(16)} is inconsistent`);
  let at = 0;
  if (marker === 0xdb) {
    while (at < body.length) {
      const pq = body[at]! >> 4;
      if (pq > 1 || (body[at]! & 0xf) > 3) throw bad();
      at += 1 + 64 * (pq + 1);
    }
  } else if (marker === 0xc4) {
    while (at < body.length) {
      if (body[at]! >> 4 > 1 || (body[at]! & 0xf) > 3 || at + 17 > body.length) throw bad();
      let symbols = 0;
      for (let i = 1; i <= 16; i++) symbols += body[at + i]!;
      if (symbols > 256) throw bad();
      at += 17 + symbols;
    }
  } else if (marker === 0xdd) {
    at = body.length === 2 ? 2 : -1;
  } else if (marker === 0xdc) {
    at = body.length === 2 ? 2 : -1;
  } else {
    // DAC: at most 8 (Tc/Tb, Cs) pairs.
    if (body.length % 2 !== 0 || body.length > 16) throw bad();
    for (; at < body.length; at += 2) if (body[at]! >> 4 > 1 || (body[at]! & 0xf) > 3) throw bad();
  }
  if (at !== body.length) throw bad();
}

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** End of entropy-coded data: the next marker that is not a stuffed 0xFF00, a restart marker or fill. */
function scanEnd(input: Buffer, from: number): number {
  let i = input.indexOf(0xff, from);
  while (i !== -1 && i + 1 < input.length) {
    const next = input[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i = input.indexOf(0xff, i + 2);
    else if (next === 0xff) i++;
    else return i;
  }
  throw new ImageRejected('truncated', 'JPEG image data ends before its end-of-image marker');
}

const EXIF_ID = Buffer.from('Exif\0\0', 'latin1');
const ICC_ID = Buffer.from('ICC_PROFILE\0', 'latin1');

function keepAppSegment(
  marker: number,
  segment: Buffer,
  body: Buffer,
  firstExif: boolean,
): { segment: Buffer; exif?: RedactedExif } | undefined {
  const id = (prefix: Buffer) => body.subarray(0, prefix.length).equals(prefix);
  if (marker === 0xe0) return { segment }; // JFIF / JFXX
  if (marker === 0xee && body.subarray(0, 5).toString('latin1') === 'Adobe') return { segment };
  if (marker === 0xe2 && id(ICC_ID)) return { segment };
  if (marker === 0xe1 && id(EXIF_ID)) {
    const copy = Buffer.from(segment);
    const result = stripLocationInPlace(copy.subarray(4 + EXIF_ID.length));
    if (!result.ok) return undefined; // unaccountable EXIF: dropped whole rather than stored with a location
    return firstExif ? { segment: copy, exif: result.exif } : { segment: copy };
  }
  return undefined;
}
