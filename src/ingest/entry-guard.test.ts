import { describe, expect, it } from 'vitest';
import {
  jsonTextIsStorable,
  MAX_ENTRY_DEPTH,
  printable,
  textProblem,
  unstorableText,
} from './entry-guard.ts';

describe('entry guard (issue 15 #2)', () => {
  it('finds NUL and lone surrogates in any string or key, and says where', () => {
    expect(unstorableText({ a: 'fine', b: ['ok 😀', 1, null] })).toBeUndefined();
    expect(unstorableText({ source: { deviceName: 'Watch\u0000' } })).toEqual({
      path: ['source', 'deviceName'],
      msg: expect.stringMatching(/U\+0000/),
    });
    expect(unstorableText({ metadata: { list: [1, 'x\ud800'] } })?.path).toEqual(['metadata', 'list', 1]);
    const key = unstorableText({ metadata: { 'k\u0000': 1 } });
    expect(key?.path).toEqual(['metadata']);
    expect(key?.msg).toContain("key 'k\\u0000'");
    expect(textProblem('\udc00 alone')).toMatch(/surrogate/);
    expect(printable('a\u0000b\ud800')).toBe('a\\u0000b\\ud800');
  });

  it('refuses nesting past the limit without walking it all', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    expect(unstorableText(deep)?.msg).toBe(`nested deeper than ${MAX_ENTRY_DEPTH} levels`);
    let ok: unknown = 'x';
    for (let i = 0; i < MAX_ENTRY_DEPTH; i++) ok = [ok];
    expect(unstorableText(ok)).toBeUndefined();
  });

  it('clears a JSON text whose strings are all storable in one scan, and still checks depth then', () => {
    expect(jsonTextIsStorable(JSON.stringify({ a: 'fine 😀', 'k é': ['\ufffd'] }))).toBe(true);
    expect(jsonTextIsStorable(JSON.stringify({ a: 'x\u0000' }))).toBe(false);
    expect(jsonTextIsStorable(JSON.stringify({ a: 'x\ud800' }))).toBe(false);
    expect(jsonTextIsStorable(JSON.stringify({ 'k\udc00': 1 }))).toBe(false);
    expect(jsonTextIsStorable('{"a":"\\uD800 is only a backslash and text"}')).toBe(false); // conservative
    expect(unstorableText({ a: 'x\u0000' }, true)).toBeUndefined();
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(unstorableText(deep, true)?.msg).toBe(`nested deeper than ${MAX_ENTRY_DEPTH} levels`);
  });
});
