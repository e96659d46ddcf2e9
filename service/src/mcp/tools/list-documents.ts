import { z } from 'zod';
import { MCP_SCOPES } from '../../contract.js';
import { listDocuments } from '../../data/document-repository.js';
import { toSummaryOutput } from '../document-output.js';
import { classification, documentSummary, instant } from '../document-schemas.js';
import { succeeded, type ToolDefinition } from '../tool-definition.js';

const inputSchema = z.object({
  tag: z.string().max(50).optional().describe('Only documents carrying this tag.'),
  ownerId: z.string().max(200).optional().describe('Only documents of this owner (managers and admins see others).'),
  classification: classification.optional(),
  createdAfter: instant('Only documents created after this instant (exclusive)').optional(),
  createdBefore: instant('Only documents created before this instant (exclusive)').optional(),
  titleContains: z.string().max(200).optional().describe('Case-insensitive substring of the title.'),
  limit: z.number().int().min(1).max(100).default(20).describe('Page size, 1-100.'),
  cursor: z.string().max(500).optional().describe('The nextCursor of the previous page.'),
});

const outputSchema = z.object({
  documents: z.array(documentSummary),
  nextCursor: z.string().optional().describe('Pass as cursor to get the next page; absent on the last page.'),
});

export const listDocumentsTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'list_documents',
  title: 'List documents',
  description:
    'Lists the documents you may see in your tenant, newest first, with optional filters and cursor pagination. ' +
    'Users see their own documents; managers and admins see all of their tenant.',
  scope: MCP_SCOPES.read,
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(input, { client }) {
    const page = await listDocuments(client, input);
    const documents = page.items.map(toSummaryOutput);
    return succeeded(
      page.nextCursor ? { documents, nextCursor: page.nextCursor } : { documents },
      documents.map((d) => d.id),
    );
  },
};
