import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/server';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { loadConfig } from '../../src/config.js';
import { ENV, MCP_SCOPES, PATHS } from '../../src/contract.js';
import type { LogDestination } from '../../src/http/logger-options.js';
import { type RunningService, startService } from '../../src/start-service.js';
import { createTestDatabase, type DatabaseBackendName, type TestDatabase } from './database.js';
import { freePort } from './free-port.js';
import { createTestIssuer, type TestIssuer } from './test-issuer.js';

export const TEST_ALLOWED_ORIGIN = 'https://app.example.com';

export interface Caller {
  sub: string;
  tenant: string;
  scopes?: readonly string[];
  roles?: readonly string[];
}

export interface ServiceUnderTest {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** The MCP endpoint, which is also the resource URL (the token audience). */
  mcpUrl: string;
  issuer: TestIssuer;
  database: TestDatabase;
  service: RunningService;
  /** A valid access token for this caller (all three scopes unless given). */
  tokenFor(caller: Caller): Promise<string>;
  close(): Promise<void>;
}

/**
 * The production wiring (startService) against a real database, a real local issuer and a real socket:
 * what the end-to-end tests and the real MCP client talk to.
 */
export async function startServiceUnderTest(options: {
  backend: DatabaseBackendName;
  registerExtras?: (server: McpServer) => void;
  logDestination?: LogDestination;
  /** Span processors instead of the OTLP exporter (an in-memory exporter to assert on spans). */
  spanProcessors?: SpanProcessor[];
  /** Settings over the defaults; a function gets the issuer, to name issuers it serves (e.g. Entra-shaped ones). */
  env?: Record<string, string> | ((issuer: TestIssuer) => Record<string, string>);
  /** A database of the test's own (e.g. its own Postgres cluster) instead of a fresh one on `backend`. */
  database?: TestDatabase;
  /** The service builds its pool from its configuration (pool size, tenant share) as in production. */
  ownPool?: boolean;
}): Promise<ServiceUnderTest> {
  const database = options.database ?? (await createTestDatabase(options.backend));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const mcpUrl = `${baseUrl}${PATHS.mcp}`;
  const issuer = await createTestIssuer({ audience: mcpUrl });
  try {
    const config = loadConfig({
      [ENV.port]: String(port),
      [ENV.host]: '127.0.0.1',
      // Any free port: several services run in one test process.
      [ENV.metricsPort]: '0',
      [ENV.logLevel]: 'silent',
      [ENV.resourceUrl]: mcpUrl,
      [ENV.issuers]: issuer.issuer,
      [ENV.databaseUrl]: database.appConnectionString,
      [ENV.allowedOrigins]: TEST_ALLOWED_ORIGIN,
      [ENV.secretsDir]: mkdtempSync(join(tmpdir(), 'mcp-secrets-')),
      ...(typeof options.env === 'function' ? options.env(issuer) : options.env),
    });
    const service = await startService(config, {
      pool: options.ownPool ? undefined : database.appPool,
      registerExtras: options.registerExtras,
      logDestination: options.logDestination,
      spanProcessors: options.spanProcessors,
    });
    return {
      baseUrl,
      mcpUrl,
      issuer,
      database,
      service,
      tokenFor: (caller) =>
        issuer.mintToken({
          claims: {
            sub: caller.sub,
            tenant_id: caller.tenant,
            scope: (caller.scopes ?? Object.values(MCP_SCOPES)).join(' '),
            roles: [...(caller.roles ?? [])],
          },
        }),
      async close() {
        await service.stop();
        await issuer.close();
        await database.close();
      },
    };
  } catch (error) {
    await issuer.close();
    await database.close();
    throw error;
  }
}
