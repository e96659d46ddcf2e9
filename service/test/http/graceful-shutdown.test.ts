import type { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonRpcCall } from '../helpers/json-rpc-call.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

const SLOW_MS = 600;

/** A test-only tool that holds its request open, standing in for a slow query during a rollout. */
function registerSlowTool(server: McpServer): void {
  server.registerTool('slow_echo', { inputSchema: z.object({ text: z.string() }) }, async ({ text }) => {
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    return { content: [{ type: 'text', text }] };
  });
}

describe('graceful shutdown', () => {
  let target: ServiceUnderTest;

  beforeAll(async () => {
    target = await startServiceUnderTest({ backend: 'embedded', registerExtras: registerSlowTool });
  });
  afterAll(async () => {
    await target?.database.close();
    await target?.issuer.close();
  });

  it('finishes in-flight requests before it stops, then refuses new connections', async () => {
    const token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
    const inFlight = jsonRpcCall(target.mcpUrl, token, 'tools/call', {
      name: 'slow_echo',
      arguments: { text: 'done' },
    });
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS / 3));

    const stopped = target.service.stop();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.result).toMatchObject({ content: [{ type: 'text', text: 'done' }] });
    await stopped;
    await expect(rawRequest(`${target.baseUrl}/health`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
