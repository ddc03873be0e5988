import { describe, expect, it } from 'vitest';
import { prepareMealImage } from '../../src/nutrition/images/index.ts';
import { crc32 } from '../../src/nutrition/images/png.ts';
import { GPS_LATITUDE, heicWithGps, jpegWithGps, pngWithGps, rationalBytes } from './image-fixtures.ts';

/** Deterministic xorshift PRNG: failures reproduce. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

function fixPngCrcs(png: Buffer): void {
  for (let at = 8; at + 12 <= png.length; ) {
    const end = at + 12 + png.readUInt32BE(at);
    if (end > png.length) return;
    png.writeUInt32BE(crc32(png.subarray(at + 4, end - 4)), end - 4);
    at = end;
  }
}

describe('meal image parser under corrupted input', () => {
  // Every corruption must end in a result (never an exception, which the route would turn into a 500),
  // and whatever is accepted must still be free of the fixture's coordinates.
  for (const [name, make] of [
    ['jpeg', jpegWithGps],
    ['png', pngWithGps],
    ['heic', heicWithGps],
  ] as const) {
    it(`${name}: 400 random byte corruptions and truncations`, () => {
      const { bytes, le } = make();
      const latitude = rationalBytes(GPS_LATITUDE, le);
      const next = rng(name.length * 7919);
      const outcomes = new Set<string>();
      for (let round = 0; round < 400; round++) {
        const mutated = Buffer.from(bytes);
        const flips = 1 + next(8);
        // Corruptions aimed at the metadata-heavy head of the file, where the parsers do their work.
        for (let i = 0; i < flips; i++) mutated[next(Math.min(mutated.length, 1500))] = next(256);
        // PNG: CRCs recomputed on half the rounds, or the CRC check alone would refuse every corruption.
        if (name === 'png' && round % 2 === 1) fixPngCrcs(mutated);
        const input = round % 4 === 0 ? mutated.subarray(0, next(mutated.length)) : mutated;
        const result = prepareMealImage(input);
        outcomes.add(result.ok ? 'ok' : result.code);
        if (result.ok) expect(result.bytes.includes(latitude)).toBe(false);
      }
      expect(outcomes.has('ok') && outcomes.size > 1).toBe(true);
    });
  }
});
