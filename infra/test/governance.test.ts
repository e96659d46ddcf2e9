/**
 * Governance of the platform per profile: Azure Policy for Kubernetes on the cluster, maintenance windows, the pinned
 * Kubernetes version, protected and (prod) locked data stores, and the deployer's optional cluster-admin grant.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_NAMESPACES } from '../../service/src/contract';
import { type EnvironmentName, PROFILES } from '../../stacks';
import { DATA_STORE_TYPES } from '../azure/lock-data-stores';
import { allowedImagesRegex, BUILT_IN_POLICIES, POLICY_SYSTEM_NAMESPACES } from '../azure/policy-assignments';
import { BUILT_IN_ROLES } from '../azure/role-definitions';
import { type RawDeploymentConfig, validateDeploymentConfig } from '../config';
import { InfraConfigError } from '../errors';
import {
  onlyResourceOfType,
  type ProgramRun,
  type RegisteredResource,
  resourcesOfType,
  runProgramUnderMocks,
  unwrapSecrets,
} from './harness';
import { MOCK_DEPLOYER_OBJECT_ID } from './mock-cloud';
import { runAllProfiles } from './program-runs';

const T = {
  cluster: 'azure-native:containerservice:ManagedCluster',
  maintenance: 'azure-native:containerservice:MaintenanceConfiguration',
  policyAssignment: 'azure-native:authorization:PolicyAssignment',
  lock: 'azure-native:authorization:ManagementLockByScope',
  roleAssignment: 'azure-native:authorization:RoleAssignment',
  registry: 'azure-native:containerregistry:Registry',
  kubernetesProvider: 'pulumi:providers:kubernetes',
} as const;

// biome-ignore lint/suspicious/noExplicitAny: test access to deeply nested engine inputs
type Loose = any;
const inputs = (resource: RegisteredResource): Loose => unwrapSecrets(resource.inputs);
const environments: EnvironmentName[] = ['dev', 'staging', 'prod'];
const clusterAdminGrants = (run: ProgramRun) =>
  resourcesOfType(run, T.roleAssignment).filter((r) =>
    String(inputs(r).roleDefinitionId).endsWith(BUILT_IN_ROLES.aksRbacClusterAdmin),
  );

let runs: Record<EnvironmentName, ProgramRun>;
beforeAll(async () => {
  runs = await runAllProfiles();
});

describe.each(environments)('governance of the %s stack', (env) => {
  it('assigns the pod security restricted initiative and the allowed-images policy to the cluster', () => {
    const run = runs[env];
    const cluster = onlyResourceOfType(run, T.cluster);
    const assignments = resourcesOfType(run, T.policyAssignment).map(inputs);
    expect(assignments.map((a) => a.policyDefinitionId).sort()).toEqual(
      [BUILT_IN_POLICIES.allowedContainerImages, BUILT_IN_POLICIES.podSecurityRestrictedInitiative].sort(),
    );
    const expectedEffect = env === 'prod' ? 'Deny' : 'Audit';
    for (const assignment of assignments) {
      expect(assignment.scope).toBe(cluster.id);
      expect(assignment.parameters.effect.value).toBe(expectedEffect);
      expect(assignment.enforcementMode).toBe('Default');
      // The definitions' own defaults are replaced by an explicit list: the system namespaces must stay in it.
      expect(assignment.parameters.excludedNamespaces.value).toEqual(
        expect.arrayContaining([...POLICY_SYSTEM_NAMESPACES]),
      );
      // ARM's policyAssignmentName pattern (policyAssignments.json, 2025-01-01).
      expect(assignment.policyAssignmentName).toMatch(/^[^<>*%&:\\?.+/]*[^<>*%&:\\?.+/ ]+$/);
    }
    const podSecurity = assignments.find(
      (a) => a.policyDefinitionId === BUILT_IN_POLICIES.podSecurityRestrictedInitiative,
    );
    const excluded: string[] = podSecurity.parameters.excludedNamespaces.value;
    // node-exporter's namespace is exempt; the service, the gateway and the others are held to the standard.
    expect(excluded).toContain(CLUSTER_NAMESPACES.monitoring);
    for (const held of [
      CLUSTER_NAMESPACES.service,
      CLUSTER_NAMESPACES.gateway,
      CLUSTER_NAMESPACES.tracing,
      CLUSTER_NAMESPACES.certificates,
    ]) {
      expect(excluded).not.toContain(held);
    }
  });

  it("allows exactly the stack's registry, and every image the program deploys is in it", () => {
    const run = runs[env];
    const loginServer = String(onlyResourceOfType(run, T.registry).state.loginServer);
    const allowedImages = resourcesOfType(run, T.policyAssignment)
      .map(inputs)
      .find((a) => a.policyDefinitionId === BUILT_IN_POLICIES.allowedContainerImages);
    const excluded: string[] = allowedImages.parameters.excludedNamespaces.value;
    expect(excluded).not.toContain(CLUSTER_NAMESPACES.monitoring);
    const regex = new RegExp(allowedImages.parameters.allowedContainerImagesRegex.value);
    expect(allowedImages.parameters.allowedContainerImagesRegex.value).toBe(allowedImagesRegex(loginServer));
    expect(regex.test(`${loginServer}/mcp-server@sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(regex.test('docker.io/library/nginx:latest')).toBe(false);
    expect(regex.test(`${loginServer}.evil.example/x:1`)).toBe(false);
    expect(regex.test(`${loginServer.replace('.', 'x')}/x:1`)).toBe(false);

    // Deny in prod must not refuse our own pods: every image the program writes into a Kubernetes object matches (the
    // charts' pods are rendered by the provider, out of the mocks' sight; their values point at the same registry).
    const images: string[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, child] of Object.entries(value)) {
          if (key === 'image' && typeof child === 'string') images.push(child);
          else collect(child);
        }
      }
    };
    for (const resource of run.resources.filter((r) => r.type.startsWith('kubernetes:'))) collect(inputs(resource));
    expect(images.length).toBeGreaterThan(0);
    expect(images.filter((image) => !regex.test(image))).toEqual([]);
  });

  it('lets auto-upgrades start only inside weekly windows', () => {
    const run = runs[env];
    const clusterName = inputs(onlyResourceOfType(run, T.cluster)).resourceName;
    const configs = resourcesOfType(run, T.maintenance).map(inputs);
    // The reserved names AKS binds to the channels (any other name gates nothing).
    expect(configs.map((c) => c.configName).sort()).toEqual([
      'aksManagedAutoUpgradeSchedule',
      'aksManagedNodeOSUpgradeSchedule',
    ]);
    for (const config of configs) {
      expect(config.resourceName).toBe(clusterName);
      const window = config.maintenanceWindow;
      expect(window.schedule.weekly.intervalWeeks).toBe(1);
      expect(window.durationHours).toBeGreaterThanOrEqual(4);
      expect(window.durationHours).toBeLessThanOrEqual(24);
      expect(window.startTime).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      expect(window.utcOffset).toBe('+00:00');
    }
  });

  it('pins the Kubernetes version of the control plane and of both node pools', () => {
    const cluster = inputs(onlyResourceOfType(runs[env], T.cluster));
    const pinned = PROFILES[env].aks.kubernetesVersion;
    expect(pinned).toMatch(/^\d+\.\d+$/);
    expect(cluster.kubernetesVersion).toBe(pinned);
    expect(cluster.agentPoolProfiles.map((pool: Loose) => pool.orchestratorVersion)).toEqual([pinned, pinned]);
  });

  it('protects Postgres, Key Vault and Redis, and locks them against deletion in prod only', () => {
    const run = runs[env];
    const stores = run.resources.filter((r) => DATA_STORE_TYPES.includes(r.type));
    expect(stores.map((r) => r.type).sort()).toEqual([...DATA_STORE_TYPES].sort());
    for (const store of stores) expect(store.options.protect, store.type).toBe(true);
    // Only those: grants, secrets and settings beside them stay changeable.
    const others = run.resources.filter((r) => r.custom && !DATA_STORE_TYPES.includes(r.type) && r.options.protect);
    expect(others.map((r) => `${r.type} ${r.name}`)).toEqual([]);

    const locks = resourcesOfType(run, T.lock).map(inputs);
    if (env !== 'prod') {
      expect(locks).toEqual([]);
      return;
    }
    expect(locks.map((l) => l.scope).sort()).toEqual(stores.map((s) => s.id).sort());
    for (const lock of locks) {
      expect(lock.level).toBe('CanNotDelete');
      expect(lock.lockName).toMatch(/^[^<>%&:\\?/\p{Cc}]{1,260}$/u);
    }
  });

  it('grants the deployer cluster admin only where the profile says so', () => {
    const run = runs[env];
    const deployerGrants = clusterAdminGrants(run).filter((g) => inputs(g).principalId === MOCK_DEPLOYER_OBJECT_ID);
    expect(deployerGrants).toHaveLength(PROFILES[env].aks.deployerClusterAdmin ? 1 : 0);
  });
});

describe('the deployer without a standing cluster-admin grant', () => {
  it('waits for the admin groups grants before the Kubernetes provider starts', () => {
    const run = runs.prod;
    const grants = clusterAdminGrants(run);
    expect(grants.map((g) => inputs(g).principalId)).toEqual(['11111111-1111-4111-8111-111111111111']);
    const sleep = run.resources.find((r) => r.name === 'aks-rbac-propagation');
    if (!sleep) throw new Error('no RBAC propagation pause');
    expect(sleep.dependencies).toEqual(expect.arrayContaining(grants.map((g) => g.urn)));
    const provider = onlyResourceOfType(run, T.kubernetesProvider);
    expect(provider.dependencies).toEqual(expect.arrayContaining([sleep.urn, ...grants.map((g) => g.urn)]));
  });

  it('can be given back by config, and a pinned version can be overridden', async () => {
    const run = await runProgramUnderMocks({
      stack: 'prod',
      config: { deployerClusterAdmin: 'true', kubernetesVersion: '1.34.2' },
    });
    expect(clusterAdminGrants(run).map((g) => inputs(g).principalId)).toContain(MOCK_DEPLOYER_OBJECT_ID);
    expect(inputs(onlyResourceOfType(run, T.cluster)).kubernetesVersion).toBe('1.34.2');
  });
});

describe('governance configuration', () => {
  const valid: RawDeploymentConfig = {
    stack: 'staging',
    project: 'secure-mcp-azure',
    location: 'westeurope',
    publicHostname: 'mcp.staging.example.com',
    owner: 'platform-team',
    costCenter: 'cc-1',
    serviceImageDigest: `sha256:${'ab'.repeat(32)}`,
    clusterAdminGroupObjectIds: ['11111111-1111-4111-8111-111111111111'],
    allowedIpRanges: ['203.0.113.10/32'],
  };
  const problemsOf = (raw: RawDeploymentConfig): readonly string[] => {
    try {
      validateDeploymentConfig(raw);
    } catch (error) {
      if (error instanceof InfraConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it('defaults the grant and the version from the profile', () => {
    const staging = validateDeploymentConfig(valid);
    expect(staging.deployerClusterAdmin).toBe(false);
    expect(staging.kubernetesVersion).toBe(PROFILES.staging.aks.kubernetesVersion);
    expect(validateDeploymentConfig({ ...valid, stack: 'dev' }).deployerClusterAdmin).toBe(true);
  });

  it('refuses a stack in which nobody could apply the Kubernetes layer', () => {
    expect(problemsOf({ ...valid, clusterAdminGroupObjectIds: [] }).join('\n')).toMatch(/deployerClusterAdmin/);
    expect(problemsOf({ ...valid, clusterAdminGroupObjectIds: [], deployerClusterAdmin: true })).toEqual([]);
    expect(problemsOf({ ...valid, clusterAdminGroupObjectIds: [], kubernetesLayer: false })).toEqual([]);
    expect(problemsOf({ ...valid, deployerClusterAdmin: 'yes' })).toEqual([
      'deployerClusterAdmin must be true or false',
    ]);
  });

  it('refuses a Kubernetes version that is not major.minor[.patch]', () => {
    expect(problemsOf({ ...valid, kubernetesVersion: 'latest' }).join('\n')).toMatch(/kubernetesVersion/);
    expect(problemsOf({ ...valid, kubernetesVersion: '1.35' })).toEqual([]);
  });
});
