import { describe, expect, it } from 'vitest';
import { filterMatches, isValidFilter } from './event-types.ts';
import { buildPayloads } from './outbox.ts';
import { isPrivateAddress } from './ssrf.ts';

describe('payload chunking', () => {
  it('keeps small payloads whole and splits the largest array of big ones', () => {
    expect(buildPayloads('x.created', { user_id: 'u', items: [1, 2] }, 't')).toHaveLength(1);
    const items = Array.from({ length: 5000 }, (_, i) => ({ i, pad: 'x'.repeat(100) }));
    const parts = buildPayloads('x.created', { user_id: 'u', items, tags: ['a'] }, 't', 100_000);
    expect(parts.length).toBeGreaterThan(5);
    const parsed = parts.map((p) => {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(100_000);
      return JSON.parse(p);
    });
    expect(parsed.map((p) => p.data.chunk_index)).toEqual(parsed.map((_, i) => i));
    expect(parsed.every((p) => p.data.total_chunks === parts.length && p.data.user_id === 'u')).toBe(true);
    expect(parsed.flatMap((p) => p.data.items.map((x: { i: number }) => x.i))).toEqual(items.map((x) => x.i));
  });
});

describe('filters', () => {
  it('matches exact names, group wildcards and *', () => {
    expect(filterMatches('workout.*', 'workout.created')).toBe(true);
    expect(filterMatches('series.*', 'series.heart_rate.created')).toBe(true);
    expect(filterMatches('series.*', 'sync.started')).toBe(false);
    expect(filterMatches('*', 'sync.started')).toBe(true);
    expect(filterMatches('sync.completed', 'sync.completed')).toBe(true);
    expect(isValidFilter('metrics.*')).toBe(true);
    expect(isValidFilter('nope.*')).toBe(false);
  });
});

describe('SSRF ranges', () => {
  it('treats loopback, private, link-local and mapped addresses as private', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });
});
