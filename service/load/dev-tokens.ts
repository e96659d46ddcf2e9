import { join } from 'node:path';
import { MCP_SCOPES } from '../src/contract.js';
import { DEV_DATA_DIR, readDevServerInfo } from '../src/dev/dev-paths.js';
import { loadOrCreateDevSigningKey } from '../src/dev/dev-signing-key.js';
import { mintDevAccessToken } from '../src/dev/dev-token-minter.js';
import { type LoadToken, LoadTokenError } from './load-token.js';

export interface DevTokenRequest {
  url: string;
  tenants: number;
  usersPerTenant: number;
  /** The dev server's data folder (holds dev-server.json and dev-issuer/); default service/.data. */
  devDataDir?: string;
  /** Long enough to outlast the run. */
  lifetimeSeconds: number;
}

/** The same resource whatever the spelling: a trailing slash or default port does not make another server. */
function sameResource(left: string, right: string): boolean {
  const normalise = (url: string) => new URL(url).href.replace(/\/$/, '');
  return normalise(left) === normalise(right);
}

/**
 * Tokens for tenants load-tenant-1..n, users load-user-1..m in each, signed with the key of the running dev server's
 * issuer. Only for that dev server: a token minted for another audience would only measure 401s, and the key must
 * not be mistaken for a way into a real deployment.
 */
export async function mintDevLoadTokens(request: DevTokenRequest): Promise<LoadToken[]> {
  const dataDir = request.devDataDir ?? DEV_DATA_DIR;
  const infoFile = join(dataDir, 'dev-server.json');
  const info = readDevServerInfo(infoFile);
  if (!info) {
    throw new LoadTokenError(
      `no dev server found (${infoFile} is missing or unreadable): start \`npm run dev\`, or pass --tokens <file> for another server`,
    );
  }
  if (!sameResource(info.resource, request.url)) {
    throw new LoadTokenError(
      `refusing to mint tokens: the dev server serves ${info.resource}, not ${request.url}; ` +
        'load that URL, or pass --tokens <file> for another server',
    );
  }
  const key = await loadOrCreateDevSigningKey(join(dataDir, 'dev-issuer'));
  const minting: Promise<LoadToken>[] = [];
  for (let tenant = 1; tenant <= request.tenants; tenant++) {
    for (let user = 1; user <= request.usersPerTenant; user++) {
      const labels = { tenant: `load-tenant-${tenant}`, user: `load-user-${user}` };
      minting.push(
        mintDevAccessToken(key, info.issuer, {
          subject: labels.user,
          tenantId: labels.tenant,
          scopes: [MCP_SCOPES.read, MCP_SCOPES.write],
          audience: info.resource,
          expiresInSeconds: request.lifetimeSeconds,
        }).then((token) => ({ token, ...labels })),
      );
    }
  }
  return Promise.all(minting);
}
