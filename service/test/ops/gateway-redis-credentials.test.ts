import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewGatewayRedisCredentials } from '../../src/ops/gateway-redis-credentials.js';
import type { GatewayRedisCredentialsConfig } from '../../src/ops/gateway-redis-credentials-config.js';
import { createOpsLogger } from '../../src/ops/ops-log.js';
import { REDIS_ENTRA_SCOPE } from '../../src/security/redis-entra-auth.js';
import { kubernetesStatus, startFakeKubernetesApi } from './fake-kubernetes-api.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const username = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

/** Stands in for the workload identity: what is under test is what happens to its token. */
function stubCredential(token: AccessToken | null) {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    async getToken(scope) {
      scopes.push(String(scope));
      return token;
    },
  };
  return { credential, scopes };
}

describe('renewing the gateway Redis credentials', () => {
  let api: Awaited<ReturnType<typeof startFakeKubernetesApi>>;
  let config: GatewayRedisCredentialsConfig;
  beforeAll(async () => {
    api = await startFakeKubernetesApi();
    config = { secret: { namespace: 'kong', name: 'kong-redis-credentials' }, username, apiBaseUrl: api.baseUrl };
  });
  afterAll(async () => {
    await api?.close();
  });
  const run = (credential: TokenCredential, lines: string[] = []) =>
    renewGatewayRedisCredentials(config, {
      credential,
      log: createOpsLogger((line) => lines.push(line)),
      kubernetes: { token: 'sa-token' },
      now: () => NOW,
    });

  it('writes the Redis token of the job identity and its object id into the Secret, logging the expiry only', async () => {
    api.answer({ status: 200, body: { kind: 'Secret' } });
    const token = 'eyJ0eXAiOiJKV1QifQ.redis-token.signature';
    const { credential, scopes } = stubCredential({ token, expiresOnTimestamp: NOW + 75 * 60_000 });
    const lines: string[] = [];

    expect(await run(credential, lines)).toEqual({ expiresOn: new Date(NOW + 75 * 60_000) });
    expect(scopes).toEqual([REDIS_ENTRA_SCOPE]);
    const request = api.requests.at(-1)!;
    expect(request.method).toBe('PATCH');
    expect(request.path).toBe('/api/v1/namespaces/kong/secrets/kong-redis-credentials');
    expect(request.headers.authorization).toBe('Bearer sa-token');
    const { data } = JSON.parse(request.body) as { data: Record<string, string> };
    expect(Buffer.from(data.username!, 'base64').toString()).toBe(username);
    expect(Buffer.from(data.password!, 'base64').toString()).toBe(token);

    expect(lines.join('')).not.toContain(token);
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries.map((entry) => entry.msg)).toEqual(['redis token acquired', 'gateway redis credentials written']);
    expect(entries[0]).toMatchObject({ level: 30, expiresOn: '2026-03-01T13:15:00.000Z', validForMinutes: 75 });
  });

  it.each([
    ['no token', null, /Entra returned no token/],
    ['an empty token', { token: '', expiresOnTimestamp: NOW + 3_600_000 }, /Entra returned no token/],
    ['an expired token', { token: 't', expiresOnTimestamp: NOW - 1 }, /expired at/],
  ])('refuses %s and leaves the Secret alone', async (_case, token, message) => {
    const before = api.requests.length;
    await expect(run(stubCredential(token).credential)).rejects.toThrow(message);
    expect(api.requests).toHaveLength(before);
  });

  it('fails with the API error when the Secret cannot be written', async () => {
    api.answer({ status: 404, body: kubernetesStatus(404, 'NotFound', 'secrets "kong-redis-credentials" not found') });
    const { credential } = stubCredential({ token: 't', expiresOnTimestamp: NOW + 3_600_000 });
    await expect(run(credential)).rejects.toThrow(/does not exist: the Pulumi program creates it/);
  });
});
