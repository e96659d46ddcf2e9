import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedAddress } from '../../../src/authorization-server/client-metadata/safe-fetch.js';
import {
  type AuthorizationServerApp,
  buildAuthorizationServer,
} from '../../../src/authorization-server/server/authorization-server-app.js';
import { parseUpstreamSettings } from '../../../src/authorization-server/upstream/upstream-sign-in.js';
import { AUTHORIZATION_SERVER } from '../../../src/contract.js';
import { ensureDevAuthorizationServerSecrets } from '../../../src/dev/dev-authorization-server.js';
import { fileSecretSource } from '../../../src/secrets/file-secret-source.js';
import { createSecretsProvider } from '../../../src/secrets/secrets-provider.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { freePort } from '../../helpers/free-port.js';
import { newPkce } from '../server/authorization-server-fixture.js';
import { expectRefusalPage } from './attack-helpers.js';

const { paths } = AUTHORIZATION_SERVER;
/** Never contacted: discovery happens on the first sign-in, and no request here gets that far. */
const UPSTREAM = 'https://upstream.invalid';
const REDIRECT_URI = 'https://client.example/callback';
/** The resolver's words for address_refused (safe-fetch.ts), as the error page shows them. */
const ADDRESS_REFUSED = 'not on the public internet';

/**
 * SSRF through Client ID Metadata Documents (draft §8.6) against the PRODUCTION configuration: a client id URL whose
 * host is, or resolves to, loopback, a private range or the cloud metadata address must be refused before any
 * connection. Names resolve through an injected lookup; loopback names point at a listener that counts connections.
 */
describe('client id metadata documents in production mode: no fetch from internal addresses', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: AuthorizationServerApp;
  let issuer: string;
  let listener: Server;
  let listenerPort: number;
  let connections = 0;
  const lookups: string[] = [];
  const dns = new Map<string, ResolvedAddress[]>();

  beforeAll(async () => {
    const [backend] = availableDatabaseBackends();
    db = await createTestDatabase(backend ?? 'embedded');
    dataDir = await mkdtemp(join(tmpdir(), 'authorization-server-ssrf-'));
    listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerPort = (listener.address() as { port: number }).port;
    await ensureDevAuthorizationServerSecrets(join(dataDir, 'secrets'));
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    server = await buildAuthorizationServer({
      mode: 'production',
      issuer,
      resource: 'https://mcp.example/mcp',
      pool: db.authorizationServerPool,
      secrets: createSecretsProvider([fileSecretSource(join(dataDir, 'secrets'))]),
      upstream: parseUpstreamSettings({
        issuer: UPSTREAM,
        clientId: 'mcp-authorization-server',
        clientAuthentication: 'none',
        identity: { kind: 'oidc', issuer: UPSTREAM, tenant: { fixed: 'acme' } },
      }),
      logLevel: 'silent',
      clientMetadata: {
        // A refused address must never be tried, so a short timeout only shortens a failing run.
        timeoutMs: 1_000,
        lookup: async (hostname) => {
          lookups.push(hostname);
          const answer = dns.get(hostname);
          if (answer === undefined) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
          return answer;
        },
      },
    });
    await server.app.listen({ port, host: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
    await db?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function authorize(clientId: string) {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: newPkce().challenge,
      code_challenge_method: 'S256',
      state: 'state-ssrf',
      scope: 'mcp:read',
      resource: 'https://mcp.example/mcp',
    });
    return fetch(`${issuer}${paths.authorize}?${query}`, { redirect: 'manual' });
  }

  const resolvedNames: Array<[string, ResolvedAddress[]]> = [
    ['loopback', [{ address: '127.0.0.1', family: 4 }]],
    ['IPv4-mapped loopback', [{ address: '::ffff:127.0.0.1', family: 6 }]],
    ['10/8', [{ address: '10.0.0.5', family: 4 }]],
    ['192.168/16', [{ address: '192.168.1.10', family: 4 }]],
    ['cloud metadata 169.254.169.254', [{ address: '169.254.169.254', family: 4 }]],
    [
      'loopback behind a private address',
      [
        { address: '10.1.2.3', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    ],
  ];

  it.each(resolvedNames)('a name resolving to %s is invalid_client, with no connection', async (label, answer) => {
    const host = `${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.attacker.example`;
    dns.set(host, answer);
    const before = connections;
    const clientId = `https://${host}:${listenerPort}/client.json`;
    const body = await expectRefusalPage(await authorize(clientId));
    expect(body).toContain('invalid_client');
    // Refused for the address before any attempt (not a failed fetch), and the address is not told to the caller.
    expect(body).toContain(ADDRESS_REFUSED);
    expect(lookups).toContain(host);
    for (const { address } of answer) expect(body).not.toContain(address);
    expect(connections - before).toBe(0);
  });

  const literalHosts = [
    `127.0.0.1:LISTENER`,
    `[::ffff:7f00:1]:LISTENER`,
    `[::1]:LISTENER`,
    '10.0.0.1',
    '192.168.0.1',
    '169.254.169.254',
  ];

  it.each(literalHosts)('a client id URL naming %s is invalid_client, with no connection', async (host) => {
    const before = connections;
    const lookupsBefore = lookups.length;
    const clientId = `https://${host.replace('LISTENER', String(listenerPort))}/client.json`;
    expect(new URL(clientId).href, 'canonical, so only the address can be what is refused').toBe(clientId);
    const body = await expectRefusalPage(await authorize(clientId));
    expect(body).toContain('invalid_client');
    expect(body).toContain(ADDRESS_REFUSED);
    expect(lookups.length).toBe(lookupsBefore);
    expect(connections - before).toBe(0);
  });

  it('the refusals issued nothing and started no sign-in', async () => {
    const { rows } = await db.adminPool.query<{ model: string }>('SELECT model FROM oauth_records');
    expect(rows).toEqual([]);
    expect(connections).toBe(0);
  });
});
