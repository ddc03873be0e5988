import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MAX_MEAL_IMAGE_BYTES,
  type MealImageErrorCode,
  prepareMealImage,
} from '../../src/nutrition/images/index.ts';
import { heicWithGps, jpegWithGps, pngBomb, pngChunk, pngWithGps } from './image-fixtures.ts';

function refused(bytes: Buffer, code: MealImageErrorCode, declared?: string): string {
  const result = prepareMealImage(bytes, declared);
  if (result.ok) throw new Error(`accepted a ${result.format} that should be refused with ${code}`);
  expect(result.code).toBe(code);
  expect(result.detail.length).toBeGreaterThan(10);
  return result.detail;
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

describe('meal image refusals', () => {
  it('types are decided by content: a PDF renamed .jpg, random bytes, an empty upload', () => {
    expect(refused(PDF, 'unsupported_type', 'image/jpeg')).toContain('declared image/jpeg');
    refused(randomBytes(4096), 'unsupported_type');
    refused(Buffer.alloc(0), 'unsupported_type', 'image/png');
    // AVIF shares the HEIF container but is not one of the accepted brands.
    const avif = heicWithGps().bytes;
    avif.write('avif', 8, 'latin1');
    avif.write('avifavif', 16, 'latin1');
    refused(avif, 'unsupported_type');
    // And a real JPEG declared as something else is still a JPEG.
    const ok = prepareMealImage(jpegWithGps().bytes, 'application/pdf');
    expect(ok.ok && ok.format).toBe('jpeg');
  });

  it('more than 5 MiB is too large, at exactly 5 MiB the limit still admits', () => {
    const { bytes } = pngWithGps();
    const six = Buffer.concat([bytes, Buffer.alloc(6 * 1024 * 1024 - bytes.length)]);
    expect(refused(six, 'too_large')).toContain(String(MAX_MEAL_IMAGE_BYTES));
    refused(Buffer.concat([bytes, Buffer.alloc(MAX_MEAL_IMAGE_BYTES + 1 - bytes.length)]), 'too_large');
    // Padding after IEND is not part of the image: accepted at the limit and not stored.
    const atLimit = Buffer.concat([bytes, Buffer.alloc(MAX_MEAL_IMAGE_BYTES - bytes.length)]);
    const result = prepareMealImage(atLimit);
    expect(result.ok && result.bytes.length).toBeLessThan(bytes.length);
  });

  it('truncated JPEG: cut in the image data, in a segment header, before the frame', () => {
    const { bytes, gpsBlock } = jpegWithGps();
    refused(bytes.subarray(0, Math.floor(bytes.length * 0.8)), 'truncated');
    refused(bytes.subarray(0, bytes.length - gpsBlock.length - 2), 'truncated'); // EOI missing
    refused(bytes.subarray(0, 40), 'truncated');
    refused(bytes.subarray(0, 3), 'truncated');
  });

  it('truncated or corrupt PNG', () => {
    const { bytes } = pngWithGps();
    refused(bytes.subarray(0, bytes.length - 12), 'truncated'); // IEND missing
    refused(bytes.subarray(0, bytes.length - 40), 'truncated');
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 30]! ^= 0xff; // inside the last IDAT: its CRC no longer matches
    refused(flipped, 'malformed');
  });

  it('truncated or malformed HEIC', () => {
    const { bytes, codedAt } = heicWithGps();
    refused(bytes.subarray(0, codedAt + 100), 'truncated');
    const noMeta = Buffer.from(bytes);
    noMeta.write('junk', bytes.indexOf(Buffer.from('meta', 'latin1')), 'latin1');
    refused(noMeta, 'malformed');
  });

  it('decompression bombs: a tiny file declaring a huge raster', () => {
    const bomb = pngBomb(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    expect(refused(bomb, 'too_many_pixels')).toContain('100000×100000');
    refused(heicWithGps(20_000, 20_000).bytes, 'too_many_pixels');
    // A JPEG whose frame header claims 65535×65535.
    const huge = Buffer.from(jpegWithGps().plain); // (the fixture's Exif thumbnail has its own SOF)
    const sof = huge.indexOf(Buffer.from([0xff, 0xc0]));
    huge.writeUInt16BE(0xffff, sof + 5);
    huge.writeUInt16BE(0xffff, sof + 7);
    refused(huge, 'too_many_pixels');
    // Sane sizes still pass.
    expect(prepareMealImage(pngBomb(4000, 3000)).ok).toBe(true);
  });

  it('a PNG whose first chunk is not IHDR is malformed', () => {
    const { plain } = pngWithGps();
    const bad = Buffer.concat([
      plain.subarray(0, 8),
      pngChunk('tEXt', Buffer.from('a\0b')),
      plain.subarray(8),
    ]);
    refused(bad, 'malformed');
  });
});
