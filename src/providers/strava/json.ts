/**
 * Strava's ids are int64 and its own examples exceed 2^53 (`12345678987654321`, an `upload_id` of
 * `987654321234567891234`): `JSON.parse` would silently round them, so two activities could share an id.
 * Node 20's `JSON.parse` gives a reviver no access to the source text, so this small parser reads the
 * text itself and keeps every integer under an id key (`id` or a name ending in `_id`) as the exact
 * decimal string. Everything else parses as `JSON.parse` would.
 *
 * @example
 * parseStravaJson('{"id":12345678987654321,"distance":28099}') // { id: '12345678987654321', distance: 28099 }
 */
export function parseStravaJson(text: string): unknown {
  const parser = new Parser(text);
  parser.ws();
  const value = parser.value(undefined, 0);
  parser.ws();
  if (parser.pos !== text.length) parser.fail('unexpected text after the JSON value');
  return value;
}

/** Keys whose integer values are ids: `id`, `upload_id`, `owner_id`, `object_id`, `subscription_id`… */
export const isIdKey = (key: string | undefined): boolean =>
  key !== undefined && (key === 'id' || key.endsWith('_id'));

/** Nesting beyond this is refused instead of overflowing the stack (Strava nests a few levels). */
const MAX_DEPTH = 256;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** A string's run of plain characters (no quote, backslash or control character). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what it excludes.
const PLAIN_STRING = /[^"\\\u0000-\u001f]*/y;

export class StravaJsonError extends Error {
  override name = 'StravaJsonError';
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new StravaJsonError(`Malformed JSON at offset ${this.pos}: ${what}`);
  }

  ws(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
  }

  /** A value; `key` is the object key it belongs to (undefined inside arrays and at the top). */
  value(key: string | undefined, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(key, depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number(key);
    }
  }

  object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.ws();
      if (this.text[this.pos] !== ':') this.fail('expected ":"');
      this.pos++;
      this.ws();
      // defineProperty: a key "__proto__" is data, as with JSON.parse, never the prototype.
      Object.defineProperty(out, key, {
        value: this.value(key, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.ws();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected "," or "}"');
      this.ws();
    }
  }

  /** Array items inherit the key: `"ids": [1, 2]` stays exact too. */
  array(key: string | undefined, depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(key, depth + 1));
      this.ws();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected "," or "]"');
      this.ws();
    }
  }

  string(): string {
    const start = this.pos;
    PLAIN_STRING.lastIndex = start + 1;
    PLAIN_STRING.exec(this.text);
    let end = PLAIN_STRING.lastIndex;
    if (this.text[end] === '"') {
      this.pos = end + 1;
      return this.text.slice(start + 1, end);
    }
    // Escapes: find the closing quote, then let JSON.parse decode exactly this string.
    while (end < this.text.length) {
      const c = this.text.charCodeAt(end);
      if (c === 0x22) break;
      if (c === 0x5c) end++;
      else if (c < 0x20) {
        this.pos = end;
        this.fail('control character in a string');
      }
      end++;
    }
    if (end >= this.text.length) this.fail('unterminated string');
    this.pos = end + 1;
    try {
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      this.pos = start;
      return this.fail('invalid escape in a string');
    }
  }

  literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('unexpected token');
    this.pos += word.length;
    return value;
  }

  /** A number per JSON's grammar, scanned by hand (a regex per number was 3× slower on long streams). */
  number(key: string | undefined): number | string {
    const t = this.text;
    const start = this.pos;
    let i = start;
    if (t.charCodeAt(i) === 45) i++; // -
    const first = t.charCodeAt(i);
    if (first === 48)
      i++; // a leading 0 stands alone
    else if (first >= 49 && first <= 57) while (isDigit(t.charCodeAt(i))) i++;
    else this.fail(i >= t.length ? 'unexpected end' : 'unexpected token');
    let integer = true;
    if (t.charCodeAt(i) === 46) {
      integer = false;
      if (!isDigit(t.charCodeAt(++i))) this.fail('a digit must follow "."');
      while (isDigit(t.charCodeAt(i))) i++;
    }
    const e = t.charCodeAt(i);
    if (e === 101 || e === 69) {
      integer = false;
      const sign = t.charCodeAt(++i);
      if (sign === 43 || sign === 45) i++;
      if (!isDigit(t.charCodeAt(i))) this.fail('a digit must follow the exponent');
      while (isDigit(t.charCodeAt(i))) i++;
    }
    this.pos = i;
    const literal = t.slice(start, i);
    return integer && isIdKey(key) ? literal : Number(literal);
  }
}
