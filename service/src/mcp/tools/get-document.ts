import { z } from 'zod';
import { MCP_SCOPES } from '../../contract.js';
import { getDocument } from '../../data/document-repository.js';
import { toDocumentOutput } from '../document-output.js';
import { documentFull, documentId } from '../document-schemas.js';
import { notFound, succeeded, type ToolDefinition } from '../tool-definition.js';

const inputSchema = z.object({ id: documentId });
const outputSchema = z.object({ document: documentFull });

export const getDocumentTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'get_document',
  title: 'Get a document',
  description: 'Returns one document with its body, if you may see it.',
  scope: MCP_SCOPES.read,
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run({ id }, { client }) {
    const doc = await getDocument(client, id);
    return doc ? succeeded({ document: toDocumentOutput(doc) }, [doc.id]) : notFound(id);
  },
};
