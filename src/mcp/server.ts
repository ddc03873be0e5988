import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { API_VERSION } from '../http/version.ts';
import { type ApiCaller, runTool, type ToolScope, tools } from './tools.ts';

const INSTRUCTIONS = [
  "WearLink holds wearable health data (Garmin, Oura, Fitbit, WHOOP, Polar, Strava, Withings, Apple Health…) of the developer's users.",
  'Start with list_users (q finds by name, email or external_id), then read one user: get_daily_summaries for an overview,',
  'get_timeseries for detail (it picks a resolution for the range), list_workouts, list_sleep, get_scores, get_energy_balance,',
  'list_nutrition_logs. get_connections shows which providers are connected and how their syncs went; trigger_sync starts one.',
  'Results give a summary first; pass next_cursor to get more.',
].join(' ');

/**
 * An MCP server over WearLink's tools, for one caller: `call` reaches the REST API as that caller, and
 * `scope` narrows a user-scoped credential to its user.
 *
 * @example
 *   const server = createMcpServer(httpCaller('http://127.0.0.1:8000', apiKey), {});
 *   await server.connect(new StdioServerTransport());
 */
export function createMcpServer(call: ApiCaller, scope: ToolScope): McpServer {
  const server = new McpServer({ name: 'wearlink', version: API_VERSION }, { instructions: INSTRUCTIONS });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.readOnly, openWorldHint: false },
      },
      async (args: Record<string, unknown>) => {
        const result = await runTool(tool, args, call, scope);
        return result.ok
          ? { content: [{ type: 'text' as const, text: JSON.stringify(result.value) }] }
          : { isError: true, content: [{ type: 'text' as const, text: result.message }] };
      },
    );
  }
  return server;
}

/** REST over HTTP with an API key (or a bearer token): what `wearlink mcp` uses. */
export function httpCaller(baseUrl: string, credential: { apiKey: string } | { bearer: string }): ApiCaller {
  const base = baseUrl.replace(/\/+$/, '');
  const auth: Record<string, string> =
    'apiKey' in credential
      ? { 'x-wearlink-api-key': credential.apiKey }
      : { authorization: `Bearer ${credential.bearer}` };
  return async ({ method, path, query, body }) => {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const init: RequestInit = { method, headers: { accept: 'application/json', ...auth } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // a non-JSON answer (a proxy's error page) is passed on as text
    }
    return { status: response.status, body: parsed };
  };
}
