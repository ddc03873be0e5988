import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../src/mcp/tools.ts';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';
import { addMember } from '../team/support.ts';

type ToolText = { content: { type: string; text: string }[]; isError?: boolean };

const today = new Date().toISOString().slice(0, 10);
const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);

/** Arguments for every tool, for one user: each tool is called once per transport. */
function argumentsFor(userId: string): Record<string, Record<string, unknown>> {
  return {
    list_users: { limit: 5 },
    get_daily_summaries: { user_id: userId, start_date: weekAgo, end_date: today },
    get_timeseries: {
      user_id: userId,
      types: 'heart_rate',
      start_time: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      end_time: new Date().toISOString(),
    },
    list_workouts: { user_id: userId, start_date: weekAgo, end_date: today },
    list_sleep: { user_id: userId, start_date: weekAgo, end_date: today },
    get_scores: { user_id: userId, start_date: weekAgo, end_date: today },
    get_energy_balance: { user_id: userId, date_from: weekAgo, date_to: today },
    list_nutrition_logs: { user_id: userId },
    get_connections: { user_id: userId },
    trigger_sync: { user_id: userId, provider: 'sandbox' },
  };
}

const parse = (result: ToolText) => JSON.parse(result.content[0]?.text ?? 'null');

async function exerciseClient(client: Client, userId: string, otherUserId: string) {
  const listed = await client.listTools();
  expect(listed.tools.map((t) => t.name).sort()).toEqual(tools.map((t) => t.name).sort());
  for (const tool of listed.tools) {
    expect(tool.description, tool.name).toBeTruthy();
    expect(tool.inputSchema.type, tool.name).toBe('object');
  }
  const timeseriesSchema = listed.tools.find((t) => t.name === 'get_timeseries')?.inputSchema;
  expect(timeseriesSchema?.required).toEqual(expect.arrayContaining(['user_id', 'start_time', 'end_time']));

  const args = argumentsFor(userId);
  for (const tool of listed.tools) {
    const result = (await client.callTool({ name: tool.name, arguments: args[tool.name] ?? {} })) as ToolText;
    expect(result.isError, `${tool.name}: ${result.content[0]?.text}`).toBeFalsy();
  }
  const users = parse((await client.callTool({ name: 'list_users', arguments: {} })) as ToolText);
  expect(users.users.map((u: { id: string }) => u.id)).toContain(userId);
  expect(users.users.map((u: { id: string }) => u.id)).not.toContain(otherUserId);

  const series = parse(
    (await client.callTool({ name: 'get_timeseries', arguments: args.get_timeseries })) as ToolText,
  );
  expect(series.resolution).toBe('15min'); // 3 days: ~288 buckets
  expect(series.points.length).toBeGreaterThan(0);
  expect(series.summary[0]).toMatchObject({ series_type: 'heart_rate', source: expect.any(String) });
  expect(series.summary[0].min).toBeLessThanOrEqual(series.summary[0].max);

  const connections = parse(
    (await client.callTool({ name: 'get_connections', arguments: { user_id: userId } })) as ToolText,
  );
  expect(connections.connections[0]).toMatchObject({ provider: 'sandbox' });
  expect(connections.connections[0].latest_sync).not.toBeNull();

  // Another tenant's user: refused exactly as the REST API refuses it (404), by every user tool.
  for (const [name, toolArgs] of Object.entries(argumentsFor(otherUserId))) {
    if (name === 'list_users') continue;
    const refused = (await client.callTool({ name, arguments: toolArgs })) as ToolText;
    expect(refused.isError, name).toBe(true);
    expect(refused.content[0]?.text, name).toMatch(/^404: User not found/);
  }
  // Inputs are checked against the routes' schemas.
  const bad = (await client.callTool({
    name: 'get_daily_summaries',
    arguments: { user_id: userId, start_date: today, end_date: weekAgo },
  })) as ToolText;
  expect(bad.isError).toBe(true);
  expect(bad.content[0]?.text).toMatch(/end_date/);
}

describeEachDatabase('MCP server', (getServer: () => TestServer) => {
  let key: string;
  let userId: string;
  let otherUserId: string;
  beforeAll(async () => {
    const { api } = getServer();
    const dev = await api.registerDeveloper('MCP');
    const other = await api.registerDeveloper('Other');
    key = dev.key;
    userId = (await api.createUser(key, { first_name: 'Ada', last_name: 'Agent' })).id;
    otherUserId = (await api.createUser(other.key, { first_name: 'Not', last_name: 'Yours' })).id;
    for (const [devKey, id] of [
      [key, userId],
      [other.key, otherUserId],
    ] as const) {
      const connection = await api.request('POST', `/api/v1/users/${id}/connections`, {
        auth: { key: devKey },
        json: { provider: 'sandbox' },
      });
      expect(connection.status, connection.text).toBe(201);
    }
    const sync = await api.request('POST', `/api/v1/providers/sandbox/users/${userId}/sync`, {
      auth: { key },
    });
    expect(sync.status, sync.text).toBeLessThan(300);
    await waitForRun(api, { key }, userId, sync.body.run_id ?? sync.body.job_id, 60_000);
  }, 120_000);

  it("serves every tool over streamable HTTP, scoped to the caller's tenant", async () => {
    const client = new Client({ name: 'wearlink-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${getServer().url}/api/v1/mcp`), {
        requestInit: { headers: { 'X-WearLink-API-Key': key } },
      }),
    );
    try {
      await exerciseClient(client, userId, otherUserId);
    } finally {
      await client.close();
    }
  }, 120_000);

  it('confines a user-scoped SDK token to its user', async () => {
    const { api, url } = getServer();
    const sibling = (await api.createUser(key, { first_name: 'Sib', last_name: 'Ling' })).id;
    const token = await api.request('POST', `/api/v1/users/${userId}/token`, { auth: { key } });
    expect(token.status, token.text).toBe(200);
    const client = new Client({ name: 'wearlink-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/api/v1/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${token.body.access_token}` } },
      }),
    );
    try {
      const users = parse((await client.callTool({ name: 'list_users', arguments: {} })) as ToolText);
      expect(users.users.map((u: { id: string }) => u.id)).toEqual([userId]);
      const own = (await client.callTool({
        name: 'get_timeseries',
        arguments: argumentsFor(userId).get_timeseries,
      })) as ToolText;
      expect(own.isError, own.content[0]?.text).toBeFalsy();
      for (const other of [sibling, otherUserId]) {
        const refused = (await client.callTool({
          name: 'get_daily_summaries',
          arguments: argumentsFor(other).get_daily_summaries,
        })) as ToolText;
        expect(refused.isError).toBe(true);
        expect(refused.content[0]?.text).toMatch(/^403: This token is scoped to a different user/);
      }
    } finally {
      await client.close();
    }
  }, 120_000);

  it('lets a viewer read through MCP, and refuses it trigger_sync as the REST API does', async () => {
    const { api, url } = getServer();
    const viewer = await addMember(api, key, 'viewer');
    const client = new Client({ name: 'wearlink-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/api/v1/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${viewer.bearer}` } },
      }),
    );
    try {
      const read = (await client.callTool({
        name: 'get_connections',
        arguments: { user_id: userId },
      })) as ToolText;
      expect(read.isError, read.content[0]?.text).toBeFalsy();
      const refused = (await client.callTool({
        name: 'trigger_sync',
        arguments: { user_id: userId, provider: 'sandbox' },
      })) as ToolText;
      expect(refused.isError).toBe(true);
      expect(refused.content[0]?.text).toMatch(/^403: Viewers can only read/);
    } finally {
      await client.close();
    }
  }, 120_000);

  it('refuses the HTTP endpoint without a credential', async () => {
    const res = await fetch(`${getServer().url}/api/v1/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail?: string }).detail).toBeTruthy();
  });

  it('serves every tool over stdio (`wearlink mcp`) against the server by HTTP', async () => {
    const client = new Client({ name: 'wearlink-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['bin/wearlink.mjs', 'mcp'],
        env: { PATH: process.env.PATH ?? '', WEARLINK_URL: getServer().url, WEARLINK_API_KEY: key },
        stderr: 'pipe',
      }),
    );
    try {
      await exerciseClient(client, userId, otherUserId);
    } finally {
      await client.close();
    }
  }, 120_000);
});

describe('wearlink mcp without a key', () => {
  afterAll(() => undefined);
  it('exits 2 naming WEARLINK_API_KEY', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, ['bin/wearlink.mjs', 'mcp'], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      input: '',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('WEARLINK_API_KEY');
  });
});
