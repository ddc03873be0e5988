import { describe, expect, it } from 'vitest';
import { type RankableSource, rankSources } from './source-priority.ts';

const source = (id: number, fields: Partial<RankableSource>): RankableSource => ({
  id,
  provider: 'apple',
  device_type: null,
  device_name: null,
  device_model: null,
  app_name: null,
  ...fields,
});

describe('source priority', () => {
  const phone = source(1, { device_type: 'phone', device_name: 'iPhone' });
  const watch = source(2, { device_type: 'watch', device_name: 'Apple Watch' });
  const oura = source(3, { provider: 'oura' });
  const app = source(4, { provider: 'strava' });

  it('prefers watch, ring, then phone, then anything else by default', () => {
    expect(rankSources([phone, watch, oura, app], [], []).map((r) => [r.sourceId, r.reason])).toEqual([
      [2, 'default: watch'],
      [3, 'default: ring'],
      [1, 'default: phone'],
      [4, 'default: other'],
    ]);
  });

  it('applies user rules before developer rules before the default', () => {
    const ranked = rankSources([phone, watch, oura], [{ provider: 'oura' }], [{ device_type: 'PHONE' }]);
    expect(ranked.map((r) => r.sourceId)).toEqual([3, 1, 2]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3]);
  });

  it('infers the device kind from names when the type is missing', () => {
    const hcWatch = source(5, { provider: 'google', device_name: 'Pixel Watch 2' });
    const hcPhone = source(6, { provider: 'google', device_model: 'Pixel 8 phone' });
    expect(rankSources([hcPhone, hcWatch], [], []).map((r) => r.sourceId)).toEqual([5, 6]);
  });
});
