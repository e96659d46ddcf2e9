import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevAuthorizationServer, startDevAuthorizationServer } from '../../../src/dev/dev-authorization-server.js';
import { BrowserSession } from '../../helpers/browser-session.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { freePort } from '../../helpers/free-port.js';
import { decideConsent, signInUpstream } from '../server/authorization-server-fixture.js';

/**
 * The official MCP conformance suite's authorization-server scenarios (the only two it has for servers):
 * `authorization-server-metadata-endpoint` and `authorization-code-grant`. The second prints an authorization URL for
 * a person to open; here a cookie-keeping fetch session plays the person (upstream sign-in as alice, consent).
 */
const require = createRequire(import.meta.url);
const CONFORMANCE_CLI = join(dirname(require.resolve('conformance-2026/package.json')), 'dist', 'index.js');
const CLIENT_ID = 'conformance-client';

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

describe('MCP conformance suite: authorization server scenarios', () => {
  let db: TestDatabase;
  let dataDir: string;
  let as: DevAuthorizationServer;
  let callbackPort: number;
  const resource = 'http://127.0.0.1:9/mcp';

  beforeAll(async () => {
    const [backend] = availableDatabaseBackends();
    db = await createTestDatabase(backend ?? 'embedded');
    dataDir = await mkdtemp(join(tmpdir(), 'as-conformance-'));
    callbackPort = await freePort();
    as = await startDevAuthorizationServer({
      port: await freePort(),
      upstreamPort: 0,
      resource,
      pool: db.authorizationServerPool,
      secretsDir: join(dataDir, 'secrets'),
      upstreamDataDir: join(dataDir, 'upstream'),
      logLevel: 'silent',
      preRegisteredClients: [
        {
          client_id: CLIENT_ID,
          client_name: 'MCP conformance suite',
          redirect_uris: [`http://127.0.0.1:${callbackPort}/callback`],
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          application_type: 'native',
        },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await as?.close();
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * Runs the suite's `authorization` command with every scenario (the code grant one reads the metadata found by the
   * first, so they cannot run apart); `onUrl` gets the authorization URL it prints.
   */
  async function runScenarios(onUrl: (url: string) => Promise<void>): Promise<Check[]> {
    const outputDir = join(dataDir, 'results');
    const child: ChildProcess = spawn(
      process.execPath,
      [
        CONFORMANCE_CLI,
        'authorization',
        '--url',
        as.issuer,
        '--client-id',
        CLIENT_ID,
        '--resource',
        resource,
        '--port',
        String(callbackPort),
        '--output-dir',
        outputDir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    let handed: Promise<void> | undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /^(http:\/\/\S+\/oauth\/authorize\?\S+)$/m.exec(output)?.[1];
      if (url && handed === undefined) handed = onUrl(url);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    await handed;
    const checks: Check[] = [];
    for (const file of await readdir(outputDir, { recursive: true })) {
      if (!file.endsWith('checks.json')) continue;
      checks.push(...(JSON.parse(await readFile(join(outputDir, file), 'utf8')) as Check[]));
    }
    if (checks.length === 0) throw new Error(`no checks written (exit ${code}):\n${output}`);
    return checks;
  }

  it('passes both: metadata (with CIMD support) and the code grant with PKCE, iss, JSON and no-store', async () => {
    const checks = await runScenarios(async (url) => {
      const browser = new BrowserSession();
      const callback = `http://127.0.0.1:${callbackPort}/callback`;
      const form = await browser.follow(url, callback);
      if (form.page === undefined) throw new Error('expected the upstream sign-in form');
      const consent = await signInUpstream(browser, form.page, 'alice', callback);
      if (consent.page === undefined) throw new Error('expected the consent page');
      const landed = await decideConsent(browser, consent.page, 'approve', callback);
      if (landed.redirect === undefined) throw new Error('expected the redirect to the suite');
      await fetch(landed.redirect);
    });
    expect(checks.map((check) => [check.id, check.status, check.errorMessage])).toEqual([
      ['authorization-server-metadata', 'SUCCESS', undefined],
      ['authorization-server-metadata-cimd', 'SUCCESS', undefined],
      ['authorization-code-grant', 'SUCCESS', undefined],
    ]);
  }, 30_000);
});
