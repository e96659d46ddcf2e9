import type { McpServer } from '@modelcontextprotocol/server';
import type { Pool } from 'pg';
import { z } from 'zod';
import { MCP_SCOPES } from '../../src/contract.js';
import { InFlightWork } from '../../src/http/in-flight-work.js';
import { executeTool, type ToolLogger } from '../../src/mcp/execute-tool.js';
import { succeeded, type ToolDefinition } from '../../src/mcp/tool-definition.js';

export const SLOW_READ_TOOL = 'slow_read';

/** Per tenant: how many slow reads hold a connection right now, and the most there ever were at once. */
export class TenantConcurrency {
  readonly #current = new Map<string, number>();
  readonly #peak = new Map<string, number>();

  enter(tenant: string): void {
    const now = (this.#current.get(tenant) ?? 0) + 1;
    this.#current.set(tenant, now);
    this.#peak.set(tenant, Math.max(now, this.#peak.get(tenant) ?? 0));
  }

  leave(tenant: string): void {
    this.#current.set(tenant, (this.#current.get(tenant) ?? 1) - 1);
  }

  current(tenant: string): number {
    return this.#current.get(tenant) ?? 0;
  }

  peak(tenant: string): number {
    return this.#peak.get(tenant) ?? 0;
  }
}

const inputSchema = z.object({ seconds: z.number().min(0).max(5) });
const outputSchema = z.object({ tenant: z.string() });

/**
 * A test-only tool that holds its tenant transaction (and its pooled connection) for a while with pg_sleep: a slow
 * query standing in for a heavy search. It runs through the production executeTool (audit, error mapping), so a
 * fault hitting it answers exactly as a real tool would.
 */
export function slowReadTool(concurrency: TenantConcurrency): ToolDefinition<typeof inputSchema, typeof outputSchema> {
  return {
    name: SLOW_READ_TOOL,
    title: 'Slow read (test only)',
    description: 'Sleeps in the database inside the tenant transaction.',
    scope: MCP_SCOPES.read,
    inputSchema,
    outputSchema,
    annotations: { readOnlyHint: true },
    async run(input, { client, tenant }) {
      concurrency.enter(tenant.tenantId);
      try {
        await client.query('SELECT pg_sleep($1)', [input.seconds]);
        return succeeded({ tenant: tenant.tenantId }, []);
      } finally {
        concurrency.leave(tenant.tenantId);
      }
    },
  };
}

/** registerExtras for startServiceUnderTest: the pool is the service's own, known once it has started. */
export function registerSlowReadTool(options: {
  pool: () => Pool;
  concurrency: TenantConcurrency;
  logger?: ToolLogger;
}): (server: McpServer) => void {
  const tool = slowReadTool(options.concurrency);
  const work = new InFlightWork();
  const logger = options.logger ?? { error: () => {} };
  return (server) => {
    server.registerTool(tool.name, { inputSchema: tool.inputSchema, outputSchema: tool.outputSchema }, (input, ctx) =>
      executeTool(tool, input as Record<string, unknown>, ctx.http?.authInfo, { pool: options.pool(), logger, work }),
    );
  };
}
