import type { CanonicalWorkout, ColumnarBatch } from '../../health-data/canonical.ts';
import { type ExportFile, openExportFile, type ZipLimits } from './export-file.ts';
import { AppleHealthMapper, dedupeRoute, gpxPoint, type ImportTally } from './mapper.ts';
import { recordLane } from './record-lane.ts';
import { streamXml } from './xml-stream.ts';

export interface ReadOptions {
  path: string;
  /** Canonical items per batch (samples + workouts + sleep intervals). */
  batchSize: number;
  zipLimits?: ZipLimits;
  /** Read plain Records through the fast lane (record-lane.ts); default true. Off: the reference path. */
  fastLane?: boolean;
}

export interface ExportBatch {
  kind: 'batch';
  batch: ColumnarBatch;
  items: number;
  bytesRead: number;
  /** Top-level elements read so far. */
  records: number;
}

export interface ExportEnd {
  kind: 'end';
  file: { kind: 'zip' | 'xml'; xml_name: string; xml_bytes: number };
  tally: ImportTally;
  keptRawElements: AppleHealthMapper['keptRawElements'];
}

export type ExportEvent = { kind: 'opened'; xmlBytes: number } | ExportBatch | ExportEnd;

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

/**
 * The parse stage of an import, free of any database: opens the export (zip or XML), streams its XML,
 * maps every top-level element and yields canonical batches of about `batchSize` items (each with its
 * workouts' GPX routes from the zip attached), then the tally. It runs in a worker thread for large
 * files (parse-worker.ts) and in the caller's thread otherwise.
 */
export async function* readAppleExport(options: ReadOptions): AsyncGenerator<ExportEvent> {
  const file = await openExportFile(options.path, options.zipLimits);
  try {
    yield { kind: 'opened', xmlBytes: file.xmlBytes };
    const mapper = new AppleHealthMapper();
    let bytesRead = 0;
    let records = 0;
    const take = async (): Promise<ExportBatch> => {
      const items = mapper.pending();
      const { batch, routeFiles } = mapper.take();
      await attachRoutes(file, routeFiles, mapper.tally);
      return { kind: 'batch', batch, items, bytesRead, records };
    };
    const xml = await file.openXml();
    const elements = streamXml(xml, {
      collect: (_name, depth) => depth === 1,
      onElement: (node) => {
        mapper.add(node);
        records += 1;
      },
      ...(options.fastLane === false ? {} : { lane: recordLane(mapper, () => (records += 1)) }),
      allowFragments: true,
      onBytes: (n) => {
        bytesRead = n;
      },
      onRoot: (_name, attrs) => {
        mapper.tally.locale = attrs.locale ?? null;
      },
    });
    // Elements reach the mapper during the scan of each chunk; between chunks, full batches go out.
    for await (const _ of elements) {
      if (mapper.pending() >= options.batchSize) yield await take();
    }
    yield await take();
    yield {
      kind: 'end',
      file: { kind: file.kind, xml_name: file.xmlName, xml_bytes: file.xmlBytes },
      tally: mapper.tally,
      keptRawElements: mapper.keptRawElements,
    };
  } finally {
    file.close();
  }
}
