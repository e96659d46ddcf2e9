/**
 * The reference of the request-path goal: the MCP SDK's documented stateless Fastify example
 * (@modelcontextprotocol/fastify README, "Streamable HTTP endpoint") serving the service's tool definitions, each
 * with a constant result. No token check, no database: what is left is the SDK's own per-request cost.
 * Prints {"url"} on one line.
 */
import { createMcpFastifyApp } from '@modelcontextprotocol/fastify';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { DOCUMENT_TOOLS } from '../src/mcp/document-tools.js';
import { announce, exitWithParent } from './lifeline.js';
import { constantResults } from './reference-results.js';

const results = constantResults(DOCUMENT_TOOLS);

const app = createMcpFastifyApp();

// From here to the end of the route: the README's example, with the tools registered on each per-request server.
app.post('/mcp', async (request, reply) => {
  const mcpServer = new McpServer({ name: 'reference', version: '1.0.0' });
  for (const tool of DOCUMENT_TOOLS) {
    const result = results.get(tool.name)!;
    mcpServer.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      },
      () => result,
    );
  }
  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await mcpServer.connect(transport);

  reply.raw.on('close', () => {
    transport.close();
    mcpServer.close();
  });

  await transport.handleRequest(request.raw, reply.raw, request.body);
});

async function main(): Promise<void> {
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  exitWithParent(() => app.close());
  announce({ url: `${address}/mcp` });
}

main().catch((error: unknown) => {
  process.stderr.write(`reference server failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
