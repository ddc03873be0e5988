import { Buffer, isUtf8 } from 'node:buffer';

/** One element subtree as collected from the stream. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Non-blank text directly inside the element (GPX `<time>`, `<ele>`), capped. */
  text: string;
  /** Where the element's start tag begins: line (1-based) and byte column (1-based). */
  line: number;
  column: number;
}

/** A file that cannot be imported, with where in it the problem is. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
  constructor(
    /** The problem alone, without its position (`message` has both). */
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? detail : `line ${line}, column ${column ?? 0}: ${detail}`);
  }
}

export interface StreamLimits {
  /** Bytes of one unfinished token (a tag, a text run, a comment): bounds what is buffered. */
  maxTokenBytes: number;
  /** Nodes in one collected subtree (a Workout with an inline route is the largest legitimate one). */
  maxNodesPerElement: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: StreamLimits = {
  maxTokenBytes: 8 * 1024 * 1024,
  maxNodesPerElement: 500_000,
  maxDepth: 32,
};

const MAX_TEXT = 4096;
const VALUE_CACHE_SIZE = 4096;
const RECENT_NAMES = 8;

export interface StreamOptions {
  /** Start collecting a subtree at an element for which this is true (depth 0 is the root). */
  collect: (name: string, depth: number) => boolean;
  /**
   * Accept a run of top-level elements without a root (export fragments): they are parsed as if inside
   * `<HealthData>`.
   */
  allowFragments?: boolean;
  onBytes?: (bytesRead: number) => void;
  /** Called once with the root element's name and attributes (a virtual root of fragments has none). */
  onRoot?: (name: string, attrs: Record<string, string>) => void;
  /**
   * Receives each collected subtree as soon as it is complete, in document order, instead of the arrays
   * `streamXml` yields (which then stay empty): needed with a lane, whose elements are taken during the
   * scan, for the two to stay in order.
   */
  onElement?: (node: XmlNode) => void;
  /** A fast lane for one element name at depth 1 (see ElementLane). */
  lane?: ElementLane;
  limits?: StreamLimits;
}

/**
 * A fast path for the commonest element of a document: at depth 1, an element with this name is first
 * offered to `take`, with the buffer and the position of its `<`. `take` either reads the whole element
 * (up to its end, within the buffer) and does with it what collecting it would have led to, returning
 * the position after it, or returns -1 having done nothing, and the scanner reads the element as usual.
 * A lane must take only elements that are well-formed by this scanner's rules (it may refuse anything
 * it is unsure of: refusing is always correct, only slower). The scanner has already checked the bytes
 * as UTF-8; line counting and everything after the element stay the scanner's.
 */
export interface ElementLane {
  name: string;
  take(buf: Buffer, lt: number): number;
}

const LT = 60; // <
const GT = 62; // >
const SLASH = 47;
const BANG = 33;
const QMARK = 63;
const EQ = 61;
const AMP = 38;
const DQUOTE = 34;
const SQUOTE = 39;
const DASH = 45;
const NL = 10;

const isSpace = (c: number) => c === 32 || c === NL || c === 9 || c === 13;
/** Bytes that end a name: whitespace, `/`, `>`, `=`, and (for robustness) `<`. */
const endsName = (c: number) =>
  c === 32 || c === NL || c === 9 || c === 13 || c === SLASH || c === GT || c === EQ || c === LT;
/** ASCII letters, `_`, `:`, and any non-ASCII byte (names in other scripts). */
const startsName = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

declare module 'node:buffer' {
  // Buffer's own decoders, which `toString(encoding, start, end)` dispatches to: called directly, they
  // save a wrapper per attribute value (present since Node 0.x, just not in the type definitions).
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    utf8Slice(start: number, end: number): string;
  }
}

/** A malformed reference or character in a value, at `offset` within it. */
class ValueProblem {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Replaces character and predefined entity references; throws ValueProblem for anything else. */
function decodeReferences(raw: string): string {
  return raw.replace(/&([^;&<\s]*);|&/g, (match, body: string | undefined, offset: number) => {
    if (body === undefined) throw new ValueProblem("'&' that does not start an entity reference", offset);
    const named = PREDEFINED[body];
    if (named !== undefined) return named;
    const code = /^#x[0-9a-f]+$/i.test(body)
      ? Number.parseInt(body.slice(2), 16)
      : /^#[0-9]+$/.test(body)
        ? Number.parseInt(body.slice(1), 10)
        : undefined;
    if (code === undefined) {
      const problem = body.startsWith('#')
        ? `malformed character reference ${match}`
        : `undefined entity ${match}`;
      throw new ValueProblem(problem, offset);
    }
    const valid =
      code === 9 ||
      code === 10 ||
      code === 13 ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!valid) throw new ValueProblem(`character reference ${match} names a character XML forbids`, offset);
    return String.fromCodePoint(code);
  });
}

/**
 * Attribute-value normalisation (XML 1.0 §3.3.3) of a raw value: line ends and tabs become spaces, then
 * references are replaced. Throws ValueProblem for a `<`, a forbidden control character or a bad reference.
 */
function normaliseAttributeValue(raw: string): string {
  const lt = raw.indexOf('<');
  if (lt !== -1) throw new ValueProblem("'<' inside an attribute value", lt);
  for (let k = 0; k < raw.length; k++) {
    const c = raw.charCodeAt(k);
    if (c < 32 && !isSpace(c)) throw new ValueProblem('forbidden control character', k);
  }
  const spaced = raw.replace(/\r\n?|[\n\t]/g, ' ');
  return spaced.includes('&') ? decodeReferences(spaced) : spaced;
}

/** An attribute value as the scanner yields it, or undefined where the scanner would report a problem. */
export function attributeValueOrUndefined(raw: string): string | undefined {
  try {
    return normaliseAttributeValue(raw);
  } catch (error) {
    if (error instanceof ValueProblem) return undefined;
    throw error;
  }
}

/** Thrown inside the scanner when a token is cut by the end of the buffer: wait for the next chunk. */
const NEED_MORE = Symbol('need more input');

/** A name seen before, with its bytes, so that the next occurrence is matched without a new string. */
interface KnownName {
  name: string;
  bytes: Uint8Array;
}
const known = (name: string): KnownName => ({ name, bytes: Buffer.from(name) });

/**
 * What the scanner remembers of an element name's last start tag. `shape` is its attribute names in
 * order. `prefix` is the leading attributes whose values were the same as in the tag before it
 * (`type`, `sourceName`, `device`, `unit` of a run of records), with the bytes they took: when the next
 * tag starts with the same bytes, one native comparison replaces parsing them again.
 */
interface TagMemo {
  shape: KnownName[];
  prefix: { buf: Buffer; start: number; len: number; names: string[]; values: string[] } | undefined;
  lastNames: string[];
  lastValues: string[];
}

/** Bytes whose presence makes an attribute value need more than decoding: references, `<`, whitespace. */
const SPECIAL_BYTES = [AMP, LT, NL, 9, 13];

/**
 * The bytes of the characters XML 1.0 forbids anywhere in a document (§2.2 Char): the C0 controls but
 * tab, LF and CR. U+0000 matters most: PostgreSQL cannot store it in text, so one NUL in a device name
 * reached the database and failed the whole import there. Lone surrogates are already refused as
 * invalid UTF-8 (isUtf8); U+FFFE and U+FFFF are found by FORBIDDEN_NONCHARACTER_LEAD.
 */
const FORBIDDEN_CONTROL_BYTES = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
];
/** U+FFF0–U+FFFF are EF BF xx in UTF-8; of these, BE and BF (U+FFFE, U+FFFF) are not XML characters. */
const FORBIDDEN_NONCHARACTER_LEAD = Buffer.from([0xef, 0xbf]);

/**
 * The first character XML forbids in `buf[from, to)` (complete UTF-8 only), or -1. One native `indexOf`
 * per forbidden byte: measured at ~0.4 ns a byte for all of them together, against ~7 ns a byte for a
 * JavaScript loop, so every byte of every document is checked, names, comments and values included.
 */
function firstForbiddenCharacter(buf: Buffer, from: number, to: number): number {
  let first = -1;
  const region = buf.subarray(from, to);
  for (const byte of FORBIDDEN_CONTROL_BYTES) {
    const at = region.indexOf(byte);
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  let lead = region.indexOf(FORBIDDEN_NONCHARACTER_LEAD);
  while (lead !== -1 && (first === -1 || lead < first)) {
    const third = region[lead + 2];
    if (third === 0xbe || third === 0xbf) {
      first = lead;
      break;
    }
    lead = region.indexOf(FORBIDDEN_NONCHARACTER_LEAD, lead + 2);
  }
  return first === -1 ? -1 : from + first;
}

/** What a forbidden character found by firstForbiddenCharacter is, for the error message. */
function describeForbidden(buf: Buffer, at: number): string {
  const c = buf[at] as number;
  if (c === 0xef)
    return `forbidden character U+${buf[at + 2] === 0xbe ? 'FFFE' : 'FFFF'} (not an XML character)`;
  const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return c === 0
    ? `forbidden character ${code} (a NUL byte: XML text cannot contain it)`
    : `forbidden control character ${code}`;
}

/** Where the last complete UTF-8 sequence in `buf[from, to)` ends (a chunk may cut one). */
function completeUtf8End(buf: Uint8Array, from: number, to: number): number {
  for (let back = 1; back <= 3 && to - back >= from; back++) {
    const b = buf[to - back] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? to - back : to;
  }
  return to;
}

/**
 * A streaming XML scanner for Apple Health exports and GPX files, on bytes. It reads the XML 1.0 that
 * these files use (elements, attributes, character and predefined entity references, comments,
 * processing instructions, CDATA, a DOCTYPE with an internal subset) and checks what makes a document
 * well-formed (matching tags, one root, quoted unique attributes, no stray `<` or `&`, valid UTF-8, no
 * forbidden control characters in text), reporting the first problem with its line and
 * column. It is several times faster than a general SAX parser: it finds markup with native
 * `indexOf`, never decodes the document as a whole, recognises repeated element and attribute names
 * byte-wise, takes the attributes a tag shares with the one before it with one native comparison,
 * and builds strings only for the subtrees asked for. (On this project's 2-core machines a JavaScript
 * loop costs ~7 ns a byte, about a second per 140 MB: per-byte work is left to native code.)
 *
 * Deliberately unsupported, and refused: entity declarations (billion laughs, XXE) and any entity
 * beyond the five predefined ones. DTDs are never fetched or applied. Characters XML forbids (NUL and
 * the other C0 controls but tab, LF and CR; U+FFFE and U+FFFF; lone surrogates, as invalid UTF-8) are
 * refused wherever they are, by a native search of every chunk. Not checked: the finer name character
 * classes of the XML spec and `--` inside comments (harmless here: such values are kept as strings or
 * fail as numbers). The test suite checks that it yields exactly what
 * saxes yields on every reference export and GPX file, cut into chunks of every size.
 */
class XmlScanner {
  /** The unread bytes: a view of #work from its start. */
  #buf: Buffer = Buffer.alloc(0);
  /**
   * The buffer every chunk is copied into, after the bytes the last one left unread: reused, so an
   * import allocates no buffer per chunk (see feed). It grows when a token spans more than it holds.
   */
  #work: Buffer = Buffer.alloc(0);
  #pos = 0;
  /** Absolute byte offset of `#buf[0]`, of the first byte of the current line, and validated so far. */
  #base = 0;
  #lineStart = 0;
  #line = 1;
  #validated = 0;
  readonly #names: string[] = [];
  readonly #stack: XmlNode[] = [];
  #out: XmlNode[] = [];
  #nodes = 0;
  #sawRoot = false;
  #rootClosed = false;
  #virtualRoot = false;
  #sawMarkup = false;
  #bom = 0;
  /**
   * Exports repeat themselves: the same element names, the same attributes in the same order, the same
   * escaped device strings. Recognising a name against the last ones seen avoids a fresh string per
   * name (and keeps attribute objects in one shape); decoded values are memoised.
   */
  readonly #recentNames: KnownName[] = [];
  readonly #tags = new Map<string, TagMemo>();
  /** Next position of each of SPECIAL_BYTES in #buf (its length when there is none), found natively. */
  readonly #nextSpecial = new Int32Array(SPECIAL_BYTES.length);
  /** The least of #nextSpecial (-1 when it must be recomputed). */
  #nearestSpecial = -1;
  readonly #values = new Map<string, string>();
  readonly #laneBytes: KnownName | undefined;

  constructor(
    private readonly options: StreamOptions,
    private readonly limits: StreamLimits,
  ) {
    this.#laneBytes = options.lane === undefined ? undefined : known(options.lane.name);
  }

  take(): XmlNode[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  /**
   * Takes the next chunk of the document. The chunk is copied, so the caller may reuse its memory once
   * this returns (the export reader does), and the copy goes into one reused buffer: a fresh buffer per
   * chunk (Buffer.concat with the unread tail, and the reader's own) was 1.7 GB of short-lived external
   * memory for an 830 MB export, and V8 runs a full collection for every 64 MB of that.
   */
  feed(chunk: Uint8Array): void {
    const kept = this.#buf.length - this.#pos;
    this.#base += this.#pos;
    const needed = kept + chunk.byteLength;
    let work = this.#work;
    if (needed > work.length) {
      // A larger buffer; the old one is left as it is for the tag prefixes that still point into it.
      const larger = Buffer.allocUnsafeSlow(Math.max(needed, 2 * work.length, 64 * 1024));
      this.#buf.copy(larger, 0, this.#pos);
      work = this.#work = larger;
    } else {
      this.#detachPrefixes(work);
      if (kept > 0) work.copyWithin(0, this.#pos, this.#buf.length);
    }
    work.set(chunk, kept);
    this.#buf = work.subarray(0, needed);
    this.#pos = 0;
    this.#nextSpecial.fill(-1);
    this.#nearestSpecial = -1;
    if (this.#base === 0 && this.#validated === 0 && this.#buf[0] === 0xef) {
      if (this.#buf.length < 3) return;
      if (this.#buf[1] === 0xbb && this.#buf[2] === 0xbf) this.#pos = this.#bom = 3; // byte order mark
    }
    const forbidden = this.#validate(false);
    if (forbidden !== -1) this.#failAtForbidden(forbidden);
    this.#scan(false);
    if (this.#buf.length - this.#pos > this.limits.maxTokenBytes) {
      this.#fail(`more than ${this.limits.maxTokenBytes} bytes without a tag boundary`, this.#pos);
    }
  }

  /** Gives the tag prefixes that point into `work`, about to be overwritten, copies of their bytes. */
  #detachPrefixes(work: Buffer): void {
    for (const memo of this.#tags.values()) {
      const prefix = memo.prefix;
      if (prefix !== undefined && prefix.buf.buffer === work.buffer) {
        memo.prefix = {
          ...prefix,
          buf: Buffer.from(prefix.buf.subarray(prefix.start, prefix.start + prefix.len)),
          start: 0,
        };
      }
    }
  }

  end(): void {
    const forbidden = this.#validate(true);
    if (forbidden !== -1) this.#failAtForbidden(forbidden);
    this.#scan(true);
    if (this.#pos < this.#buf.length) this.#fail('unexpected end of file inside markup', this.#pos);
    if (this.#virtualRoot && this.#names.length === 1) this.#names.pop();
    const open = this.#names.at(-1);
    if (open !== undefined) this.#fail(`unexpected end of file: <${open}> is not closed`, this.#pos);
    if (!this.#sawRoot) this.#fail('no XML element found (is this an Apple Health export?)', this.#pos);
  }

  /**
   * UTF-8 validation of the new bytes, natively, up to the last complete sequence, and the search for
   * characters XML forbids in them: returns where the first of these is in #buf, or -1.
   */
  #validate(final: boolean): number {
    const from = this.#validated - this.#base;
    const to = final ? this.#buf.length : completeUtf8End(this.#buf, from, this.#buf.length);
    if (to > from && !isUtf8(this.#buf.subarray(from, to))) {
      throw new ImportFormatError(
        `not UTF-8 text (invalid byte sequence within bytes ${this.#validated}–${this.#base + to})`,
      );
    }
    this.#validated = this.#base + to;
    // A U+FFFE/U+FFFF cut after its first two bytes is found with the next chunk: search from 2 back.
    return to > from ? firstForbiddenCharacter(this.#buf, Math.max(this.#pos, from - 2), to) : -1;
  }

  /**
   * Fails at a forbidden character, but first scans what comes before it, so that an earlier problem
   * is the one reported (the first problem of the document, as everywhere else). Nothing before it can
   * need the bytes after it to be judged, except a token it cuts, which the character then spoils.
   */
  #failAtForbidden(at: number): never {
    const whole = this.#buf;
    this.#buf = whole.subarray(0, at);
    this.#scan(false);
    this.#buf = whole;
    this.#fail(describeForbidden(whole, at), at);
  }

  #string(from: number, to: number): string {
    return this.#buf.utf8Slice(from, to);
  }

  #fail(message: string, at: number): never {
    // Lines are counted up to #pos; count on from there to the offending byte.
    let line = this.#line;
    let lineStart = this.#lineStart;
    const buf = this.#buf;
    for (let i = this.#pos; i < at && i < buf.length; i++) {
      if (buf[i] === NL) {
        line += 1;
        lineStart = this.#base + i + 1;
      }
    }
    // The column in characters, where the line's start is still in the buffer.
    const from = lineStart - this.#base;
    const column =
      from >= 0 && at <= buf.length ? this.#string(from, at).length + 1 : this.#base + at - lineStart + 1;
    throw new ImportFormatError(message, line, column);
  }

  /** Advances #pos to `to`, counting the line ends passed. */
  #advance(to: number): void {
    const buf = this.#buf;
    let i = buf.indexOf(NL, this.#pos);
    while (i !== -1 && i < to) {
      this.#line += 1;
      this.#lineStart = this.#base + i + 1;
      i = buf.indexOf(NL, i + 1);
    }
    this.#pos = to;
  }

  #scan(final: boolean): void {
    const buf = this.#buf;
    while (this.#pos < buf.length) {
      const lt = buf.indexOf(LT, this.#pos);
      if (lt === -1) {
        // A text run may go on in the next chunk (and a reference be cut): wait, unless at the end.
        if (final) this.#text(buf.length);
        return;
      }
      if (lt > this.#pos) this.#text(lt);
      try {
        this.#markup(lt, final);
      } catch (error) {
        if (error === NEED_MORE) {
          if (final) this.#fail('unexpected end of file inside markup', lt);
          return;
        }
        throw error;
      }
    }
  }

  #text(end: number): void {
    const buf = this.#buf;
    const start = this.#pos;
    let i = start;
    while (i < end && isSpace(buf[i] as number)) i++;
    if (i < end) {
      if (this.#names.length === 0) {
        this.#fail(this.#rootClosed ? 'text after the root element' : 'text before the root element', i);
      }
      for (let k = i; k < end; k++) {
        const c = buf[k] as number;
        if (c < 32 && !isSpace(c)) this.#fail('forbidden control character', k);
      }
      const raw = this.#string(start, end);
      const top = this.#stack.at(-1);
      const text = raw.includes('&') ? this.#decoded(decodeReferences, raw, start) : raw;
      if (top !== undefined) this.#appendText(top, text);
    }
    this.#advance(end);
  }

  #appendText(node: XmlNode, text: string): void {
    if (node.text.length >= MAX_TEXT) return;
    const trimmed = text.trim();
    if (trimmed !== '') node.text = (node.text + trimmed).slice(0, MAX_TEXT);
  }

  /** Runs a value decoder, reporting its problem at the value's position `at` in the buffer. */
  #decoded(decode: (raw: string) => string, raw: string, at: number): string {
    try {
      return decode(raw);
    } catch (error) {
      if (error instanceof ValueProblem) this.#fail(error.message, at + error.offset);
      throw error;
    }
  }

  #startsWith(text: string, at: number): boolean {
    return this.#buf.latin1Slice(at, at + text.length) === text;
  }

  #markup(lt: number, final: boolean): void {
    const buf = this.#buf;
    if (lt + 1 >= buf.length) throw NEED_MORE;
    const c = buf[lt + 1];
    if (c === SLASH) return void this.#closeTag(lt);
    if (c === QMARK) return void this.#processingInstruction(lt);
    if (c === BANG) {
      if (buf.length - lt < 9 && !final) throw NEED_MORE;
      if (buf[lt + 2] === DASH && buf[lt + 3] === DASH) return void this.#skipTo(lt, '-->', 4);
      if (this.#startsWith('<![CDATA[', lt)) return void this.#cdata(lt);
      if (this.#startsWith('<!DOCTYPE', lt)) return void this.#doctype(lt);
      this.#fail('unrecognised markup after <!', lt);
    }
    if (
      this.#laneBytes !== undefined &&
      this.#names.length === 1 &&
      this.#isNameAt(this.#laneBytes, lt + 1)
    ) {
      const end = (this.options.lane as ElementLane).take(buf, lt);
      if (end !== -1) {
        this.#advance(end);
        return;
      }
    }
    this.#startTag(lt);
  }

  #skipTo(lt: number, terminator: string, from: number): void {
    const end = this.#buf.indexOf(terminator, lt + from);
    if (end === -1) throw NEED_MORE;
    this.#sawMarkup = true;
    this.#advance(end + terminator.length);
  }

  #processingInstruction(lt: number): void {
    const end = this.#buf.indexOf('?>', lt + 2);
    if (end === -1) throw NEED_MORE;
    const target = /^[^\s?]*/.exec(this.#string(lt + 2, end))?.[0] ?? '';
    if (target === '') this.#fail('processing instruction without a target', lt);
    if (target.toLowerCase() === 'xml' && (this.#sawMarkup || this.#base + lt > this.#bom)) {
      this.#fail('XML declaration not at the start of the document', lt);
    }
    this.#sawMarkup = true;
    this.#advance(end + 2);
  }

  #cdata(lt: number): void {
    const end = this.#buf.indexOf(']]>', lt + 9);
    if (end === -1) throw NEED_MORE;
    if (this.#names.length === 0) this.#fail('CDATA outside the root element', lt);
    const top = this.#stack.at(-1);
    if (top !== undefined) this.#appendText(top, this.#string(lt + 9, end));
    this.#advance(end + 3);
  }

  /** Skips `<!DOCTYPE …>` with its internal subset (quotes and comments respected); refuses entities. */
  #doctype(lt: number): void {
    if (this.#sawRoot) this.#fail('DOCTYPE after the root element', lt);
    const buf = this.#buf;
    let i = lt + 9;
    let inSubset = false;
    for (;;) {
      if (i >= buf.length) throw NEED_MORE;
      const c = buf[i];
      if (c === DQUOTE || c === SQUOTE) {
        const close = buf.indexOf(c, i + 1);
        if (close === -1) throw NEED_MORE;
        i = close + 1;
      } else if (inSubset && c === LT && buf[i + 1] === BANG) {
        if (i + 8 > buf.length) throw NEED_MORE;
        if (buf[i + 2] === DASH && buf[i + 3] === DASH) {
          const close = buf.indexOf('-->', i + 4);
          if (close === -1) throw NEED_MORE;
          i = close + 3;
        } else if (this.#startsWith('<!ENTITY', i)) {
          this.#fail('DOCTYPE declares entities; refused (entity expansion / XXE)', i);
        } else {
          i += 2;
        }
      } else if (c === 91 /* [ */) {
        inSubset = true;
        i += 1;
      } else if (c === 93 /* ] */) {
        inSubset = false;
        i += 1;
      } else if (c === GT && !inSubset) {
        break;
      } else {
        i += 1;
      }
    }
    this.#sawMarkup = true;
    this.#advance(i + 1);
  }

  #closeTag(lt: number): void {
    const buf = this.#buf;
    const gt = buf.indexOf(GT, lt + 2);
    if (gt === -1) throw NEED_MORE;
    const open = this.#names.at(-1);
    // The usual case, checked byte-wise: the name of the open element, then `>`.
    let name: string | undefined;
    if (open !== undefined && gt - lt - 2 === open.length && this.#startsWith(open, lt + 2)) {
      name = open;
    } else {
      name = this.#string(lt + 2, gt).trimEnd();
      if (name === '' || !startsName(buf[lt + 2] as number) || /[\s<]/.test(name)) {
        this.#fail('malformed closing tag', lt);
      }
    }
    if (open === undefined || (this.#virtualRoot && this.#names.length === 1)) {
      this.#fail(`closing tag </${name}> without a matching start tag`, lt);
    }
    if (open !== name) this.#fail(`closing tag </${name}> does not match <${open}>`, lt);
    this.#names.pop();
    if (this.#names.length === 0) this.#rootClosed = true;
    this.#popNode();
    this.#advance(gt + 1);
  }

  #popNode(): void {
    const node = this.#stack.pop();
    if (node !== undefined && this.#stack.length === 0) {
      if (this.options.onElement === undefined) this.#out.push(node);
      else this.options.onElement(node);
      this.#nodes = 0;
    }
  }

  /** Whether a known name is at `at`, whole (the byte after it ends a name). */
  #isNameAt(candidate: KnownName, at: number): boolean {
    const buf = this.#buf;
    const bytes = candidate.bytes;
    const after = at + bytes.length;
    if (after >= buf.length || !endsName(buf[after] as number)) return false;
    for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
    return true;
  }

  #startTag(lt: number): void {
    const buf = this.#buf;
    const len = buf.length;
    if (!startsName(buf[lt + 1] as number)) this.#fail("'<' that does not start a tag", lt);
    let name: string | undefined;
    let i = lt + 1;
    for (const candidate of this.#recentNames) {
      if (this.#isNameAt(candidate, i)) {
        name = candidate.name;
        i += candidate.bytes.length;
        break;
      }
    }
    if (name === undefined) {
      i = lt + 2;
      while (i < len && !endsName(buf[i] as number)) i++;
      if (i >= len) throw NEED_MORE;
      name = this.#string(lt + 1, i);
      this.#recentNames.unshift(known(name));
      if (this.#recentNames.length > RECENT_NAMES) this.#recentNames.pop();
    }
    let memo = this.#tags.get(name);
    if (memo === undefined) {
      memo = { shape: [], prefix: undefined, lastNames: [], lastValues: [] };
      this.#tags.set(name, memo);
    }
    const shape = memo.shape;
    const attrs: Record<string, string> = {};
    const names: string[] = [];
    const values: string[] = [];
    const ends: number[] = [];
    const afterName = i;
    let k = 0;
    const prefix = memo.prefix;
    const fromPrefix =
      prefix !== undefined &&
      i + prefix.len < len &&
      buf.compare(prefix.buf, prefix.start, prefix.start + prefix.len, i, i + prefix.len) === 0;
    if (fromPrefix) {
      for (; k < prefix.names.length; k++) attrs[prefix.names[k] as string] = prefix.values[k] as string;
      i += prefix.len;
    }
    let selfClosing = false;
    for (; ; k++) {
      const wsStart = i;
      while (i < len && isSpace(buf[i] as number)) i++;
      if (i >= len) throw NEED_MORE;
      const c = buf[i] as number;
      if (c === GT) {
        i += 1;
        break;
      }
      if (c === SLASH) {
        if (i + 1 >= len) throw NEED_MORE;
        if (buf[i + 1] !== GT) this.#fail(`'/' inside <${name}>`, i);
        selfClosing = true;
        i += 2;
        break;
      }
      if (i === wsStart) this.#fail(`no whitespace before an attribute in <${name}>`, i);
      if (!startsName(c)) this.#fail(`invalid attribute name in <${name}>`, i);
      const nameStart = i;
      const expected = shape[k];
      let attr: string;
      // Matching the shape means every attribute before this one matched it too (a prefix is part of
      // the shape: it is dropped whenever the shape changes), and a shape is the attribute list of one
      // well-formed tag: no duplicate possible. Off the shape, check and rebuild.
      if (expected !== undefined && this.#isNameAt(expected, i)) {
        attr = expected.name;
        i += expected.bytes.length;
      } else {
        while (i < len && !endsName(buf[i] as number)) i++;
        if (i >= len) throw NEED_MORE;
        attr = this.#string(nameStart, i);
        if (Object.hasOwn(attrs, attr)) this.#fail(`duplicate attribute '${attr}' in <${name}>`, nameStart);
        shape.length = k;
        shape.push(known(attr));
        memo.prefix = undefined;
      }
      while (i < len && isSpace(buf[i] as number)) i++;
      if (i >= len) throw NEED_MORE;
      if (buf[i] !== EQ) this.#fail(`attribute '${attr}' of <${name}> has no value`, nameStart);
      i += 1;
      while (i < len && isSpace(buf[i] as number)) i++;
      if (i >= len) throw NEED_MORE;
      const quote = buf[i] as number;
      if (quote !== DQUOTE && quote !== SQUOTE) {
        this.#fail(`the value of attribute '${attr}' of <${name}> is not quoted`, i);
      }
      const valueStart = i + 1;
      const valueEnd = buf.indexOf(quote, valueStart);
      if (valueEnd === -1) throw NEED_MORE;
      const value = this.#value(valueStart, valueEnd);
      attrs[attr] = value;
      i = valueEnd + 1;
      if (!fromPrefix) {
        names.push(attr);
        values.push(value);
        ends.push(i);
      }
    }
    if (!fromPrefix) this.#learnPrefix(memo, names, values, ends, afterName);
    this.#open(name, attrs, selfClosing, lt);
    this.#advance(i);
  }

  /** The leading attributes this tag shares with the one before it become the next tag's prefix. */
  #learnPrefix(memo: TagMemo, names: string[], values: string[], ends: number[], start: number): void {
    let m = 0;
    while (m < names.length && names[m] === memo.lastNames[m] && values[m] === memo.lastValues[m]) m++;
    memo.prefix =
      m === 0
        ? undefined
        : {
            buf: this.#buf,
            start,
            len: (ends[m - 1] as number) - start,
            names: names.slice(0, m),
            values: values.slice(0, m),
          };
    memo.lastNames = names;
    memo.lastValues = values;
  }

  #value(start: number, end: number): string {
    const value = this.#buf.utf8Slice(start, end);
    return this.#special(start, end) ? this.#attributeValue(value, start) : value;
  }

  /** Whether `#buf[start, end)` holds one of SPECIAL_BYTES, without a byte loop in JavaScript. */
  #special(start: number, end: number): boolean {
    // The nearest of them, when it is still ahead, answers most values with one comparison.
    const nearest = this.#nearestSpecial;
    if (nearest >= start) return nearest < end;
    const next = this.#nextSpecial;
    let min = this.#buf.length;
    for (let j = 0; j < SPECIAL_BYTES.length; j++) {
      let at = next[j] as number;
      if (at < start) {
        at = this.#buf.indexOf(SPECIAL_BYTES[j] as number, start);
        if (at === -1) at = this.#buf.length;
        next[j] = at;
      }
      if (at < min) min = at;
    }
    this.#nearestSpecial = min;
    return min < end;
  }

  /** A value with special bytes, normalised (memoised: exports repeat their escaped device strings). */
  #attributeValue(raw: string, at: number): string {
    const cached = this.#values.get(raw);
    if (cached !== undefined) return cached;
    const value = this.#decoded(normaliseAttributeValue, raw, at);
    if (this.#values.size >= VALUE_CACHE_SIZE) this.#values.clear();
    this.#values.set(raw, value);
    return value;
  }

  #open(name: string, attrs: Record<string, string>, selfClosing: boolean, lt: number): void {
    if (this.#names.length === 0) {
      if (this.#rootClosed) this.#fail(`a second root element <${name}>`, lt);
      this.#sawRoot = true;
      if (this.options.allowFragments && name !== 'HealthData') {
        this.#virtualRoot = true;
        this.#names.push('HealthData');
      } else {
        this.options.onRoot?.(name, attrs);
      }
    }
    const depth = this.#names.length;
    if (depth >= this.limits.maxDepth) this.#fail(`elements nested deeper than ${this.limits.maxDepth}`, lt);
    if (this.#stack.length > 0 || this.options.collect(name, depth)) {
      if (++this.#nodes > this.limits.maxNodesPerElement) {
        this.#fail(
          `<${this.#stack[0]?.name ?? name}> has more than ${this.limits.maxNodesPerElement} elements`,
          lt,
        );
      }
      // Lines are counted up to #pos, which is `lt` here (text before the tag was advanced over).
      const node: XmlNode = {
        name,
        attrs,
        children: [],
        text: '',
        line: this.#line,
        column: this.#base + lt - this.#lineStart + 1,
      };
      this.#stack.at(-1)?.children.push(node);
      this.#stack.push(node);
      if (selfClosing) this.#popNode();
    }
    if (!selfClosing) this.#names.push(name);
    else if (this.#names.length === 0) this.#rootClosed = true;
  }
}

/**
 * Streams an XML document and yields the collected subtrees, in document order, a chunk's worth at a
 * time (an array after every input chunk, empty with `onElement` or when the chunk completed none):
 * memory is bounded by one input chunk plus one collected subtree, whatever the file size.
 */
export async function* streamXml(
  input: AsyncIterable<Uint8Array>,
  options: StreamOptions,
): AsyncGenerator<XmlNode[]> {
  const scanner = new XmlScanner(options, options.limits ?? DEFAULT_LIMITS);
  let bytesRead = 0;
  for await (const chunk of input) {
    bytesRead += chunk.byteLength;
    scanner.feed(chunk);
    options.onBytes?.(bytesRead);
    yield scanner.take();
  }
  scanner.end();
  yield scanner.take();
}
