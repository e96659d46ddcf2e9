/**
 * Every refusal of a verified caller leaves an audit row: the HTTP-level step-up (403 insufficient_scope), tool
 * arguments the schema rejects, a resource read with a malformed id, and the rate limit's 429. Before, none of these
 * wrote a row although the README said every refusal was audited. Step-ups and 429s are aggregated: the first per
 * caller, operation and kind in a window is written at once (before a 403 is answered, just after a 429), the rest
 * as one summary row (written at shutdown here).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../src/contract.js';
import { availableDatabaseBackends } from '../helpers/database.js';
import { callTool, jsonRpcCall } from '../helpers/json-rpc-call.js';
import { type Caller, type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

const USER_BUDGET = 4;
const backend = availableDatabaseBackends()[0] ?? 'embedded';

interface AuditRow {
  tenant_id: string;
  user_id: string;
  tool: string;
  outcome: string;
  correlation_id: string;
  detail: string | null;
}

describe(`refusals are audited, on the ${backend} database`, () => {
  let target: ServiceUnderTest;
  let stopped = false;

  const rowsOf = async (user: string): Promise<AuditRow[]> => {
    const { rows } = await target.database.adminPool.query<AuditRow>(
      `SELECT tenant_id, user_id, tool, outcome, correlation_id, detail FROM audit_events WHERE user_id = $1 ORDER BY id`,
      [user],
    );
    return rows;
  };
  /** A POST to /mcp that returns our correlation id (the x-request-id response header) with the status. */
  const post = async (caller: Caller, body: unknown) => {
    const response = await fetch(target.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await target.tokenFor(caller)}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify(body),
    });
    await response.text();
    return { status: response.status, correlationId: response.headers.get('x-request-id') ?? '' };
  };
  const call = (id: number, name: string, args: Record<string, unknown> = {}) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args },
  });

  beforeAll(async () => {
    target = await startServiceUnderTest({ backend, env: { [ENV.rateLimitUser]: `${USER_BUDGET}/60` } });
  });

  afterAll(async () => {
    if (!stopped) await target?.service.stop();
    await target?.issuer.close();
    await target?.database.close();
  });

  it('audits the HTTP 403 step-up with the caller, the tool refused and the missing scope', async () => {
    const reader = { sub: 'stepup-reader', tenant: 'acme', scopes: ['mcp:read'] };
    const refused = await post(reader, call(1, 'create_document', { title: 't', body: 'b' }));
    expect(refused.status).toBe(403);

    expect(await rowsOf(reader.sub)).toEqual([
      {
        tenant_id: 'acme',
        user_id: reader.sub,
        tool: 'create_document',
        outcome: 'forbidden',
        correlation_id: refused.correlationId,
        detail: 'insufficient_scope: missing mcp:write',
      },
    ]);
  });

  it('audits each operation of a refused batch under its own name (an unknown tool as tools/call)', async () => {
    const reader = { sub: 'batch-reader', tenant: 'acme', scopes: ['mcp:read'] };
    const refused = await post(reader, [call(1, 'create_document'), call(2, 'delete_document'), call(3, 'nope')]);
    expect(refused.status).toBe(403);
    const rows = await rowsOf(reader.sub);
    expect(rows.map((row) => row.tool).sort()).toEqual(['create_document', 'delete_document', 'tools/call']);
    expect(new Set(rows.map((row) => row.correlation_id))).toEqual(new Set([refused.correlationId]));
  });

  it('audits a tool argument the schema rejects (bad UUID), answering as before', async () => {
    const caller = { sub: 'schema-alice', tenant: 'acme' };
    const answer = await callTool(target.mcpUrl, await target.tokenFor(caller), 'get_document', { id: 'not-a-uuid' });
    expect(answer.isError).toBe(true);
    expect(answer.text).toBe('Input validation error: Invalid arguments for tool get_document: id: Invalid UUID');

    const [row] = await rowsOf(caller.sub);
    expect(row).toMatchObject({ tool: 'get_document', outcome: 'invalid' });
    expect(row?.detail).toContain('id: Invalid UUID');
    expect(row?.detail).toContain('non-uuid ids: ["not-a-uuid"]');
  });

  it('audits an overlong search query without copying it into the audit row', async () => {
    const caller = { sub: 'schema-bob', tenant: 'acme' };
    const query = 'q'.repeat(5_000);
    const answer = await callTool(target.mcpUrl, await target.tokenFor(caller), 'search_documents', { query });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('query: Too big');

    const [row] = await rowsOf(caller.sub);
    expect(row).toMatchObject({ tool: 'search_documents', outcome: 'invalid' });
    expect(row?.detail).toContain('query: Too big');
    expect(row?.detail).not.toContain('qqqqqqqqqq');
  });

  it('audits a resource read with an id that is not a UUID, answering invalid params as before', async () => {
    const caller = { sub: 'resource-carol', tenant: 'globex' };
    const answer = await jsonRpcCall(target.mcpUrl, await target.tokenFor(caller), 'resources/read', {
      uri: 'document://nope',
    });
    expect(answer.error).toEqual({ code: -32602, message: '"nope" is not a document id (a UUID).' });

    const [row] = await rowsOf(caller.sub);
    expect(row).toMatchObject({ tenant_id: 'globex', tool: 'read_resource:document', outcome: 'invalid' });
    expect(row?.detail).toContain('non-uuid ids: ["nope"]');
  });

  it('audits rate-limit refusals: the first at once, the rest of the window as one summary row', async () => {
    const caller = { sub: 'busy-rita', tenant: 'acme' };
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    for (let i = 0; i < USER_BUDGET; i++) expect((await post(caller, list)).status).toBe(200);
    const refusals = [];
    for (let i = 0; i < 4; i++) refusals.push(await post(caller, list));
    expect(refusals.map((refusal) => refusal.status)).toEqual([429, 429, 429, 429]);

    // The 429 is sent by the rate-limit hook; its row follows the answer: wait for it, not for a fixed time.
    await vi.waitFor(async () => expect(await rowsOf(caller.sub)).toHaveLength(1), { timeout: 5_000, interval: 25 });
    const [first] = await rowsOf(caller.sub);
    expect(first).toEqual({
      tenant_id: 'acme',
      user_id: caller.sub,
      tool: 'tools/list',
      outcome: 'forbidden',
      correlation_id: refusals[0]?.correlationId,
      detail: `rate_limited: HTTP 429, budget of ${USER_BUDGET} requests spent`,
    });

    // Three more step-ups of one caller: one row now, one summary row when the window closes (here: at shutdown).
    const reader = { sub: 'stepup-again', tenant: 'acme', scopes: ['mcp:read'] };
    for (let i = 0; i < 3; i++) expect((await post(reader, call(1, 'create_document'))).status).toBe(403);
    expect(await rowsOf(reader.sub)).toHaveLength(1);

    await target.service.stop();
    stopped = true;
    const rows = await rowsOf(caller.sub);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      tool: 'tools/list',
      outcome: 'forbidden',
      correlation_id: refusals[3]?.correlationId,
    });
    expect(rows[1]?.detail).toBe(
      `rate_limited: 3 more like ${refusals[0]?.correlationId} within 60 s (HTTP 429, budget of ${USER_BUDGET} requests spent)`,
    );
    const stepUps = await rowsOf(reader.sub);
    expect(stepUps.map((row) => row.detail)).toEqual([
      'insufficient_scope: missing mcp:write',
      expect.stringMatching(/^insufficient_scope: 2 more like \S+ within 60 s \(missing mcp:write\)$/),
    ]);
  });
});
