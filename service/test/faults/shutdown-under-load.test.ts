import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, PATHS } from '../../src/contract.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';
import { createTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import {
  jsonRpcMessageOf,
  type KeepAliveLoad,
  type LoadOutcome,
  startKeepAliveLoad,
} from './shutdown-keep-alive-load.js';
import { type ServiceProcess, startServiceProcess } from './shutdown-service-process.js';

const CLIENTS = 20;
const backend = process.env[ENV.databaseUrl] ? 'postgres' : 'embedded';

const describeOutcome = (o: LoadOutcome) =>
  `${o.startedBeforeSignal ? 'before' : 'after'} SIGTERM: ${o.errorCode ?? o.status} ${o.body?.slice(0, 120) ?? ''}`;

describe('SIGTERM under load (the production entry point, 20 kept-alive connections)', () => {
  let database: TestDatabase;
  let issuer: TestIssuer;
  let service: ServiceProcess;
  let load: KeepAliveLoad | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    const port = await freePort();
    const mcpUrl = `http://127.0.0.1:${port}${PATHS.mcp}`;
    issuer = await createTestIssuer({ audience: mcpUrl });
    service = await startServiceProcess({
      port,
      env: {
        [ENV.resourceUrl]: mcpUrl,
        [ENV.issuers]: issuer.issuer,
        [ENV.databaseUrl]: database.appConnectionString,
        ...(backend === 'embedded' && { [ENV.databasePoolMax]: '1' }),
        [ENV.rateLimitUser]: '1000000/60',
        [ENV.rateLimitTenant]: '1000000/60',
        // Short, so the test is: requests keep arriving on kept-alive connections through the pause and the close.
        [ENV.drainSeconds]: '1',
      },
    });
  });
  afterAll(async () => {
    load?.stop();
    load?.destroy();
    await service?.kill();
    await issuer?.close();
    await database?.close();
  });

  it('finishes every request started before SIGTERM, answers later ones in JSON-RPC or closes, resets none mid-response', async () => {
    const token = await issuer.mintToken({ claims: { sub: 'alice', tenant_id: 'acme', scope: 'mcp:read' } });
    load = startKeepAliveLoad({
      url: service.mcpUrl,
      clients: CLIENTS,
      headers: () => ({
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      }),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'list_documents', arguments: {} },
      }),
    });
    const { outcomes } = load;
    // Mid-load: every connection has carried requests and is in use.
    await expect.poll(() => outcomes.length, { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(CLIENTS * 5);
    load.markSignal();
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    await load.finished;

    const before = outcomes.filter((o) => o.startedBeforeSignal);
    const after = outcomes.filter((o) => !o.startedBeforeSignal);
    for (const outcome of before) {
      expect(outcome.status, describeOutcome(outcome)).toBe(200);
      expect(jsonRpcMessageOf(outcome.body), describeOutcome(outcome)).toHaveProperty('result');
    }
    for (const outcome of after) {
      expect(outcome.failedMidResponse, describeOutcome(outcome)).toBe(false);
      // Answered: in JSON-RPC (never the HTTP framework's bare 503); or not answered: refused or closed unread.
      if (outcome.status !== undefined) expect(jsonRpcMessageOf(outcome.body), describeOutcome(outcome)).toBeDefined();
      else
        expect(outcome.errorCode, describeOutcome(outcome)).toMatch(/^(ECONNREFUSED|ECONNRESET|EPIPE|socket hang up)$/);
    }
    // Served through the drain, each answer telling its client to reconnect (to a replica still in the endpoints) ...
    const servedAfter = after.filter((o) => o.status === 200);
    expect(servedAfter.length).toBeGreaterThan(0);
    expect(servedAfter.some((o) => o.connectionHeader === 'close')).toBe(true);
    // ... so no kept-alive connection was closed under a request. (A brand-new connection may still be reset when the
    // listener closes with it in the accept queue: with one replica and no gateway, these clients keep connecting.)
    const resetOnKeptAlive = after.filter((o) => o.errorCode !== undefined && o.reusedSocket);
    expect(resetOnKeptAlive.map(describeOutcome)).toEqual([]);
    expect(service.logs.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['draining', 'stopped']));
  });
});
