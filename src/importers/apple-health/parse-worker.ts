import { parentPort, workerData } from 'node:worker_threads';
import { sampleColumnBuffers } from '../../health-data/canonical.ts';
import { type ExportEvent, type ReadOptions, readAppleExport } from './read-export.ts';
import { ImportFormatError } from './xml-stream.ts';

/**
 * Worker-thread side of a large import: runs the parse stage and posts its events to the importing
 * thread, at most `ahead` of them unconsumed (each consumption sends a credit back), so a slow
 * database holds parsing back instead of letting batches pile up in memory.
 */
export interface ParseWorkerData {
  options: ReadOptions;
  ahead: number;
}

export type ParseWorkerMessage =
  | { type: 'event'; event: ExportEvent }
  | { type: 'error'; name: string; message: string; line?: number; column?: number };

const port = parentPort;
if (port === null) throw new Error('parse-worker.ts must run in a worker thread');
const { options, ahead } = workerData as ParseWorkerData;

let credits = ahead;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits += 1;
  wake?.();
});

try {
  for await (const event of readAppleExport(options)) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits -= 1;
    // A batch's sample columns are transferred, not copied, to the importing thread.
    const transfer = event.kind === 'batch' ? sampleColumnBuffers(event.batch.samples) : [];
    port.postMessage({ type: 'event', event } satisfies ParseWorkerMessage, transfer);
  }
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  port.postMessage({
    type: 'error',
    name: e.name,
    message: e instanceof ImportFormatError ? e.detail : e.message,
    ...(e instanceof ImportFormatError && e.line !== undefined
      ? { line: e.line, column: e.column ?? 0 }
      : {}),
  } satisfies ParseWorkerMessage);
}
// Let the thread end once the last message is out (the credit listener would keep it alive).
port.unref();
