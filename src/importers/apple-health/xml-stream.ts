import { SaxesParser, type SaxesTag } from 'saxes';

/** One element subtree as collected from the stream. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Non-blank text directly inside the element (GPX `<time>`, `<ele>`), capped. */
  text: string;
  line: number;
  column: number;
}

/** A file that cannot be imported, with where in it the problem is. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? message : `line ${line}, column ${column ?? 0}: ${message}`);
  }
}

export interface StreamLimits {
  /** Bytes of markup without any tag boundary: bounds what saxes buffers for one token (attribute, text). */
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

export interface StreamOptions {
  /** Start collecting a subtree at an element for which this is true (depth 0 is the root). */
  collect: (name: string, depth: number) => boolean;
  /**
   * Accept a run of top-level elements without a root (export fragments): they are parsed as if inside
   * `<HealthData>`.
   */
  allowFragments?: boolean;
  onBytes?: (bytesRead: number) => void;
  limits?: StreamLimits;
}

/** First element name in a chunk of markup, skipping the prolog, comments, PIs and the DOCTYPE. */
function firstElementName(head: string): string | undefined {
  const stripped = head
    .replace(/^\uFEFF/, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[\s\S]*?\]\s*>|<!DOCTYPE[^[>]*>/g, '');
  return /<([A-Za-z_][\w.:-]*)/.exec(stripped)?.[1];
}

/**
 * Streams an XML document and yields the collected subtrees, in document order, a chunk's worth at a
 * time: memory is bounded by one input chunk plus one collected subtree, whatever the file size.
 * DTDs are never fetched or expanded; a DOCTYPE that declares entities is refused outright (billion
 * laughs, XXE), and an undefined entity reference is a parse error.
 */
export async function* streamXml(
  input: AsyncIterable<Uint8Array>,
  options: StreamOptions,
): AsyncGenerator<XmlNode[]> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const parser = new SaxesParser({ position: true });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let failure: ImportFormatError | undefined;
  let out: XmlNode[] = [];
  const stack: XmlNode[] = [];
  let depth = 0;
  let nodes = 0;
  let sinceTag = 0;
  let sawRoot = false;

  const fail = (message: string) => {
    failure ??= new ImportFormatError(message, parser.line, parser.column);
  };
  parser.on('error', (error) => {
    // saxes prefixes "line:column: "; keep our own uniform prefix instead.
    failure ??= new ImportFormatError(
      error.message.replace(/^(?:[^:]*:)?\d+:\d+:\s*/, ''),
      parser.line,
      parser.column,
    );
  });
  parser.on('doctype', (text) => {
    if (/<!ENTITY/i.test(text)) fail('DOCTYPE declares entities; refused (entity expansion / XXE)');
  });
  parser.on('opentag', (tag: SaxesTag) => {
    sinceTag = 0;
    sawRoot = true;
    if (depth >= limits.maxDepth) fail(`elements nested deeper than ${limits.maxDepth}`);
    if (stack.length > 0 || options.collect(tag.name, depth)) {
      if (++nodes > limits.maxNodesPerElement) {
        fail(`<${stack[0]?.name ?? tag.name}> has more than ${limits.maxNodesPerElement} elements`);
      }
      const node: XmlNode = {
        name: tag.name,
        attrs: tag.attributes as Record<string, string>,
        children: [],
        text: '',
        line: parser.line,
        column: parser.column,
      };
      stack.at(-1)?.children.push(node);
      stack.push(node);
    }
    if (!tag.isSelfClosing) depth += 1;
  });
  parser.on('closetag', (tag) => {
    sinceTag = 0;
    if (!tag.isSelfClosing) depth -= 1;
    if (stack.length > 0) {
      const node = stack.pop() as XmlNode;
      if (stack.length === 0) {
        out.push(node);
        nodes = 0;
      }
    }
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top !== undefined && top.text.length < MAX_TEXT) {
      const trimmed = text.trim();
      if (trimmed !== '') top.text = (top.text + trimmed).slice(0, MAX_TEXT);
    }
  });

  let bytesRead = 0;
  let started = false;
  let wrapped = false;
  const write = (text: string) => {
    if (failure === undefined) parser.write(text);
  };
  for await (const chunk of input) {
    bytesRead += chunk.byteLength;
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new ImportFormatError(
        `not UTF-8 text (invalid byte sequence within the first ${bytesRead} bytes)`,
      );
    }
    if (!started) {
      started = true;
      const first = firstElementName(text);
      if (options.allowFragments && first !== undefined && first !== 'HealthData') {
        wrapped = true;
        write('<HealthData>');
      }
    }
    write(text);
    sinceTag += chunk.byteLength;
    if (sinceTag > limits.maxTokenBytes) {
      fail(`more than ${limits.maxTokenBytes} bytes without a tag boundary`);
    }
    if (failure !== undefined) throw failure;
    options.onBytes?.(bytesRead);
    if (out.length > 0) {
      const ready = out;
      out = [];
      yield ready;
    }
  }
  try {
    write(decoder.decode());
  } catch {
    throw new ImportFormatError('not UTF-8 text (truncated multi-byte sequence at the end)');
  }
  if (wrapped) write('</HealthData>');
  if (failure === undefined && !sawRoot) fail('no XML element found (is this an Apple Health export?)');
  if (failure === undefined) parser.close();
  if (failure !== undefined) throw failure;
  if (out.length > 0) yield out;
}
