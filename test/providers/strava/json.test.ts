import { describe, expect, it } from 'vitest';
import { isIdKey, parseStravaJson, StravaJsonError } from '../../../src/providers/strava/json.ts';

describe('parseStravaJson', () => {
  it('keeps int64 ids above 2^53 exact, as strings', () => {
    const text = '{"id":12345678987654321,"upload_id":987654321234567891234,"athlete":{"id":134815}}';
    expect(JSON.parse(text).id).toBe(12345678987654320); // what JSON.parse would have stored
    expect(parseStravaJson(text)).toEqual({
      id: '12345678987654321',
      upload_id: '987654321234567891234',
      athlete: { id: '134815' },
    });
  });

  it('parses everything else exactly as JSON.parse does', () => {
    const text =
      ' {"a":[1,-2.5,3e2,0,-0.125E-1,true,false,null],"s":"x\\"y\\\\z\\n\\u00e9\\ud83d\\ude00","e":{},"l":[],' +
      '"nested":{"deep":[[{"k":"v"}]]},"distance":28099,"workout_type":10} ';
    const ours = parseStravaJson(text);
    expect(ours).toEqual(JSON.parse(text));
  });

  it('keeps only integers under id keys as strings (a float or a string stays what it is)', () => {
    expect(
      parseStravaJson('{"gear_id":"b123","owner_id":2402700,"x_id":1.5,"ids":[9007199254740993]}'),
    ).toEqual({
      gear_id: 'b123',
      owner_id: '2402700',
      x_id: 1.5,
      ids: [9007199254740992],
    });
    expect(parseStravaJson('{"activity_ids_id":[9007199254740993,1]}')).toEqual({
      activity_ids_id: ['9007199254740993', '1'],
    });
    expect(isIdKey('id')).toBe(true);
    expect(isIdKey('subscription_id')).toBe(true);
    expect(isIdKey('identity')).toBe(false);
    expect(isIdKey(undefined)).toBe(false);
  });

  it('treats "__proto__" as a plain key, as JSON.parse does', () => {
    const parsed = parseStravaJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['', 'unexpected end'],
    ['{', 'expected a string key'],
    ['{"a":1,}', 'expected a string key'],
    ['[1 2]', 'expected "," or "]"'],
    ['{"a" 1}', 'expected ":"'],
    ['"abc', 'unterminated string'],
    ['"a\u0001"', 'control character'],
    ['"\\x"', 'invalid escape'],
    ['tru', 'unexpected token'],
    ['01', 'unexpected text after the JSON value'],
    ['{"a":1} x', 'unexpected text after the JSON value'],
    ['<html>Bad gateway</html>', 'unexpected token'],
  ])('refuses %j with a clear message (%s)', (text, message) => {
    expect(() => parseStravaJson(text)).toThrow(StravaJsonError);
    expect(() => parseStravaJson(text)).toThrow(message);
  });

  it('refuses nesting deeper than it can follow instead of overflowing the stack', () => {
    expect(() => parseStravaJson('['.repeat(100_000))).toThrow('nested deeper than 256 levels');
  });

  it('parses a long stream quickly', () => {
    const data = Array.from({ length: 50_000 }, (_, i) => 120 + (i % 60));
    const text = JSON.stringify({ heartrate: { data, series_type: 'time' } });
    const started = performance.now();
    const parsed = parseStravaJson(text) as { heartrate: { data: number[] } };
    const elapsed = performance.now() - started;
    expect(parsed.heartrate.data).toEqual(data);
    expect(elapsed).toBeLessThan(1000); // linear: a quadratic scan would take seconds
  });
});
