import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { createMcpServer, httpCaller } from './server.ts';

/**
 * `wearlink mcp` is a client of a WearLink (this one or any other), not a WearLink: it reads only these
 * two variables, not the server's configuration (src/config/config.ts).
 */
const McpClientEnv = z.object({
  WEARLINK_URL: z
    .url({ error: 'WEARLINK_URL must be a URL, e.g. http://127.0.0.1:8000' })
    .default('http://127.0.0.1:8000'),
  WEARLINK_API_KEY: z
    .string({ error: 'WEARLINK_API_KEY is required: an API key of your WearLink account' })
    .trim()
    .min(1, 'WEARLINK_API_KEY is required: an API key of your WearLink account'),
});

/** Serves MCP on stdin/stdout until stdin closes; diagnostics go to stderr (stdout carries JSON-RPC). */
export async function serveMcpOverStdio(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = McpClientEnv.safeParse({
    WEARLINK_URL: env.WEARLINK_URL || undefined,
    WEARLINK_API_KEY: env.WEARLINK_API_KEY,
  });
  if (!parsed.success) {
    process.stderr.write(`wearlink mcp: ${parsed.error.issues.map((i) => i.message).join('; ')}\n`);
    return 2;
  }
  const { WEARLINK_URL, WEARLINK_API_KEY } = parsed.data;
  const server = createMcpServer(httpCaller(WEARLINK_URL, { apiKey: WEARLINK_API_KEY }), {});
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  process.stderr.write(`wearlink mcp: serving tools for ${WEARLINK_URL} on stdio\n`);
  await closed;
  await server.close();
  return 0;
}
