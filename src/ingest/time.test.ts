import { describe, expect, it } from 'vitest';
import {
  isStorableInstant,
  offsetInTimestamp,
  offsetOfZone,
  parseOffset,
  parseTimestamp,
  STORABLE_MAX_MS,
  STORABLE_MIN_MS,
  TIME_BOUNDS,
} from './time.ts';

describe('source time handling', () => {
  it('parses timestamps only when they name their offset', () => {
    expect(parseTimestamp('2026-04-23T06:30:00Z')).toBe(Date.UTC(2026, 3, 23, 6, 30));
    expect(parseTimestamp('2026-04-23T08:30:00.250+02:00')).toBe(Date.UTC(2026, 3, 23, 6, 30, 0, 250));
    expect(parseTimestamp('2026-04-23 08:30:00 +0200')).toBeUndefined(); // Apple XML format: handled by the importer
    expect(parseTimestamp('2026-04-23T08:30:00')).toBeUndefined(); // local time without offset is ambiguous
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });

  it('reads offsets in minutes', () => {
    expect(parseOffset('+02:00')).toBe(120);
    expect(parseOffset('-0530')).toBe(-330);
    expect(parseOffset('Z')).toBe(0);
    expect(parseOffset('+25:00')).toBeUndefined();
    expect(offsetInTimestamp('2026-04-23T08:30:00-04:00')).toBe(-240);
    expect(offsetInTimestamp('2026-04-23T08:30:00Z')).toBeUndefined();
  });

  it('resolves IANA zones across DST', () => {
    expect(offsetOfZone('Europe/Berlin', Date.UTC(2026, 0, 15))).toBe(60);
    expect(offsetOfZone('Europe/Berlin', Date.UTC(2026, 6, 15))).toBe(120);
    expect(offsetOfZone('America/New_York', Date.UTC(2026, 2, 8, 6, 59))).toBe(-300);
    expect(offsetOfZone('America/New_York', Date.UTC(2026, 2, 8, 7, 0))).toBe(-240);
    expect(offsetOfZone('Asia/Kolkata', Date.UTC(2026, 0, 1))).toBe(330);
    expect(offsetOfZone('UTC', 0)).toBe(0);
    expect(offsetOfZone('Mars/Olympus', 0)).toBeUndefined();
  });
});

describe('storable time bounds (issue 15 #3)', () => {
  it('keeps years 1-9999 at every UTC offset', () => {
    expect(isStorableInstant(Date.UTC(2026, 3, 23))).toBe(true);
    expect(isStorableInstant(STORABLE_MIN_MS)).toBe(true);
    expect(isStorableInstant(STORABLE_MAX_MS)).toBe(true);
    // Year 0000 (PostgreSQL refuses it; PGlite reads BC dates back as invalid Dates) and year 10000.
    expect(isStorableInstant(parseTimestamp('0000-06-01T00:00:00Z') as number)).toBe(false);
    expect(isStorableInstant(parseTimestamp('9999-12-31T23:00:00-05:00') as number)).toBe(false);
    // In range in UTC, but year 0 at UTC-18:00.
    expect(isStorableInstant(Date.parse('0001-01-01T06:00:00Z'))).toBe(false);
    expect(isStorableInstant(Number.NaN)).toBe(false);
    expect(new Date(STORABLE_MIN_MS - TIME_BOUNDS.maxOffsetMs).toISOString()).toBe(
      '0001-01-01T00:00:00.000Z',
    );
    expect(new Date(STORABLE_MAX_MS + TIME_BOUNDS.maxOffsetMs).toISOString()).toBe(
      '9999-12-31T23:59:59.999Z',
    );
  });
});

describe('timestamp fast path', () => {
  it('reads plain UTC timestamps exactly as Date.parse does', () => {
    const samples = [
      '2026-04-23T06:30:00Z',
      '2026-04-23T06:30:00.250Z',
      '2024-02-29T23:59:59.999Z',
      '1000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2000-02-29T12:00:00Z',
    ];
    for (const text of samples) expect(parseTimestamp(text)).toBe(Date.parse(text));
    for (let i = 0; i < 2000; i++) {
      const text = new Date(Date.UTC(1500, 0, 1) + i * 7_654_321_987).toISOString();
      expect(parseTimestamp(text)).toBe(Date.parse(text));
    }
  });

  it('leaves anything unusual to the full parser, which refuses what it refused before', () => {
    expect(parseTimestamp('2026-02-30T00:00:00Z')).toBe(Date.parse('2026-02-30T00:00:00Z') || undefined);
    expect(parseTimestamp('2023-02-29T00:00:00Z')).toBe(Date.parse('2023-02-29T00:00:00Z') || undefined);
    expect(parseTimestamp('2026-04-23T24:00:00Z')).toBe(Date.parse('2026-04-23T24:00:00Z') || undefined);
    expect(parseTimestamp('0099-04-23T06:30:00Z')).toBe(Date.parse('0099-04-23T06:30:00Z'));
    expect(parseTimestamp('2026-04-23T06:30:00.1Z')).toBe(Date.UTC(2026, 3, 23, 6, 30, 0, 100));
    expect(parseTimestamp('2026-04-23T06:30:00z')).toBe(Date.parse('2026-04-23T06:30:00z') || undefined);
    expect(parseTimestamp('2026-4-23T06:30:00.000Z')).toBeUndefined();
    expect(parseTimestamp('2026-04-23T06:3x:00.000Z')).toBeUndefined();
  });
});
