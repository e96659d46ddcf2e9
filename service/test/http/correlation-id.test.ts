import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientRequestIdOf, correlationIdFor } from '../../src/http/correlation-id.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Only the headers are read. */
const withHeader = (value: string | string[] | undefined) =>
  ({ headers: { 'x-request-id': value } }) as unknown as IncomingMessage;

describe('request ids', () => {
  it('are always our own', () => {
    expect(correlationIdFor()).toMatch(UUID);
    expect(correlationIdFor()).not.toBe(correlationIdFor());
  });

  it("log the caller's id only when it is a plain token, cut to 128 characters", () => {
    expect(clientRequestIdOf(withHeader('kong-1234-abcd'))).toBe('kong-1234-abcd');
    expect(clientRequestIdOf(withHeader(['first-id', 'second-id']))).toBe('first-id');
    expect(clientRequestIdOf(withHeader('x'.repeat(300)))).toBe('x'.repeat(128));
    for (const unsafe of ['bad id <script>', 'line\nbreak', '"quoted"', '']) {
      expect(clientRequestIdOf(withHeader(unsafe)), unsafe).toBeUndefined();
    }
    expect(clientRequestIdOf(withHeader(undefined))).toBeUndefined();
  });
});

describe("a caller's x-request-id", () => {
  let target: ServiceUnderTest;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    target = await startServiceUnderTest({
      backend: 'embedded',
      env: { LOG_LEVEL: 'info' },
      logDestination: { write: (line) => void lines.push(JSON.parse(line)) },
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('never becomes the audit correlation id; it is logged beside ours as clientRequestId', async () => {
    const chosen = `client-chosen-${Date.now()}`;
    const response = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await target.tokenFor({ sub: 'alice', tenant: 'acme' })}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-request-id': chosen,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_document', arguments: { id: '00000000-0000-4000-8000-000000000000' } },
      }),
    });
    expect(response.status).toBe(200);
    const ours = response.headers['x-request-id'];
    expect(ours).toMatch(UUID);

    const audited = async (correlationId: unknown) =>
      (
        await target.database.adminPool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM audit_events WHERE correlation_id = $1',
          [String(correlationId)],
        )
      ).rows[0]!.n;
    expect(await audited(ours)).toBe(1);
    expect(await audited(chosen)).toBe(0);

    await expect
      .poll(() => lines.filter((entry) => entry.reqId === ours).map((entry) => entry.msg))
      .toEqual(['request completed']);
    for (const entry of lines.filter((e) => e.reqId === ours)) expect(entry.clientRequestId).toBe(chosen);
  });
});
