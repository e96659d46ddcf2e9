/**
 * The service's secrets provider in a process of its own, started with NODE_EXTRA_CA_CERTS naming the fake vault's
 * test CA (Node reads it only at start). Driven over IPC by key-vault-client.ts; the clock is the test's.
 * argv: <vault url> <secrets dir>
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ENV } from '../../src/contract.js';
import { createServiceMetrics } from '../../src/observability/service-metrics.js';
import { secretsFromConfig, startupPassword } from '../../src/secrets/secrets-from-config.js';

export const FAKE_TOKEN = 'fake-key-vault-access-token';

export type ClientRequest =
  | { op: 'get'; name: string }
  | { op: 'startup'; name: string }
  | { op: 'advance'; ms: number }
  | { op: 'observe' };

const [vaultUrl = '', secretsDir = ''] = process.argv.slice(2);
let clock = 1_700_000_000_000;
const logs: Array<{ level: string; message: string; details: Record<string, unknown> }> = [];
const tokenScopes: string[] = [];
const credential: TokenCredential = {
  async getToken(scopes): Promise<AccessToken> {
    tokenScopes.push(...[scopes].flat());
    return { token: FAKE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};
const metrics = createServiceMetrics();
const config = loadConfig({
  [ENV.resourceUrl]: 'https://mcp.example.com/mcp',
  [ENV.issuers]: 'https://login.example.com/tenant/v2.0',
  [ENV.databaseUrl]: 'postgres://mcp_app@db.example.com:5432/mcp',
  [ENV.secretsDir]: secretsDir,
  [ENV.keyVaultUrl]: vaultUrl,
  [ENV.keyVaultCacheTtlSeconds]: '300',
  [ENV.keyVaultMaxStaleSeconds]: '3600',
});
const secrets = secretsFromConfig(config, {
  env: {},
  credential,
  now: () => clock,
  logger: {
    warn: (details, message) => logs.push({ level: 'warn', message, details }),
    info: (details, message) => logs.push({ level: 'info', message, details }),
  },
  onStaleRead: (name) => metrics.keyVaultStaleReads.inc({ secret: name }),
  // The double answers on localhost, not at a Key Vault host the SDK would accept as the challenge's resource.
  keyVaultClientOptions: { disableChallengeResourceVerification: true },
});

async function answer(request: ClientRequest): Promise<unknown> {
  switch (request.op) {
    case 'get':
      return { value: await secrets.get(request.name) };
    case 'startup': {
      const password = await startupPassword(secrets, request.name, { required: true });
      return { value: await password?.() };
    }
    case 'advance':
      clock += request.ms;
      return {};
    case 'observe': {
      const staleReads = Object.fromEntries(
        (await metrics.keyVaultStaleReads.get()).values.map((sample) => [sample.labels.secret, sample.value]),
      );
      return { staleReads, logs, tokenScopes };
    }
  }
}

process.on('message', (message: { id: number; request: ClientRequest }) => {
  answer(message.request).then(
    (result) => process.send?.({ id: message.id, ok: true, result }),
    (error: Error) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: { name: error.name, message: error.message, configError: error instanceof ConfigError },
      }),
  );
});
process.send?.({ ready: true });
