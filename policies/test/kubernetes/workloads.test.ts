import { describe, expect, it } from 'vitest';
import { CLUSTER_NAMESPACES, ENV, PATHS } from '../../../service/src/contract';
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
import { workloadTopologySpread } from '../../kubernetes/workload-topology-spread';
import { workloadTracingConfigured } from '../../kubernetes/workload-tracing-configured';
import { parseImageReference } from '../../lib/images';
import { deployment, typeOf } from '../fixtures/kubernetes-baseline';
import { asResource, provePolicy, record, violationsOf } from '../helpers/policy-harness';

// biome-ignore lint/suspicious/noExplicitAny: test drafts mutate deeply nested resource inputs by path.
type Props = Record<string, any>;
const workload = () => ({ apiVersion: 'apps/v1', kind: 'Deployment', ...deployment() }) as Props;
const asDeployment = asResource(typeOf('Deployment'));
const pod = (d: Props) => d.spec.template.spec;
const main = (d: Props) => d.spec.template.spec.containers[0];
const CONTAINER = ['spec', 'template', 'spec', 'containers', 0] as const;
const POD = ['spec', 'template', 'spec'] as const;
const inNamespace = (d: Props, namespace: string) => {
  d.metadata.namespace = namespace;
};

provePolicy({
  policy: podRunAsNonRoot,
  baseline: workload,
  toRecords: asDeployment,
  passing: [{ name: 'set only at pod level', change: (d) => void delete main(d).securityContext.runAsNonRoot }],
  failing: [
    {
      rule: 'runAsNonRoot missing everywhere',
      change: (d) => {
        delete pod(d).securityContext.runAsNonRoot;
        delete main(d).securityContext.runAsNonRoot;
      },
      message: /container mcp-server may run as root/,
    },
    {
      rule: 'container overrides to false',
      change: (d) => {
        main(d).securityContext.runAsNonRoot = false;
      },
      message: /may run as root/,
    },
    {
      rule: 'uid 0',
      change: (d) => {
        main(d).securityContext.runAsUser = 0;
      },
      message: /runs as uid 0/,
    },
    {
      rule: 'pod uid 0',
      change: (d) => {
        pod(d).securityContext.runAsUser = 0;
      },
      message: /pod runs as uid 0/,
    },
  ],
  preview: [
    [...POD, 'securityContext', 'runAsNonRoot'],
    [...CONTAINER, 'securityContext', 'runAsNonRoot'],
  ],
});

provePolicy({
  policy: podNoPrivileged,
  baseline: workload,
  toRecords: asDeployment,
  failing: [
    {
      rule: 'privileged container',
      change: (d) => {
        main(d).securityContext.privileged = true;
      },
      message: /container mcp-server is privileged/,
    },
    {
      rule: 'privileged init container',
      change: (d) => {
        pod(d).initContainers = [{ name: 'setup', image: 'x.azurecr.io/a:1', securityContext: { privileged: true } }];
      },
      message: /container setup is privileged/,
    },
  ],
  preview: [[...CONTAINER, 'securityContext']],
});

provePolicy({
  policy: podNoPrivilegeEscalation,
  baseline: workload,
  toRecords: asDeployment,
  failing: [
    {
      rule: 'escalation allowed',
      change: (d) => {
        main(d).securityContext.allowPrivilegeEscalation = true;
      },
      message: /allows privilege escalation/,
    },
    {
      rule: 'left at the default (true)',
      change: (d) => void delete main(d).securityContext.allowPrivilegeEscalation,
      message: /allowPrivilegeEscalation to false/,
    },
  ],
  preview: [[...CONTAINER, 'securityContext', 'allowPrivilegeEscalation']],
});

provePolicy({
  policy: podDropAllCapabilities,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: 'adds back NET_BIND_SERVICE',
      change: (d) => {
        main(d).securityContext.capabilities.add = ['NET_BIND_SERVICE'];
      },
    },
  ],
  failing: [
    {
      rule: 'drops nothing',
      change: (d) => void delete main(d).securityContext.capabilities,
      message: /does not drop ALL capabilities/,
    },
    {
      rule: 'adds NET_ADMIN',
      change: (d) => {
        main(d).securityContext.capabilities.add = ['NET_ADMIN'];
      },
      message: /adds capabilities NET_ADMIN/,
    },
  ],
  preview: [
    [...CONTAINER, 'securityContext', 'capabilities', 'drop'],
    [...CONTAINER, 'securityContext', 'capabilities', 'add'],
  ],
});

provePolicy({
  policy: podSeccompRuntimeDefault,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: 'set per container',
      change: (d) => {
        delete pod(d).securityContext.seccompProfile;
        main(d).securityContext.seccompProfile = { type: 'RuntimeDefault' };
      },
    },
  ],
  failing: [
    {
      rule: 'no profile',
      change: (d) => void delete pod(d).securityContext.seccompProfile,
      message: /no RuntimeDefault seccomp profile \(unset\)/,
    },
    {
      rule: 'unconfined',
      change: (d) => {
        pod(d).securityContext.seccompProfile.type = 'Unconfined';
      },
      message: /Unconfined/,
    },
  ],
  preview: [[...POD, 'securityContext', 'seccompProfile', 'type']],
});

provePolicy({
  policy: podReadOnlyRootFilesystem,
  baseline: workload,
  toRecords: asDeployment,
  failing: [
    {
      rule: 'writable root',
      change: (d) => void delete main(d).securityContext.readOnlyRootFilesystem,
      message: /writable root filesystem/,
    },
  ],
  preview: [[...CONTAINER, 'securityContext', 'readOnlyRootFilesystem']],
});

provePolicy({
  policy: podNoHostNamespaces,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: `host network and PID in ${CLUSTER_NAMESPACES.monitoring} (node-exporter; exempt by default)`,
      change: (d) => {
        inNamespace(d, CLUSTER_NAMESPACES.monitoring);
        pod(d).hostNetwork = true;
        pod(d).hostPID = true;
      },
    },
  ],
  failing: [
    {
      rule: `host network in ${CLUSTER_NAMESPACES.monitoring} once exemptNamespaces is emptied`,
      change: (d) => {
        inNamespace(d, CLUSTER_NAMESPACES.monitoring);
        pod(d).hostNetwork = true;
      },
      config: { exemptNamespaces: [] },
      message: /Deployment monitoring\/mcp-server: hostNetwork is true/,
    },
    {
      rule: 'host network',
      change: (d) => {
        pod(d).hostNetwork = true;
      },
      message: /hostNetwork is true/,
    },
    {
      rule: 'host PID',
      change: (d) => {
        pod(d).hostPID = true;
      },
      message: /hostPID is true/,
    },
    {
      rule: 'host IPC',
      change: (d) => {
        pod(d).hostIPC = true;
      },
      message: /hostIPC is true/,
    },
  ],
  preview: [[...POD, 'hostNetwork']],
});

provePolicy({
  policy: podNoHostPorts,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: `a host port in ${CLUSTER_NAMESPACES.monitoring} (node-exporter; exempt by default)`,
      change: (d) => {
        inNamespace(d, CLUSTER_NAMESPACES.monitoring);
        main(d).ports[1].hostPort = 9100;
      },
    },
  ],
  failing: [
    {
      rule: `a host port in ${CLUSTER_NAMESPACES.monitoring} once exemptNamespaces is emptied`,
      change: (d) => {
        inNamespace(d, CLUSTER_NAMESPACES.monitoring);
        main(d).ports[1].hostPort = 9100;
      },
      config: { exemptNamespaces: [] },
      message: /binds host port 9100/,
    },
    {
      rule: 'host port',
      change: (d) => {
        main(d).ports[0].hostPort = 8080;
      },
      message: /binds host port 8080/,
    },
  ],
  preview: [[...CONTAINER, 'ports']],
});

provePolicy({
  policy: podNoHostPath,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: `/proc mounted in ${CLUSTER_NAMESPACES.monitoring} (node-exporter; exempt by default)`,
      change: (d) => {
        inNamespace(d, CLUSTER_NAMESPACES.monitoring);
        pod(d).volumes.push({ name: 'proc', hostPath: { path: '/proc' } });
      },
    },
  ],
  failing: [
    {
      rule: `/proc mounted in ${CLUSTER_NAMESPACES.tracing} (not exempt)`,
      change: (d) => {
        inNamespace(d, CLUSTER_NAMESPACES.tracing);
        pod(d).volumes.push({ name: 'proc', hostPath: { path: '/proc' } });
      },
      message: /Deployment tracing\/mcp-server: volume proc is a hostPath mount/,
    },
    {
      rule: 'hostPath volume',
      change: (d) => void pod(d).volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }),
      message: /volume docker is a hostPath mount/,
    },
  ],
  preview: [[...POD, 'volumes']],
});

provePolicy({
  policy: podResources,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: 'no CPU limit when configured so',
      change: (d) => void delete main(d).resources.limits.cpu,
      config: { requireCpuLimit: false },
    },
  ],
  failing: [
    {
      rule: 'no resources',
      change: (d) => void delete main(d).resources,
      message: /lacks requests\.cpu, requests\.memory, limits\.memory, limits\.cpu/,
    },
    {
      rule: 'no memory limit',
      change: (d) => void delete main(d).resources.limits.memory,
      message: /lacks limits\.memory\./,
    },
  ],
  preview: [[...CONTAINER, 'resources']],
});

provePolicy({
  policy: podProbes,
  baseline: workload,
  toRecords: asDeployment,
  failing: [
    { rule: 'no liveness probe', change: (d) => void delete main(d).livenessProbe, message: /has no liveness probe/ },
    {
      rule: 'no readiness probe',
      change: (d) => void delete main(d).readinessProbe,
      message: /has no readiness probe/,
    },
  ],
  preview: [
    [...CONTAINER, 'livenessProbe'],
    [...CONTAINER, 'readinessProbe'],
  ],
});

provePolicy({
  policy: podLivenessIndependent,
  baseline: workload,
  toRecords: asDeployment,
  failing: [
    {
      rule: 'liveness on the dependency-checking readiness endpoint',
      change: (d) => {
        main(d).livenessProbe.httpGet.path = PATHS.ready;
      },
      message: new RegExp(`liveness probe checks ${PATHS.ready}, a dependency check`),
    },
    {
      rule: 'liveness identical to readiness',
      change: (d) => {
        main(d).livenessProbe = { httpGet: { path: '/status', port: 'http' } };
        main(d).readinessProbe = { httpGet: { path: '/status', port: 'http' } };
      },
      message: /liveness and readiness probes are the same check \(http http \/status\)/,
    },
  ],
  preview: [[...CONTAINER, 'livenessProbe']],
});

provePolicy({
  policy: podImagePinned,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: 'a version tag',
      change: (d) => {
        main(d).image = 'acrmcpprod.azurecr.io/mcp-server:1.4.2';
      },
    },
  ],
  failing: [
    {
      rule: ':latest',
      change: (d) => {
        main(d).image = 'acrmcpprod.azurecr.io/mcp-server:latest';
      },
      message: /moving tag 'latest'/,
    },
    {
      rule: 'no tag',
      change: (d) => {
        main(d).image = 'acrmcpprod.azurecr.io/mcp-server';
      },
      message: /has no tag \(means latest\)/,
    },
    {
      rule: 'tag when digests are required',
      change: (d) => {
        main(d).image = 'acrmcpprod.azurecr.io/mcp-server:1.4.2';
      },
      config: { requireDigest: true },
      message: /not pinned by digest/,
    },
  ],
  preview: [[...CONTAINER, 'image']],
});

provePolicy({
  policy: podImageAllowedRegistry,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: 'a registry added by config',
      change: (d) => {
        main(d).image = 'quay.io/prometheus/node-exporter:v1.8.2';
      },
      config: { allowedRegistries: ['quay.io'] },
    },
  ],
  failing: [
    {
      rule: 'Docker Hub shorthand',
      change: (d) => {
        main(d).image = 'your-registry/mcp-server:1.0';
      },
      message: /comes from docker\.io, not an allowed registry/,
    },
    {
      rule: 'a look-alike host',
      change: (d) => {
        main(d).image = 'azurecr.io.evil.example/mcp:1';
      },
      message: /azurecr\.io\.evil\.example/,
    },
    {
      rule: `a chart's upstream image in ${CLUSTER_NAMESPACES.monitoring} (third-party images are imported into the ACR)`,
      change: (d) => {
        inNamespace(d, CLUSTER_NAMESPACES.monitoring);
        main(d).image = 'quay.io/prometheus/node-exporter:v1.9.1';
      },
      message: /comes from quay\.io, not an allowed registry/,
    },
  ],
  preview: [[...CONTAINER, 'image']],
});

provePolicy({
  policy: podNoServiceAccountToken,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: 'exempt workload',
      change: (d) => void delete pod(d).automountServiceAccountToken,
      config: { exemptWorkloads: ['mcp/mcp-server'] },
    },
    {
      name: `a controller in ${CLUSTER_NAMESPACES.gateway} (calls the API; exempt by default)`,
      change: (d) => {
        inNamespace(d, CLUSTER_NAMESPACES.gateway);
        pod(d).automountServiceAccountToken = true;
      },
    },
  ],
  failing: [
    {
      rule: `a controller in ${CLUSTER_NAMESPACES.gateway} once exemptNamespaces is emptied`,
      change: (d) => {
        inNamespace(d, CLUSTER_NAMESPACES.gateway);
        pod(d).automountServiceAccountToken = true;
      },
      config: { exemptNamespaces: [] },
      message: /Deployment kong\/mcp-server: the pod mounts a Kubernetes API token/,
    },
    {
      rule: 'token mounted by default',
      change: (d) => void delete pod(d).automountServiceAccountToken,
      message: /mounts a Kubernetes API token/,
    },
    {
      rule: 'token mounted explicitly',
      change: (d) => {
        pod(d).automountServiceAccountToken = true;
      },
      message: /mounts a Kubernetes API token/,
    },
  ],
  preview: [[...POD, 'automountServiceAccountToken']],
});

provePolicy({
  policy: podDedicatedServiceAccount,
  baseline: workload,
  toRecords: asDeployment,
  failing: [
    {
      rule: 'no service account',
      change: (d) => void delete pod(d).serviceAccountName,
      message: /default service account/,
    },
    {
      rule: 'the default one',
      change: (d) => {
        pod(d).serviceAccountName = 'default';
      },
      message: /default service account/,
    },
  ],
  preview: [[...POD, 'serviceAccountName']],
});

provePolicy({
  policy: podNoSecretEnv,
  baseline: workload,
  toRecords: asDeployment,
  failing: [
    {
      rule: 'secretKeyRef (the guide’s DATABASE_URL)',
      change: (d) =>
        void main(d).env.push({
          name: 'DATABASE_URL',
          valueFrom: { secretKeyRef: { name: 'mcp-secrets', key: 'database-url' } },
        }),
      message: /reads the secret DATABASE_URL from a Kubernetes Secret/,
    },
    {
      rule: 'literal password',
      change: (d) => void main(d).env.push({ name: 'DB_PASSWORD', value: 'hunter2' }),
      message: /env DB_PASSWORD holds a literal secret value/,
    },
    {
      rule: 'URL with a password',
      change: (d) => void main(d).env.push({ name: 'DATABASE_URL', value: 'postgres://mcp_app:s3cret@db:5432/mcp' }),
      message: /DATABASE_URL holds a URL with a password/,
    },
    {
      rule: 'envFrom secretRef',
      change: (d) => {
        main(d).envFrom = [{ secretRef: { name: 'mcp-secrets' } }];
      },
      message: /envFrom\.secretRef/,
    },
  ],
  preview: [[...CONTAINER, 'env']],
});

provePolicy({
  policy: workloadTopologySpread,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: 'anti-affinity instead',
      change: (d) => {
        delete pod(d).topologySpreadConstraints;
        pod(d).affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } };
      },
    },
  ],
  failing: [
    { rule: 'not spread', change: (d) => void delete pod(d).topologySpreadConstraints, message: /pods are not spread/ },
  ],
  preview: [[...POD, 'topologySpreadConstraints']],
});

describe('workload kinds', () => {
  const insecurePod = () => ({
    containers: [{ name: 'app', image: 'app:latest', securityContext: { privileged: true } }],
  });
  const cases: Array<[string, Record<string, unknown>]> = [
    ['kubernetes:core/v1:Pod', { metadata: { name: 'p' }, spec: insecurePod() }],
    ['kubernetes:apps/v1:StatefulSet', { spec: { template: { spec: insecurePod() } } }],
    ['kubernetes:apps/v1:DaemonSet', { spec: { template: { spec: insecurePod() } } }],
    ['kubernetes:batch/v1:Job', { spec: { template: { spec: insecurePod() } } }],
    ['kubernetes:batch/v1:CronJob', { spec: { jobTemplate: { spec: { template: { spec: insecurePod() } } } } }],
  ];
  it.each(cases)('finds the pod template of %s', async (type, props) => {
    expect(await violationsOf(podNoPrivileged, record(type, props))).toEqual([
      expect.stringMatching(/container app is privileged/),
    ]);
  });
  it('judges a Deployment rendered by a helm.sh/v4 Chart or a yaml/v2 ConfigGroup (a child with the same type token)', async () => {
    const chartUrn = 'urn:pulumi:test::secure-mcp-azure::kubernetes:helm.sh/v4:Chart::kong';
    const child = {
      ...record(
        'kubernetes:apps/v1:Deployment',
        { spec: { template: { spec: insecurePod() } } },
        'kong:kong/kong-gateway',
      ),
      parent: chartUrn,
    };
    const chart = record('kubernetes:helm.sh/v4:Chart', { chart: 'kong/ingress', values: {} }, 'kong');
    expect(await violationsOf(podNoPrivileged, [chart, child])).toEqual([
      expect.stringMatching(/container app is privileged/),
    ]);
  });
  it('ignores non-workload objects and Patch resources', async () => {
    const props = { spec: { template: { spec: insecurePod() } } };
    expect(await violationsOf(podNoPrivileged, record('kubernetes:apps/v1:DeploymentPatch', props))).toEqual([]);
    expect(await violationsOf(podNoPrivileged, record('kubernetes:core/v1:ConfigMap', { data: {} }))).toEqual([]);
  });
  it('judges an unknown pod spec as not known yet', async () => {
    const props = { spec: { template: { spec: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' } } };
    expect(await violationsOf(podNoPrivileged, record('kubernetes:apps/v1:Deployment', props))).toEqual([]);
  });
});

describe('image references', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'nginx' }],
    [
      'your-registry/mcp-server:latest',
      { registry: 'docker.io', repository: 'your-registry/mcp-server', tag: 'latest' },
    ],
    ['localhost:5000/app:1', { registry: 'localhost:5000', repository: 'app', tag: '1' }],
    ['acr.azurecr.io/a/b@sha256:abc', { registry: 'acr.azurecr.io', repository: 'a/b', digest: 'sha256:abc' }],
  ])('parses %s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });
});

provePolicy({
  policy: workloadTracingConfigured,
  baseline: workload,
  toRecords: asDeployment,
  passing: [
    {
      name: 'another container is out of scope',
      change: (d) => {
        main(d).name = 'sidecar';
        main(d).env = [];
      },
    },
  ],
  failing: [
    {
      rule: 'no OTLP endpoint',
      change: (d) => {
        main(d).env = main(d).env.filter((v: { name: string }) => v.name !== ENV.otlpEndpoint);
      },
      message: new RegExp(`does not set ${ENV.otlpEndpoint}`),
    },
  ],
  preview: [[...CONTAINER, 'env']],
});
