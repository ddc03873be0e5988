import exifr from 'exifr';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { type MealImageResult, prepareMealImage } from '../../src/nutrition/images/index.ts';
import {
  buildTiff,
  GPS_LATITUDE,
  GPS_LONGITUDE,
  heicWithGps,
  jpegWithGps,
  pngChunk,
  pngWithGps,
  rationalBytes,
} from './image-fixtures.ts';

type Ok = Extract<MealImageResult, { ok: true }>;
function prepared(bytes: Buffer, declared?: string): Ok {
  const before = Buffer.from(bytes);
  const result = prepareMealImage(bytes, declared);
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.detail}`);
  expect(bytes.equals(before)).toBe(true); // the caller's buffer is never modified
  return result;
}

/** Everything an EXIF reader can find, GPS and XMP included. */
const readAll = (bytes: Buffer) =>
  exifr.parse(bytes, {
    tiff: true,
    exif: true,
    gps: true,
    xmp: true,
    ifd1: true,
    makerNote: true,
    mergeOutput: true,
  });

/** The fixture's location bytes: the GPS IFD as a whole and each coordinate rational on its own. */
function assertNoLocationBytes(out: Buffer, gpsBlock: Buffer, le: boolean) {
  expect(out.includes(gpsBlock)).toBe(false);
  expect(out.includes(rationalBytes(GPS_LATITUDE, le))).toBe(false);
  expect(out.includes(rationalBytes(GPS_LONGITUDE, le))).toBe(false);
  expect(out.includes(Buffer.from('GPSLatitude', 'latin1'))).toBe(false);
  expect(out.includes(Buffer.from('MAKERNOTE-Berlin', 'latin1'))).toBe(false);
}

function assertRedactedSummary(exif: Record<string, unknown>) {
  expect(exif).toMatchObject({
    Make: 'WearLinkCam',
    Orientation: 1,
    Software: 'fixture 1.0',
    ExposureTime: 0.008,
    FNumber: 1.8,
    ISO: 200,
    DateTimeOriginal: '2026:11:30 12:34:56',
    FocalLength: 4.2,
  });
  expect(String(exif.Model)).toHaveLength(64);
  expect(Object.keys(exif).filter((k) => /gps|maker|latitude|longitude|xmp/i.test(k))).toEqual([]);
  expect(JSON.parse(JSON.stringify(exif))).toEqual(exif);
}

describe('meal image location stripping', () => {
  it('JPEG: GPS IFD, XMP, MakerNote, thumbnail and trailer gone; scan data and pixels unchanged', async () => {
    const { bytes, plain, gpsBlock, le } = jpegWithGps();
    const gpsBefore = await exifr.gps(bytes);
    expect(gpsBefore.latitude).toBeCloseTo(52 + 31 / 60 + 12.3456 / 3600, 6);
    expect(gpsBefore.longitude).toBeCloseTo(13 + 24 / 60 + 56.7891 / 3600, 6);
    expect((await readAll(bytes)).GPSLatitude).toBeDefined();
    expect(bytes.includes(gpsBlock)).toBe(true);

    const out = prepared(bytes, 'image/jpeg');
    expect(out).toMatchObject({ format: 'jpeg', contentType: 'image/jpeg', width: 48, height: 32 });
    assertNoLocationBytes(out.bytes, gpsBlock, le);
    expect(out.bytes.includes(Buffer.from('http://ns.adobe.com/xap', 'latin1'))).toBe(false);
    expect(out.bytes.includes(Buffer.from('52.52N', 'latin1'))).toBe(false); // COM dropped
    expect(await exifr.gps(out.bytes)).toBeUndefined();
    const after = await readAll(out.bytes);
    expect(Object.keys(after).filter((k) => /gps|latitude|longitude/i.test(k))).toEqual([]);
    expect(after.Make).toBe('WearLinkCam'); // the rest of the EXIF survives, readable
    expect(after.DateTimeOriginal).toBeInstanceOf(Date);
    assertRedactedSummary(out.exif);

    // Entropy-coded data copied byte for byte: everything from the first DQT of the plain encoding on.
    const dqt = plain.indexOf(Buffer.from([0xff, 0xdb]));
    expect(out.bytes.subarray(out.bytes.length - (plain.length - dqt)).equals(plain.subarray(dqt))).toBe(
      true,
    );
    const decodedBefore = jpeg.decode(bytes, { useTArray: true });
    const decodedAfter = jpeg.decode(out.bytes, { useTArray: true });
    expect(Buffer.from(decodedAfter.data).equals(Buffer.from(decodedBefore.data))).toBe(true);
  });

  it('PNG: eXIf stripped (CRC valid), XMP and text chunks dropped, IDAT and pixels unchanged', async () => {
    const { bytes, plain, gpsBlock, le } = pngWithGps();
    expect((await exifr.gps(bytes)).latitude).toBeCloseTo(52.520096, 5);
    expect((await readAll(bytes)).GPSLatitude).toBeDefined();

    const out = prepared(bytes, 'image/png');
    expect(out).toMatchObject({ format: 'png', contentType: 'image/png', width: 40, height: 30 });
    assertNoLocationBytes(out.bytes, gpsBlock, le);
    expect(out.bytes.includes(Buffer.from('XML:com.adobe.xmp', 'latin1'))).toBe(false);
    expect(out.bytes.includes(Buffer.from('tEXt', 'latin1'))).toBe(false);
    expect(await exifr.gps(out.bytes)).toBeUndefined();
    const after = await readAll(out.bytes);
    expect(Object.keys(after).filter((k) => /gps|latitude|longitude/i.test(k))).toEqual([]);
    expect(after.Make).toBe('WearLinkCam');
    assertRedactedSummary(out.exif);

    const idat = (b: Buffer) => b.subarray(b.indexOf(Buffer.from('IDAT', 'latin1')) - 4);
    expect(idat(out.bytes).equals(idat(plain))).toBe(true);
    // pngjs checks every CRC while decoding: the rewritten eXIf chunk is valid.
    expect(PNG.sync.read(out.bytes).data.equals(PNG.sync.read(bytes).data)).toBe(true);
  });

  it('HEIC: Exif item stripped in place, XMP item blanked, uuid box freed; iloc and coded bytes unchanged', async () => {
    const { bytes, coded, codedAt, gpsBlock, le } = heicWithGps();
    expect((await exifr.gps(bytes)).latitude).toBeCloseTo(52.520096, 5);
    expect(bytes.includes(gpsBlock)).toBe(true);

    const out = prepared(bytes, 'image/heic');
    expect(out).toMatchObject({ format: 'heic', contentType: 'image/heic', width: 640, height: 480 });
    assertNoLocationBytes(out.bytes, gpsBlock, le);
    expect(out.bytes.includes(Buffer.from('exif:GPS', 'latin1'))).toBe(false);
    expect(await exifr.gps(out.bytes)).toBeUndefined();
    const after = await readAll(out.bytes);
    expect(Object.keys(after).filter((k) => /gps|latitude|longitude/i.test(k))).toEqual([]);
    expect(after.Make).toBe('WearLinkCam');
    assertRedactedSummary(out.exif);

    // Same length, the iloc box byte-identical, so every item offset still holds; the coded image item
    // (item 1, at codedAt per iloc) is the same bytes.
    expect(out.bytes.length).toBe(bytes.length);
    const iloc = (b: Buffer) => {
      const at = b.indexOf(Buffer.from('iloc', 'latin1')) - 4;
      return b.subarray(at, at + b.readUInt32BE(at));
    };
    expect(iloc(out.bytes).equals(iloc(bytes))).toBe(true);
    expect(out.bytes.subarray(codedAt, codedAt + coded.length).equals(coded)).toBe(true);
    expect(out.bytes.includes(Buffer.from('uuid', 'latin1'))).toBe(false);
  });

  it('HEIC with the Exif item in idat (construction method 1, two extents) and a little-endian TIFF', async () => {
    const { bytes, coded, codedAt, gpsBlock, le } = heicWithGps(800, 600, { exifInIdat: true, le: true });
    const idat = bytes.indexOf(Buffer.from('idat', 'latin1'));
    expect(idat).toBeGreaterThan(0);
    expect(bytes.indexOf(gpsBlock)).toBeGreaterThan(idat); // the location really sits in idat
    // (exifr reads iloc offsets as file offsets only, so it cannot vouch for this layout.)
    const out = prepared(bytes);
    expect(out).toMatchObject({ width: 800, height: 600 });
    assertNoLocationBytes(out.bytes, gpsBlock, le);
    assertRedactedSummary(out.exif);
    expect(out.bytes.length).toBe(bytes.length);
    expect(out.bytes.subarray(codedAt, codedAt + coded.length).equals(coded)).toBe(true);
  });

  it('HEIC without an hevc brand is reported as image/heif', () => {
    const { bytes } = heicWithGps();
    bytes.write('mif1', 8, 'latin1');
    bytes.write('mif1', 20, 'latin1');
    expect(prepared(bytes).contentType).toBe('image/heif');
  });

  it('an EXIF block the reader cannot account for is dropped whole, never stored', async () => {
    // GPS pointer aimed past the end of the block: the GPS IFD cannot be found, so nothing of it may stay.
    const { tiff, gpsBlock } = buildTiff({ le: true });
    const ptr = tiff.indexOf(Buffer.from([0x25, 0x88, 0x04, 0x00]));
    expect(ptr).toBeGreaterThan(0);
    tiff.writeUInt32LE(tiff.length + 100, ptr + 8);
    const { plain } = pngWithGps();
    const bytes = Buffer.concat([plain.subarray(0, 33), pngChunk('eXIf', tiff), plain.subarray(33)]);
    const out = prepared(bytes);
    expect(out.exif).toEqual({});
    expect(out.bytes.includes(Buffer.from('eXIf', 'latin1'))).toBe(false);
    expect(out.bytes.includes(gpsBlock)).toBe(false);
    expect(await exifr.gps(out.bytes)).toBeUndefined();
  });

  it('images without metadata pass through unchanged', () => {
    const { plain: jpegPlain } = jpegWithGps();
    const j = prepared(jpegPlain);
    expect(j.bytes.equals(jpegPlain)).toBe(true);
    expect(j.exif).toEqual({});
    const { plain: pngPlain } = pngWithGps();
    expect(prepared(pngPlain).bytes.equals(pngPlain)).toBe(true);
  });
});
