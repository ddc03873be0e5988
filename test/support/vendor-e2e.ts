import { createServer } from 'node:net';

/**
 * What every vendor end-to-end test needs besides its mock: a port for the WearLink server chosen
 * before it starts (vendor callback and webhook URLs embed it), and polling with a deadline.
 */

/** A free local port (the server's PUBLIC_URL must be known before the server starts). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Polls `check` every 50 ms (a deadline, never a fixed sleep: a loaded machine only waits longer) until it returns a value, or fails naming `what` after `timeoutMs`
 * (`what` may be a function, to describe the state at the time of the failure).
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string | (() => Promise<string>),
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : await what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
