import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnarBatch } from '../../src/health-data/canonical.ts';
import { AppleHealthMapper } from '../../src/importers/apple-health/mapper.ts';
import { plainDecimal, recordLane } from '../../src/importers/apple-health/record-lane.ts';
import { streamXml } from '../../src/importers/apple-health/xml-stream.ts';
import { offsetOfZone } from '../../src/ingest/time.ts';
import { IOS8_EXPORT, SYNTHETIC_EXPORT } from './synthetic-export.ts';

/**
 * The import's fast lane for Records against the scanner's general path as the oracle: with and without
 * the lane, every file must map to the same batches, tally and raw elements (or fail with the same
 * error), whatever the chunk size, so every record also lands on a chunk boundary somewhere.
 */

async function* chunks(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** A batch's items with their sources resolved: what was mapped, whatever the batch boundaries. */
function items(batch: ColumnarBatch) {
  const withSource = <T extends { source: number }>(item: T) => ({
    ...item,
    source: batch.sources[item.source],
  });
  const c = batch.samples;
  const samples = Array.from({ length: c.length }, (_, i) => ({
    source: c.source[i] as number,
    seriesTypeId: c.seriesTypeId[i],
    startMs: c.startMs[i],
    durationMs: c.durationMs[i],
    value: c.value[i],
    utcOffsetMin: c.utcOffsetMin[i],
  }));
  return [...samples.map(withSource), ...batch.sleep.map(withSource), ...batch.workouts.map(withSource)];
}

async function mapExport(data: Buffer, size: number, withLane: boolean) {
  const mapper = new AppleHealthMapper();
  const mapped: unknown[] = [];
  let records = 0;
  let taken = 0;
  try {
    const elements = streamXml(chunks(data, size), {
      collect: (_name, depth) => depth === 1,
      allowFragments: true,
      onElement: (node) => {
        mapper.add(node);
        records += 1;
      },
      ...(withLane ? { lane: recordLane(mapper, () => (taken += 1)) } : {}),
    });
    for await (const _ of elements) if (mapper.pending() >= 50) mapped.push(...items(mapper.take().batch));
  } catch (error) {
    return { error: String(error), taken };
  }
  mapped.push(...items(mapper.take().batch));
  return {
    result: { records: records + taken, mapped, tally: mapper.tally, kept: mapper.keptRawElements },
    taken,
  };
}

/** Batches end after whole chunks: the oracle reads the same chunks (sources are per batch). */
async function expectSame(data: Buffer, sizes: number[]): Promise<number> {
  let taken = 0;
  for (const size of sizes) {
    const oracle = await mapExport(data, size, false);
    const laned = await mapExport(data, size, true);
    if ('error' in oracle) expect(laned, `chunks of ${size}`).toMatchObject({ error: oracle.error });
    else expect(laned.result, `chunks of ${size}`).toEqual(oracle.result);
    taken = Math.max(taken, laned.taken);
  }
  return taken;
}

const wrap = (records: string) =>
  Buffer.from(`<?xml version="1.0"?>\n<HealthData locale="en_US">\n${records}\n</HealthData>\n`);
const dev = 'device="&lt;&lt;HKDevice: 0x1&gt;, name:Apple Watch, model:Watch&gt;"';
const at = (h: number) => `2024-03-01 ${String(h).padStart(2, '0')}:00:00 +0100`;
const hr = (attrs: string, body = '') =>
  ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W" ${dev} unit="count/min" ${attrs}${body === '' ? '/>' : `>${body}</Record>`}`;

describe('record fast lane', () => {
  it('maps the synthetic exports exactly as the general path does, split at every chunk size from 1 to 64', async () => {
    const sizes = Array.from({ length: 64 }, (_, i) => i + 1);
    expect(await expectSame(Buffer.from(SYNTHETIC_EXPORT), sizes)).toBeGreaterThan(10);
    await expectSame(Buffer.from(IOS8_EXPORT), sizes);
  });

  it('takes plain records and leaves every other shape to the general path, with the same result', async () => {
    const plain = hr(`startDate="${at(1)}" endDate="${at(1)}" value="61"`);
    const shapes = [
      plain,
      hr(
        `creationDate="${at(2)}" startDate="${at(2)}" endDate="${at(2)}" value="62"`,
        '\n  <MetadataEntry key="HKTimeZone" value="Asia/Tokyo"/>\n ',
      ),
      hr(
        `startDate="${at(3)}" value="63"`,
        '<MetadataEntry key="a" value="1"/><MetadataEntry key="HKTimeZone" value="Europe/Paris"/><MetadataEntry key="HKTimeZone" value="Asia/Tokyo"/>',
      ),
      hr(`startDate='${at(4)}' endDate="${at(4)}" value="64"`),
      hr(`startDate = "${at(5)}" value="65"`),
      hr(`startDate="${at(6)}"\n\tendDate="${at(6)}"   value="66"  `),
      hr(`startDate="${at(7)}" value="67" extra="x"`),
      hr(`startDate="${at(8)}" value="6&#56;"`),
      hr(`startDate="${at(9)}" value=" 69 "`),
      hr(`startDate="${at(10)}" value="7O"`),
      hr(`startDate="${at(11)}" value="71"`, '<!-- note -->'),
      hr(`startDate="${at(12)}" value="72"`, 'text'),
      hr(`startDate="${at(13)}" value="73"`, '<MetadataEntry key="k" value="a&amp;b"/>'),
      hr(`startDate="${at(14)}" value="74"`, '<MetadataEntry value="v" key="HKTimeZone"/>'),
      hr(
        `startDate="${at(15)}" value="75"`,
        '<MetadataEntry key="HKTimeZone" value="Europe/Berlin"></MetadataEntry>',
      ),
      hr(`startDate="2024-03-01T16:00:00Z" value="76"`),
      hr(`startDate="${at(17)}" endDate="${at(16)}" value="77"`),
      hr(`startDate="${at(18)}" value="78"`, '\n ').replace('</Record>', '</Record >'),
      ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="W" startDate="${at(19)}" endDate="${at(20)}" value="HKCategoryValueSleepAnalysisAsleepCore"/>`,
      ` <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Anna\u2019s iPhone" unit="count" startDate="${at(21)}" endDate="${at(22)}" value="800"/>`,
      ` <Record type="HKQuantityTypeIdentifierNoSuchType" sourceName="W" startDate="${at(21)}" value="1"/>`,
      ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W" unit="furlongs" startDate="${at(22)}" value="1"/>`,
      ` <Record type="HKQuantityTypeIdentifierHeartRate" source="W" unit="count/min" startDate="${at(23)}" value="1"/>`,
      ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W" unit="count/min" startDate="${at(23)}" value="1"/>`,
    ];
    const taken = await expectSame(wrap(shapes.join('\n')), [1, 2, 7, 13, 50, 64 * 1024]);
    expect(taken).toBeGreaterThanOrEqual(6);
    expect(taken).toBeLessThan(shapes.length - 10);
  });

  it('refuses malformed records so that they fail as the general path makes them fail', async () => {
    const malformed = [
      hr(`startDate="${at(1)}" startDate="${at(1)}" value="1"`),
      hr(`startDate="${at(1)}" creationDate="&bogus;" value="1"`),
      hr(`startDate="${at(1)}" value="1<"`),
      hr(`startDate="${at(1)}"value="1"`),
      hr(`startDate="${at(1)}" value="1"`, '<MetadataEntry key="HKTimeZone" value="a<b"/>'),
      hr(`startDate="${at(1)}" value="1"`, '<MetadataEntry key="HKTimeZone" value="x"/></Recorx>'),
      ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="&#1;" startDate="${at(1)}" value="1"/>`,
      // Issue 15 #1: characters XML forbids, in the attributes and children the lane reads itself.
      ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W\u0000" startDate="${at(1)}" value="1"/>`,
      hr(`startDate="${at(1)}" value="1"`, '<MetadataEntry key="k\u0000" value="v"/>'),
      hr(`startDate="${at(1)}" value="1"`, '<MetadataEntry key="k" value="\u0007"/>'),
      hr(`startDate="${at(1)}" value="1\uffff"`),
    ];
    for (const record of malformed) {
      expect(await mapExport(wrap(record), 64 * 1024, false), record).toHaveProperty('error');
      await expectSame(wrap(record), [1, 5, 64 * 1024]);
      if (['\u0000', '\u0007', '\uffff'].some((c) => record.includes(c))) {
        const { error, taken } = await mapExport(wrap(record), 64 * 1024, true);
        expect(error, record).toMatch(/line \d+, column \d+: forbidden/);
        expect(taken).toBe(0);
      }
    }
  });

  it('reads plain decimals exactly as Number does, and leaves every other form to it', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const samples = [
      '0',
      '-0',
      '007',
      '1.',
      '.5',
      '-',
      '',
      '1e3',
      '+1',
      ' 1',
      '0.1',
      '123456789012345',
      '1234567890123456',
    ];
    for (let i = 0; i < 20_000; i++) {
      const int = String(rand(10 ** (1 + rand(9))));
      const frac = rand(3) === 0 ? '' : `.${String(rand(10 ** (1 + rand(7)))).padStart(1 + rand(7), '0')}`;
      samples.push(`${rand(4) === 0 ? '-' : ''}${int}${frac}`);
    }
    for (const text of samples) {
      const fast = plainDecimal(Buffer.from(text), 0, text.length);
      if (fast !== undefined) expect(Object.is(fast, Number(text)), text).toBe(true);
      else
        expect(/^-?\d{1,15}(\.\d+)?$/.test(text) && text.replace(/\D/g, '').length <= 15, text).toBe(false);
    }
  });

  it('gives HKTimeZone records the offset of their instant, on DST transition days too', async () => {
    const zone = '<MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>';
    const starts: string[] = [];
    for (const day of ['2024-03-31', '2024-10-27', '2024-06-01']) {
      for (let h = 0; h < 24; h += 1) starts.push(`${day} ${String(h).padStart(2, '0')}:30:00 +0000`);
    }
    const doc = wrap(starts.map((s, i) => hr(`startDate="${s}" value="${60 + (i % 50)}"`, zone)).join('\n'));
    const mapped = await mapExport(doc, 4096, true);
    if (!('result' in mapped)) throw new Error(mapped.error);
    expect(mapped.taken).toBeGreaterThan(starts.length / 2); // records cut by a chunk end go the general way
    const offsets = (mapped.result.mapped as { startMs: number; utcOffsetMin: number }[]).map((m) => [
      m.startMs,
      m.utcOffsetMin,
    ]);
    expect(offsets).toEqual(offsets.map(([ms]) => [ms, offsetOfZone('Europe/Berlin', ms as number)]));
    expect(new Set(offsets.map(([, o]) => o))).toEqual(new Set([60, 120]));
  });

  const referenceDir = join(import.meta.dirname, '../../../shared/reference/apple-health');
  const referenceFiles = existsSync(referenceDir)
    ? (function walk(d: string): string[] {
        return readdirSync(d).flatMap((n) => {
          const p = join(d, n);
          return statSync(p).isDirectory()
            ? walk(p)
            : p.endsWith('.xml') && !p.endsWith('_cda.xml')
              ? [p]
              : [];
        });
      })(referenceDir)
    : [];
  it.skipIf(referenceFiles.length === 0)(
    `maps every reference export as the general path does${referenceFiles.length === 0 ? ' (skipped: ../shared/reference/apple-health is absent)' : ''}`,
    async () => {
      let taken = 0;
      for (const path of referenceFiles) {
        const data = readFileSync(path);
        const name = relative(referenceDir, path);
        taken += await expectSame(data, [997, 64 * 1024 + 3]).catch((error: Error) => {
          throw new Error(`${name}: ${error.message}`);
        });
      }
      expect(taken).toBeGreaterThan(1000);
    },
    120_000,
  );
});
