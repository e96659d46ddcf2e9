import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { DEV_DATA_DIR } from '../dev-paths.js';
import { DEV_LOOPBACK_HOSTS, urlHost } from '../loopback.js';
import { createInteractionHandler, type InteractionHandler } from './interaction-handler.js';
import { providerConfiguration } from './provider-configuration.js';
import { renderProblemPage } from './sign-in-page.js';
import { loadOrCreateUpstreamProviderKey } from './upstream-provider-key.js';

/** Where the provider's signing key lives by default (git-ignored, like the dev issuer's). */
export const DEV_UPSTREAM_PROVIDER_DATA_DIR = join(DEV_DATA_DIR, 'dev-upstream-provider');

export interface DevUpstreamProviderOptions {
  /** Must be spelled out: this provider signs anyone in without a password, so it never starts by default. */
  mode: 'development';
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The authorization server's callback URLs, registered on its client here. */
  redirectUris: readonly string[];
  /** Holds the signing key (created on first use, mode 0600). */
  dataDir: string;
}

export interface DevUpstreamProvider {
  issuer: string;
  close(): Promise<void>;
}

export class DevUpstreamProviderRefusedError extends Error {
  readonly code = 'dev_upstream_provider_refused';
  constructor(message: string) {
    super(message);
    this.name = 'DevUpstreamProviderRefusedError';
  }
}

function checkRedirectUris(redirectUris: readonly string[]): void {
  if (!Array.isArray(redirectUris) || redirectUris.length === 0) {
    throw new DevUpstreamProviderRefusedError('The development upstream provider needs at least one redirect URI');
  }
  for (const uri of redirectUris) {
    const url = URL.canParse(uri) ? new URL(uri) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hash !== '') {
      throw new DevUpstreamProviderRefusedError(
        `Redirect URI "${uri}" is not an absolute http(s) URL without fragment`,
      );
    }
  }
}

/**
 * The upstream OpenID provider of local development: oidc-provider with the sample users, a sign-in form that checks
 * no password, and one client, our authorization server. It plays the part Entra ID plays in Azure.
 */
export async function startDevUpstreamProvider(options: DevUpstreamProviderOptions): Promise<DevUpstreamProvider> {
  // Checked at run time too: a cast or a JavaScript caller must not get a password-less sign-in outside development.
  if (options.mode !== 'development') {
    throw new DevUpstreamProviderRefusedError("The development upstream provider only starts with mode: 'development'");
  }
  const host = options.host ?? '127.0.0.1';
  if (!DEV_LOOPBACK_HOSTS.has(host)) {
    throw new DevUpstreamProviderRefusedError(
      `The development upstream provider only binds to loopback (127.0.0.1, ::1, localhost), not "${host}"`,
    );
  }
  checkRedirectUris(options.redirectUris);
  const signingKey = await loadOrCreateUpstreamProviderKey(options.dataDir);

  // The issuer names the port, so the server listens before the provider exists; requests before then get a 503.
  let handleInteraction: InteractionHandler['handle'] | undefined;
  let providerCallback: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server = createServer((request, response) => {
    if (handleInteraction === undefined || providerCallback === undefined) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('starting');
      return;
    }
    const callback = providerCallback;
    handleInteraction(request, response).then(
      (handled) => {
        if (!handled) callback(request, response);
      },
      () => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        response.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
        response.end(renderProblemPage('Sign-in failed', 'The development identity provider failed; see its log.'));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const issuer = `http://${urlHost(host)}:${port}`;
  const redirectOrigins = new Set(options.redirectUris.map((uri) => new URL(uri).origin));
  const provider = new Provider(issuer, providerConfiguration({ signingKey, redirectUris: options.redirectUris }));
  handleInteraction = createInteractionHandler(provider, redirectOrigins).handle;
  providerCallback = provider.callback();

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
