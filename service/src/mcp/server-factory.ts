import { McpServer, type McpServerFactory, type ServerOptions } from '@modelcontextprotocol/server';
import { registerDocumentResource } from './document-resource.js';
import { DOCUMENT_TOOLS } from './document-tools.js';
import { executeTool, type ToolDependencies } from './execute-tool.js';
import { listedInputSchema, listedOutputSchema } from './listed-input-schema.js';

export const SERVER_INFO = { name: 'secure-mcp-documents', version: '0.1.0' } as const;

const INSTRUCTIONS =
  'Enterprise documents of your tenant. Use search_documents to find, get_document to read, ' +
  'list_documents to browse; writes need the mcp:write scope and deletes mcp:admin.';

export interface McpServerFactoryOptions extends ToolDependencies {
  /** Test-only additions (the conformance suite's fixtures); production never passes it. */
  registerExtras?: (server: McpServer) => void;
  /**
   * Integrity check of 2026-07-28 multi-round-trip state. Our tools never return input_required, so production
   * needs none; the conformance fixtures do, and pass their HMAC codec's verify.
   */
  requestState?: ServerOptions['requestState'];
}

/**
 * A fresh server per request (the SDK refuses to share one across requests); everything costly to
 * build — schemas, the pool, the tool table — is built once and shared.
 */
export function createMcpServerFactory(options: McpServerFactoryOptions): McpServerFactory {
  const deps: ToolDependencies = {
    pool: options.pool,
    logger: options.logger,
    work: options.work,
    telemetry: options.telemetry,
  };
  // Built once: every request's server registers the same definitions, their JSON Schemas converted once.
  const tools = DOCUMENT_TOOLS.map((tool) => ({
    tool,
    config: {
      title: tool.title,
      description: tool.description,
      inputSchema: listedInputSchema(tool.inputSchema),
      outputSchema: listedOutputSchema(tool.outputSchema),
      annotations: tool.annotations,
    },
  }));
  return () => {
    const server = new McpServer(SERVER_INFO, {
      instructions: INSTRUCTIONS,
      // Stateless: a server lives for one request, so a list_changed notification could never reach anyone.
      capabilities: { logging: {}, tools: { listChanged: false }, resources: { listChanged: false } },
      requestState: options.requestState,
    });
    for (const { tool, config } of tools) {
      server.registerTool(tool.name, config, (input, ctx) => executeTool(tool, input, ctx.http?.authInfo, deps));
    }
    registerDocumentResource(server, deps);
    options.registerExtras?.(server);
    return server;
  };
}
