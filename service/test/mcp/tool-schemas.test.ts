import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { InFlightWork } from '../../src/http/in-flight-work.js';
import { DOCUMENT_TOOLS } from '../../src/mcp/document-tools.js';
import { listedInputSchema } from '../../src/mcp/listed-input-schema.js';
import { createMcpServerFactory } from '../../src/mcp/server-factory.js';
import { listDocumentsTool } from '../../src/mcp/tools/list-documents.js';

const listed = (schema: (typeof DOCUMENT_TOOLS)[number]['inputSchema']) =>
  listedInputSchema(schema)['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) as {
    properties: Record<string, { description?: string; anyOf?: Array<{ format?: string }> }>;
  };

describe('what the tools tell a model', () => {
  it.each(DOCUMENT_TOOLS.map((tool) => [tool.name, tool] as const))('%s describes every parameter', (_name, tool) => {
    const undescribed = Object.entries(listed(tool.inputSchema).properties)
      .filter(([, property]) => !property.description)
      .map(([name]) => name);
    expect(undescribed).toEqual([]);
  });

  it('list_documents takes a plain date as its date filters say, or a date-time with offset, and nothing else', () => {
    for (const value of ['2026-03-01', '2026-03-01T09:30:00Z', '2026-03-01T09:30:00.123+02:00']) {
      expect(listDocumentsTool.inputSchema.safeParse({ createdAfter: value, createdBefore: value }).success).toBe(true);
    }
    for (const value of ['2026-13-01', '2026-03-01T09:30:00', 'yesterday', '03/01/2026']) {
      expect({ value, ok: listDocumentsTool.inputSchema.safeParse({ createdAfter: value }).success }).toEqual({
        value,
        ok: false,
      });
    }
    const createdAfter = listed(listDocumentsTool.inputSchema).properties.createdAfter;
    expect(createdAfter?.anyOf?.map((option) => option.format)).toEqual(['date', 'date-time']);
    expect(createdAfter?.description).toMatch(/2026-03-01, midnight UTC/);
  });

  it('marks delete_document destructive and not idempotent (a second call fails: the document is gone)', () => {
    const remove = DOCUMENT_TOOLS.find((tool) => tool.name === 'delete_document');
    expect(remove?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: false });
    expect(remove?.scope).toBe('mcp:write');
  });

  it('advertises no list_changed notification, which a server living for one request could never send', async () => {
    const factory = createMcpServerFactory({
      pool: {} as Pool,
      logger: { error: () => {} },
      work: new InFlightWork(),
    });
    const server = await factory({ era: 'legacy' });
    const capabilities = 'server' in server ? server.server.getCapabilities() : server.getCapabilities();
    expect(capabilities.tools).toEqual({ listChanged: false });
    expect(capabilities.resources).toEqual({ listChanged: false });
  });
});
