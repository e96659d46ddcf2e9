/**
 * Arguments Postgres cannot store or compare (a NUL character in text, a date that does not exist or lies outside
 * its range, a cursor carrying such a date) are the caller's to fix: they answer an input error naming the
 * argument, audited as `invalid`, never "failed unexpectedly".
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableDatabaseBackends } from '../helpers/database.js';
import { callTool } from '../helpers/json-rpc-call.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

const NUL = '\u0000';
const cursorOf = (createdAt: string, id: string) =>
  Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');

const CASES: Array<{ name: string; tool: string; args: Record<string, unknown>; message: RegExp }> = [
  { name: 'NUL in a search query', tool: 'search_documents', args: { query: `budget${NUL}` }, message: /query/ },
  {
    name: 'NUL in titleContains',
    tool: 'list_documents',
    args: { titleContains: `a${NUL}b` },
    message: /titleContains/,
  },
  { name: 'NUL in a tag filter', tool: 'list_documents', args: { tag: `t${NUL}` }, message: /tag/ },
  { name: 'NUL in an owner filter', tool: 'list_documents', args: { ownerId: `${NUL}` }, message: /ownerId/ },
  { name: 'NUL in a title', tool: 'create_document', args: { title: `T${NUL}itle`, body: 'b' }, message: /title/ },
  { name: 'NUL in a body', tool: 'create_document', args: { title: 'Body', body: `x${NUL}y` }, message: /body/ },
  {
    name: 'year 0000',
    tool: 'list_documents',
    args: { createdAfter: '0000-01-01T00:00:00Z' },
    message: /createdAfter/,
  },
  {
    name: 'an offset beyond ±15:59',
    tool: 'list_documents',
    args: { createdBefore: '2026-01-01T00:00:00+23:59' },
    message: /createdBefore/,
  },
  {
    name: 'a cursor dated February 30',
    tool: 'list_documents',
    args: { cursor: cursorOf('2026-02-30T00:00:00.000000Z', randomUUID()) },
    message: /cursor/,
  },
  {
    name: 'a cursor dated in year 0000',
    tool: 'list_documents',
    args: { cursor: cursorOf('0000-01-01T00:00:00.000000Z', randomUUID()) },
    message: /cursor/,
  },
];

describe.each(availableDatabaseBackends())('arguments the database cannot take (%s postgres)', (backend) => {
  let target: ServiceUnderTest;
  let token: string;

  beforeAll(async () => {
    target = await startServiceUnderTest({ backend });
    token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
  });
  afterAll(async () => {
    await target?.close();
  });

  it.each(CASES)('$name answers an input error, audited as invalid', async ({ tool, args, message }) => {
    const answer = await callTool(target.mcpUrl, token, tool, args);
    expect(answer.isError).toBe(true);
    expect(answer.text).not.toMatch(/unexpectedly|could not complete/);
    expect(answer.text).toMatch(message);
    const { rows } = await target.database.adminPool.query<{ outcome: string }>(
      'SELECT outcome FROM audit_events WHERE tool = $1 ORDER BY occurred_at DESC, id DESC LIMIT 1',
      [tool],
    );
    expect(rows[0]?.outcome).toBe('invalid');
  });

  it('a leap day of a leap year, and the edges of the offset range, are still accepted', async () => {
    for (const createdAfter of ['2024-02-29T00:00:00Z', '2026-01-01T00:00:00+15:59', '0001-01-01T00:00:00Z']) {
      const answer = await callTool(target.mcpUrl, token, 'list_documents', { createdAfter });
      expect(answer.isError, answer.text).toBe(false);
    }
  });
});
