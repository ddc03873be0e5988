/**
 * Meal-photo intake (issue 19): decides what an upload IS from its bytes (never from its name or declared
 * type), refuses what is not a sound JPEG, PNG or HEIC photo of sane size, and returns the bytes with
 * location metadata removed — the only version that may be persisted — plus a redacted EXIF summary.
 * Pure: no I/O, the caller's buffer is never modified, pixels are never re-encoded.
 */
import { ftypBrands, HEIF_BRANDS, heicContentType, prepareHeic } from './heic.ts';
import { prepareJpeg } from './jpeg.ts';
import { PNG_SIGNATURE, preparePng } from './png.ts';
import { ImageRejected, MAX_MEAL_IMAGE_BYTES, type MealImageFormat, type MealImageResult } from './result.ts';

export type { RedactedExif } from './exif.ts';
export {
  MAX_MEAL_IMAGE_BYTES,
  MAX_MEAL_IMAGE_PIXELS,
  type MealImageErrorCode,
  type MealImageFormat,
  type MealImageResult,
} from './result.ts';

/** `declaredType` (the multipart part's Content-Type) only shapes the refusal message. */
export function prepareMealImage(bytes: Buffer, declaredType?: string): MealImageResult {
  if (bytes.length > MAX_MEAL_IMAGE_BYTES) {
    return {
      ok: false,
      code: 'too_large',
      detail: `image is ${bytes.length} bytes; at most ${MAX_MEAL_IMAGE_BYTES} bytes (5 MiB) are accepted`,
    };
  }
  const sniffed = sniff(bytes);
  if (!sniffed) {
    const claimed = declaredType ? ` (declared ${declaredType.slice(0, 100)})` : '';
    return {
      ok: false,
      code: 'unsupported_type',
      detail:
        bytes.length === 0
          ? 'the upload is empty; send a JPEG, PNG or HEIC image'
          : `the upload${claimed} is not a JPEG, PNG or HEIC image by its content`,
    };
  }
  try {
    const prepared =
      sniffed.format === 'jpeg'
        ? prepareJpeg(bytes)
        : sniffed.format === 'png'
          ? preparePng(bytes)
          : prepareHeic(bytes);
    return { ok: true, format: sniffed.format, contentType: sniffed.contentType, ...prepared };
  } catch (err) {
    if (err instanceof ImageRejected) return { ok: false, code: err.code, detail: err.message };
    throw err;
  }
}

function sniff(bytes: Buffer): { format: MealImageFormat; contentType: string } | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { format: 'jpeg', contentType: 'image/jpeg' };
  }
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE))
    return { format: 'png', contentType: 'image/png' };
  const brands = ftypBrands(bytes);
  if (brands?.some((b) => HEIF_BRANDS.has(b)))
    return { format: 'heic', contentType: heicContentType(brands) };
  return undefined;
}
