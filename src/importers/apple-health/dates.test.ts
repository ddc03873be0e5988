import { describe, expect, it } from 'vitest';
import { beatInstant, parseAppleDate, parseModernDateBytes, parseTimeOfDay } from './dates.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('parseAppleDate', () => {
  it('reads the modern form exactly as Date.UTC would, on dates across four centuries and leap days', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const [y, mo, d, h, mi, s] = [
        1900 + rand(300),
        1 + rand(12),
        1 + rand(31),
        rand(24),
        rand(60),
        rand(60),
      ];
      const magnitude = rand(15) * 60 + (rand(4) === 0 ? 30 : 0);
      const offset = rand(2) === 0 ? -magnitude : magnitude;
      const sign = offset < 0 ? '-' : '+';
      const text = `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)} ${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
      expect(parseAppleDate(text), text).toEqual({
        ms: Date.UTC(y, mo - 1, d, h, mi, s) - offset * 60_000,
        offsetMin: offset === 0 ? 0 : offset,
      });
    }
    expect(parseAppleDate('2024-02-29 23:59:59 +0000')?.ms).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(parseAppleDate('2000-03-01 00:00:00 -0130')?.ms).toBe(Date.UTC(2000, 2, 1, 1, 30));
  });

  it('reads the iOS 8 and ISO-like forms, and refuses what is not a date', () => {
    expect(parseAppleDate('20140114084347-0800')).toEqual({
      ms: Date.UTC(2014, 0, 14, 16, 43, 47),
      offsetMin: -480,
    });
    expect(parseAppleDate('2019-01-01T08:00:00Z')).toEqual({ ms: Date.UTC(2019, 0, 1, 8), offsetMin: 0 });
    for (const bad of ['', '2019-13-01 08:00:00 +0200', '2019-01-01 08:00:00 +2500', 'yesterday']) {
      expect(parseAppleDate(bad), bad).toBeUndefined();
    }
  });
});

describe('parseModernDateBytes', () => {
  it('agrees with parseAppleDate on modern dates and on every one-byte corruption of them', () => {
    const texts = ['2024-02-29 23:59:59 +0000', '2000-03-01 00:00:00 -0130', '1969-12-31 23:59:59 +1400'];
    const variants = new Set<string>(texts);
    for (const text of texts) {
      for (let i = 0; i < text.length; i++) {
        for (const c of ['0', '9', '-', ' ', ':', '+', 'x', '\u00e9']) {
          variants.add(text.slice(0, i) + c + text.slice(i + 1));
        }
      }
    }
    for (const text of variants) {
      const bytes = Buffer.from(`="${text}"`);
      const modern = parseModernDateBytes(bytes, 2);
      // Where the bytes version reads a date it must be parseAppleDate's; it may leave other forms to it.
      if (modern !== undefined) expect(modern, text).toEqual(parseAppleDate(text));
      else if (Buffer.byteLength(text) === 25 && parseAppleDate(text) !== undefined) {
        expect(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}$/.test(text), text).toBe(false);
      }
    }
    expect(parseModernDateBytes(Buffer.from('2024-02-29 23:59:59 +000'), 0)).toBeUndefined();
  });
});

describe('beat times', () => {
  it('reads locale forms and places a beat after local midnight on the next day', () => {
    expect(parseTimeOfDay('6:14:48.94 PM')).toBe(((18 * 60 + 14) * 60 + 48) * 1000 + 940);
    expect(parseTimeOfDay('08:33:44,67')).toBe(((8 * 60 + 33) * 60 + 44) * 1000 + 670);
    const start = parseAppleDate('2024-03-01 23:59:30 +0100');
    if (start === undefined) throw new Error('unreadable');
    expect(beatInstant(start, 5_000)).toBe(Date.UTC(2024, 2, 1, 23, 0, 5));
  });
});
