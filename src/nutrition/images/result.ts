import type { RedactedExif } from './exif.ts';

export type MealImageFormat = 'jpeg' | 'png' | 'heic';

export type MealImageErrorCode =
  | 'unsupported_type'
  | 'too_large'
  | 'truncated'
  | 'too_many_pixels'
  | 'malformed';

export type MealImageResult =
  | {
      ok: true;
      format: MealImageFormat;
      contentType: string;
      /** The image with location metadata removed: the only bytes that may be persisted. */
      bytes: Buffer;
      exif: RedactedExif;
      width: number;
      height: number;
    }
  | { ok: false; code: MealImageErrorCode; detail: string };

/** 5 MiB: the upload limit. */
export const MAX_MEAL_IMAGE_BYTES = 5 * 1024 * 1024;
/**
 * Decoded-size cap. A meal photo needs far less; the cap stops decompression bombs (a tiny file that
 * declares a huge raster) before any later decoder (thumbnailer, vision upload) allocates for it.
 */
export const MAX_MEAL_IMAGE_PIXELS = 50_000_000;

/** Thrown by the format parsers and turned into a failed result by `prepareMealImage`. */
export class ImageRejected extends Error {
  constructor(
    readonly code: Exclude<MealImageErrorCode, 'unsupported_type' | 'too_large'>,
    detail: string,
  ) {
    super(detail);
  }
}

export function checkDimensions(format: string, width: number, height: number): void {
  if (width <= 0 || height <= 0) throw new ImageRejected('malformed', `${format} declares an empty raster`);
  if (width * height > MAX_MEAL_IMAGE_PIXELS) {
    throw new ImageRejected(
      'too_many_pixels',
      `${format} declares ${width}×${height} pixels; at most ${MAX_MEAL_IMAGE_PIXELS} pixels are accepted`,
    );
  }
}
