import { createServer } from 'node:net';
import { DEV_ISSUER, ENV, PORTS } from '../contract.js';

/** Where `npm run dev` listens, from the developer's environment. */
export interface DevListeners {
  port: number;
  host: string;
  /** The host as it appears in URLs (loopback for a wildcard address, IPv6 in brackets). */
  urlHost: string;
  /** The MCP endpoint, which is also the resource URL (the token audience). */
  resource: string;
  /** 0 (the default) picks a free port, so a second dev server never collides on it; printed at start. */
  metricsPort: number;
  /** Loopback unless told: nothing on a developer's network needs the metrics. */
  metricsHost: string;
  issuerPort: number;
  /** The authorization server for MCP clients (issue 13) and its local upstream OpenID provider. */
  authorizationServerPort: number;
  upstreamProviderPort: number;
}

export function devListeners(env: NodeJS.ProcessEnv): DevListeners {
  const port = Number(env[ENV.port] ?? PORTS.http);
  const host = env[ENV.host] ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    port,
    host,
    urlHost,
    resource: `http://${urlHost}:${port}/mcp`,
    metricsPort: Number(env[ENV.metricsPort] ?? 0),
    metricsHost: env[ENV.metricsHost] ?? '127.0.0.1',
    issuerPort: Number(env[ENV.devIssuerPort] ?? DEV_ISSUER.port),
    authorizationServerPort: Number(env[ENV.devAuthorizationServerPort] ?? DEV_ISSUER.authorizationServerPort),
    upstreamProviderPort: Number(env[ENV.devUpstreamProviderPort] ?? DEV_ISSUER.upstreamProviderPort),
  };
}

/**
 * What to tell a developer whose dev server could not listen: which variable names the taken port, so a second
 * server can be started beside the first. Undefined for any other failure.
 */
export function portInUseMessage(error: unknown, listeners: DevListeners): string | undefined {
  const failure = error as NodeJS.ErrnoException & { port?: number };
  if (failure?.code !== 'EADDRINUSE') return undefined;
  const byPort: Array<[string, number]> = [
    [ENV.port, listeners.port],
    [ENV.metricsPort, listeners.metricsPort],
    [ENV.devIssuerPort, listeners.issuerPort],
    [ENV.devAuthorizationServerPort, listeners.authorizationServerPort],
    [ENV.devUpstreamProviderPort, listeners.upstreamProviderPort],
  ];
  const variable = byPort.find(([, port]) => port !== 0 && port === failure.port)?.[0];
  const which = variable ? `${variable}=${failure.port}` : `port ${failure.port ?? '(unknown)'}`;
  return `${which} is already in use (another dev server?): give this one free ports, e.g. ${ENV.port}=8180 ${ENV.devIssuerPort}=8190 ${ENV.devAuthorizationServerPort}=8195 ${ENV.devUpstreamProviderPort}=8196 (${ENV.metricsPort} picks a free one when unset).`;
}

/**
 * Fails with EADDRINUSE (and the port, for portInUseMessage) when something already listens there. Checked before
 * the dev server opens its database, so a second server on taken ports never touches the first one's data folder.
 */
export function assertPortFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { port })));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
