import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../stacks';
import { egressRuleCollections } from '../azure/firewall-rules';
import { DEFAULT_CLIENT_METADATA_HOSTS, type RawDeploymentConfig, validateDeploymentConfig } from '../config';
import { egressRulesFor } from '../egress-hosts';
import { InfraConfigError } from '../errors';

const valid: RawDeploymentConfig = {
  stack: 'dev',
  project: 'secure-mcp-azure',
  location: 'westeurope',
  publicHostname: 'mcp.dev.example.com',
  owner: 'platform-team',
  costCenter: 'cc-1',
  allowedIpRanges: ['198.51.100.7/32'],
  clusterAdminGroupObjectIds: ['11111111-1111-4111-8111-111111111111'],
  serviceImageDigest: `sha256:${'ab'.repeat(32)}`,
};

// biome-ignore lint/suspicious/noExplicitAny: the firewall rules are a union of rule shapes
type Loose = any;

const ADMIN = { objectId: '22222222-2222-4222-8222-222222222222', principalName: 'dba', principalType: 'group' };

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

describe('every problem at once', () => {
  it("lists prod's missing Postgres administrator together with the other problems, not after them", () => {
    const problems = problemsOf({ stack: 'prod', project: 'p', allowedIpRanges: ['nope'] });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/location is required/),
        expect.stringMatching(/'nope' is not an IPv4 address/),
        expect.stringMatching(/postgresEntraAdmin is required in prod/),
      ]),
    );
  });
});

describe('allowedIpRanges', () => {
  it.each(['dev', 'staging'])(
    'is required where the API server is public (%s): AKS reads an empty list as the whole Internet',
    (stack) => {
      expect(problemsOf({ ...valid, stack, allowedIpRanges: undefined })).toEqual([
        expect.stringMatching(new RegExp(`allowedIpRanges is required in ${stack}: its API server is public`)),
      ]);
      expect(problemsOf({ ...valid, stack, allowedIpRanges: [] })).toHaveLength(1);
    },
  );

  it('may stay empty for the private prod API server', () => {
    const prod = { ...valid, stack: 'prod', postgresEntraAdmin: ADMIN };
    expect(problemsOf({ ...prod, allowedIpRanges: [] })).toEqual([]);
  });

  it('refuses any set of ranges that together covers the public Internet, however it is split', () => {
    expect(problemsOf({ ...valid, allowedIpRanges: ['0.0.0.0/1', '128.0.0.0/1'] })).toEqual([
      expect.stringMatching(/together cover the whole public Internet/),
    ]);
    // Every public address, with the special-purpose blocks (private, loopback, multicast...) left out.
    const publicOnly = ['1.0.0.0/8', '2.0.0.0/7', '4.0.0.0/6', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4'];
    const rest = ['32.0.0.0/3', '64.0.0.0/3', '96.0.0.0/4', '112.0.0.0/5', '120.0.0.0/6', '124.0.0.0/7', '126.0.0.0/8'];
    const high = ['128.0.0.0/3', '160.0.0.0/5', '168.0.0.0/6', '172.0.0.0/12', '172.32.0.0/11', '172.64.0.0/10'];
    const higher = ['172.128.0.0/9', '173.0.0.0/8', '174.0.0.0/7', '176.0.0.0/4', '192.0.0.0/3'];
    expect(problemsOf({ ...valid, allowedIpRanges: [...publicOnly, ...rest, ...high, ...higher] })).toEqual([
      expect.stringMatching(/together cover the whole public Internet/),
    ]);
    // 0.0.0.0/0 keeps its own, plainer message (and only that one).
    expect(problemsOf({ ...valid, allowedIpRanges: ['0.0.0.0/0'] })).toEqual([expect.stringMatching(/0\.0\.0\.0\/0/)]);
    // A large but partial range is a choice the operator may make.
    expect(problemsOf({ ...valid, allowedIpRanges: ['0.0.0.0/1'] })).toEqual([]);
  });
});

describe('deployerPrincipalType', () => {
  it('defaults to ServicePrincipal (CI), accepts User (az login as a person) and refuses anything else', () => {
    expect(validateDeploymentConfig(valid).deployerPrincipalType).toBe('ServicePrincipal');
    expect(validateDeploymentConfig({ ...valid, deployerPrincipalType: 'User' }).deployerPrincipalType).toBe('User');
    expect(problemsOf({ ...valid, deployerPrincipalType: 'Group' })).toEqual([
      expect.stringMatching(/deployerPrincipalType must be ServicePrincipal or User/),
    ]);
  });
});

describe('the hosts of MCP clients’ metadata documents (clientMetadataHosts)', () => {
  it('defaults to the documented example list, and takes a configured one, lower-cased and without duplicates', () => {
    expect(validateDeploymentConfig(valid).clientMetadataHosts).toEqual([...DEFAULT_CLIENT_METADATA_HOSTS]);
    expect(
      validateDeploymentConfig({ ...valid, clientMetadataHosts: ['Claude.ai', 'claude.ai', 'clients.example.org'] })
        .clientMetadataHosts,
    ).toEqual(['claude.ai', 'clients.example.org']);
    expect(validateDeploymentConfig({ ...valid, clientMetadataHosts: [] }).clientMetadataHosts).toEqual([]);
  });

  it('refuses anything that is not a DNS name: URLs, wildcards, addresses', () => {
    const problems = problemsOf({
      ...valid,
      clientMetadataHosts: ['https://claude.ai/oauth', '*.example.org', '169.254.169.254'],
    });
    expect(problems.filter((p) => p.startsWith('clientMetadataHosts'))).toHaveLength(3);
    expect(problemsOf({ ...valid, clientMetadataHosts: 'claude.ai' })).toEqual([
      expect.stringMatching(/^clientMetadataHosts must be a list of strings/),
    ]);
  });

  it('reaches the firewall only with the authorization server: its own rule, beside the public host on HTTPS', () => {
    const rules = egressRulesFor(validateDeploymentConfig({ ...valid, clientMetadataHosts: ['clients.example.org'] }));
    expect(rules.clientMetadataFqdns).toEqual(['clients.example.org']);
    expect(rules.httpsFqdns).toContain('mcp.dev.example.com');
    const external = egressRulesFor(
      validateDeploymentConfig({ ...valid, authorizationServer: 'external', oauthIssuerUrl: 'https://id.example.org' }),
    );
    expect(external.clientMetadataFqdns).toEqual([]);
    expect(external.httpsFqdns).not.toContain('mcp.dev.example.com');
    const collections = egressRuleCollections({ ...rules, sourcePrefixes: ['10.240.0.0/22'] });
    const rule = collections[1]?.rules.find((r) => r.name === 'client-metadata-documents') as Loose;
    expect(rule).toMatchObject({
      targetFqdns: ['clients.example.org'],
      protocols: [{ protocolType: 'Https', port: 443 }],
    });
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

  it("give staging prod's data access (Entra only: no Postgres password, no Redis key), as its comment says", () => {
    const { staging, prod } = PROFILES;
    expect(staging.postgres.passwordAuth).toBe(prod.postgres.passwordAuth);
    expect(staging.redis.accessKeysEnabled).toBe(prod.redis.accessKeysEnabled);
    expect(staging.postgres.passwordAuth).toBe(false);
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

  it('run the authorization server on two pods or more, with dynamic registration off, everywhere', () => {
    for (const profile of Object.values(PROFILES)) {
      expect(profile.authorizationServer.replicas).toBeGreaterThanOrEqual(2);
      expect(profile.authorizationServer.dynamicRegistration).toBe(false);
    }
  });
});
