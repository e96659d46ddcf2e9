/**
 * Tenant isolation as an MCP client sees it: two tenants, three roles, every tool and the document resource,
 * every id-guessing path. Nothing of one tenant may appear in any answer to the other.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableDatabaseBackends } from '../helpers/database.js';
import { callTool, jsonRpcCall } from '../helpers/json-rpc-call.js';
import { type Caller, type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

const callers = {
  alice: { sub: 'alice', tenant: 'acme' },
  bob: { sub: 'bob', tenant: 'acme' },
  mia: { sub: 'mia', tenant: 'acme', roles: ['manager'] },
  adam: { sub: 'adam', tenant: 'acme', roles: ['admin'] },
  carol: { sub: 'carol', tenant: 'globex' },
  gina: { sub: 'gina', tenant: 'globex', roles: ['admin'] },
  // Tokens without mcp:admin: the owner deletes its own with mcp:write; the admin role alone deletes nobody else's.
  aliceWriter: { sub: 'alice', tenant: 'acme', scopes: ['mcp:read', 'mcp:write'] },
  adamWriter: { sub: 'adam', tenant: 'acme', roles: ['admin'], scopes: ['mcp:read', 'mcp:write'] },
} satisfies Record<string, Caller>;
type CallerName = keyof typeof callers;

describe.each(availableDatabaseBackends())('tenant isolation through the MCP tools (%s postgres)', (backend) => {
  let target: ServiceUnderTest;
  const tokens = {} as Record<CallerName, string>;
  const docs = {} as Record<'aliceDoc' | 'bobDoc' | 'carolDoc', { id: string; title: string }>;
  /** Every raw answer given to a caller, by tenant, to check afterwards that nothing of the other tenant leaked. */
  const answersByTenant: Record<string, string[]> = { acme: [], globex: [] };

  const call = async (who: CallerName, tool: string, args: Record<string, unknown>) => {
    const answer = await callTool(target.mcpUrl, tokens[who], tool, args);
    answersByTenant[callers[who].tenant]?.push(answer.raw);
    return answer;
  };
  const visibleIds = async (who: CallerName, tool: 'list_documents' | 'search_documents') => {
    const answer = await call(who, tool, tool === 'list_documents' ? { limit: 100 } : { query: 'isolationmarker' });
    expect(answer.isError, answer.text).toBe(false);
    const structured = answer.structured as {
      documents?: Array<{ id: string }>;
      results?: Array<{ document: { id: string } }>;
    };
    return (structured.documents ?? structured.results?.map((r) => r.document) ?? []).map((d) => d.id).sort();
  };

  beforeAll(async () => {
    target = await startServiceUnderTest({ backend });
    for (const [name, caller] of Object.entries(callers)) tokens[name as CallerName] = await target.tokenFor(caller);
    const create = async (who: CallerName, title: string) => {
      const answer = await call(who, 'create_document', {
        title,
        body: `Confidential numbers of ${title}. isolationmarker`,
        tags: ['isolation'],
        classification: 'confidential',
      });
      expect(answer.isError, answer.text).toBe(false);
      return { id: (answer.structured as { document: { id: string } }).document.id, title };
    };
    docs.aliceDoc = await create('alice', 'Acme alice roadmap');
    docs.bobDoc = await create('bob', 'Acme bob salaries');
    docs.carolDoc = await create('carol', 'Globex carol merger');
  });

  afterAll(async () => {
    await target?.close();
  });

  it('lists and searches only what each role may see', async () => {
    const expected: Record<CallerName, string[]> = {
      alice: [docs.aliceDoc.id],
      bob: [docs.bobDoc.id],
      mia: [docs.aliceDoc.id, docs.bobDoc.id],
      adam: [docs.aliceDoc.id, docs.bobDoc.id],
      carol: [docs.carolDoc.id],
      gina: [docs.carolDoc.id],
      aliceWriter: [docs.aliceDoc.id],
      adamWriter: [docs.aliceDoc.id, docs.bobDoc.id],
    };
    for (const who of Object.keys(callers) as CallerName[]) {
      expect(await visibleIds(who, 'list_documents'), `${who} list`).toEqual(expected[who].sort());
      expect(await visibleIds(who, 'search_documents'), `${who} search`).toEqual(expected[who].sort());
    }
    // Filtering by another tenant's owner finds nothing.
    const byOwner = await call('carol', 'list_documents', { ownerId: 'alice' });
    expect((byOwner.structured as { documents: unknown[] }).documents).toEqual([]);
  });

  it('answers every guessed id it may not see exactly like an id that does not exist', async () => {
    const unknownId = randomUUID();
    const guesses: Array<[CallerName, string]> = [
      ['alice', docs.bobDoc.id],
      ['alice', docs.carolDoc.id],
      ['mia', docs.carolDoc.id],
      ['adam', docs.carolDoc.id],
      ['carol', docs.aliceDoc.id],
      ['gina', docs.bobDoc.id],
    ];
    for (const [who, id] of guesses) {
      const answer = await call(who, 'get_document', { id });
      const reference = await call(who, 'get_document', { id: unknownId });
      expect(answer.isError).toBe(true);
      expect(answer.text).toBe(`Document ${id} was not found.`);
      expect(reference.text).toBe(`Document ${unknownId} was not found.`);

      const resource = await jsonRpcCall(target.mcpUrl, tokens[who], 'resources/read', { uri: `document://${id}` });
      answersByTenant[callers[who].tenant]?.push(resource.raw);
      expect(resource.result).toBeUndefined();
      expect(resource.error?.message).toContain(id);
      expect(resource.error?.message).not.toMatch(/salar|roadmap|merger/i);
    }
    // Malformed ids never reach the database as anything but parameters.
    for (const id of ["' OR 1=1 --", `${docs.carolDoc.id}' OR tenant_id <> 'acme`, '../../etc/passwd']) {
      const answer = await call('adam', 'get_document', { id });
      expect(answer.isError).toBe(true);
    }
  });

  it('lets nobody change or delete across tenants or owners, and tells "forbidden" only inside the tenant', async () => {
    expect((await call('alice', 'update_document', { id: docs.bobDoc.id, title: 'pwned' })).text).toBe(
      `Document ${docs.bobDoc.id} was not found.`,
    );
    expect((await call('carol', 'update_document', { id: docs.aliceDoc.id, title: 'pwned' })).isError).toBe(true);
    expect((await call('gina', 'delete_document', { id: docs.aliceDoc.id })).text).toBe(
      `Document ${docs.aliceDoc.id} was not found.`,
    );
    expect((await call('bob', 'delete_document', { id: docs.aliceDoc.id })).text).toBe(
      `Document ${docs.aliceDoc.id} was not found.`,
    );
    // A manager sees Bob's document and may edit it, but only an owner or admin may delete it.
    const managerEdit = await call('mia', 'update_document', { id: docs.bobDoc.id, tags: ['isolation', 'reviewed'] });
    expect(managerEdit.isError, managerEdit.text).toBe(false);
    const managerDelete = await call('mia', 'delete_document', { id: docs.bobDoc.id });
    expect(managerDelete.isError).toBe(true);
    expect(managerDelete.text).toContain('only its owner or an admin');

    const aliceDoc = await call('alice', 'get_document', { id: docs.aliceDoc.id });
    expect((aliceDoc.structured as { document: { title: string } }).document.title).toBe(docs.aliceDoc.title);
    const withoutAdminScope = await call('adamWriter', 'delete_document', { id: docs.bobDoc.id });
    expect(withoutAdminScope.isError).toBe(true);
    expect(withoutAdminScope.text).toContain("deleting another person's document needs the mcp:admin scope");
    expect((await call('adam', 'delete_document', { id: docs.bobDoc.id })).structured).toEqual({
      id: docs.bobDoc.id,
      deleted: true,
    });
    expect((await call('carol', 'get_document', { id: docs.carolDoc.id })).isError).toBe(false);

    const scratch = await call('aliceWriter', 'create_document', {
      title: 'Acme alice scratch',
      body: 'to delete',
      tags: ['isolation'],
    });
    expect(scratch.isError, scratch.text).toBe(false);
    const scratchId = (scratch.structured as { document: { id: string } }).document.id;
    expect((await call('aliceWriter', 'delete_document', { id: scratchId })).structured).toEqual({
      id: scratchId,
      deleted: true,
    });
  });

  it('never put anything of one tenant in an answer to the other', () => {
    expect(answersByTenant.acme?.length).toBeGreaterThan(10);
    expect(answersByTenant.globex?.length).toBeGreaterThan(5);
    for (const raw of answersByTenant.acme ?? []) expect(raw).not.toContain(docs.carolDoc.title);
    for (const raw of answersByTenant.globex ?? []) {
      expect(raw).not.toContain(docs.aliceDoc.title);
      expect(raw).not.toContain(docs.bobDoc.title);
    }
  });

  it('audited the refused attempts under the caller’s own tenant', async () => {
    const { rows } = await target.database.adminPool.query<{ tenant_id: string; user_id: string; outcome: string }>(
      `SELECT tenant_id, user_id, outcome FROM audit_events WHERE $1 = ANY(document_ids) AND tool = 'delete_document'`,
      [docs.aliceDoc.id],
    );
    expect(rows).toContainEqual({ tenant_id: 'globex', user_id: 'gina', outcome: 'not_found' });
    expect(rows).toContainEqual({ tenant_id: 'acme', user_id: 'bob', outcome: 'not_found' });
  });
});
