import { WearLink } from '../../../sdks/typescript/src/index.ts';
import type { TestServer } from '../../support/harness.ts';

/** A fresh developer on `server` and an SDK client with its API key. */
export async function newClient(server: TestServer, baseUrl = server.url) {
  const dev = await server.api.registerDeveloper('SDK');
  return { dev, client: new WearLink({ baseUrl, apiKey: dev.key }) };
}

export async function until(check: () => boolean, timeoutMs = 20_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
