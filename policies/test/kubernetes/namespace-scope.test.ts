/**
 * The namespace scope of the Kubernetes policies (lib/namespace-scope.ts): the third-party charts of the platform
 * pass where their chart cannot meet a control, the service's namespace stays held to every rule, the config
 * overrides the defaults, and every scoped policy declares `exemptNamespaces` with its default in its config schema.
 */

import { describe, expect, it } from 'vitest';
import { CLUSTER_NAMESPACES } from '../../../service/src/contract';
import { authorizationServerDynamicRegistrationOff } from '../../kubernetes/authorization-server-dynamic-registration-off';
import { authorizationServerIssuerOrigin } from '../../kubernetes/authorization-server-issuer-origin';
import { authorizationServerNoClientSecret } from '../../kubernetes/authorization-server-no-client-secret';
import { hpaMinReplicas } from '../../kubernetes/hpa-min-replicas';
import { namespacePodSecurityRestricted } from '../../kubernetes/namespace-pod-security-restricted';
import { pdbAllowsDisruption } from '../../kubernetes/pdb-allows-disruption';
import { podDedicatedServiceAccount } from '../../kubernetes/pod-dedicated-service-account';
import { podDropAllCapabilities } from '../../kubernetes/pod-drop-all-capabilities';
import { podImageAllowedRegistry } from '../../kubernetes/pod-image-allowed-registry';
import { podImagePinned } from '../../kubernetes/pod-image-pinned';
import { podLivenessIndependent } from '../../kubernetes/pod-liveness-independent';
import { podNoHostNamespaces } from '../../kubernetes/pod-no-host-namespaces';
import { podNoHostPath } from '../../kubernetes/pod-no-host-path';
import { podNoHostPorts } from '../../kubernetes/pod-no-host-ports';
import { podNoPrivilegeEscalation } from '../../kubernetes/pod-no-privilege-escalation';
import { podNoPrivileged } from '../../kubernetes/pod-no-privileged';
import { podNoSecretEnv } from '../../kubernetes/pod-no-secret-env';
import { podNoServiceAccountToken } from '../../kubernetes/pod-no-service-account-token';
import { podProbes } from '../../kubernetes/pod-probes';
import { podReadOnlyRootFilesystem } from '../../kubernetes/pod-read-only-root-filesystem';
import { podResources } from '../../kubernetes/pod-resources';
import { podRunAsNonRoot } from '../../kubernetes/pod-run-as-non-root';
import { podSeccompRuntimeDefault } from '../../kubernetes/pod-seccomp-runtime-default';
import { serviceAccountNoAutomount } from '../../kubernetes/serviceaccount-no-automount';
import { workloadTopologySpread } from '../../kubernetes/workload-topology-spread';
import { workloadTracingConfigured } from '../../kubernetes/workload-tracing-configured';
import { defineResourcePolicy, type SecurityPolicy } from '../../lib/define';
import { evaluatePolicies, type PackConfig, type ResourceRecord, type Violation } from '../../lib/evaluate';
import { SYSTEM_NAMESPACES } from '../../lib/namespace-scope';
import { kubernetesPolicies, securityPolicies, stackPolicies } from '../../registry';
import { authorizationServerSeparateIdentity } from '../../stack/authorization-server-separate-identity';
import { networkPolicyDefaultDeny } from '../../stack/networkpolicy-default-deny';
import { networkPolicySelectsEveryPod } from '../../stack/networkpolicy-selects-every-pod';
import { workloadHasPdb } from '../../stack/workload-has-pdb';
import { workloadIdentityConsistent } from '../../stack/workload-identity-consistent';
import { workloadReplicas } from '../../stack/workload-replicas';
import { serviceAccount, namespace as serviceNamespace, typeOf } from '../fixtures/kubernetes-baseline';
import { controllerDeployment, NODE_EXPORTER, nodeExporterRecords } from '../fixtures/platform-charts';
import { record, violationsOf, withUnknowns } from '../helpers/policy-harness';

const { service: SERVICE, gateway: GATEWAY_NS, monitoring: MONITORING_NS, tracing: TRACING_NS } = CLUSTER_NAMESPACES;
const SYSTEM = [...SYSTEM_NAMESPACES];

/** The controls node-exporter cannot meet: the only ones its namespace is exempt from. */
const HOST_ACCESS = [podNoHostNamespaces, podNoHostPath, podNoHostPorts].map((policy) => policy.name).sort();

async function mandatoryViolations(records: readonly ResourceRecord[], config: PackConfig = {}): Promise<Violation[]> {
  const violations = await evaluatePolicies(securityPolicies, records, { config });
  return violations.filter((violation) => violation.enforcementLevel === 'mandatory');
}

const policyNames = (violations: readonly Violation[]) => [...new Set(violations.map((v) => v.policyName))].sort();

describe('a node-exporter DaemonSet (hostNetwork, hostPID, hostPath /proc /sys /, hostPort 9100)', () => {
  it(`in ${MONITORING_NS} passes every mandatory policy of the pack`, async () => {
    expect(await mandatoryViolations(nodeExporterRecords(MONITORING_NS))).toEqual([]);
  });

  it(`in ${SERVICE} fails exactly the host-access policies`, async () => {
    const violations = await mandatoryViolations(nodeExporterRecords(SERVICE));
    expect(policyNames(violations)).toEqual(HOST_ACCESS);
    expect(violations.map((v) => v.message).sort()).toEqual(
      [
        `DaemonSet ${SERVICE}/${NODE_EXPORTER.name}: container node-exporter binds host port ${NODE_EXPORTER.port}.`,
        `DaemonSet ${SERVICE}/${NODE_EXPORTER.name}: hostNetwork is true: the pod shares the node's namespace.`,
        `DaemonSet ${SERVICE}/${NODE_EXPORTER.name}: hostPID is true: the pod shares the node's namespace.`,
        `DaemonSet ${SERVICE}/${NODE_EXPORTER.name}: volume proc is a hostPath mount.`,
        `DaemonSet ${SERVICE}/${NODE_EXPORTER.name}: volume root is a hostPath mount.`,
        `DaemonSet ${SERVICE}/${NODE_EXPORTER.name}: volume sys is a hostPath mount.`,
      ].sort(),
    );
  });

  it(`in ${MONITORING_NS} fails the host-access policies too when the config sets exemptNamespaces: []`, async () => {
    const config = Object.fromEntries(HOST_ACCESS.map((name) => [name, { exemptNamespaces: [] }]));
    expect(policyNames(await mandatoryViolations(nodeExporterRecords(MONITORING_NS), config))).toEqual(HOST_ACCESS);
  });

  it('an override of one policy leaves the others at their defaults', async () => {
    const config = { [podNoHostPath.name]: { exemptNamespaces: [] } };
    const violations = await mandatoryViolations(nodeExporterRecords(MONITORING_NS), config);
    expect(policyNames(violations)).toEqual([podNoHostPath.name]);
  });

  it('a config may exempt another namespace (and then replaces the default list)', async () => {
    const config = Object.fromEntries(HOST_ACCESS.map((name) => [name, { exemptNamespaces: ['node-agents'] }]));
    expect(await mandatoryViolations(nodeExporterRecords('node-agents'), config)).toEqual([]);
    expect(policyNames(await mandatoryViolations(nodeExporterRecords(MONITORING_NS), config))).toEqual(HOST_ACCESS);
  });

  it('a namespace not known yet (preview) is never exempt', async () => {
    const [daemonSet] = nodeExporterRecords(MONITORING_NS);
    const unknown = { ...daemonSet!, inputs: withUnknowns(daemonSet!.inputs, ['metadata', 'namespace']) };
    expect(await violationsOf(podNoHostPath, unknown)).toHaveLength(3);
  });
});

describe('a controller that calls the Kubernetes API (its pod mounts a token)', () => {
  const controller = (namespace: string) => record(typeOf('Deployment'), controllerDeployment(namespace), namespace);

  it(`in ${GATEWAY_NS} passes the service-account token policy`, async () => {
    expect(await violationsOf(podNoServiceAccountToken, controller(GATEWAY_NS))).toEqual([]);
  });

  it(`in ${SERVICE} fails it`, async () => {
    expect(await violationsOf(podNoServiceAccountToken, controller(SERVICE))).toEqual([
      `Deployment ${SERVICE}/kong-controller: the pod mounts a Kubernetes API token: set automountServiceAccountToken to false.`,
    ]);
  });

  it(`in ${GATEWAY_NS} fails it with exemptNamespaces: []`, async () => {
    const messages = await violationsOf(podNoServiceAccountToken, controller(GATEWAY_NS), { exemptNamespaces: [] });
    expect(messages).toEqual([expect.stringMatching(/mounts a Kubernetes API token/)]);
  });

  it('exemptWorkloads still exempts one workload, and setting it keeps the namespace defaults', async () => {
    const exemptWorkloads = [`${SERVICE}/kong-controller`];
    expect(await violationsOf(podNoServiceAccountToken, controller(SERVICE), { exemptWorkloads })).toEqual([]);
    expect(await violationsOf(podNoServiceAccountToken, controller(GATEWAY_NS), { exemptWorkloads: [] })).toEqual([]);
  });

  it(`passes every other pod policy in ${GATEWAY_NS} only as the chart meets them (no other exemption there)`, async () => {
    const others = kubernetesPolicies.filter(
      (policy) => policy.namespaceScope && !policy.namespaceScope.defaults.includes(GATEWAY_NS),
    );
    const insecure = controllerDeployment(GATEWAY_NS) as { spec: { template: { spec: Record<string, unknown> } } };
    insecure.spec.template.spec.hostNetwork = true;
    const violations = await evaluatePolicies(others, [record(typeOf('Deployment'), insecure, 'insecure')]);
    expect(policyNames(violations)).toEqual([podNoHostNamespaces.name]);
  });
});

describe('ServiceAccounts of the platform charts', () => {
  const account = (namespace: string, automount?: boolean) =>
    record(
      typeOf('ServiceAccount'),
      {
        metadata: { name: 'chart-account', namespace },
        ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
      },
      namespace,
    );

  it.each([GATEWAY_NS, MONITORING_NS])('in %s may mount their token (their controllers call the API)', async (ns) => {
    expect(await violationsOf(serviceAccountNoAutomount, account(ns))).toEqual([]);
  });

  it.each([SERVICE, TRACING_NS])('in %s may not (Jaeger opts out on its ServiceAccount)', async (ns) => {
    expect(await violationsOf(serviceAccountNoAutomount, account(ns))).toEqual([
      `ServiceAccount ${ns}/chart-account mounts its token by default: set automountServiceAccountToken to false.`,
    ]);
    expect(await violationsOf(serviceAccountNoAutomount, account(ns, false))).toEqual([]);
  });

  it('the service baseline account passes, and exemptServiceAccounts still works', async () => {
    expect(await violationsOf(serviceAccountNoAutomount, record(typeOf('ServiceAccount'), serviceAccount()))).toEqual(
      [],
    );
    const exemptServiceAccounts = [`${SERVICE}/chart-account`];
    expect(await violationsOf(serviceAccountNoAutomount, account(SERVICE), { exemptServiceAccounts })).toEqual([]);
  });
});

describe('replica controls over single-replica add-ons', () => {
  const single = (namespace: string) => {
    const deployment = controllerDeployment(namespace) as { spec: Record<string, unknown> };
    deployment.spec.replicas = 1;
    return record(typeOf('Deployment'), deployment, namespace);
  };

  it.each([MONITORING_NS, TRACING_NS])('in %s pass workload-replicas and workload-has-pdb', async (ns) => {
    expect(await violationsOf(workloadReplicas, [single(ns)])).toEqual([]);
    expect(await violationsOf(workloadHasPdb, [single(ns)])).toEqual([]);
  });

  it.each([SERVICE, GATEWAY_NS])('in %s (the request path) fail them', async (ns) => {
    expect(await violationsOf(workloadReplicas, [single(ns)])).toEqual([
      expect.stringMatching(/runs 1 replica\(s\) and no autoscaler/),
    ]);
    expect(await violationsOf(workloadHasPdb, [single(ns)])).toEqual([
      expect.stringMatching(/has no PodDisruptionBudget/),
    ]);
  });

  it('an autoscaler down to one replica passes in tracing, fails in mcp', async () => {
    const hpa = (namespace: string) =>
      record(typeOf('HorizontalPodAutoscaler'), { metadata: { name: 'h', namespace }, spec: { minReplicas: 1 } });
    expect(await violationsOf(hpaMinReplicas, hpa(TRACING_NS))).toEqual([]);
    expect(await violationsOf(hpaMinReplicas, hpa(SERVICE))).toEqual([expect.stringMatching(/allows 1 replica/)]);
  });
});

describe('namespaces and network isolation', () => {
  const namespaceObject = (name: string, level: string) => {
    const props = serviceNamespace() as { metadata: { name: string; labels: Record<string, string> } };
    props.metadata.name = name;
    props.metadata.labels['pod-security.kubernetes.io/enforce'] = level;
    return record(typeOf('Namespace'), props, name);
  };

  it(`the ${MONITORING_NS} namespace may enforce the privileged level node-exporter needs; ${SERVICE} may not`, async () => {
    expect(await violationsOf(namespacePodSecurityRestricted, namespaceObject(MONITORING_NS, 'privileged'))).toEqual(
      [],
    );
    expect(await violationsOf(namespacePodSecurityRestricted, namespaceObject(SERVICE, 'privileged'))).toEqual([
      expect.stringMatching(/enforces privileged pod security level/),
    ]);
  });

  it('platform namespaces need their own default deny and allow policies (the scope exempts only system ones)', async () => {
    const daemonSetOnly = nodeExporterRecords(MONITORING_NS).slice(0, 1);
    expect(await violationsOf(networkPolicyDefaultDeny, daemonSetOnly)).toEqual([
      expect.stringMatching(new RegExp(`Namespace ${MONITORING_NS} has no default-deny NetworkPolicy`)),
    ]);
    expect(await violationsOf(networkPolicySelectsEveryPod, daemonSetOnly)).toEqual([
      expect.stringMatching(/is selected by no NetworkPolicy/),
    ]);
    const config = { exemptNamespaces: [...SYSTEM, MONITORING_NS] };
    expect(await violationsOf(networkPolicyDefaultDeny, daemonSetOnly, config)).toEqual([]);
    expect(await violationsOf(networkPolicySelectsEveryPod, daemonSetOnly, config)).toEqual([]);
  });

  it('a system namespace is exempt everywhere', async () => {
    expect(await mandatoryViolations(nodeExporterRecords('kube-system').slice(0, 1))).toEqual([]);
  });
});

/** Every scoped policy with its expected default: the system namespaces plus the platform ones named here. */
const EXPECTED_DEFAULTS: ReadonlyArray<[SecurityPolicy, string[]]> = [
  [podRunAsNonRoot, []],
  [podNoPrivileged, []],
  [podNoPrivilegeEscalation, []],
  [podDropAllCapabilities, []],
  [podSeccompRuntimeDefault, []],
  [podReadOnlyRootFilesystem, []],
  [podNoHostNamespaces, [MONITORING_NS]],
  [podNoHostPorts, [MONITORING_NS]],
  [podNoHostPath, [MONITORING_NS]],
  [podResources, []],
  [podProbes, []],
  [podLivenessIndependent, [MONITORING_NS, TRACING_NS]],
  [podImagePinned, []],
  [podImageAllowedRegistry, []],
  [podNoServiceAccountToken, [GATEWAY_NS, MONITORING_NS, TRACING_NS]],
  [podDedicatedServiceAccount, []],
  [podNoSecretEnv, []],
  [workloadTopologySpread, []],
  [workloadTracingConfigured, []],
  [namespacePodSecurityRestricted, [MONITORING_NS]],
  [serviceAccountNoAutomount, [GATEWAY_NS, MONITORING_NS]],
  [hpaMinReplicas, [MONITORING_NS, TRACING_NS]],
  [pdbAllowsDisruption, []],
  [networkPolicyDefaultDeny, []],
  [networkPolicySelectsEveryPod, []],
  [workloadHasPdb, [MONITORING_NS, TRACING_NS]],
  [workloadReplicas, [MONITORING_NS, TRACING_NS]],
  [workloadIdentityConsistent, []],
  [authorizationServerNoClientSecret, []],
  [authorizationServerDynamicRegistrationOff, []],
  [authorizationServerIssuerOrigin, []],
  [authorizationServerSeparateIdentity, []],
];

describe('the config schema of every scoped policy', () => {
  it.each(EXPECTED_DEFAULTS.map(([policy, platform]) => [policy.name, policy, platform] as const))(
    '%s declares exemptNamespaces with its default',
    (_name, policy, platform) => {
      const schema = policy.configSchema?.properties?.exemptNamespaces;
      expect(schema).toMatchObject({ type: 'array', items: { type: 'string' }, default: [...SYSTEM, ...platform] });
      expect(schema?.description).toMatch(/Namespaces whose objects this policy does not judge/);
      if (platform.length > 0) expect(schema?.description).toContain(`Also ${platform.join(', ')} by default: `);
      expect(policy.namespaceScope?.defaults).toEqual([...SYSTEM, ...platform]);
    },
  );

  it('exactly these policies are scoped: every pod policy and every stack policy over workloads', () => {
    const scoped = securityPolicies.filter((policy) => policy.configSchema?.properties?.exemptNamespaces);
    expect(scoped.map((policy) => policy.name).sort()).toEqual(EXPECTED_DEFAULTS.map(([p]) => p.name).sort());
    const kubernetesStack = stackPolicies.filter((policy) => policy.name.startsWith('kubernetes-workload-'));
    for (const policy of kubernetesStack) expect(policy.namespaceScope, policy.name).toBeDefined();
  });

  it(`never exempts ${SERVICE} by default, and the image, privilege and user controls exempt no platform namespace`, () => {
    for (const policy of securityPolicies) expect(policy.namespaceScope?.defaults ?? []).not.toContain(SERVICE);
    for (const policy of [
      podImagePinned,
      podImageAllowedRegistry,
      podNoPrivileged,
      podNoPrivilegeEscalation,
      podDropAllCapabilities,
      podSeccompRuntimeDefault,
      podRunAsNonRoot,
    ]) {
      expect(policy.namespaceScope?.defaults, policy.name).toEqual(SYSTEM);
    }
  });

  it('refuses a definition that exempts the service namespace, gives no reason, or declares the property itself', () => {
    const base = {
      name: 'kubernetes-test-scope',
      description: 'A policy that only tests the definition checks.',
      severity: 'low' as const,
      checklist: [],
      references: ['test'],
      remediationSteps: 'None needed.',
      appliesTo: () => false,
      validate: () => {},
    };
    expect(() => defineResourcePolicy({ ...base, namespaceScope: { exempt: [SERVICE], reason: 'x' } })).toThrow(
      /cannot be exempt by default/,
    );
    expect(() => defineResourcePolicy({ ...base, namespaceScope: { exempt: [MONITORING_NS] } })).toThrow(
      /needs a reason/,
    );
    expect(() =>
      defineResourcePolicy<{ exemptNamespaces: string[] }>({
        ...base,
        config: { exemptNamespaces: { type: 'array', items: { type: 'string' }, default: [] } },
        namespaceScope: { exempt: [] },
      }),
    ).toThrow(/through namespaceScope/);
  });
});
