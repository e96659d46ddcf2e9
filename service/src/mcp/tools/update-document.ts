import { z } from 'zod';
import { MCP_SCOPES } from '../../contract.js';
import { updateDocument } from '../../data/document-repository.js';
import { toDocumentOutput } from '../document-output.js';
import { body, classification, documentFull, documentId, tags, title } from '../document-schemas.js';
import { forbidden, invalid, notFound, succeeded, type ToolDefinition } from '../tool-definition.js';

const inputSchema = z.object({
  id: documentId,
  title: title.optional(),
  body: body.optional(),
  tags: tags.optional(),
  classification: classification.optional(),
  expectedVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The version you read; the update fails if the document changed since.'),
});
const outputSchema = z.object({ document: documentFull });

export const updateDocumentTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'update_document',
  title: 'Update a document',
  description:
    'Changes the title, body, tags or classification of a document you own (managers: any of their tenant). ' +
    'Pass expectedVersion to avoid overwriting a concurrent change.',
  scope: MCP_SCOPES.write,
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ id, ...patch }, { client }) {
    if (
      patch.title === undefined &&
      patch.body === undefined &&
      patch.tags === undefined &&
      patch.classification === undefined
    ) {
      return invalid('Nothing to update: give at least one of title, body, tags, classification.', [id]);
    }
    const result = await updateDocument(client, id, patch);
    switch (result.status) {
      case 'updated':
        return succeeded({ document: toDocumentOutput(result.document) }, [id]);
      case 'not_found':
        return notFound(id);
      case 'forbidden':
        return forbidden(`You may not change document ${id}: only its owner or a manager may.`, [id]);
      case 'version_conflict':
        return invalid(`Document ${id} changed since version ${patch.expectedVersion}: read it again and retry.`, [id]);
    }
  },
};
