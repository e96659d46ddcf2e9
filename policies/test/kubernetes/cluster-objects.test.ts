import { describe, expect, it } from 'vitest';
import { CLUSTER_NAMESPACES, GATEWAY, PORTS } from '../../../service/src/contract';
import { apiStableVersions } from '../../kubernetes/api-stable-versions';
import { hpaMinReplicas } from '../../kubernetes/hpa-min-replicas';
import { ingressClassKong } from '../../kubernetes/ingress-class-kong';
import { ingressNoMetricsBackend } from '../../kubernetes/ingress-no-metrics-backend';
import { ingressTls } from '../../kubernetes/ingress-tls';
import { kongPluginRateLimiting } from '../../kubernetes/kongplugin-rate-limiting';
import { namespacePodSecurityRestricted } from '../../kubernetes/namespace-pod-security-restricted';
import { pdbAllowsDisruption } from '../../kubernetes/pdb-allows-disruption';
import { rbacNoClusterAdminBinding } from '../../kubernetes/rbac-no-cluster-admin-binding';
import { rbacNoDangerousVerbs } from '../../kubernetes/rbac-no-dangerous-verbs';
import { PROMETHEUS_OPERATOR_CLUSTER_ROLE, rbacNoWildcards } from '../../kubernetes/rbac-no-wildcards';
import { secretProviderClassWorkloadIdentity } from '../../kubernetes/secretproviderclass-workload-identity';
import { serviceNoExternalIps } from '../../kubernetes/service-no-external-ips';
import { serviceNoPublicExposure } from '../../kubernetes/service-no-public-exposure';
import { serviceAccountNoAutomount } from '../../kubernetes/serviceaccount-no-automount';
import {
  horizontalPodAutoscaler,
  ingress,
  kongRateLimitPlugin,
  namespace,
  podDisruptionBudget,
  role,
  roleBinding,
  secretProviderClass,
  service,
  serviceAccount,
  typeOf,
} from '../fixtures/kubernetes-baseline';
import { asResource, provePolicy, record, violationsOf } from '../helpers/policy-harness';

// biome-ignore lint/suspicious/noExplicitAny: test drafts mutate deeply nested resource inputs by path.
type Props = Record<string, any>;
const props = (build: () => Record<string, unknown>) => () => build() as Props;

provePolicy({
  policy: serviceNoPublicExposure,
  baseline: props(service),
  toRecords: asResource(typeOf('Service')),
  passing: [
    {
      name: 'the allowed gateway proxy',
      change: (d) => {
        d.metadata = { name: GATEWAY.proxyService, namespace: CLUSTER_NAMESPACES.gateway };
        d.spec.type = 'LoadBalancer';
      },
    },
  ],
  failing: [
    {
      rule: 'LoadBalancer for the app (the guide’s example)',
      change: (d) => {
        d.spec.type = 'LoadBalancer';
      },
      message: /Service mcp\/mcp-server is LoadBalancer/,
    },
    {
      rule: 'NodePort',
      change: (d) => {
        d.spec.type = 'NodePort';
      },
      message: /is NodePort/,
    },
  ],
  preview: [['spec', 'type']],
});

provePolicy({
  policy: serviceNoExternalIps,
  baseline: props(service),
  toRecords: asResource(typeOf('Service')),
  failing: [
    {
      rule: 'externalIPs',
      change: (d) => {
        d.spec.externalIPs = ['198.51.100.7'];
      },
      message: /sets externalIPs/,
    },
  ],
  preview: [['spec', 'externalIPs']],
});

provePolicy({
  policy: ingressTls,
  baseline: props(ingress),
  toRecords: asResource(typeOf('Ingress')),
  failing: [
    { rule: 'no TLS (the guide’s example)', change: (d) => void delete d.spec.tls, message: /no TLS section/ },
    {
      rule: 'a host without certificate',
      change: (d) => void d.spec.rules.push({ host: 'admin.example.com', http: { paths: [] } }),
      message: /Host admin\.example\.com has no TLS certificate/,
    },
  ],
  preview: [['spec', 'tls']],
});

provePolicy({
  policy: ingressClassKong,
  baseline: props(ingress),
  toRecords: asResource(typeOf('Ingress')),
  passing: [
    {
      name: 'legacy class annotation',
      change: (d) => {
        delete d.spec.ingressClassName;
        d.metadata.annotations['kubernetes.io/ingress.class'] = GATEWAY.ingressClass;
      },
    },
  ],
  failing: [
    {
      rule: 'another controller',
      change: (d) => {
        d.spec.ingressClassName = 'nginx';
      },
      message: /class is nginx/,
    },
    { rule: 'no class', change: (d) => void delete d.spec.ingressClassName, message: /class is unset/ },
  ],
  preview: [['spec', 'ingressClassName']],
});

provePolicy({
  policy: ingressNoMetricsBackend,
  baseline: props(ingress),
  toRecords: asResource(typeOf('Ingress')),
  failing: [
    {
      rule: 'routes to the metrics port by number',
      change: (d) => {
        d.spec.rules[0].http.paths[0].backend.service.port = { number: PORTS.metrics };
      },
      message: /exposes the metrics port of service mcp-server/,
    },
    {
      rule: 'default backend on the metrics port name',
      change: (d) => {
        d.spec.defaultBackend = { service: { name: 'mcp-server', port: { name: 'metrics' } } };
      },
      message: /metrics port/,
    },
  ],
  preview: [['spec', 'rules']],
});

provePolicy({
  policy: rbacNoWildcards,
  baseline: props(role),
  toRecords: asResource(typeOf('Role')),
  failing: [
    {
      rule: 'verbs *',
      change: (d) => {
        d.rules[0].verbs = ['*'];
      },
      message: /Rule 0 grants "\*" in verbs/,
    },
    {
      rule: 'resources *',
      change: (d) => {
        d.rules[0].resources = ['*'];
      },
      message: /in resources/,
    },
  ],
  preview: [['rules']],
});

provePolicy({
  policy: rbacNoWildcards,
  baseline: props(role),
  toRecords: asResource('kubernetes:rbac.authorization.k8s.io/v1:ClusterRole'),
  failing: [
    {
      rule: 'ClusterRole apiGroups *',
      change: (d) => {
        d.rules[0].apiGroups = ['*'];
      },
      message: /in apiGroups/,
    },
  ],
  preview: [['rules', 0, 'apiGroups']],
});

/** The first rules of kube-prometheus-stack 88.5.3's templates/prometheus-operator/clusterrole.yaml, as rendered. */
const prometheusOperatorRules = () => [
  {
    apiGroups: ['monitoring.coreos.com'],
    resources: ['prometheuses', 'servicemonitors', 'prometheusrules'],
    verbs: ['*'],
  },
  { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['*'] },
  { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['*'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'delete'] },
];

provePolicy({
  policy: rbacNoWildcards,
  baseline: () => ({ metadata: { name: PROMETHEUS_OPERATOR_CLUSTER_ROLE }, rules: prometheusOperatorRules() }) as Props,
  toRecords: asResource('kubernetes:rbac.authorization.k8s.io/v1:ClusterRole'),
  passing: [{ name: 'prometheus-operator’s own ClusterRole, as the chart renders it', change: () => {} }],
  failing: [
    {
      rule: 'the same rules under another name',
      change: (d) => {
        d.metadata.name = 'my-operator';
      },
      message: /Rule 0 grants "\*" in verbs/,
    },
    {
      rule: 'the excused name with "*" resources',
      change: (d) => {
        d.rules[3].resources = ['*'];
      },
      message: /Rule 3 grants "\*" in resources/,
    },
    {
      rule: 'the excused name with "*" API groups',
      change: (d) => {
        d.rules[0].apiGroups = ['*'];
      },
      message: /Rule 0 grants "\*" in apiGroups/,
    },
    {
      rule: 'the excused role removed from the config',
      change: () => {},
      config: { verbWildcardClusterRoles: [] },
      message: /Rule 2 grants "\*" in verbs/,
    },
  ],
  // An unknown name cannot be excused: only unknown rules are tolerated.
  preview: [['rules']],
});

provePolicy({
  policy: rbacNoWildcards,
  baseline: () => ({ ...role(), metadata: { name: PROMETHEUS_OPERATOR_CLUSTER_ROLE, namespace: 'mcp' } }) as Props,
  toRecords: asResource(typeOf('Role')),
  failing: [
    {
      rule: 'a namespaced Role of the excused name is not excused',
      change: (d) => {
        d.rules = prometheusOperatorRules();
      },
      message: /Rule 0 grants "\*" in verbs/,
    },
  ],
  preview: [['rules']],
});

provePolicy({
  policy: rbacNoClusterAdminBinding,
  baseline: props(roleBinding),
  toRecords: asResource(typeOf('RoleBinding')),
  passing: [
    {
      name: 'allowed by config',
      change: (d) => {
        d.roleRef.name = 'cluster-admin';
      },
      config: { allowedBindings: ['mcp/mcp-server-config-reader'] },
    },
  ],
  failing: [
    {
      rule: 'cluster-admin',
      change: (d) => {
        d.roleRef = { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: 'rbac.authorization.k8s.io' };
      },
      message: /grants the cluster-admin role/,
    },
    {
      rule: 'admin',
      change: (d) => {
        d.roleRef.name = 'admin';
      },
      message: /grants the admin role/,
    },
  ],
  preview: [['roleRef', 'name']],
});

provePolicy({
  policy: rbacNoDangerousVerbs,
  baseline: props(role),
  toRecords: asResource(typeOf('Role')),
  failing: [
    {
      rule: 'escalate and bind',
      change: (d) => {
        d.rules[0].verbs = ['get', 'escalate', 'bind'];
      },
      message: /grants escalate, bind: privilege escalation/,
    },
    {
      rule: 'pods/exec',
      change: (d) => void d.rules.push({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }),
      message: /pods\/exec: interactive access/,
    },
    {
      rule: 'impersonate',
      change: (d) => void d.rules.push({ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }),
      message: /impersonate/,
    },
  ],
  preview: [['rules', 0, 'verbs']],
});

provePolicy({
  policy: namespacePodSecurityRestricted,
  baseline: props(namespace),
  toRecords: asResource(typeOf('Namespace')),
  passing: [
    {
      name: 'an exempt system namespace',
      change: (d) => {
        d.metadata = { name: 'kube-system' };
      },
    },
  ],
  failing: [
    {
      rule: 'no label',
      change: (d) => void delete d.metadata.labels,
      message: /Namespace mcp enforces no pod security level/,
    },
    {
      rule: 'baseline only',
      change: (d) => {
        d.metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline';
      },
      message: /enforces baseline/,
    },
  ],
  preview: [['metadata', 'labels']],
});

provePolicy({
  policy: serviceAccountNoAutomount,
  baseline: props(serviceAccount),
  toRecords: asResource(typeOf('ServiceAccount')),
  passing: [
    {
      name: 'an exempt controller account',
      change: (d) => void delete d.automountServiceAccountToken,
      config: { exemptServiceAccounts: ['mcp/mcp-server'] },
    },
  ],
  failing: [
    {
      rule: 'automount by default',
      change: (d) => void delete d.automountServiceAccountToken,
      message: /mounts its token by default/,
    },
  ],
  preview: [['automountServiceAccountToken']],
});

provePolicy({
  policy: kongPluginRateLimiting,
  baseline: props(kongRateLimitPlugin),
  toRecords: asResource(typeOf('KongPlugin')),
  passing: [
    {
      name: 'another plugin is out of scope',
      change: (d) => {
        d.plugin = 'cors';
        d.config = { origins: ['https://claude.ai'] };
      },
    },
    {
      name: 'rate-limiting-advanced with a redis strategy',
      change: (d) => {
        d.plugin = 'rate-limiting-advanced';
        d.config = {
          limit: [1000],
          window_size: [60],
          strategy: 'redis',
          redis: { host: 'r', port: 10000, ssl: true },
        };
      },
    },
  ],
  failing: [
    {
      rule: 'no limit',
      change: (d) => {
        d.config = { policy: 'redis', redis: { ssl: true } };
      },
      message: /sets no limit/,
    },
    {
      rule: "per-pod 'local' counters",
      change: (d) => {
        d.config.policy = 'local';
      },
      message: /counts with 'local'/,
    },
    {
      rule: 'Redis without TLS',
      change: (d) => {
        d.config.redis.ssl = false;
      },
      message: /without TLS/,
    },
  ],
  preview: [['config']],
});

provePolicy({
  policy: kongPluginRateLimiting,
  baseline: props(kongRateLimitPlugin),
  toRecords: asResource('kubernetes:configuration.konghq.com/v1:KongClusterPlugin'),
  failing: [
    {
      rule: 'KongClusterPlugin counted locally',
      change: (d) => void delete d.config.policy,
      message: /counts with 'local'/,
    },
  ],
  preview: [['config']],
});

provePolicy({
  policy: secretProviderClassWorkloadIdentity,
  baseline: props(secretProviderClass),
  toRecords: asResource(typeOf('SecretProviderClass')),
  failing: [
    {
      rule: 'node VM identity (the guide’s example)',
      change: (d) => {
        d.spec.parameters.useVMManagedIdentity = 'true';
        d.spec.parameters.userAssignedIdentityClientID = 'x';
        delete d.spec.parameters.clientID;
      },
      message: /node's VM managed identity/,
    },
    {
      rule: 'pod identity',
      change: (d) => {
        d.spec.parameters.usePodIdentity = 'true';
      },
      message: /uses pod identity/,
    },
    { rule: 'no client id', change: (d) => void delete d.spec.parameters.clientID, message: /has no clientID/ },
    {
      rule: 'sync to a Kubernetes Secret (the guide’s example)',
      change: (d) => {
        d.spec.secretObjects = [{ secretName: 'mcp-app-secrets', type: 'Opaque', data: [] }];
      },
      message: /copies Key Vault secrets into a Kubernetes Secret/,
    },
  ],
  preview: [['spec', 'parameters']],
});

provePolicy({
  policy: hpaMinReplicas,
  baseline: props(horizontalPodAutoscaler),
  toRecords: asResource(typeOf('HorizontalPodAutoscaler')),
  failing: [
    {
      rule: 'minReplicas 1',
      change: (d) => {
        d.spec.minReplicas = 1;
      },
      message: /allows 1 replica\(s\)/,
    },
    { rule: 'minReplicas defaulted', change: (d) => void delete d.spec.minReplicas, message: /allows 1 replica/ },
    { rule: 'below a configured minimum', change: () => {}, config: { minimumReplicas: 5 }, message: /at least 5/ },
  ],
  preview: [['spec', 'minReplicas']],
});

provePolicy({
  policy: pdbAllowsDisruption,
  baseline: props(podDisruptionBudget),
  toRecords: asResource(typeOf('PodDisruptionBudget')),
  failing: [
    {
      rule: 'maxUnavailable 0',
      change: (d) => {
        d.spec.maxUnavailable = 0;
      },
      message: /maxUnavailable 0/,
    },
    {
      rule: "minAvailable '100%'",
      change: (d) => {
        delete d.spec.maxUnavailable;
        d.spec.minAvailable = '100%';
      },
      message: /minAvailable '100%'/,
    },
    { rule: 'neither set', change: (d) => void delete d.spec.maxUnavailable, message: /sets neither/ },
  ],
  preview: [['spec', 'maxUnavailable']],
});

provePolicy({
  policy: apiStableVersions,
  baseline: () => ({ type: typeOf('PodDisruptionBudget'), props: podDisruptionBudget() as Props }),
  toRecords: (value) => record(value.type, value.props),
  failing: [
    {
      rule: 'a beta version with a stable one available',
      change: (d) => {
        d.type = 'kubernetes:policy/v1beta1:PodDisruptionBudget';
      },
      message: /PodDisruptionBudget uses policy\/v1beta1: use policy\/v1/,
    },
  ],
  preview: [['props', 'spec']],
});

describe('kubernetes-api-stable-versions by type token', () => {
  it.each([
    ['kubernetes:policy/v1beta1:PodDisruptionBudget', /policy\/v1beta1: use policy\/v1/],
    ['kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler', /use autoscaling\/v2/],
    ['kubernetes:extensions/v1beta1:Ingress', /use networking\.k8s\.io\/v1/],
    ['kubernetes:batch/v1beta1:CronJob', /use batch\/v1/],
    ['kubernetes:secrets-store.csi.x-k8s.io/v1alpha1:SecretProviderClass', /use secrets-store\.csi\.x-k8s\.io\/v1/],
  ])('fails: %s', async (type, message) => {
    const messages = await violationsOf(apiStableVersions, record(type, { metadata: { name: 'x' } }));
    expect(messages.join('\n')).toMatch(message);
  });
  it.each([
    'kubernetes:configuration.konghq.com/v1beta1:KongUpstreamPolicy',
    'kubernetes:apps/v1:Deployment',
    'kubernetes:helm.sh/v4:Chart',
  ])('passes: %s (stable, or no stable version exists)', async (type) => {
    expect(await violationsOf(apiStableVersions, record(type, { metadata: { name: 'x' } }))).toEqual([]);
  });
});
