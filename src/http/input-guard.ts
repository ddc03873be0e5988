import { createMiddleware } from 'hono/factory';
import { getPath } from 'hono/utils/url';
import { BadRequestError, type FieldError, ValidationError } from '../shared/errors.ts';
import type { AppEnv } from './context.ts';

/**
 * The one guard every request passes before any route sees it. PostgreSQL's text cannot hold U+0000 and
 * its UTF-8 cannot hold a lone UTF-16 surrogate, so such a string, wherever a route stores or merely
 * compares it, ends in a driver error (a 500) rather than a 4xx. Instead of trusting every schema of
 * every route to remember, the path, the query and every string (and key) of a JSON or form body are
 * checked here, and the request is refused with a 422 naming where.
 */

/**
 * Deepest JSON nesting any body may have. WearLink's own bodies nest under 10 deep (a record's
 * `metadata` included); this leaves room for free-form metadata while refusing bodies (~5,000 deep) that
 * make a recursive walker, a validator or PostgreSQL's jsonb give up with a stack error.
 */
export const MAX_JSON_DEPTH = 64;

/** U+0000, or a UTF-16 surrogate without its other half. */
const forbiddenChar = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** What a JSON text must contain (escaped) for one of its strings to hold a forbidden character. */
const forbiddenEscape = /\\u(?:0000|[dD][89a-fA-F])/;
const credentialHeaders = ['authorization', 'x-wearlink-api-key', 'x-api-key'];
const jsonMediaType = /^application\/([\w.-]+\+)?json$/i;
const canonicalUuidSegment =
  /(?<=\/)[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=\/|$)/g;

function problemOf(text: string): string | undefined {
  const match = forbiddenChar.exec(text);
  if (match === null) return undefined;
  return match[0] === '\0'
    ? 'must not contain U+0000 (NUL)'
    : 'must not contain a lone UTF-16 surrogate (not valid Unicode)';
}

function refuse(loc: FieldError['loc'], msg: string, type = 'invalid_string'): never {
  throw new ValidationError([{ loc, msg, type }]);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Routing path with every UUID-shaped segment in lowercase: ids are compared as strings in places
 * (the event bus's per-user channels, an SDK token's subject), so `/users/ABC…` must mean the same as
 * `/users/abc…` everywhere, not only in PostgreSQL's uuid comparisons.
 */
export function canonicalPath(request: Request): string {
  return getPath(request).replace(canonicalUuidSegment, (id) => id.toLowerCase());
}

/**
 * Whether JSON text nests deeper than `limit`. A scan over the text (not the parsed value), so it costs
 * one pass and no stack whatever the depth: strings are skipped with indexOf (a quote ends one unless an
 * odd run of backslashes precedes it), ~4 ms per MB.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (;;) {
        const quote = text.indexOf('"', i + 1);
        if (quote === -1) return false; // unterminated: the JSON parser reports it
        let backslashes = 0;
        while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
        i = quote;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
  return false;
}

/** The first forbidden string or too-deep value in a parsed body, with where it is. */
function firstProblem(value: unknown, loc: (string | number)[]): FieldError | undefined {
  if (typeof value === 'string') {
    const msg = problemOf(value);
    return msg === undefined ? undefined : { loc, msg, type: 'invalid_string' };
  }
  if (value === null || typeof value !== 'object') return undefined;
  // `loc` holds the body root and one entry per level below it.
  if (loc.length > MAX_JSON_DEPTH) {
    return { loc, msg: `nests deeper than ${MAX_JSON_DEPTH} levels`, type: 'too_deep' };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstProblem(value[i], [...loc, i]);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = problemOf(key);
    if (keyProblem !== undefined) {
      return { loc, msg: `a key ${keyProblem}`, type: 'invalid_string' };
    }
    const found = firstProblem(item, [...loc, key]);
    if (found) return found;
  }
  return undefined;
}

function checkJsonText(text: string, depthOnly = false): void {
  const suspicious = !depthOnly && forbiddenEscape.test(text);
  const tooDeep = jsonDepthExceeds(text, MAX_JSON_DEPTH);
  if (depthOnly && tooDeep) refuse(['body'], `nests deeper than ${MAX_JSON_DEPTH} levels`, 'too_deep');
  if (!suspicious && !tooDeep) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Malformed: the route's validator answers it as such.
    return;
  }
  const found = firstProblem(parsed, ['body']);
  if (found) throw new ValidationError([found]);
}

/**
 * Refuses U+0000 and lone surrogates in the path, the query and JSON/form bodies, and JSON nested deeper
 * than MAX_JSON_DEPTH. `skipBody` names routes whose body is a file that their importer checks as it
 * streams (reading it here would hold it in memory). `depthOnly` names routes whose JSON bodies are
 * checked here for depth only: push-ingest batches, whose entries are checked one by one
 * (src/ingest/entry-guard.ts) so a bad entry is rejected by index instead of refusing the batch.
 */
export function inputGuard(options: { skipBody: RegExp[]; depthOnly?: RegExp[] }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const url = new URL(c.req.url);
    for (const segment of url.pathname.split('/')) {
      const msg = problemOf(decodeSegment(segment));
      if (msg !== undefined) refuse(['path'], msg);
    }
    for (const [name, value] of url.searchParams) {
      const nameProblem = problemOf(name);
      if (nameProblem !== undefined) refuse(['query'], `a parameter name ${nameProblem}`);
      const msg = problemOf(value);
      if (msg !== undefined) refuse(['query', name], msg);
    }
    const contentType = c.req.header('content-type');
    if (contentType === undefined || options.skipBody.some((pattern) => pattern.test(c.req.path))) {
      return next();
    }
    const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    const bulk = options.depthOnly?.some((pattern) => pattern.test(c.req.path)) ?? false;
    // A bulk body (up to 32 MiB) is read here only for a caller that presents a credential: without
    // one, the route's authenticate() answers 401 without reading it.
    if (bulk && !credentialHeaders.some((name) => c.req.header(name) !== undefined)) return next();
    if (jsonMediaType.test(mediaType)) {
      // Read once: Hono caches the text, and the route's validator parses it from there.
      checkJsonText(await c.req.text(), bulk);
    } else if (mediaType === 'multipart/form-data' || mediaType === 'application/x-www-form-urlencoded') {
      let form: FormData;
      try {
        form = await c.req.raw.formData();
        // Where Hono's form validator looks for it first, so the body is parsed once.
        (c.req.bodyCache as { formData?: FormData }).formData = form;
      } catch (error) {
        // Not our error kinds (a body limit overrun): let the error handler answer them.
        if (!(error instanceof TypeError)) throw error;
        throw new BadRequestError('Malformed form body (multipart/form-data or urlencoded)');
      }
      for (const [name, value] of form) {
        const nameProblem = problemOf(name);
        if (nameProblem !== undefined) refuse(['body'], `a field name ${nameProblem}`);
        if (typeof value === 'string') {
          const msg = problemOf(value);
          if (msg !== undefined) refuse(['body', name], msg);
        }
      }
    }
    return next();
  });
}
