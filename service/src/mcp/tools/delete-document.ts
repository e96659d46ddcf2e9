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
  description:
    'Deletes a document. Your own with the mcp:write scope; another person’s document of your tenant needs the admin ' +
    'role and the mcp:admin scope. This cannot be undone.',
  // Owners delete their own documents with the scope that created them; mcp:admin is asked only for others' (below).
  scope: MCP_SCOPES.write,
  inputSchema,
  outputSchema,
  // Not idempotent as MCP means it: a second call fails (the document is gone).
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async run({ id }, { client, scopes }) {
    const result = await deleteDocument(client, id, { othersToo: scopes.includes(MCP_SCOPES.admin) });
    switch (result.status) {
      case 'deleted':
        return succeeded({ id, deleted: true as const }, [id]);
      case 'not_found':
        return notFound(id);
      case 'forbidden':
        return forbidden(`You may not delete document ${id}: only its owner or an admin may.`, [id]);
      case 'others_need_admin_scope':
        return forbidden(
          `Document ${id} is not yours: deleting another person's document needs the ${MCP_SCOPES.admin} scope.`,
          [id],
        );
    }
  },
};
