import { z } from 'zod';
import { MCP_SCOPES } from '../../contract.js';
import { deleteDocument } from '../../data/document-repository.js';
import { documentId } from '../document-schemas.js';
import { forbidden, notFound, succeeded, type ToolDefinition } from '../tool-definition.js';

const inputSchema = z.object({ id: documentId });
const outputSchema = z.object({ id: z.string(), deleted: z.literal(true) });

export const deleteDocumentTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'delete_document',
  title: 'Delete a document',
  description: 'Deletes a document you own; admins may delete any document of their tenant. This cannot be undone.',
  scope: MCP_SCOPES.admin,
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run({ id }, { client }) {
    const result = await deleteDocument(client, id);
    switch (result.status) {
      case 'deleted':
        return succeeded({ id, deleted: true as const }, [id]);
      case 'not_found':
        return notFound(id);
      case 'forbidden':
        return forbidden(`You may not delete document ${id}: only its owner or an admin may.`, [id]);
    }
  },
};
