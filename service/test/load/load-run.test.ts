import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadCommand } from '../../load/load-command.js';
import type { LoadSummary } from '../../load/load-summary.js';
import { ENV } from '../../src/contract.js';
import { type DevIssuer, startDevIssuer } from '../../src/dev/dev-issuer.js';
import { freePort } from '../helpers/free-port.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

/** Captures what the command writes; stderr is no terminal, so the progress line would print every few seconds. */
function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text), isTTY: false },
    },
  };
}

function tokenFile(dir: string, name: string, tokens: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${tokens.join('\n')}\n`);
  return file;
}

describe('npm run load against a real service', () => {
  let sut: ServiceUnderTest;
  let issuer: DevIssuer;
  let devData: string;

  beforeAll(async () => {
    // A dev issuer and a dev-server.json of this test's own: the command mints as it would against `npm run dev`.
    devData = mkdtempSync(join(tmpdir(), 'load-dev-data-'));
    issuer = await startDevIssuer({
      mode: 'development',
      host: '127.0.0.1',
      port: 0,
      dataDir: join(devData, 'dev-issuer'),
    });
    sut = await startServiceUnderTest({
      backend: process.env[ENV.databaseUrl] ? 'postgres' : 'embedded',
      env: { [ENV.issuers]: issuer.issuer },
    });
    writeFileSync(join(devData, 'dev-server.json'), JSON.stringify({ issuer: issuer.issuer, resource: sut.mcpUrl }));
  });

  afterAll(async () => {
    await sut?.close();
    await issuer?.close();
  });

  it('runs the 3/1/2 mix over minted tokens of 2 tenants, creating in the right tenants, and summarises it as JSON', async () => {
    const { out, io } = capture();
    const args = [sut.mcpUrl, '--requests', '300', '--concurrency', '6', '--tenants', '2', '--users', '2'];
    const result = await runLoadCommand([...args, '--dev-data', devData, '--json'], io);

    expect(out.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(out.stdout) as LoadSummary;
    expect(summary).toEqual(result.summary);
    expect(summary.stoppedBy).toBe('requests');
    expect(summary.callers).toEqual({ tokens: 4, tenants: 2 });
    expect(summary.overall.requests).toBe(300);
    expect(summary.overall.errors).toEqual({});
    expect(summary.overall.ok).toBe(300);
    expect(summary.failures).toBe(0);

    // Dealt from decks of 6, the proportions are honoured to a request or two.
    const share = (kind: 'read' | 'create' | 'search') => summary.byKind[kind].requests / summary.overall.requests;
    expect(share('read')).toBeCloseTo(3 / 6, 1);
    expect(Math.abs(share('create') - 1 / 6)).toBeLessThan(0.02);
    expect(Math.abs(share('search') - 2 / 6)).toBeLessThan(0.02);

    for (const figures of [summary.overall, ...Object.values(summary.byKind)]) {
      expect(figures.throughput).toBeGreaterThan(0);
      const latency = figures.latencyMs;
      expect(latency).not.toBeNull();
      expect(latency?.p50).toBeGreaterThan(0);
      expect(latency?.p50).toBeLessThanOrEqual(latency?.p90 ?? 0);
      expect(latency?.p90).toBeLessThanOrEqual(latency?.p99 ?? 0);
      expect(latency?.p99).toBeLessThanOrEqual(latency?.max ?? 0);
    }

    // Each create landed in the tenant of the token that made it, owned by a load user, and nowhere else.
    const { rows } = await sut.database.adminPool.query<{ tenant_id: string; owner_id: string; count: string }>(
      `SELECT tenant_id, owner_id, count(*) FROM documents WHERE title LIKE $1 AND 'load-test' = ANY(tags)
       GROUP BY tenant_id, owner_id ORDER BY tenant_id, owner_id`,
      [`load test ${summary.runId} #%`],
    );
    const byTenant: Record<string, number> = {};
    for (const row of rows) byTenant[row.tenant_id] = (byTenant[row.tenant_id] ?? 0) + Number(row.count);
    expect(byTenant).toEqual(summary.createdByTenant);
    expect(Object.keys(byTenant).sort()).toEqual(['load-tenant-1', 'load-tenant-2']);
    expect(rows.map((row) => `${row.tenant_id}/${row.owner_id}`)).toEqual([
      'load-tenant-1/load-user-1',
      'load-tenant-1/load-user-2',
      'load-tenant-2/load-user-1',
      'load-tenant-2/load-user-2',
    ]);
    const created = Object.values(byTenant).reduce((sum, count) => sum + count, 0);
    expect(created).toBe(summary.byKind.create.ok);

    // The audit log has a row per tool call: reads fetch documents the user has seen, listing only until it has one.
    const audit = await sut.database.adminPool.query<{ tool: string; outcome: string; count: string }>(
      'SELECT tool, outcome, count(*) FROM audit_events GROUP BY tool, outcome',
    );
    const calls = Object.fromEntries(audit.rows.map((row) => [`${row.tool} ${row.outcome}`, Number(row.count)]));
    const fetched = calls['get_document ok'] ?? 0;
    const listed = calls['list_documents ok'] ?? 0;
    expect(fetched + listed).toBe(summary.byKind.read.requests);
    // A user lists only while it knows no document (a load user owns none until its first create), and concurrent
    // reads of one user all list until the first answer: how many depends on timing, but most reads fetch.
    expect(listed).toBeLessThan(fetched);
    expect(calls['create_document ok']).toBe(summary.byKind.create.requests);
    expect(calls['search_documents ok']).toBe(summary.byKind.search.requests);
  });

  it('stops when its time is up, or when interrupted, and summarises what ran', async () => {
    const minted = ['--tenants', '1', '--users', '2', '--dev-data', devData, '--json'];
    const timed = capture();
    const byTime = await runLoadCommand([sut.mcpUrl, '--duration', '300ms', ...minted], timed.io);
    expect(byTime.summary?.stoppedBy).toBe('duration');
    expect(byTime.summary?.elapsedSeconds).toBeGreaterThanOrEqual(0.3);
    expect(byTime.summary?.elapsedSeconds).toBeLessThan(3);
    expect(byTime.summary?.overall.requests).toBeGreaterThan(0);

    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 200);
    const stopped = capture();
    const byStop = await runLoadCommand([sut.mcpUrl, '--duration', '30s', ...minted], {
      ...stopped.io,
      stop: interrupt.signal,
    });
    expect(byStop.summary?.stoppedBy).toBe('interrupted');
    expect(byStop.summary?.elapsedSeconds).toBeLessThan(3);
    expect(byStop.exitCode).toBe(0);
  });

  it('counts 401s for tokens of another audience, and exits 0: the server answered', async () => {
    const wrongAudience = await issuer.mintAccessToken({
      subject: 'load-user-1',
      tenantId: 'load-tenant-1',
      scopes: 'mcp:read mcp:write',
      audience: 'https://elsewhere.example.com/mcp',
    });
    const file = tokenFile(devData, 'wrong-audience.txt', [wrongAudience]);
    const { out, io } = capture();
    const result = await runLoadCommand([sut.mcpUrl, '--requests', '30', '--tokens', file], io);

    expect(result.exitCode).toBe(0);
    expect(result.summary?.overall.errors).toEqual({ http_401: 30 });
    expect(result.summary?.byKind.create.errors.http_401).toBe(result.summary?.byKind.create.requests);
    expect(out.stdout).toContain('errors: 401 unauthorized: 30');
    expect(out.stdout).toMatch(/^all\s+30\s+0\s/m);
  });

  it('counts connection errors against a closed port, with no latency figures, and exits 1', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/mcp`;
    const file = tokenFile(devData, 'any.txt', ['header.payload.signature']);
    const { out, io } = capture();
    const result = await runLoadCommand([closed, '--requests', '20', '--tokens', file, '--json'], io);

    expect(result.exitCode).toBe(1);
    const summary = JSON.parse(out.stdout) as LoadSummary;
    expect(summary.overall.errors).toEqual({ connection: 20 });
    expect(summary.failures).toBe(20);
    expect(summary.overall.latencyMs).toBeNull();
  });

  it('counts timeouts against a server that never answers, and exits 1', async () => {
    const silent = createServer(() => {});
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const file = tokenFile(devData, 'silent.txt', ['header.payload.signature']);
      const { io } = capture();
      const args = [`http://127.0.0.1:${port}/mcp`, '--requests', '4', '--concurrency', '4', '--timeout', '200ms'];
      const result = await runLoadCommand([...args, '--tokens', file], io);

      expect(result.exitCode).toBe(1);
      expect(result.summary?.overall.errors).toEqual({ timeout: 4 });
      expect(result.summary?.elapsedSeconds).toBeLessThan(2);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses to mint for a URL that is not the dev server’s resource', async () => {
    const { out, io } = capture();
    const other = sut.mcpUrl.replace('/mcp', '/other');
    const result = await runLoadCommand([other, '--requests', '5', '--dev-data', devData], io);

    expect(result.exitCode).toBe(2);
    expect(out.stderr).toBe(
      `load: refusing to mint tokens: the dev server serves ${sut.mcpUrl}, not ${other}; load that URL, or pass --tokens <file> for another server\n`,
    );
    expect(out.stdout).toBe('');
  });
});
