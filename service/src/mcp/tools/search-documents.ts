import { z } from 'zod';
import { MCP_SCOPES } from '../../contract.js';
import { searchDocuments } from '../../data/document-repository.js';
import { toSummaryOutput } from '../document-output.js';
import { documentSummary } from '../document-schemas.js';
import { succeeded, type ToolDefinition } from '../tool-definition.js';

const inputSchema = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe('Search words; "quoted phrases", OR and -exclusions are understood (web search syntax).'),
  limit: z.number().int().min(1).max(50).default(10).describe('How many results, 1-50, best first.'),
});
const outputSchema = z.object({
  results: z.array(
    z.object({
      document: documentSummary,
      rank: z.number().describe('Relevance; higher is better.'),
      snippet: z.string().describe('The matching passage, matched words between ** and **.'),
    }),
  ),
});

export const searchDocumentsTool: ToolDefinition<typeof inputSchema, typeof outputSchema> = {
  name: 'search_documents',
  title: 'Search documents',
  description: 'Full-text search over the documents you may see, best match first.',
  scope: MCP_SCOPES.read,
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(input, { client }) {
    const hits = await searchDocuments(client, input);
    const results = hits.map((hit) => ({
      document: toSummaryOutput(hit.document),
      rank: hit.rank,
      snippet: hit.snippet,
    }));
    return succeeded(
      { results },
      results.map((r) => r.document.id),
    );
  },
};
