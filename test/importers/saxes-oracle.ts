import { SaxesParser, type SaxesTag } from 'saxes';
import {
  DEFAULT_LIMITS,
  ImportFormatError,
  type StreamOptions,
  type XmlNode,
} from '../../src/importers/apple-health/xml-stream.ts';

const MAX_TEXT = 4096;

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
 * The reference parser for the scanner's equivalence test: saxes, a general, spec-following SAX
 * parser, driven the way the importer once used it. Streams an XML document and yields the collected subtrees, in document order, a chunk's worth at a
 * time: memory is bounded by one input chunk plus one collected subtree, whatever the file size.
 * DTDs are never fetched or expanded; a DOCTYPE that declares entities is refused outright (billion
 * laughs, XXE), and an undefined entity reference is a parse error.
 */
export async function* streamXmlWithSaxes(
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
