/**
 * The part of per-entry validation that no field schema covers: text the database cannot store and
 * nesting it cannot parse. A pushed entry is checked whole (every key and string value, metadata
 * included) before it is mapped, so an entry that would make its batch's write fail is rejected on its
 * own, with its index, instead of the 202'd batch being lost at write time.
 */

/** Deepest nesting of objects and arrays in one entry; real metadata is two or three levels deep. */
export const MAX_ENTRY_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored: PostgreSQL text and jsonb refuse U+0000, and a lone UTF-16 surrogate
 * has no UTF-8 form (jsonb refuses its escape; text would silently get U+FFFD instead).
 */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/** The text with NULs and lone surrogates written as `\uXXXX`, for echoing a bad key in a reason. */
export function printable(text: string): string {
  return text.replace(
    /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export interface EntryProblem {
  /** Where in the entry (only keys that can be stored appear in it). */
  path: (string | number)[];
  msg: string;
}

/** What a JSON text must contain (escaped) for one of its strings or keys to hold U+0000 or a surrogate. */
const unstorableEscape = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * Whether every string and key parsed from this JSON text can be stored. JSON cannot carry U+0000 or a
 * control character unescaped, and text decoded from UTF-8 holds no lone surrogate (the decoder makes
 * them U+FFFD), so without such an escape in the text none of its strings can: one scan of the text
 * (~2 ms for a 10,000-record batch) instead of a regex per string.
 */
export function jsonTextIsStorable(text: string): boolean {
  return !unstorableEscape.test(text);
}

/**
 * The first key or string in `value` that cannot be stored, or nesting past MAX_ENTRY_DEPTH.
 * `depthOnly`: its text is known to be storable (jsonTextIsStorable), so only the nesting is checked.
 */
export function unstorableText(value: unknown, depthOnly = false): EntryProblem | undefined {
  if (depthOnly && !nestsDeeper(value, 0)) return undefined;
  // One path array, pushed and popped: entries can hold 100,000 route points.
  const path: (string | number)[] = [];
  const found = (msg: string): EntryProblem => ({ path: [...path], msg });
  const walk = (item: unknown, depth: number): EntryProblem | undefined => {
    if (typeof item === 'string') {
      if (depthOnly) return undefined;
      const msg = textProblem(item);
      return msg === undefined ? undefined : found(msg);
    }
    if (typeof item !== 'object' || item === null) return undefined;
    if (depth >= MAX_ENTRY_DEPTH) return found(`nested deeper than ${MAX_ENTRY_DEPTH} levels`);
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        path.push(i);
        const problem = walk(item[i], depth + 1);
        path.pop();
        if (problem) return problem;
      }
      return undefined;
    }
    for (const key of Object.keys(item)) {
      const keyMsg = depthOnly ? undefined : textProblem(key);
      // A bad key is reported at the object holding it, the key itself made printable in the message.
      if (keyMsg !== undefined) return found(`key '${printable(key)}' ${keyMsg}`);
      path.push(key);
      const problem = walk((item as Record<string, unknown>)[key], depth + 1);
      path.pop();
      if (problem) return problem;
    }
    return undefined;
  };
  return walk(value, 0);
}

/**
 * Whether objects or arrays in `item` (at `depth`) reach MAX_ENTRY_DEPTH: the depth-only check, with no
 * path kept (the walk above finds it for the rare entry that does). Measured on a 10,000-record SDK
 * batch: 8-11 ms instead of the walk's 62-72 ms (load average 11 on 2 cores).
 */
function nestsDeeper(item: unknown, depth: number): boolean {
  if (typeof item !== 'object' || item === null) return false;
  if (depth >= MAX_ENTRY_DEPTH) return true;
  if (Array.isArray(item)) {
    for (let i = 0; i < item.length; i++) if (nestsDeeper(item[i], depth + 1)) return true;
    return false;
  }
  for (const key in item) {
    if (Object.hasOwn(item, key) && nestsDeeper((item as Record<string, unknown>)[key], depth + 1))
      return true;
  }
  return false;
}
