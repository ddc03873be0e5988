/**
 * Node-only helpers (`@wearlink/sdk/node`): files from disk as upload sources. The client core
 * (`@wearlink/sdk`) has no node: imports and runs in browsers as well.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { WearLink } from './client.ts';
import type { AppleUploadOptions, AppleUploadResult, SizedStream } from './upload.ts';

/** A file as a sized stream, read as it is sent (never whole in memory). */
export async function fileSource(path: string): Promise<SizedStream> {
  const { size } = await stat(path);
  const stream = Readable.toWeb(
    createReadStream(path, { highWaterMark: 256 * 1024 }),
  ) as ReadableStream<Uint8Array>;
  return { stream, size, name: basename(path) };
}

/** Uploads an Apple Health export file (export.zip or export.xml) from disk, with progress. */
export async function uploadAppleExportFile(
  client: WearLink,
  userId: string,
  path: string,
  options: AppleUploadOptions = {},
): Promise<AppleUploadResult> {
  return client.imports.uploadAppleExport(userId, await fileSource(path), options);
}
