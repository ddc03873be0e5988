import type { Db } from '../../db/database.ts';
import type { CanonicalBatch, CanonicalWorkout } from '../../health-data/canonical.ts';
import { archiveRawPayload } from '../../health-data/raw-payloads.repo.ts';
import { type WriteCounts, writeCanonicalBatch } from '../../ingest/write-batch.ts';
import { type ExportFile, openExportFile, type ZipLimits } from './export-file.ts';
import { AppleHealthMapper, dedupeRoute, gpxPoint, type ImportTally } from './mapper.ts';
import { streamXml } from './xml-stream.ts';

export interface ImportProgress {
  bytes_read: number;
  bytes_total: number;
  /** Top-level elements read so far. */
  records: number;
  items_written: number;
  elapsed_ms: number;
}

export interface ImportTotals {
  samples_inserted: number;
  samples_duplicates: number;
  workouts_inserted: number;
  workouts_updated: number;
  sleep_intervals_inserted: number;
  batches: number;
}

export interface ImportOutcome {
  file: { kind: 'zip' | 'xml'; xml_name: string; xml_bytes: number };
  tally: ImportTally;
  written: ImportTotals;
  kept_raw_payload_id: number | null;
}

export interface ImportOptions {
  db: Db;
  userId: string;
  path: string;
  /** Canonical items per write (samples + workouts + sleep intervals). */
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => Promise<void> | void;
  zipLimits?: ZipLimits;
  /** Parse only: map everything, write nothing (the benchmark's baseline uses streamXml directly). */
  dryRun?: boolean;
}

async function attachRoutes(
  file: ExportFile,
  routeFiles: Map<CanonicalWorkout, string[]>,
  tally: ImportTally,
): Promise<void> {
  for (const [workout, paths] of routeFiles) {
    const points = [...workout.route];
    for (const path of paths) {
      const stream = await file.openRoute(path);
      if (stream === undefined) {
        tally.routes_missing += 1;
        continue;
      }
      for await (const nodes of streamXml(stream, { collect: (name) => name === 'trkpt' })) {
        for (const node of nodes) {
          const point = gpxPoint(node);
          if (point !== undefined) points.push(point);
        }
      }
    }
    tally.route_points -= workout.route.length;
    workout.route = dedupeRoute(points);
    tally.route_points += workout.route.length;
  }
}

function addCounts(totals: ImportTotals, counts: WriteCounts): void {
  totals.samples_inserted += counts.samples.inserted;
  totals.samples_duplicates += counts.samples.duplicates;
  totals.workouts_inserted += counts.workouts.inserted;
  totals.workouts_updated += counts.workouts.updated;
  totals.sleep_intervals_inserted += counts.sleep.intervals_inserted;
  totals.batches += 1;
}

/**
 * Imports one Apple Health export (export.zip or export.xml) for a user: streams the XML, maps each
 * top-level element, writes canonical batches of `batchSize` items with `writeCanonicalBatch` while the
 * next batch is being parsed, and reports progress after every batch. Every write is idempotent, so
 * importing the same export again, or re-running an import that died halfway, ends with exactly the
 * rows of one clean import.
 */
export async function importAppleExport(options: ImportOptions): Promise<ImportOutcome> {
  const { db, userId } = options;
  const batchSize = options.batchSize ?? 10_000;
  const started = performance.now();
  const file = await openExportFile(options.path, options.zipLimits);
  const mapper = new AppleHealthMapper();
  const written: ImportTotals = {
    samples_inserted: 0,
    samples_duplicates: 0,
    workouts_inserted: 0,
    workouts_updated: 0,
    sleep_intervals_inserted: 0,
    batches: 0,
  };
  let bytesRead = 0;
  let records = 0;
  let itemsWritten = 0;
  let inFlight: Promise<void> | undefined;

  const write = async (batch: CanonicalBatch, items: number) => {
    if (!options.dryRun) addCounts(written, await writeCanonicalBatch(db, userId, batch));
    itemsWritten += items;
    await options.onProgress?.({
      bytes_read: bytesRead,
      bytes_total: file.xmlBytes,
      records,
      items_written: itemsWritten,
      elapsed_ms: Math.round(performance.now() - started),
    });
  };
  // One batch is written while the next is parsed: PostgreSQL works in its own process meanwhile.
  const flush = async () => {
    const items = mapper.pending();
    const { batch, routeFiles } = mapper.take();
    await attachRoutes(file, routeFiles, mapper.tally);
    await inFlight;
    inFlight = write(batch, items);
    // Handled here so a failing write is not an unhandled rejection; the next await rethrows it.
    inFlight.catch(() => {});
  };

  try {
    const xml = await file.openXml();
    const elements = streamXml(xml, {
      collect: (_name, depth) => depth === 1,
      allowFragments: true,
      onBytes: (n) => {
        bytesRead = n;
      },
    });
    for await (const nodes of elements) {
      for (const node of nodes) {
        mapper.add(node);
        records += 1;
      }
      if (mapper.pending() >= batchSize) await flush();
    }
    await flush();
    await inFlight;
  } finally {
    // A failed parse must not leave a write running against a run that is being failed.
    await inFlight?.catch(() => {});
    file.close();
  }

  let keptRawPayloadId: number | null = null;
  if (!options.dryRun && (mapper.keptRawElements.length > 0 || mapper.tally.me !== null)) {
    keptRawPayloadId = await archiveRawPayload(db, {
      userId,
      provider: 'apple',
      kind: 'apple_xml_kept_raw',
      contentType: 'application/json',
      body: JSON.stringify({
        export_date: mapper.tally.export_date,
        me: mapper.tally.me,
        elements: mapper.keptRawElements,
      }),
    });
  }
  return {
    file: { kind: file.kind, xml_name: file.xmlName, xml_bytes: file.xmlBytes },
    tally: mapper.tally,
    written,
    kept_raw_payload_id: keptRawPayloadId,
  };
}
