import { z } from 'zod';
import { MCP_SCOPES } from '../../contract.js';
import { createDocument } from '../../data/document-repository.js';
import { toDocumentOutput } from '../document-output.js';
import { body, classification, documentFull, tags, title } from '../document-schemas.js';
import { succeeded, type ToolDefinition } from '../tool-definition.js';

const inputSchema = z.object({
  title,
  body,
  tags: tags.default([]),
  classification: classification.default('internal'),
});
const outputSchema = z.object({ document: documentFull });

export const createDocumentTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'create_document',
  title: 'Create a document',
  description: 'Creates a document owned by you in your tenant.',
  scope: MCP_SCOPES.write,
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(input, { client, tenant }) {
    const doc = await createDocument(client, tenant, input);
    return succeeded({ document: toDocumentOutput(doc) }, [doc.id]);
  },
};
