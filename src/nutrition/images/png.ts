import { crc32 as zlibCrc32 } from 'node:zlib';
import { type RedactedExif, stripLocationInPlace } from './exif.ts';
import { checkDimensions, ImageRejected } from './result.ts';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Ancillary chunks kept as they are: colour, transparency, physical size, time and APNG animation.
 * Everything else ancillary is dropped — text chunks (tEXt/zTXt/iTXt: XMP, ImageMagick's
 * "exif:GPSLatitude" and "Raw profile type exif" all live there), C2PA manifests, private chunks.
 * eXIf is kept after its location is stripped in place (CRC recomputed).
 */
const KEPT_ANCILLARY = new Set([
  'cHRM',
  'gAMA',
  'iCCP',
  'sBIT',
  'sRGB',
  'cICP',
  'mDCV',
  'mDCv',
  'cLLI',
  'cLLi',
  'bKGD',
  'hIST',
  'tRNS',
  'pHYs',
  'sPLT',
  'tIME',
  'acTL',
  'fcTL',
  'fdAT',
]);
const CRITICAL = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

export function preparePng(input: Buffer): {
  bytes: Buffer;
  exif: RedactedExif;
  width: number;
  height: number;
} {
  const out: Buffer[] = [PNG_SIGNATURE];
  let exif: RedactedExif | undefined;
  let size: { width: number; height: number } | undefined;
  let sawData = false;
  let pos = PNG_SIGNATURE.length;
  for (;;) {
    if (pos + 8 > input.length) throw new ImageRejected('truncated', 'PNG ends before its IEND chunk');
    const length = input.readUInt32BE(pos);
    const type = input.toString('latin1', pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type))
      throw new ImageRejected('malformed', `PNG: invalid chunk type at byte ${pos}`);
    if (length > 0x7fffffff) throw new ImageRejected('malformed', `PNG: ${type} chunk length out of range`);
    const end = pos + 12 + length;
    if (end > input.length)
      throw new ImageRejected('truncated', `PNG ${type} chunk runs past the end of the file`);
    const chunk = input.subarray(pos, end);
    const data = input.subarray(pos + 8, pos + 8 + length);
    if (crc32(chunk.subarray(4, 8 + length)) !== input.readUInt32BE(end - 4)) {
      throw new ImageRejected('malformed', `PNG ${type} chunk fails its CRC check`);
    }
    pos = end;

    if (!size && type !== 'IHDR') throw new ImageRejected('malformed', 'PNG does not start with IHDR');
    if (type === 'IHDR') {
      if (size) throw new ImageRejected('malformed', 'PNG with a second IHDR');
      if (length !== 13) throw new ImageRejected('malformed', 'PNG IHDR of the wrong length');
      size = { width: data.readUInt32BE(0), height: data.readUInt32BE(4) };
      checkDimensions('PNG', size.width, size.height);
      out.push(chunk);
    } else if (type === 'IEND') {
      if (!sawData) throw new ImageRejected('malformed', 'PNG without image data');
      out.push(chunk);
      break; // anything after IEND is not part of the image and is not kept
    } else if (type === 'IDAT') {
      sawData = true;
      out.push(chunk);
    } else if (type === 'eXIf') {
      if (exif !== undefined) continue; // the spec allows one; a second is dropped
      const copy = Buffer.from(chunk);
      const result = stripLocationInPlace(copy.subarray(8, 8 + length));
      if (!result.ok) continue; // unaccountable EXIF: dropped whole
      copy.writeUInt32BE(crc32(copy.subarray(4, 8 + length)), 8 + length);
      exif = result.exif;
      out.push(copy);
    } else if (CRITICAL.has(type) || KEPT_ANCILLARY.has(type)) {
      out.push(chunk);
    } else if (isCritical(type)) {
      throw new ImageRejected('malformed', `PNG with an unknown critical chunk ${type}`);
    }
  }
  if (!size) throw new ImageRejected('malformed', 'PNG without IHDR');
  return { bytes: Buffer.concat(out), exif: exif ?? {}, ...size };
}

/** CRC-32 as PNG defines it: zlib's (the same polynomial). */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}

function isCritical(type: string): boolean {
  return (type.charCodeAt(0) & 0x20) === 0;
}
