import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientMetadata } from 'oidc-provider';
import type pg from 'pg';
import {
  type AuthorizationServerApp,
  buildAuthorizationServer,
} from '../authorization-server/server/authorization-server-app.js';
import { newSigningKey } from '../authorization-server/signing-keys/new-signing-key.js';
import { parseUpstreamSettings } from '../authorization-server/upstream/upstream-sign-in.js';
import { AUTHORIZATION_SERVER, SECRET_NAMES } from '../contract.js';
import type { LogDestination } from '../http/logger-options.js';
import { type MetricsServer, startMetricsServer } from '../observability/metrics-server.js';
import { fileSecretSource } from '../secrets/file-secret-source.js';
import { createSecretsProvider } from '../secrets/secrets-provider.js';
import { DEV_DATA_DIR } from './dev-paths.js';
import { DEV_UPSTREAM_PROVIDER_DATA_DIR, startDevUpstreamProvider } from './upstream-provider/dev-upstream-provider.js';
import { DEV_UPSTREAM_CLIENT_ID } from './upstream-provider/provider-configuration.js';
import { devUpstreamIdentityConfig } from './upstream-provider/upstream-users.js';

/** The authorization server's development secrets (its signing keys, its cookie keys): created once, 0600. */
export const DEV_AUTHORIZATION_SERVER_SECRETS_DIR = join(DEV_DATA_DIR, 'authorization-server-secrets');

export interface DevAuthorizationServerOptions {
  port: number;
  upstreamPort: number;
  resource: string;
  pool: pg.Pool;
  secretsDir?: string;
  upstreamDataDir?: string;
  logLevel?: string;
  logDestination?: LogDestination;
  /** Clients registered ahead (e.g. the conformance suite's), beside those that come with a metadata document. */
  preRegisteredClients?: ClientMetadata[];
  /** Dynamic client registration (RFC 7591): off unless asked (`npm run dev` asks, for clients without CIMD). */
  dynamicRegistration?: boolean;
}

export interface DevAuthorizationServer {
  issuer: string;
  upstreamIssuer: string;
  server: AuthorizationServerApp;
  /** Its Prometheus listener on loopback, on a free port. */
  metricsAddress: string;
  close(): Promise<void>;
}

async function readOrCreate(file: string, create: () => Promise<string>): Promise<void> {
  try {
    await readFile(file, 'utf8');
  } catch {
    await writeFile(file, await create(), { mode: 0o600 });
    await chmod(file, 0o600);
  }
}

/** The secrets Key Vault holds in Azure, as files (the CSI mount's layout) in the development data folder. */
export async function ensureDevAuthorizationServerSecrets(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await readOrCreate(join(dir, SECRET_NAMES.authorizationServerSigningKeys), async () =>
    JSON.stringify({ keys: [await newSigningKey({ alg: 'ES256', useFrom: new Date(Date.now() - 60_000) })] }),
  );
  await readOrCreate(join(dir, SECRET_NAMES.authorizationServerCookieKeys), async () =>
    JSON.stringify({ keys: [randomBytes(32).toString('base64url')] }),
  );
}

/**
 * `npm run dev`'s authorization server on loopback, federated to the local upstream provider with the sample users.
 * Development mode: http loopback client ids are accepted (CIMD), the upstream speaks http.
 */
export async function startDevAuthorizationServer(
  options: DevAuthorizationServerOptions,
): Promise<DevAuthorizationServer> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const secretsDir = options.secretsDir ?? DEV_AUTHORIZATION_SERVER_SECRETS_DIR;
  await ensureDevAuthorizationServerSecrets(secretsDir);
  const upstream = await startDevUpstreamProvider({
    mode: 'development',
    port: options.upstreamPort,
    redirectUris: [`${issuer}${AUTHORIZATION_SERVER.paths.upstreamCallback}`],
    dataDir: options.upstreamDataDir ?? DEV_UPSTREAM_PROVIDER_DATA_DIR,
  });
  try {
    const server = await buildAuthorizationServer({
      mode: 'development',
      issuer,
      resource: options.resource,
      pool: options.pool,
      secrets: createSecretsProvider([fileSecretSource(secretsDir)]),
      upstream: parseUpstreamSettings({
        issuer: upstream.issuer,
        clientId: DEV_UPSTREAM_CLIENT_ID,
        clientAuthentication: 'none',
        identity: devUpstreamIdentityConfig(upstream.issuer),
      }),
      upstreamAllowsHttp: true,
      preRegisteredClients: options.preRegisteredClients,
      dynamicRegistration: options.dynamicRegistration ?? false,
      logLevel: options.logLevel,
      logDestination: options.logDestination,
    });
    await server.app.listen({ port: options.port, host: '127.0.0.1' });
    const metrics: MetricsServer = await startMetricsServer({
      registry: server.metrics.registry,
      host: '127.0.0.1',
      port: 0,
    });
    return {
      issuer,
      upstreamIssuer: upstream.issuer,
      server,
      metricsAddress: metrics.address,
      async close() {
        await server.close();
        await metrics.close();
        await upstream.close();
      },
    };
  } catch (error) {
    await upstream.close();
    throw error;
  }
}
