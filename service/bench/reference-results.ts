import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ToolDefinition } from '../src/mcp/tool-definition.js';

/**
 * What the reference server answers, per tool: a constant of the size a seeded document has, so the reference does
 * the same JSON and SSE work per answer as the service minus everything the service is measured for.
 */
const summary = {
  id: '5d0b6a4e-8f8e-4a55-9a3c-3f4f0b9e2c11',
  ownerId: 'bench-u00',
  title: 'Bench document 4242: quarterly roadmap budget review',
  tags: ['finance', 'roadmap'],
  classification: 'internal' as const,
  version: 1,
  createdAt: '2025-12-17T06:30:00.000000Z',
  updatedAt: '2025-12-17T06:30:00.000000Z',
};
const document = {
  ...summary,
  body:
    'The platform team reviewed the quarterly budget against the roadmap and the hiring plan for each region. ' +
    'Customer onboarding improved after the support process changed; the incident review found no data loss. ' +
    'Security training and the vendor contract renewal are scheduled before the next release of the analytics ' +
    'service. Marketing asked for the pricing forecast and the compliance checklist by the end of the month.',
};

const CONSTANT_VALUES: Readonly<Record<string, Record<string, unknown>>> = {
  list_documents: { documents: Array.from({ length: 20 }, () => summary), nextCursor: 'WyIyMDI1LTEyLTE3In0' },
  get_document: { document },
  search_documents: {
    results: Array.from({ length: 10 }, () => ({
      document: summary,
      rank: 0.1,
      snippet: 'the **quarterly** budget against the roadmap',
    })),
  },
  create_document: { document },
  update_document: { document },
  delete_document: { id: summary.id, deleted: true },
};

/**
 * One constant result per tool, each checked against the tool's own output schema: a tool without a constant, or a
 * constant its schema refuses, stops the reference before it serves (the SDK would answer it with an error).
 */
export function constantResults(tools: readonly ToolDefinition[]): Map<string, CallToolResult> {
  const results = new Map<string, CallToolResult>();
  for (const tool of tools) {
    const value = CONSTANT_VALUES[tool.name];
    if (!value) throw new Error(`reference server: no constant result for tool ${tool.name}`);
    const checked = tool.outputSchema.safeParse(value);
    if (!checked.success) {
      throw new Error(`reference server: the constant for ${tool.name} fails its output schema: ${checked.error}`);
    }
    results.set(tool.name, { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value });
  }
  return results;
}
