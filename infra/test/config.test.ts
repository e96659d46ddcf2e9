import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../stacks';
import { type RawDeploymentConfig, validateDeploymentConfig } from '../config';
import { InfraConfigError } from '../errors';

const valid: RawDeploymentConfig = {
  stack: 'dev',
  project: 'secure-mcp-azure',
  location: 'westeurope',
  publicHostname: 'mcp.dev.example.com',
  owner: 'platform-team',
  costCenter: 'cc-1',
  serviceImageDigest: `sha256:${'ab'.repeat(32)}`,
};

function problemsOf(raw: RawDeploymentConfig): readonly string[] {
  try {
    validateDeploymentConfig(raw);
  } catch (error) {
    if (error instanceof InfraConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateDeploymentConfig', () => {
  it('picks the profile from the stack name by default, and from `environment` when set', () => {
    expect(validateDeploymentConfig(valid).profile).toBe(PROFILES.dev);
    const staging = validateDeploymentConfig({ ...valid, stack: 'feature-x', environment: 'staging' });
    expect(staging.environment).toBe('staging');
    expect(staging.profile).toBe(PROFILES.staging);
  });

  it('derives the MCP resource URL from the public host name', () => {
    expect(validateDeploymentConfig({ ...valid, publicHostname: 'MCP.Example.com' }).resourceUrl).toBe(
      'https://mcp.example.com/mcp',
    );
  });

  it('lists every problem at once, with a code', () => {
    let caught: unknown;
    try {
      validateDeploymentConfig({ stack: 'feature-x', project: 'p', allowedIpRanges: ['0.0.0.0/0', 'nope'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InfraConfigError);
    const error = caught as InfraConfigError;
    expect(error.code).toBe('INFRA_CONFIG_INVALID');
    expect(error.problems.join('\n')).toMatch(/environment must be one of dev, staging, prod/);
    expect(error.problems.join('\n')).toMatch(/location is required/);
    expect(error.problems.join('\n')).toMatch(/publicHostname is required/);
    expect(error.problems.join('\n')).toMatch(/owner is required/);
    expect(error.problems.join('\n')).toMatch(/costCenter is required/);
    expect(error.problems.join('\n')).toMatch(/0\.0\.0\.0\/0/);
    expect(error.problems.join('\n')).toMatch(/'nope' is not an IPv4 address/);
  });

  it('rejects malformed lists, object ids and classifications', () => {
    expect(problemsOf({ ...valid, allowedIpRanges: '1.2.3.4/32' })).toEqual([
      expect.stringMatching(/allowedIpRanges must be a list/),
    ]);
    expect(problemsOf({ ...valid, clusterAdminGroupObjectIds: ['admins'] })).toEqual([
      expect.stringMatching(/not an object id/),
    ]);
    expect(problemsOf({ ...valid, dataClassification: 'secret' })).toEqual([
      expect.stringMatching(/dataClassification must be one of/),
    ]);
    expect(problemsOf({ ...valid, publicHostname: 'not a host' })).toEqual([
      expect.stringMatching(/publicHostname is not a DNS name/),
    ]);
  });

  it('refuses a mutable image reference, non-origin browser origins and a bad ACME setting', () => {
    expect(problemsOf({ ...valid, serviceImageDigest: 'latest' })).toEqual([
      expect.stringMatching(/serviceImageDigest must be an image digest 'sha256:<64 lowercase hex>' .* got 'latest'/),
    ]);
    expect(problemsOf({ ...valid, serviceImageDigest: `sha256:${'AB'.repeat(32)}` })).toHaveLength(1);
    expect(problemsOf({ ...valid, serviceImageDigest: undefined })).toEqual([
      expect.stringMatching(/serviceImageDigest is required with the Kubernetes layer/),
    ]);
    expect(problemsOf({ ...valid, serviceImageDigest: undefined, kubernetesLayer: false })).toEqual([]);
    expect(problemsOf({ ...valid, allowedOrigins: ['https://app.example.com/path'] })).toEqual([
      expect.stringMatching(/'https:\/\/app\.example\.com\/path' is not an origin .* 'https:\/\/app\.example\.com'\?/),
    ]);
    expect(problemsOf({ ...valid, allowedOrigins: ['http://app.example.com'] })).toEqual([
      expect.stringMatching(/must be an https URL/),
    ]);
    expect(problemsOf({ ...valid, acmeServer: 'http://acme.example.com/directory' })).toEqual([
      expect.stringMatching(/acmeServer must be an https URL/),
    ]);
    expect(problemsOf({ ...valid, acmeEmail: 'ops at example.com' })).toEqual([
      expect.stringMatching(/acmeEmail must be an e-mail address/),
    ]);
    const defaults = validateDeploymentConfig(valid);
    expect(defaults.acmeServer).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(defaults.acmeEmail).toBeUndefined();
    expect(validateDeploymentConfig({ ...valid, acmeEmail: 'ops@example.com' }).acmeEmail).toBe('ops@example.com');
  });

  it('requires an https issuer for an external authorization server and defaults the audience to the resource URL', () => {
    expect(problemsOf({ ...valid, authorizationServer: 'external' })).toEqual([
      expect.stringMatching(/oauthIssuerUrl is required/),
    ]);
    expect(
      problemsOf({ ...valid, authorizationServer: 'external', oauthIssuerUrl: 'http://issuer.example.com' }),
    ).toEqual([expect.stringMatching(/must be an https URL/)]);
    const config = validateDeploymentConfig({
      ...valid,
      authorizationServer: 'external',
      oauthIssuerUrl: 'https://issuer.example.com',
    });
    expect(config.authorizationServer).toEqual({
      kind: 'external',
      issuerUrl: 'https://issuer.example.com',
      audience: 'https://mcp.dev.example.com/mcp',
    });
    expect(problemsOf({ ...valid, authorizationServer: 'keycloak' })).toEqual([
      expect.stringMatching(/must be 'entra' or 'external'/),
    ]);
  });

  it('requires a named Postgres Entra administrator in prod, where no password exists', () => {
    expect(problemsOf({ ...valid, stack: 'prod' })).toEqual([
      expect.stringMatching(/postgresEntraAdmin is required in prod/),
    ]);
    const admin = { objectId: '22222222-2222-4222-8222-222222222222', principalName: 'dba', principalType: 'group' };
    expect(validateDeploymentConfig({ ...valid, stack: 'prod', postgresEntraAdmin: admin }).postgresEntraAdmin).toEqual(
      admin,
    );
    expect(problemsOf({ ...valid, postgresEntraAdmin: { objectId: 'x', principalName: 'dba' } })).toEqual([
      expect.stringMatching(/postgresEntraAdmin must be/),
    ]);
  });
});

describe('profiles', () => {
  it('keep prod stricter than dev on every security-relevant and redundancy switch', () => {
    const { dev, prod } = PROFILES;
    expect(prod.aks.privateCluster && !dev.aks.privateCluster).toBe(true);
    expect([dev.aks.tier, prod.aks.tier]).toEqual(['Free', 'Standard']);
    expect(prod.aks.availabilityZones).toEqual(['1', '2', '3']);
    expect(prod.postgres.passwordAuth).toBe(false);
    expect(prod.registry.publicNetworkAccess).toBe(false);
    expect(prod.keyVault.allowAllowedIpRanges).toBe(false);
    expect(prod.aks.systemPool.minCount).toBeGreaterThanOrEqual(3);
  });

  it('size every autoscaled pool consistently', () => {
    for (const profile of Object.values(PROFILES)) {
      for (const pool of [profile.aks.systemPool, profile.aks.userPool]) {
        expect(pool.minCount).toBeGreaterThanOrEqual(1);
        expect(pool.maxCount).toBeGreaterThanOrEqual(pool.minCount);
      }
      expect(profile.workload.maxReplicas).toBeGreaterThanOrEqual(profile.workload.minReplicas);
    }
  });
});
