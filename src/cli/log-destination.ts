import type { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';

/**
 * Log output a slow or stalled stdout reader may leave queued in memory; beyond it lines are dropped
 * (and counted) rather than the process growing without bound.
 */
export const MAX_PENDING_LOG_BYTES = 8 * 1024 * 1024;

/**
 * Where `wearlink` commands log: stdout, written through the process's own stream, so that a reader
 * that stops reading or goes away can neither block nor crash the process. pino's default destination
 * (an asynchronous sonic-boom on fd 1) flushes synchronously on exit and retries EAGAIN and EPIPE in a
 * sleeping loop there: a `serve` whose log reader had stalled or exited hung in `process.exit` for good
 * (issue 15, finding 10). Here a pipe nobody reads only queues (up to MAX_PENDING_LOG_BYTES), a closed
 * one (EPIPE) ends logging, and exiting never waits for either.
 */
export function stdoutDestination(out: Writable = process.stdout): DestinationStream {
  let closed = false;
  let dropped = 0;
  // Without a listener, an EPIPE on stdout is an uncaught exception.
  out.on('error', () => {
    closed = true;
  });
  return {
    write(line: string) {
      if (closed || out.destroyed) return;
      if (out.writableLength > MAX_PENDING_LOG_BYTES) {
        dropped += 1;
        return;
      }
      if (dropped > 0) {
        out.write(
          `${JSON.stringify({ level: 40, time: Date.now(), service: 'wearlink', dropped, msg: 'log lines dropped: stdout was not being read' })}\n`,
        );
        dropped = 0;
      }
      out.write(line);
    },
  };
}
