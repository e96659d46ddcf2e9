import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableDatabaseBackends } from '../helpers/database.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

type Era = 'legacy' | '2026-07-28';

async function connect(target: ServiceUnderTest, token: string, era: Era): Promise<Client> {
  const client = new Client(
    { name: 'real-client-test', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: era } } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(target.mcpUrl), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

function structured(result: unknown): Record<string, unknown> {
  const { structuredContent, isError, content } = result as {
    structuredContent?: Record<string, unknown>;
    isError?: boolean;
    content?: unknown;
  };
  if (isError) throw new Error(`tool error: ${JSON.stringify(content)}`);
  expect(structuredContent).toBeDefined();
  return structuredContent as Record<string, unknown>;
}

describe.each(availableDatabaseBackends())('a real MCP client over HTTP (%s postgres)', (backend) => {
  let target: ServiceUnderTest;

  beforeAll(async () => {
    target = await startServiceUnderTest({ backend });
  });
  afterAll(async () => {
    await target?.close();
  });

  describe.each<Era>(['legacy', '2026-07-28'])('protocol era %s', (era) => {
    it('lists the tools and calls each one with a bearer token from the issuer', async () => {
      const token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
      const client = await connect(target, token, era);
      try {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual([
          'create_document',
          'delete_document',
          'get_document',
          'list_documents',
          'search_documents',
          'update_document',
        ]);
        for (const tool of tools) {
          expect(tool.inputSchema.type).toBe('object');
          expect(tool.outputSchema?.type).toBe('object');
        }

        const created = structured(
          await client.callTool({
            name: 'create_document',
            arguments: {
              title: `Zero trust rollout ${era}`,
              body: 'Quarterly plan for the zebra migration.',
              tags: ['plan'],
            },
          }),
        ) as { document: { id: string; ownerId: string; version: number } };
        expect(created.document.ownerId).toBe('alice');
        const id = created.document.id;

        const got = structured(await client.callTool({ name: 'get_document', arguments: { id } })) as {
          document: { body: string };
        };
        expect(got.document.body).toBe('Quarterly plan for the zebra migration.');

        const listed = structured(
          await client.callTool({ name: 'list_documents', arguments: { tag: 'plan', limit: 50 } }),
        ) as { documents: Array<{ id: string }> };
        expect(listed.documents.map((d) => d.id)).toContain(id);

        const found = structured(
          await client.callTool({ name: 'search_documents', arguments: { query: 'zebra' } }),
        ) as {
          results: Array<{ document: { id: string }; snippet: string }>;
        };
        expect(found.results[0]?.document.id).toBe(id);

        const updated = structured(
          await client.callTool({
            name: 'update_document',
            arguments: { id, title: 'Zero trust rollout, revised', expectedVersion: created.document.version },
          }),
        ) as { document: { title: string; version: number } };
        expect(updated.document).toMatchObject({
          title: 'Zero trust rollout, revised',
          version: created.document.version + 1,
        });

        const resource = await client.readResource({ uri: `document://${id}` });
        const first = resource.contents[0] as { text?: string };
        expect(JSON.parse(first.text ?? '{}')).toMatchObject({ id, title: 'Zero trust rollout, revised' });

        const deleted = structured(await client.callTool({ name: 'delete_document', arguments: { id } }));
        expect(deleted).toEqual({ id, deleted: true });

        const gone = await client.callTool({ name: 'get_document', arguments: { id } });
        expect(gone.isError).toBe(true);
      } finally {
        await client.close();
      }
    });
  });
});
