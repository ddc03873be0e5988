import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type StreamOptions, streamXml, type XmlNode } from '../../src/importers/apple-health/xml-stream.ts';
import { streamXmlWithSaxes } from './saxes-oracle.ts';
import { IOS8_EXPORT, SYNTHETIC_EXPORT, SYNTHETIC_GPX } from './synthetic-export.ts';

/**
 * The importer's scanner against saxes, a general spec-following parser, as the oracle: on every file
 * both must yield the same subtrees (names, attributes, text, children), and both must refuse the
 * malformed ones. Chunk sizes down to one byte put every token on a chunk boundary somewhere.
 */

type Plain = { name: string; attrs: Record<string, string>; text: string; children: Plain[] };
const plain = (n: XmlNode): Plain => ({
  name: n.name,
  attrs: { ...n.attrs },
  text: n.text,
  children: n.children.map(plain),
});

async function* chunks(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

type Parser = typeof streamXml;
async function collect(parser: Parser, data: Buffer, size: number, options: StreamOptions) {
  const out: Plain[] = [];
  for await (const nodes of parser(chunks(data, size), options)) out.push(...nodes.map(plain));
  return out;
}

const apple: StreamOptions = { collect: (_name, depth) => depth === 1, allowFragments: true };
const gpx: StreamOptions = { collect: (name) => name === 'trkpt' };

async function expectSame(data: Buffer, options: StreamOptions, sizes: number[]) {
  const expected = await collect(streamXmlWithSaxes, data, 64 * 1024, options);
  expect(expected.length).toBeGreaterThan(0);
  for (const size of sizes) {
    expect(await collect(streamXml, data, size, options)).toEqual(expected);
  }
}

describe('XML scanner', () => {
  it('yields what saxes yields on the synthetic exports, split at every chunk size from 1 to 64', async () => {
    const sizes = Array.from({ length: 64 }, (_, i) => i + 1);
    await expectSame(Buffer.from(SYNTHETIC_EXPORT), apple, sizes);
    await expectSame(Buffer.from(IOS8_EXPORT), apple, sizes);
    await expectSame(Buffer.from(SYNTHETIC_GPX), gpx, sizes);
  });

  it('decodes references and normalises attribute values as XML requires', async () => {
    const doc = Buffer.from(
      '<?xml version="1.0"?>\n<!-- c --><HealthData a="x&#x9;y&#10;z\tw\r\nv" b=\'&quot;&apos;&lt;&gt;&amp;\'>' +
        '<R k="caf\u00e9 &#233; &#x1F600;"><![CDATA[<raw>]]></R><S>t &amp; u<!-- x --> v</S></HealthData>',
    );
    const nodes = await collect(streamXml, doc, 5, { collect: (_n, depth) => depth <= 1 });
    expect(nodes[0]?.attrs).toEqual({ a: 'x\ty\nz w v', b: `"'<>&` });
    expect(nodes[0]?.children[0]).toMatchObject({ attrs: { k: 'café é 😀' }, text: '<raw>' });
    expect(nodes[0]?.children[1]?.text).toBe('t & uv');
    // saxes' CDATA goes to another event than text, which the oracle does not listen to.
    const noCdata = Buffer.from(doc.toString().replace('<![CDATA[<raw>]]>', ''));
    await expectSame(noCdata, { collect: (_n, depth) => depth <= 1 }, [1, 3, 7, 1000]);
  });

  const malformed: [string, string, RegExp][] = [
    [
      'a space in an attribute name',
      '<HealthData>\n <R a b="1"/></HealthData>',
      /line 2, column 5: .*'a'.*no value/,
    ],
    ['an unquoted value', '<HealthData><R a=1/></HealthData>', /line 1, column 18: .*not quoted/],
    ['mismatched tags', '<HealthData><R></S></HealthData>', /line 1, column 16: .*<\/S>.*<R>/],
    ['a duplicate attribute', '<HealthData a="1" a="2"/>', /duplicate attribute 'a'/],
    ['an undefined entity', '<HealthData a="&nbsp;"/>', /undefined entity &nbsp;/],
    ['a bare ampersand', '<HealthData>a & b</HealthData>', /'&'/],
    ['a < in a value', '<HealthData a="<"/>', /'<' inside an attribute value/],
    ['an unclosed root', '<HealthData><R/>', /<HealthData> is not closed/],
    ['a second root', '<HealthData/><HealthData/>', /second root/],
    ['text outside the root', 'hello <HealthData/>', /text before the root/],
    ['a forbidden control character', '<HealthData>a\u0001</HealthData>', /forbidden control character/],
    ['a bad character reference', '<HealthData a="&#0;"/>', /forbids/],
    // Issue 15 #1: a NUL anywhere, values and names included, is not XML (and PostgreSQL cannot store it).
    [
      'a NUL in an attribute value',
      '<HealthData>\n <Record sourceName="Wat\u0000ch"/></HealthData>',
      /line 2, column 25: forbidden character U\+0000/,
    ],
    ['a NUL in a name', '<HealthData><Rec\u0000ord/></HealthData>', /line 1, column 17: .*U\+0000/],
    ['a NUL in a comment', '<HealthData><!-- \u0000 --></HealthData>', /U\+0000/],
    ['a NUL in the DOCTYPE', '<!DOCTYPE H \u0000><HealthData/>', /U\+0000/],
    ['a NUL after the root', '<HealthData/>\u0000', /line 1, column 14: .*U\+0000/],
    [
      'a control character in a value',
      '<HealthData a="x\u001by"/>',
      /column 17: forbidden control character U\+001B/,
    ],
    ['U+FFFE', '<HealthData a="x\ufffe"/>', /column 17: forbidden character U\+FFFE/],
    ['U+FFFF in text', '<HealthData>\uffff</HealthData>', /U\+FFFF/],
    [
      'a lone surrogate (as CESU bytes)',
      Buffer.from([...Buffer.from('<H a="'), 0xed, 0xa0, 0x80, ...Buffer.from('"/>')]).toString('latin1'),
      /not UTF-8/,
    ],
    [
      'an earlier problem before a NUL (the first one is reported)',
      '<HealthData><R a=1/>\u0000</HealthData>',
      /not quoted/,
    ],
    ['an entity declaration', '<!DOCTYPE H [<!ENTITY a "x">]><H/>', /DOCTYPE declares entities/],
    ['a late XML declaration', '<HealthData/><?xml version="1.0"?>', /XML declaration/],
    ['a cut tag', '<HealthData><Record type="x', /end of file inside markup/],
    ['no element at all', '   ', /no XML element/],
  ];
  for (const [what, doc, message] of malformed) {
    it(`refuses ${what}, saying where`, async () => {
      const data = Buffer.from(doc, what.includes('surrogate') ? 'latin1' : 'utf8');
      for (const size of [1, 4, 1000]) {
        await expect(collect(streamXml, data, size, { collect: () => true })).rejects.toThrow(message);
      }
      await expect(collect(streamXmlWithSaxes, data, 1000, { collect: () => true })).rejects.toThrow();
    });
  }

  it('bounds what one unfinished token may buffer', async () => {
    const data = Buffer.from(`<HealthData a="${'x'.repeat(5000)}"/>`);
    const limits = { maxTokenBytes: 1000, maxNodesPerElement: 10, maxDepth: 8 };
    await expect(collect(streamXml, data, 100, { collect: () => true, limits })).rejects.toThrow(
      /more than 1000 bytes without a tag boundary/,
    );
  });
});

const referenceDir = join(import.meta.dirname, '../../../shared/reference/apple-health');
const referenceFiles = existsSync(referenceDir)
  ? (function walk(d: string): string[] {
      return readdirSync(d).flatMap((n) => {
        const p = join(d, n);
        return statSync(p).isDirectory() ? walk(p) : /\.(xml|gpx)$/.test(p) ? [p] : [];
      });
    })(referenceDir)
  : [];

describe.skipIf(referenceFiles.length === 0)(
  `XML scanner on the reference corpus${referenceFiles.length === 0 ? ' (skipped: ../shared/reference/apple-health is absent)' : ''}`,
  () => {
    for (const path of referenceFiles) {
      const name = relative(referenceDir, path);
      it(`${name}: the same subtrees as saxes`, async () => {
        const data = readFileSync(path);
        // CDA documents are not HealthData: no fragment wrapping there.
        const options = name.endsWith('.gpx')
          ? gpx
          : name.endsWith('_cda.xml')
            ? { collect: (_n: string, depth: number) => depth === 1 }
            : apple;
        if (name.endsWith('Exportieren.xml')) {
          // Not well-formed (attribute names with spaces): both refuse, the scanner at the same line.
          await expect(collect(streamXmlWithSaxes, data, 64 * 1024, options)).rejects.toThrow(/line 5/);
          await expect(collect(streamXml, data, 64 * 1024, options)).rejects.toThrow(/line 5, column \d+/);
          return;
        }
        await expectSame(data, options, [64 * 1024, 4093]);
      });
    }
  },
);
