import { describe, expect, it } from 'vitest';
import { CLUSTER_NAMESPACES } from '../../../service/src/contract';
import { makeUrn } from '../../lib/evaluate';
import { acrDiagnostics } from '../../stack/acr-diagnostics';
import { aksAuditDiagnostics } from '../../stack/aks-audit-diagnostics';
import { ingressRateLimitPlugin } from '../../stack/ingress-rate-limit-plugin';
import { keyVaultAuditDiagnostics } from '../../stack/keyvault-audit-diagnostics';
import { keyVaultPrivateEndpoint } from '../../stack/keyvault-private-endpoint';
import { networkPolicyDefaultDeny } from '../../stack/networkpolicy-default-deny';
import { networkPolicySelectsEveryPod } from '../../stack/networkpolicy-selects-every-pod';
import { postgresAuditDiagnostics } from '../../stack/postgres-audit-diagnostics';
import { redisDiagnostics } from '../../stack/redis-diagnostics';
import { redisPrivateEndpoint } from '../../stack/redis-private-endpoint';
import { relationsUndecided } from '../../stack/relations-undecided';
import { serviceHasServiceMonitor } from '../../stack/service-has-servicemonitor';
import { serviceMonitorHasAlertRules } from '../../stack/servicemonitor-has-alert-rules';
import { workloadHasPdb } from '../../stack/workload-has-pdb';
import { workloadIdentityConsistent } from '../../stack/workload-identity-consistent';
import { workloadReplicas } from '../../stack/workload-replicas';
import { REDIS_ID } from '../fixtures/azure-baseline';
import { fullStack, toStackRecords } from '../fixtures/stack-baseline';
import { provePolicy, violationsOf, withUnknowns } from '../helpers/policy-harness';

const base = { baseline: fullStack, toRecords: toStackRecords };

provePolicy({
  ...base,
  policy: keyVaultPrivateEndpoint,
  passing: [
    {
      name: 'ids unknown, linked by property dependency (as the engine records it)',
      change: (d) => {
        d['vault-endpoint']!.props.privateLinkServiceConnections[0].privateLinkServiceId = 'not-comparable';
        d['vault-endpoint']!.propertyDependencies = { privateLinkServiceConnections: ['vault'] };
      },
    },
  ],
  failing: [
    {
      rule: 'no endpoint',
      change: (d) => void delete d['vault-endpoint'],
      message: /Key Vault vault has no private endpoint/,
    },
    {
      rule: 'the endpoint reaches another vault',
      change: (d) => {
        d['vault-endpoint']!.props.privateLinkServiceConnections[0].privateLinkServiceId =
          '/subscriptions/x/providers/Microsoft.KeyVault/vaults/other';
      },
      message: /no private endpoint/,
    },
  ],
  preview: [['vault-endpoint', 'props', 'privateLinkServiceConnections']],
});

provePolicy({
  ...base,
  policy: redisPrivateEndpoint,
  failing: [
    {
      rule: 'no endpoint',
      change: (d) => void delete d['redis-endpoint'],
      message: /Redis cluster redis has no private endpoint/,
    },
  ],
  preview: [['redis-endpoint', 'props', 'privateLinkServiceConnections']],
});

provePolicy({
  ...base,
  policy: aksAuditDiagnostics,
  passing: [
    {
      name: "the 'audit' category group",
      change: (d) => {
        d['cluster-diagnostics']!.props.logs = [{ categoryGroup: 'audit', enabled: true }];
      },
    },
  ],
  failing: [
    {
      rule: 'no diagnostic setting',
      change: (d) => void delete d['cluster-diagnostics'],
      message: /does not send kube-audit-admin or kube-audit or audit or allLogs, guard/,
    },
    {
      rule: 'audit log disabled',
      change: (d) => {
        d['cluster-diagnostics']!.props.logs[0].enabled = false;
      },
      message: /does not send kube-audit-admin or kube-audit or audit or allLogs logs/,
    },
    {
      rule: 'guard missing',
      change: (d) => void d['cluster-diagnostics']!.props.logs.splice(1, 1),
      message: /guard or audit or allLogs/,
    },
  ],
  preview: [['cluster-diagnostics', 'props', 'resourceUri']],
});

provePolicy({
  ...base,
  policy: keyVaultAuditDiagnostics,
  failing: [
    {
      rule: 'no diagnostic setting',
      change: (d) => void delete d['vault-diagnostics'],
      message: /Key Vault vault does not send AuditEvent/,
    },
    {
      rule: 'metrics only',
      change: (d) => {
        d['vault-diagnostics']!.props.logs = [];
      },
      message: /AuditEvent/,
    },
  ],
  preview: [['vault-diagnostics', 'props', 'logs']],
});

provePolicy({
  ...base,
  policy: postgresAuditDiagnostics,
  failing: [
    {
      rule: 'no diagnostic setting',
      change: (d) => void delete d['postgres-diagnostics'],
      message: /Postgres server postgres does not send PostgreSQLLogs/,
    },
  ],
  preview: [['postgres-diagnostics', 'props', 'resourceUri']],
});

provePolicy({
  ...base,
  policy: networkPolicyDefaultDeny,
  passing: [
    {
      name: 'ingress-only deny when egress is not required',
      change: (d) => {
        d['mcp-default-deny']!.props.spec.policyTypes = ['Ingress'];
      },
      config: { requireEgress: false },
    },
  ],
  failing: [
    {
      rule: 'no default deny (the guide’s setup)',
      change: (d) => void delete d['mcp-default-deny'],
      message: /Namespace mcp has no default-deny NetworkPolicy/,
    },
    {
      rule: 'ingress only',
      change: (d) => {
        d['mcp-default-deny']!.props.spec.policyTypes = ['Ingress'];
      },
      message: /no default-deny/,
    },
    {
      rule: 'a namespace with workloads but no policies',
      change: (d) => {
        d['mcp-deployment']!.props.metadata.namespace = 'tools';
      },
      message: /Namespace tools has no default-deny/,
    },
  ],
  preview: [['mcp-default-deny', 'props', 'spec']],
});

provePolicy({
  ...base,
  policy: networkPolicySelectsEveryPod,
  failing: [
    {
      rule: 'allow policy missing',
      change: (d) => void delete d['mcp-allow'],
      message: /Deployment mcp\/mcp-server is selected by no NetworkPolicy that allows its traffic/,
    },
    {
      rule: 'allow policy selects other pods',
      change: (d) => {
        d['mcp-allow']!.props.spec.podSelector = { matchLabels: { 'app.kubernetes.io/name': 'other' } };
      },
      message: /selected by no NetworkPolicy/,
    },
  ],
  preview: [['mcp-allow', 'props', 'spec', 'podSelector']],
});

provePolicy({
  ...base,
  policy: workloadHasPdb,
  failing: [
    {
      rule: 'no PDB',
      change: (d) => void delete d['mcp-pdb'],
      message: /Deployment mcp\/mcp-server has no PodDisruptionBudget/,
    },
    {
      rule: 'PDB in another namespace',
      change: (d) => {
        d['mcp-pdb']!.props.metadata.namespace = 'default';
      },
      message: /no PodDisruptionBudget/,
    },
  ],
  preview: [['mcp-pdb', 'props', 'spec', 'selector']],
});

provePolicy({
  ...base,
  policy: workloadReplicas,
  passing: [
    {
      name: 'HPA with min 2 and no replicas field',
      change: (d) => {
        delete d['mcp-deployment']!.props.spec.replicas;
        d['mcp-hpa']!.props.spec.minReplicas = 2;
      },
    },
  ],
  failing: [
    {
      rule: 'one replica, no HPA',
      change: (d) => {
        delete d['mcp-hpa'];
        d['mcp-deployment']!.props.spec.replicas = 1;
      },
      message: /runs 1 replica\(s\) and no autoscaler/,
    },
    {
      rule: 'HPA down to one',
      change: (d) => {
        d['mcp-hpa']!.props.spec.minReplicas = 1;
      },
      message: /may scale down to 1 replica/,
    },
  ],
  preview: [['mcp-hpa', 'props', 'spec', 'minReplicas']],
});

provePolicy({
  ...base,
  policy: serviceHasServiceMonitor,
  failing: [
    {
      rule: 'no ServiceMonitor',
      change: (d) => void delete d['mcp-service-monitor'],
      message: /Service mcp\/mcp-server exposes metrics but no ServiceMonitor scrapes it/,
    },
    {
      rule: 'wrong port',
      change: (d) => {
        d['mcp-service-monitor']!.props.spec.endpoints[0].port = 'http';
      },
      message: /no ServiceMonitor/,
    },
    {
      rule: 'watches another namespace',
      change: (d) => {
        d['mcp-service-monitor']!.props.spec.namespaceSelector.matchNames = ['default'];
      },
      message: /no ServiceMonitor/,
    },
  ],
  preview: [['mcp-service-monitor', 'props', 'spec', 'endpoints']],
});

provePolicy({
  ...base,
  policy: serviceMonitorHasAlertRules,
  failing: [
    {
      rule: 'no PrometheusRule',
      change: (d) => void delete d['mcp-alerts'],
      message: /ServiceMonitor mcp\/mcp-server scrapes metrics but no PrometheusRule alerts/,
    },
    {
      rule: 'recording rules only',
      change: (d) => {
        d['mcp-alerts']!.props.spec.groups[0].rules = [{ record: 'x', expr: 'y' }];
      },
      message: /no PrometheusRule alerts/,
    },
  ],
  preview: [['mcp-alerts', 'props', 'spec', 'groups']],
});

provePolicy({
  ...base,
  policy: ingressRateLimitPlugin,
  failing: [
    {
      rule: 'the plugin is missing',
      change: (d) => void delete d['mcp-rate-limiting'],
      message:
        /Ingress mcp\/mcp-server references no existing rate-limiting plugin \(not found: mcp-server-rate-limiting\)/,
    },
    {
      rule: 'no annotation',
      change: (d) => void delete d['mcp-ingress']!.props.metadata.annotations['konghq.com/plugins'],
      message: /has no konghq\.com\/plugins annotation/,
    },
    {
      rule: 'the plugin is not rate limiting',
      change: (d) => {
        d['mcp-rate-limiting']!.props.plugin = 'cors';
      },
      message: /references no existing rate-limiting plugin\.$/m,
    },
    {
      rule: 'the plugin lives in another namespace',
      change: (d) => {
        d['mcp-rate-limiting']!.props.metadata.namespace = CLUSTER_NAMESPACES.gateway;
      },
      message: /not found/,
    },
  ],
  preview: [['mcp-ingress', 'props', 'metadata', 'annotations']],
});

provePolicy({
  ...base,
  policy: workloadIdentityConsistent,
  failing: [
    {
      rule: 'pod label missing',
      change: (d) =>
        void delete d['mcp-deployment']!.props.spec.template.metadata.labels['azure.workload.identity/use'],
      message: /lacks the azure\.workload\.identity\/use: "true" label/,
    },
    {
      rule: 'service account not annotated',
      change: (d) => void delete d['mcp-service-account']!.props.metadata.annotations,
      message: /service account mcp-server has no azure\.workload\.identity\/client-id annotation/,
    },
    {
      rule: 'SecretProviderClass with another client id',
      change: (d) => {
        d['mcp-secrets']!.props.spec.parameters.clientID = '99999999-9999-4999-8999-999999999999';
      },
      message: /uses client id 99999999/,
    },
    {
      rule: 'SecretProviderClass missing',
      change: (d) => void delete d['mcp-secrets'],
      message: /mounts SecretProviderClass mcp-server-secrets, which the stack does not declare/,
    },
    {
      rule: 'federated credential for another subject',
      change: (d) => {
        d['workload-federation']!.props.subject = 'system:serviceaccount:default:default';
      },
      message: /no federated credential for system:serviceaccount:mcp:mcp-server/,
    },
  ],
  preview: [
    ['mcp-secrets', 'props', 'spec', 'parameters', 'clientID'],
    ['mcp-service-account', 'props', 'metadata', 'annotations'],
  ],
});

describe('stack policies and resource types they do not judge', () => {
  it('an empty stack has nothing to report', async () => {
    for (const policy of [
      keyVaultPrivateEndpoint,
      networkPolicyDefaultDeny,
      workloadIdentityConsistent,
      ingressRateLimitPlugin,
    ]) {
      expect(await violationsOf(policy, [])).toEqual([]);
    }
  });
  it('reports against the offending resource URN', async () => {
    const draft = fullStack();
    delete draft['mcp-pdb'];
    const { evaluatePolicies } = await import('../../lib/evaluate');
    const [violation] = await evaluatePolicies([workloadHasPdb], toStackRecords(draft));
    expect(violation?.urn).toBe(makeUrn(draft['mcp-deployment']!.type, 'mcp-deployment'));
  });
});

provePolicy({
  ...base,
  policy: redisDiagnostics,
  passing: [
    {
      name: "the 'audit' category group",
      change: (d) => {
        d['redis-diagnostics']!.props.logs = [{ categoryGroup: 'audit', enabled: true }];
      },
    },
  ],
  failing: [
    {
      rule: 'no diagnostic setting',
      change: (d) => void delete d['redis-diagnostics'],
      message: /Redis database redis-database does not send ConnectionEvents or audit or allLogs logs/,
    },
    {
      rule: 'connection events disabled',
      change: (d) => {
        d['redis-diagnostics']!.props.logs[0].enabled = false;
      },
      message: /ConnectionEvents/,
    },
    {
      rule: 'the setting targets the cluster, not the database',
      change: (d) => {
        d['redis-diagnostics']!.props.resourceUri = REDIS_ID;
      },
      message: /Redis database redis-database does not send/,
    },
  ],
  preview: [['redis-diagnostics', 'props', 'resourceUri']],
});

provePolicy({
  ...base,
  policy: acrDiagnostics,
  failing: [
    {
      rule: 'no diagnostic setting',
      change: (d) => void delete d['registry-diagnostics'],
      message:
        /Container registry registry does not send ContainerRegistryLoginEvents or audit or allLogs, ContainerRegistryRepositoryEvents/,
    },
    {
      rule: 'login events only',
      change: (d) => void d['registry-diagnostics']!.props.logs.splice(1, 1),
      message: /does not send ContainerRegistryRepositoryEvents or audit or allLogs logs/,
    },
  ],
  preview: [['registry-diagnostics', 'props', 'logs']],
});

describe('stack policies relate resources by property dependencies when ids are unknown (preview)', () => {
  /** As a first preview gives them: ids and resource URIs unknown, property dependencies recorded by the engine. */
  const previewDraft = () => {
    const draft = fullStack();
    const unknown = withUnknowns({ value: '' }, ['value']).value;
    for (const [name, target] of [
      ['vault-endpoint', 'vault'],
      ['redis-endpoint', 'redis'],
    ] as const) {
      draft[name]!.props.privateLinkServiceConnections[0].privateLinkServiceId = unknown;
      draft[name]!.propertyDependencies = { privateLinkServiceConnections: [target], subnet: [] };
    }
    for (const [name, target] of [
      ['cluster-diagnostics', 'cluster'],
      ['vault-diagnostics', 'vault'],
      ['postgres-diagnostics', 'postgres'],
      ['redis-diagnostics', 'redis-database'],
      ['registry-diagnostics', 'registry'],
    ] as const) {
      draft[name]!.props.resourceUri = unknown;
      draft[name]!.propertyDependencies = { resourceUri: [target], logs: [] };
    }
    return draft;
  };
  const policies = [
    keyVaultPrivateEndpoint,
    redisPrivateEndpoint,
    aksAuditDiagnostics,
    keyVaultAuditDiagnostics,
    postgresAuditDiagnostics,
    redisDiagnostics,
    acrDiagnostics,
  ];
  const messagesOf = async (draft: ReturnType<typeof fullStack>) =>
    (await Promise.all(policies.map((policy) => violationsOf(policy, toStackRecords(draft))))).flat();

  it('the secure stack passes', async () => {
    expect(await messagesOf(previewDraft())).toEqual([]);
  });
  it.each([
    ['vault-endpoint', /Key Vault vault has no private endpoint/],
    ['redis-endpoint', /Redis cluster redis has no private endpoint/],
    ['vault-diagnostics', /Key Vault vault does not send AuditEvent/],
    ['cluster-diagnostics', /AKS cluster cluster does not send/],
    ['postgres-diagnostics', /Postgres server postgres does not send/],
    ['redis-diagnostics', /Redis database redis-database does not send/],
    ['registry-diagnostics', /Container registry registry does not send/],
  ])('removing %s is caught although every id is unknown', async (name, message) => {
    const draft = previewDraft();
    delete draft[name];
    expect((await messagesOf(draft)).join('\n')).toMatch(message);
  });
  it('an endpoint whose unknown target id depends on another vault does not count', async () => {
    const draft = previewDraft();
    draft['vault-endpoint']!.propertyDependencies = { privateLinkServiceConnections: ['redis'] };
    expect(await violationsOf(keyVaultPrivateEndpoint, toStackRecords(draft))).toEqual([
      'Key Vault vault has no private endpoint.',
    ]);
  });
});

provePolicy({
  ...base,
  policy: relationsUndecided,
  passing: [
    {
      name: 'ids unknown but property dependencies recorded: decided, nothing to say',
      change: (d) => {
        d['vault-endpoint']!.props.privateLinkServiceConnections = withUnknowns({ v: [] }, ['v']).v;
        d['vault-endpoint']!.propertyDependencies = { privateLinkServiceConnections: ['vault'] };
        d['vault-diagnostics']!.props.resourceUri = withUnknowns({ v: '' }, ['v']).v;
        d['vault-diagnostics']!.propertyDependencies = { resourceUri: ['vault'] };
      },
    },
  ],
  failing: [
    {
      rule: 'a private endpoint with an unknown target and no dependency record',
      change: (d) => {
        d['vault-endpoint']!.props.privateLinkServiceConnections = withUnknowns({ v: [] }, ['v']).v;
      },
      message:
        /Key Vault vault: whether a private endpoint reaches it cannot be decided in preview \(azure-keyvault-private-endpoint/,
    },
    {
      rule: 'a diagnostic setting with an unknown resource URI and no dependency record',
      change: (d) => {
        d['registry-diagnostics']!.props.resourceUri = withUnknowns({ v: '' }, ['v']).v;
      },
      message: /Container registry registry: whether its diagnostic settings send the required logs cannot be decided/,
    },
    {
      rule: 'the target reachable only through another resource',
      change: (d) => {
        d['vault-diagnostics']!.props.resourceUri = withUnknowns({ v: '' }, ['v']).v;
        d['vault-diagnostics']!.propertyDependencies = { resourceUri: ['vault-endpoint'] };
        d['vault-endpoint']!.dependencies = ['vault'];
      },
      message: /Key Vault vault: whether its diagnostic settings send the required logs cannot be decided/,
    },
  ],
  preview: [['cluster', 'props', 'tags']],
});
