import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import { MCP_SCOPES } from '../contract.js';
import { getDocument } from '../data/document-repository.js';
import { toDocumentOutput } from './document-output.js';
import { runAudited, type ToolDependencies } from './execute-tool.js';
import type { ToolCall } from './tool-definition.js';
import { invalid, notFound, succeeded } from './tool-definition.js';

export const DOCUMENT_URI_TEMPLATE = 'document://{id}';
/** The operation a document read is audited (and measured) as. */
export const DOCUMENT_RESOURCE_OPERATION = 'read_resource:document';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Listing is left to the list_documents tool (paginated, filtered); the template only reads one.
const documentTemplate = new ResourceTemplate(DOCUMENT_URI_TEMPLATE, { list: undefined });

/** One document as a resource, `document://<id>`, under the same access rules and audit as the tools. */
export function registerDocumentResource(server: McpServer, deps: ToolDependencies): void {
  server.registerResource(
    'document',
    documentTemplate,
    {
      title: 'Document',
      description: 'One document you may see, as JSON with its body.',
      mimeType: 'application/json',
    },
    async (uri, variables, ctx) => {
      const id = String(variables.id ?? '');
      // A malformed id is refused without a query, but audited like any other refusal (the id goes in the detail).
      const read = UUID.test(id)
        ? async ({ client }: ToolCall) => {
            const doc = await getDocument(client, id);
            return doc ? succeeded(toDocumentOutput(doc), [doc.id]) : notFound(id);
          }
        : async () => invalid(`"${id}" is not a document id (a UUID).`, [id]);
      const outcome = await runAudited(
        DOCUMENT_RESOURCE_OPERATION,
        MCP_SCOPES.read,
        ctx.http?.authInfo,
        deps,
        read,
      ).catch((error: unknown) => {
        deps.logger.error({ err: error, operation: DOCUMENT_RESOURCE_OPERATION }, 'audit write failed');
        return { ok: false as const, outcome: 'error' as const, message: 'The document could not be read.' };
      });
      if (!outcome.ok) {
        if (outcome.outcome === 'not_found') throw new ResourceNotFoundError(uri.href, outcome.message);
        const code =
          outcome.outcome === 'error'
            ? ProtocolErrorCode.InternalError
            : outcome.outcome === 'invalid'
              ? ProtocolErrorCode.InvalidParams
              : ProtocolErrorCode.InvalidRequest;
        throw new ProtocolError(code, outcome.message);
      }
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(outcome.value) }] };
    },
  );
}
