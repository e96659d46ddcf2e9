import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { ENV } from '../../src/contract.js';
import { loadGatewayRedisCredentialsConfig } from '../../src/ops/gateway-redis-credentials-config.js';

const valid = {
  [ENV.credentialsSecretName]: 'kong-redis-credentials',
  [ENV.credentialsSecretNamespace]: 'kong',
  [ENV.redisUsername]: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
  KUBERNETES_SERVICE_HOST: '10.0.0.1',
  KUBERNETES_SERVICE_PORT: '443',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadGatewayRedisCredentialsConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadGatewayRedisCredentialsConfig', () => {
  it('reads the Secret, the Redis username and the in-cluster API address', () => {
    expect(loadGatewayRedisCredentialsConfig(valid)).toEqual({
      secret: { namespace: 'kong', name: 'kong-redis-credentials' },
      username: valid[ENV.redisUsername],
      apiBaseUrl: 'https://10.0.0.1:443',
    });
  });

  it('lists every missing variable at once, by name, and notices it is not in a pod', () => {
    expect(problemsOf({})).toEqual([
      `${ENV.credentialsSecretName}: is required but not set`,
      `${ENV.credentialsSecretNamespace}: is required but not set`,
      `${ENV.redisUsername}: is required but not set`,
      expect.stringMatching(/^KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set/),
    ]);
  });

  it('refuses a username that is not an object id and names that Kubernetes would refuse', () => {
    expect(
      problemsOf({
        ...valid,
        [ENV.redisUsername]: 'kong',
        [ENV.credentialsSecretName]: 'Kong_Credentials',
        [ENV.credentialsSecretNamespace]: 'kong.system',
      }),
    ).toEqual([
      `${ENV.credentialsSecretName}: must be a Kubernetes object name`,
      `${ENV.credentialsSecretNamespace}: must be a Kubernetes namespace name`,
      `${ENV.redisUsername}: must be an Entra object id (a GUID)`,
    ]);
  });
});
