import { validate as kubernetesModelsDeployment } from 'kubernetes-models/_schemas/IoK8sApiAppsV1Deployment';
import { describe, expect, it } from 'vitest';
import { type KubernetesObject, knownKinds, validateKubernetesObject } from './kubernetes-schema';

// ---------------------------------------------------------------------------------------------------------------
// Helpers: copies of a valid object with one change, addressed by a dotted path (`spec.containers.0.name`).

type Container = Record<string | number, unknown>;

function parentOf(object: KubernetesObject, path: string): [Container, string] {
  const segments = path.split('.');
  const last = segments.pop() as string;
  let node = object as unknown as Container;
  for (const segment of segments) {
    const next = node[segment];
    if (typeof next !== 'object' || next === null) throw new Error(`test bug: nothing at ${segment} of ${path}`);
    node = next as Container;
  }
  if (!(last in node)) throw new Error(`test bug: nothing at ${path}`);
  return [node, last];
}

/** A copy with the value at `path` replaced. */
function withValue(object: KubernetesObject, path: string, value: unknown): KubernetesObject {
  const copy = structuredClone(object);
  const [parent, key] = parentOf(copy, path);
  parent[key] = value;
  return copy;
}

/** A copy with the field at `path` renamed to `to` (a misspelling). */
function renamed(object: KubernetesObject, path: string, to: string): KubernetesObject {
  const copy = structuredClone(object);
  const [parent, key] = parentOf(copy, path);
  parent[to] = parent[key];
  delete parent[key];
  return copy;
}

/** A copy without the field at `path`. */
function without(object: KubernetesObject, path: string): KubernetesObject {
  const copy = structuredClone(object);
  const [parent, key] = parentOf(copy, path);
  delete parent[key];
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// Realistic valid objects, one per kind.

const labels = { 'app.kubernetes.io/name': 'mcp-server', 'app.kubernetes.io/part-of': 'secure-mcp' };
const metadata = { name: 'mcp-server', namespace: 'mcp', labels };

const container = {
  name: 'server',
  image: 'crmcp.azurecr.io/mcp-server:1.4.2',
  imagePullPolicy: 'IfNotPresent',
  args: ['--port', '8080'],
  env: [
    { name: 'PORT', value: '8080' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'REDIS_HOST', valueFrom: { configMapKeyRef: { name: 'mcp-server', key: 'redisHost' } } },
  ],
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi' } },
  startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 30 },
  readinessProbe: { httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 2 },
  livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 10, periodSeconds: 10 },
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  },
  volumeMounts: [
    { name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true },
    { name: 'tmp', mountPath: '/tmp' },
  ],
};

const podSpec = {
  serviceAccountName: 'mcp-server',
  automountServiceAccountToken: true,
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    fsGroup: 10001,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: labels },
    },
  ],
  containers: [container],
  volumes: [
    {
      name: 'secrets-store',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        readOnly: true,
        volumeAttributes: { secretProviderClass: 'mcp-server' },
      },
    },
    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
  ],
};

const deployment: KubernetesObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { ...metadata, annotations: { 'secure-mcp.example.com/owner': 'platform' } },
  spec: {
    replicas: 2,
    revisionHistoryLimit: 5,
    selector: { matchLabels: labels },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
    template: { metadata: { labels: { ...labels, 'azure.workload.identity/use': 'true' } }, spec: podSpec },
  },
};

const horizontalPodAutoscaler: KubernetesObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata,
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'mcp-server' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '400Mi' } } },
    ],
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 30 },
          { type: 'Pods', value: 2, periodSeconds: 30 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
    },
  },
};

const networkPolicy: KubernetesObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata,
  spec: {
    podSelector: { matchLabels: labels },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kong' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kong' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 'http' }],
      },
    ],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      {
        to: [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.8.0/24'] } }],
        ports: [
          { protocol: 'TCP', port: 5432 },
          { protocol: 'TCP', port: 10000, endPort: 10010 },
        ],
      },
    ],
  },
};

const ingress: KubernetesObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    ...metadata,
    annotations: {
      'konghq.com/plugins': 'rate-limiting',
      'konghq.com/protocols': 'https',
      'konghq.com/https-redirect-status-code': '308',
    },
  },
  spec: {
    ingressClassName: 'kong',
    tls: [{ hosts: ['mcp.example.com'], secretName: 'mcp-tls' }],
    rules: [
      {
        host: 'mcp.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'mcp-server', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
};

const namespace: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'mcp', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
};

const serviceAccount: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: {
    ...metadata,
    annotations: { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000000' },
  },
  automountServiceAccountToken: false,
};

const service: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata,
  spec: {
    type: 'ClusterIP',
    selector: labels,
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }],
  },
};

const configMap: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata,
  data: { redisHost: 'redis.example.com', 'config.json': '{"logLevel":"info"}' },
};

const secret: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata,
  type: 'Opaque',
  immutable: true,
  stringData: { token: 'not-a-real-token' },
};

const daemonSet: KubernetesObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata,
  spec: {
    selector: { matchLabels: labels },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    template: {
      metadata: { labels },
      spec: {
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        containers: [{ name: 'agent', image: 'mcr.microsoft.com/agent:1.0', resources: { requests: { cpu: '10m' } } }],
      },
    },
  },
};

const statefulSet: KubernetesObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata,
  spec: {
    serviceName: 'mcp-server',
    replicas: 1,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'server', image: 'crmcp.azurecr.io/x:1' }] } },
    volumeClaimTemplates: [
      {
        metadata: { name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'managed-csi',
          resources: { requests: { storage: '8Gi' } },
        },
      },
    ],
  },
};

const job: KubernetesObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { ...metadata, name: 'migrate' },
  spec: {
    backoffLimit: 3,
    ttlSecondsAfterFinished: 600,
    activeDeadlineSeconds: 300,
    template: {
      metadata: { labels },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'migrate', image: 'crmcp.azurecr.io/x:1', args: ['migrate'] }],
      },
    },
  },
};

const podDisruptionBudget: KubernetesObject = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata,
  spec: { minAvailable: 1, selector: { matchLabels: labels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
};

const role: KubernetesObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata,
  rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['mcp-server'], verbs: ['get', 'watch'] }],
};

const roleBinding: KubernetesObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata,
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'mcp-server' },
  subjects: [{ kind: 'ServiceAccount', name: 'mcp-server', namespace: 'mcp' }],
};

const clusterRole: KubernetesObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'mcp-metrics-reader' },
  rules: [
    { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list'] },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ],
};

const clusterRoleBinding: KubernetesObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'mcp-metrics-reader' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'mcp-metrics-reader' },
  subjects: [{ kind: 'ServiceAccount', name: 'mcp-server', namespace: 'mcp' }],
};

const serviceMonitor: KubernetesObject = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { ...metadata, labels: { ...labels, release: 'kube-prometheus-stack' } },
  spec: {
    selector: { matchLabels: labels },
    namespaceSelector: { matchNames: ['mcp'] },
    endpoints: [
      {
        port: 'http',
        path: '/metrics',
        interval: '30s',
        scrapeTimeout: '10s',
        scheme: 'http',
        honorLabels: false,
        relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node', action: 'replace' }],
        metricRelabelings: [{ sourceLabels: ['__name__'], regex: 'go_gc_.*', action: 'drop' }],
      },
      { targetPort: 9090, path: '/admin/metrics', interval: '1m' },
    ],
  },
};

const podMonitor: KubernetesObject = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata,
  spec: {
    selector: { matchLabels: labels },
    podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
  },
};

const prometheusRule: KubernetesObject = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { ...metadata, labels: { ...labels, release: 'kube-prometheus-stack' } },
  spec: {
    groups: [
      {
        name: 'mcp-server',
        interval: '1m',
        rules: [
          {
            alert: 'McpServerHighErrorRate',
            expr: 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
            for: '10m',
            labels: { severity: 'critical', team: 'platform' },
            annotations: {
              summary: 'MCP server 5xx ratio above 5%',
              description: '{{ $value | humanizePercentage }} of requests failed in the last 5 minutes.',
              runbook_url: 'https://runbooks.example.com/mcp-server/high-error-rate',
            },
          },
          { record: 'mcp:http_requests:rate5m', expr: 'sum(rate(http_requests_total[5m]))' },
        ],
      },
    ],
  },
};

const kongPlugin: KubernetesObject = {
  apiVersion: 'configuration.konghq.com/v1',
  kind: 'KongPlugin',
  metadata: { name: 'rate-limiting', namespace: 'mcp', annotations: { 'kubernetes.io/ingress.class': 'kong' } },
  plugin: 'rate-limiting',
  protocols: ['http', 'https'],
  config: {
    minute: 120,
    policy: 'redis',
    limit_by: 'ip',
    fault_tolerant: true,
    hide_client_headers: false,
    redis: { host: 'redis.example.com', port: 6380, ssl: true, ssl_verify: true, database: 0 },
  },
};

const kongClusterPlugin: KubernetesObject = {
  apiVersion: 'configuration.konghq.com/v1',
  kind: 'KongClusterPlugin',
  metadata: { name: 'correlation-id', labels: { global: 'true' } },
  plugin: 'correlation-id',
  config: { header_name: 'X-Request-ID', generator: 'uuid#counter', echo_downstream: true },
};

const kongUpstreamPolicy: KubernetesObject = {
  apiVersion: 'configuration.konghq.com/v1beta1',
  kind: 'KongUpstreamPolicy',
  metadata,
  spec: {
    algorithm: 'round-robin',
    healthchecks: {
      threshold: 50,
      active: {
        type: 'http',
        httpPath: '/healthz',
        timeout: 1,
        concurrency: 10,
        healthy: { interval: 5, successes: 2, httpStatuses: [200, 204] },
        unhealthy: { interval: 5, httpFailures: 3, tcpFailures: 3, timeouts: 3, httpStatuses: [500, 503] },
      },
      passive: { type: 'http', healthy: { successes: 5 }, unhealthy: { httpFailures: 5, timeouts: 5 } },
    },
  },
};

const secretProviderClass: KubernetesObject = {
  apiVersion: 'secrets-store.csi.x-k8s.io/v1',
  kind: 'SecretProviderClass',
  metadata,
  spec: {
    provider: 'azure',
    parameters: {
      usePodIdentity: 'false',
      clientID: '00000000-0000-0000-0000-000000000000',
      keyvaultName: 'kv-mcp-prod',
      tenantId: '11111111-1111-1111-1111-111111111111',
      objects: 'array:\n  - |\n    objectName: database-password\n    objectType: secret\n',
    },
    secretObjects: [
      { secretName: 'mcp-server', type: 'Opaque', data: [{ objectName: 'database-password', key: 'DB_PASSWORD' }] },
    ],
  },
};

const certificate: KubernetesObject = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata,
  spec: {
    secretName: 'mcp-tls',
    dnsNames: ['mcp.example.com'],
    issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: 'letsencrypt' },
    privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    renewBeforePercentage: 33,
  },
};

const issuer: KubernetesObject = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Issuer',
  metadata,
  spec: {
    acme: {
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      privateKeySecretRef: { name: 'letsencrypt-account-key' },
      solvers: [{ http01: { ingress: { ingressClassName: 'kong' } } }],
    },
  },
};

// A few more built-in kinds the validator knows, beyond the ones the program uses today.
const pod: KubernetesObject = { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec };
const persistentVolumeClaim: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata,
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
};
const resourceQuota: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata,
  spec: { hard: { 'requests.cpu': '4', 'limits.memory': '8Gi', pods: '20' } },
};
const limitRange: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata,
  spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
};
const cronJob: KubernetesObject = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata,
  spec: { schedule: '*/15 * * * *', concurrencyPolicy: 'Forbid', jobTemplate: { spec: job.spec } },
};

// ---------------------------------------------------------------------------------------------------------------
// Every kind, both ways: valid passes; a misspelt field deep inside and a wrong type fail, naming the path.

interface KindCase {
  object: KubernetesObject;
  /** [path of an existing field, misspelt name, the error expected]. */
  misspelt: [string, string, string];
  /** [path, wrong value, the error expected]. */
  wrongType: [string, unknown, string];
}

const cases: Record<string, KindCase> = {
  'v1 Namespace': {
    object: namespace,
    misspelt: ['metadata.labels', 'lables', 'metadata.lables: unknown field (did you mean "labels"?)'],
    wrongType: ['metadata.labels', ['restricted'], 'metadata.labels: must be object (got an array)'],
  },
  'v1 ServiceAccount': {
    object: serviceAccount,
    misspelt: [
      'automountServiceAccountToken',
      'automountServiceAcountToken',
      'automountServiceAcountToken: unknown field (did you mean "automountServiceAccountToken"?)',
    ],
    wrongType: [
      'automountServiceAccountToken',
      'false',
      'automountServiceAccountToken: must be boolean (got string "false")',
    ],
  },
  'v1 Service': {
    object: service,
    misspelt: [
      'spec.ports.0.targetPort',
      'targetport',
      'spec.ports[0].targetport: unknown field (did you mean "targetPort"?)',
    ],
    wrongType: ['spec.ports.0.port', '80', 'spec.ports[0].port: must be integer (got string "80")'],
  },
  'v1 ConfigMap': {
    object: configMap,
    misspelt: ['data', 'date', 'date: unknown field (did you mean "data"?)'],
    wrongType: ['data.redisHost', 6380, 'data.redisHost: must be string (got number 6380)'],
  },
  'v1 Secret': {
    object: secret,
    misspelt: ['stringData', 'stringdata', 'stringdata: unknown field (did you mean "stringData"?)'],
    wrongType: ['immutable', 'true', 'immutable: must be boolean (got string "true")'],
  },
  'apps/v1 Deployment': {
    object: deployment,
    misspelt: [
      'spec.template.spec.containers.0.readinessProbe.httpGet.path',
      'pth',
      'spec.template.spec.containers[0].readinessProbe.httpGet.pth: unknown field (did you mean "path"?)',
    ],
    wrongType: [
      'spec.template.spec.containers.0.ports.0.containerPort',
      'http',
      'spec.template.spec.containers[0].ports[0].containerPort: must be integer (got string "http")',
    ],
  },
  'apps/v1 DaemonSet': {
    object: daemonSet,
    misspelt: [
      'spec.template.spec.tolerations.0.effect',
      'efect',
      'spec.template.spec.tolerations[0].efect: unknown field (did you mean "effect"?)',
    ],
    wrongType: [
      'spec.updateStrategy.rollingUpdate.maxUnavailable',
      true,
      'spec.updateStrategy.rollingUpdate.maxUnavailable: must be string or integer (got boolean true)',
    ],
  },
  'apps/v1 StatefulSet': {
    object: statefulSet,
    misspelt: [
      'spec.volumeClaimTemplates.0.spec.storageClassName',
      'storageClass',
      'spec.volumeClaimTemplates[0].spec.storageClass: unknown field (did you mean "storageClassName"?)',
    ],
    wrongType: [
      'spec.volumeClaimTemplates.0.spec.resources.requests.storage',
      '8 GB',
      'spec.volumeClaimTemplates[0].spec.resources.requests.storage: must be number or a quantity string such as "250m" or "1Gi" (got string "8 GB")',
    ],
  },
  'batch/v1 Job': {
    object: job,
    misspelt: [
      'spec.ttlSecondsAfterFinished',
      'ttlSecondsAfterFinish',
      'spec.ttlSecondsAfterFinish: unknown field (did you mean "ttlSecondsAfterFinished"?)',
    ],
    wrongType: ['spec.backoffLimit', '3', 'spec.backoffLimit: must be integer (got string "3")'],
  },
  'autoscaling/v2 HorizontalPodAutoscaler': {
    object: horizontalPodAutoscaler,
    misspelt: [
      'spec.metrics.0.resource.target.averageUtilization',
      'averageUtilisation',
      'spec.metrics[0].resource.target.averageUtilisation: unknown field (did you mean "averageUtilization"?)',
    ],
    wrongType: [
      'spec.metrics.0.resource.target.averageUtilization',
      '70%',
      'spec.metrics[0].resource.target.averageUtilization: must be integer (got string "70%")',
    ],
  },
  'policy/v1 PodDisruptionBudget': {
    object: podDisruptionBudget,
    misspelt: ['spec.minAvailable', 'minAvailible', 'spec.minAvailible: unknown field (did you mean "minAvailable"?)'],
    wrongType: ['spec.minAvailable', 1.5, 'spec.minAvailable: must be string or integer (got number 1.5)'],
  },
  'networking.k8s.io/v1 NetworkPolicy': {
    object: networkPolicy,
    misspelt: [
      'spec.ingress.0.from.0.namespaceSelector',
      'namespaceSelecter',
      'spec.ingress[0].from[0].namespaceSelecter: unknown field (did you mean "namespaceSelector"?)',
    ],
    wrongType: [
      'spec.egress.1.to.0.ipBlock.except',
      '10.20.8.0/24',
      'spec.egress[1].to[0].ipBlock.except: must be array (got string "10.20.8.0/24")',
    ],
  },
  'networking.k8s.io/v1 Ingress': {
    object: ingress,
    misspelt: [
      'spec.rules.0.http.paths.0.backend.service.port.number',
      'numbr',
      'spec.rules[0].http.paths[0].backend.service.port.numbr: unknown field (did you mean "number"?)',
    ],
    wrongType: [
      'spec.rules.0.http.paths.0.backend.service.port.number',
      'http',
      'spec.rules[0].http.paths[0].backend.service.port.number: must be integer (got string "http")',
    ],
  },
  'rbac.authorization.k8s.io/v1 Role': {
    object: role,
    misspelt: [
      'rules.0.resourceNames',
      'resourceName',
      'rules[0].resourceName: unknown field (did you mean "resourceNames"?)',
    ],
    wrongType: ['rules.0.verbs', 'get', 'rules[0].verbs: must be array (got string "get")'],
  },
  'rbac.authorization.k8s.io/v1 RoleBinding': {
    object: roleBinding,
    misspelt: ['subjects.0.namespace', 'namespce', 'subjects[0].namespce: unknown field (did you mean "namespace"?)'],
    wrongType: ['roleRef.name', 7, 'roleRef.name: must be string (got number 7)'],
  },
  'rbac.authorization.k8s.io/v1 ClusterRole': {
    object: clusterRole,
    misspelt: [
      'rules.1.nonResourceURLs',
      'nonResourceUrls',
      'rules[1].nonResourceUrls: unknown field (did you mean "nonResourceURLs"?)',
    ],
    wrongType: ['rules.0.apiGroups', [null], 'rules[0].apiGroups[0]: must be string (got null)'],
  },
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': {
    object: clusterRoleBinding,
    misspelt: ['roleRef.apiGroup', 'apigroup', 'roleRef.apigroup: unknown field (did you mean "apiGroup"?)'],
    wrongType: ['subjects', {}, 'subjects: must be array (got an object)'],
  },
  'v1 Pod': {
    object: pod,
    misspelt: [
      'spec.containers.0.securityContext',
      'securitycontext',
      'spec.containers[0].securitycontext: unknown field (did you mean "securityContext"?)',
    ],
    wrongType: [
      'spec.securityContext.runAsUser',
      '10001',
      'spec.securityContext.runAsUser: must be integer (got string "10001")',
    ],
  },
  'v1 PersistentVolumeClaim': {
    object: persistentVolumeClaim,
    misspelt: ['spec.accessModes', 'accessMode', 'spec.accessMode: unknown field (did you mean "accessModes"?)'],
    wrongType: ['spec.accessModes', 'ReadWriteOnce', 'spec.accessModes: must be array (got string "ReadWriteOnce")'],
  },
  'v1 ResourceQuota': {
    object: resourceQuota,
    misspelt: ['spec.hard', 'hrad', 'spec.hrad: unknown field (did you mean "hard"?)'],
    wrongType: [
      'spec.hard',
      { 'limits.memory': '8 gigs' },
      'spec.hard["limits.memory"]: must be number or a quantity string such as "250m" or "1Gi" (got string "8 gigs")',
    ],
  },
  'v1 LimitRange': {
    object: limitRange,
    misspelt: [
      'spec.limits.0.defaultRequest',
      'defaultRequests',
      'spec.limits[0].defaultRequests: unknown field (did you mean "defaultRequest"?)',
    ],
    wrongType: ['spec.limits.0.type', 1, 'spec.limits[0].type: must be string (got number 1)'],
  },
  'batch/v1 CronJob': {
    object: cronJob,
    misspelt: [
      'spec.concurrencyPolicy',
      'concurrencypolicy',
      'spec.concurrencypolicy: unknown field (did you mean "concurrencyPolicy"?)',
    ],
    wrongType: ['spec.schedule', 15, 'spec.schedule: must be string (got number 15)'],
  },
  'monitoring.coreos.com/v1 ServiceMonitor': {
    object: serviceMonitor,
    misspelt: [
      'spec.endpoints.0.relabelings.0.sourceLabels',
      'sourceLabel',
      'spec.endpoints[0].relabelings[0].sourceLabel: unknown field (did you mean "sourceLabels"?)',
    ],
    wrongType: [
      'spec.endpoints.0.honorLabels',
      'false',
      'spec.endpoints[0].honorLabels: must be boolean (got string "false")',
    ],
  },
  'monitoring.coreos.com/v1 PodMonitor': {
    object: podMonitor,
    misspelt: [
      'spec.podMetricsEndpoints.0.path',
      'pth',
      'spec.podMetricsEndpoints[0].pth: unknown field (did you mean "path"?)',
    ],
    wrongType: ['spec.podMetricsEndpoints', {}, 'spec.podMetricsEndpoints: must be array (got an object)'],
  },
  'monitoring.coreos.com/v1 PrometheusRule': {
    object: prometheusRule,
    misspelt: [
      'spec.groups.0.rules.0.annotations',
      'annotation',
      'spec.groups[0].rules[0].annotation: unknown field (did you mean "annotations"?)',
    ],
    wrongType: [
      'spec.groups.0.rules.0.labels',
      { severity: 1 },
      'spec.groups[0].rules[0].labels.severity: must be string (got number 1)',
    ],
  },
  'configuration.konghq.com/v1 KongPlugin': {
    object: kongPlugin,
    misspelt: ['protocols', 'protocol', 'protocol: unknown field (did you mean "protocols"?)'],
    wrongType: ['protocols', 'https', 'protocols: must be array (got string "https")'],
  },
  'configuration.konghq.com/v1 KongClusterPlugin': {
    object: kongClusterPlugin,
    misspelt: ['config', 'conifg', 'conifg: unknown field (did you mean "config"?)'],
    wrongType: ['config', 'header_name=X-Request-ID', 'config: must be object (got string "header_name=X-Request-ID")'],
  },
  'configuration.konghq.com/v1beta1 KongUpstreamPolicy': {
    object: kongUpstreamPolicy,
    misspelt: [
      'spec.healthchecks.active.healthy.httpStatuses',
      'http_statuses',
      'spec.healthchecks.active.healthy.http_statuses: unknown field (did you mean "httpStatuses"?)',
    ],
    wrongType: [
      'spec.healthchecks.active.healthy.interval',
      '5s',
      'spec.healthchecks.active.healthy.interval: must be integer (got string "5s")',
    ],
  },
  'secrets-store.csi.x-k8s.io/v1 SecretProviderClass': {
    object: secretProviderClass,
    misspelt: ['spec.provider', 'provder', 'spec.provder: unknown field (did you mean "provider"?)'],
    wrongType: [
      'spec.parameters.usePodIdentity',
      false,
      'spec.parameters.usePodIdentity: must be string (got boolean false)',
    ],
  },
  'cert-manager.io/v1 Certificate': {
    object: certificate,
    misspelt: ['spec.dnsNames', 'dnsName', 'spec.dnsName: unknown field (did you mean "dnsNames"?)'],
    wrongType: ['spec.renewBeforePercentage', '33', 'spec.renewBeforePercentage: must be integer (got string "33")'],
  },
  'cert-manager.io/v1 Issuer': {
    object: issuer,
    misspelt: [
      'spec.acme.solvers.0.http01.ingress.ingressClassName',
      'ingressClass',
      'spec.acme.solvers[0].http01.ingress.ingressClass: unknown field (did you mean "ingressClassName"?)',
    ],
    wrongType: ['spec.acme.server', 443, 'spec.acme.server: must be string (got number 443)'],
  },
};

describe('validateKubernetesObject: every kind both ways', () => {
  it('covers every kind the validator knows, but the vendored CRDs that nothing here uses', () => {
    const covered = Object.values(cases).map(({ object }) => `${object.apiVersion}/${object.kind}`);
    expect(knownKinds().filter((kind) => !covered.includes(kind))).toEqual([
      'configuration.konghq.com/v1/KongConsumer',
      'configuration.konghq.com/v1/KongIngress',
      'configuration.konghq.com/v1alpha1/IngressClassParameters',
      'configuration.konghq.com/v1alpha1/KongCustomEntity',
      'configuration.konghq.com/v1alpha1/KongLicense',
      'configuration.konghq.com/v1alpha1/KongVault',
      'configuration.konghq.com/v1beta1/KongConsumerGroup',
      'configuration.konghq.com/v1beta1/TCPIngress',
      'configuration.konghq.com/v1beta1/UDPIngress',
      'secrets-store.csi.x-k8s.io/v1alpha1/SecretProviderClass',
    ]);
  });

  describe.each(Object.entries(cases))('%s', (_name, { object, misspelt, wrongType }) => {
    it('passes when valid', () => {
      expect(validateKubernetesObject(object)).toEqual([]);
    });

    it('fails on a misspelt field, naming its path', () => {
      const [path, to, error] = misspelt;
      expect(validateKubernetesObject(renamed(object, path, to))).toEqual([error]);
    });

    it('fails on a wrong type, naming its path', () => {
      const [path, value, error] = wrongType;
      expect(validateKubernetesObject(withValue(object, path, value))).toEqual([error]);
    });

    it('fails on a misspelt metadata field', () => {
      expect(validateKubernetesObject(renamed(object, 'metadata.name', 'nmae'))).toEqual([
        'metadata.nmae: unknown field (did you mean "name"?)',
      ]);
    });
  });
});

describe('validateKubernetesObject: built-in kinds in depth', () => {
  it('kubernetes-models alone does not reject unknown fields (why the read tracking exists)', () => {
    const misspelt = renamed(deployment, 'spec.template.spec.containers.0.imagePullPolicy', 'imagePullPolcy');
    expect(kubernetesModelsDeployment(misspelt)).toBe(true);
    expect(validateKubernetesObject(misspelt)).toEqual([
      'spec.template.spec.containers[0].imagePullPolcy: unknown field (did you mean "imagePullPolicy"?)',
    ]);
  });

  it.each([
    ['spec.template.spec.topologySpreadConstraints.0.labelSelector', 'labelSelectors'],
    ['spec.template.spec.volumes.0.csi.volumeAttributes', 'volumeAttribute'],
    ['spec.template.spec.volumes.1.emptyDir.sizeLimit', 'sizelimit'],
    ['spec.template.spec.securityContext.seccompProfile', 'seccomp'],
    ['spec.template.spec.containers.0.securityContext.capabilities.drop', 'drops'],
    ['spec.template.spec.containers.0.env.1.valueFrom.fieldRef', 'fieldReference'],
    ['spec.template.spec.containers.0.startupProbe.failureThreshold', 'failureTreshold'],
    ['spec.strategy.rollingUpdate.maxSurge', 'maxsurge'],
    ['spec.template.metadata.labels', 'label'],
  ])('Deployment: %s misspelt as %s fails', (path, to) => {
    const errors = validateKubernetesObject(renamed(deployment, path, to));
    const parent = path
      .split('.')
      .slice(0, -1)
      .join('.')
      .replace(/\.(\d+)(?=\.|$)/g, '[$1]');
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^${escapeRegExp(`${parent}.${to}`)}: unknown field`))]);
  });

  it('accepts int-or-string and quantities in both forms', () => {
    const variants = [
      withValue(deployment, 'spec.strategy.rollingUpdate', { maxUnavailable: '25%', maxSurge: 1 }),
      withValue(deployment, 'spec.template.spec.containers.0.resources', {
        requests: { cpu: 0.25, memory: '268435456', 'ephemeral-storage': '1G' },
        limits: { cpu: '1', memory: '1.5Gi' },
      }),
      withValue(deployment, 'spec.template.spec.containers.0.livenessProbe', { tcpSocket: { port: 'http' } }),
      withValue(service, 'spec.ports.0.targetPort', 8080),
      withValue(podDisruptionBudget, 'spec.minAvailable', '50%'),
    ];
    for (const variant of variants) expect(validateKubernetesObject(variant)).toEqual([]);
  });

  it('reports several problems at once, sorted by path', () => {
    const broken = withValue(
      withValue(
        renamed(deployment, 'spec.replicas', 'replica'),
        'spec.template.spec.containers.0.resources.requests.cpu',
        '250 millicores',
      ),
      'spec.strategy.rollingUpdate.maxSurge',
      1.5,
    );
    expect(validateKubernetesObject(broken)).toEqual([
      'spec.replica: unknown field (did you mean "replicas"?)',
      'spec.strategy.rollingUpdate.maxSurge: must be string or integer (got number 1.5)',
      'spec.template.spec.containers[0].resources.requests.cpu: must be number or a quantity string such as "250m" or "1Gi" (got string "250 millicores")',
    ]);
  });

  it('reports a value for replicas given as a string', () => {
    expect(validateKubernetesObject(withValue(deployment, 'spec.replicas', '3'))).toEqual([
      'spec.replicas: must be integer (got string "3")',
    ]);
  });

  it('reports missing required fields and enum violations', () => {
    expect(validateKubernetesObject(without(deployment, 'spec.template.spec.containers.0.name'))).toEqual([
      'spec.template.spec.containers[0].name: required field is missing',
    ]);
    expect(validateKubernetesObject(without(deployment, 'spec.selector'))).toEqual([
      'spec.selector: required field is missing',
    ]);
    expect(
      validateKubernetesObject(withValue(deployment, 'spec.template.spec.containers.0.imagePullPolicy', 'Sometimes')),
    ).toEqual([
      'spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never" (got string "Sometimes")',
    ]);
  });

  it('names annotation keys that are not identifiers in brackets', () => {
    const wrong = withValue(ingress, 'metadata.annotations', { 'konghq.com/https-redirect-status-code': 308 });
    expect(validateKubernetesObject(wrong)).toEqual([
      'metadata.annotations["konghq.com/https-redirect-status-code"]: must be string (got number 308)',
    ]);
  });

  it('catches autoscaling/v1 fields used in a v2 HorizontalPodAutoscaler', () => {
    const v1Style = withValue(horizontalPodAutoscaler, 'spec.metrics', undefined);
    (v1Style.spec as Record<string, unknown>).targetCPUUtilizationPercentage = 70;
    expect(validateKubernetesObject(v1Style)).toEqual(['spec.targetCPUUtilizationPercentage: unknown field']);
  });

  it('accepts status, apiVersion and kind, which Pulumi leaves in the inputs', () => {
    const withStatus = withValue(deployment, 'spec.replicas', 2);
    withStatus.status = { replicas: 2, readyReplicas: 2 };
    expect(validateKubernetesObject(withStatus)).toEqual([]);
  });
});

describe('validateKubernetesObject: custom resources in depth', () => {
  it('lets free-form fields (x-kubernetes-preserve-unknown-fields) through, and only those', () => {
    const anyConfig = withValue(kongPlugin, 'config', { anything: { nested: [1, 'two', { three: true }] } });
    expect(validateKubernetesObject(anyConfig)).toEqual([]);
    const withConfigFrom = withValue(kongPlugin, 'config', undefined);
    withConfigFrom.configFrom = { secretKeyRef: { nme: 'rate-limiting', key: 'config' } };
    expect(validateKubernetesObject(withConfigFrom)).toEqual([
      'configFrom.secretKeyRef.name: required field is missing',
      'configFrom.secretKeyRef.nme: unknown field (did you mean "name"?)',
    ]);
  });

  it('KongUpstreamPolicy health checks are camelCase (http_path, the Admin API spelling, is dropped)', () => {
    expect(
      validateKubernetesObject(renamed(kongUpstreamPolicy, 'spec.healthchecks.active.httpPath', 'http_path')),
    ).toEqual(['spec.healthchecks.active.http_path: unknown field (did you mean "httpPath"?)']);
    expect(validateKubernetesObject(withValue(kongUpstreamPolicy, 'spec.algorithm', 'random'))).toEqual([
      'spec.algorithm: must be one of "round-robin", "consistent-hashing", "least-connections", "latency", "sticky-sessions" (got string "random")',
    ]);
  });

  it('treats x-kubernetes-int-or-string as integer or string', () => {
    expect(validateKubernetesObject(withValue(serviceMonitor, 'spec.endpoints.1.targetPort', 'admin'))).toEqual([]);
    expect(validateKubernetesObject(withValue(serviceMonitor, 'spec.endpoints.1.targetPort', true))).toEqual([
      'spec.endpoints[1].targetPort: must be integer or string (got boolean true)',
    ]);
    expect(validateKubernetesObject(withValue(prometheusRule, 'spec.groups.0.rules.1.expr', 1))).toEqual([]);
  });

  it('checks patterns and enums (Go regular expressions, e.g. durations)', () => {
    expect(validateKubernetesObject(withValue(prometheusRule, 'spec.groups.0.rules.0.for', '10 minutes'))).toEqual([
      expect.stringMatching(/^spec\.groups\[0\]\.rules\[0\]\.for: must match the pattern \^\(0\|/),
    ]);
    expect(validateKubernetesObject(withValue(serviceMonitor, 'spec.endpoints.0.scheme', 'ftp'))).toEqual([
      'spec.endpoints[0].scheme: must be one of "http", "https", "HTTP", "HTTPS" (got string "ftp")',
    ]);
  });

  it('validates the metadata of a custom resource as ObjectMeta', () => {
    expect(validateKubernetesObject(withValue(serviceMonitor, 'metadata.labels', { release: 1 }))).toEqual([
      'metadata.labels.release: must be string (got number 1)',
    ]);
  });

  it('reports a missing required field', () => {
    expect(validateKubernetesObject(without(kongClusterPlugin, 'plugin'))).toEqual([
      'plugin: required field is missing',
    ]);
  });
});

describe('validateKubernetesObject: what has no schema, or is not plain data', () => {
  it.each([
    [{ apiVersion: 'apps/v1', kind: 'Deploymnt' }, /^no schema for apps\/v1 Deploymnt \(not a built-in kind here/],
    [
      { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler' },
      /^no schema for autoscaling\/v1 HorizontalPodAutoscaler \(known: autoscaling\/v2\/HorizontalPodAutoscaler\)$/,
    ],
    [
      { apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress' },
      /^no schema for networking\.k8s\.io\/v1beta1 Ingress \(known: networking\.k8s\.io\/v1\/Ingress\)$/,
    ],
    [
      { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'ServiceMonitor' },
      /^no schema for monitoring\.coreos\.com\/v1alpha1 ServiceMonitor \(known: monitoring\.coreos\.com\/v1\/ServiceMonitor\)$/,
    ],
    [{ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer' }, /^no schema for cert-manager\.io\/v1 ClusterIssuer/],
  ])('%o fails', (object, message) => {
    expect(validateKubernetesObject(object)).toEqual([expect.stringMatching(message)]);
  });

  it('fails when apiVersion or kind is missing', () => {
    expect(validateKubernetesObject({ kind: 'Namespace' } as unknown as KubernetesObject)).toEqual([
      '(root): apiVersion and kind must be strings (got apiVersion nothing, kind string "Namespace")',
    ]);
  });

  it('fails on a Pulumi secret in wire form (unwrap the inputs first)', () => {
    const wire = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'token' };
    expect(validateKubernetesObject(withValue(secret, 'stringData', { token: wire }))).toEqual([
      'stringData.token: a Pulumi secret in wire form; validate unwrapSecrets(inputs)',
    ]);
  });

  it('says so when a value is unknown because the run was a preview', () => {
    const unknown = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
    expect(validateKubernetesObject(withValue(deployment, 'spec.replicas', unknown))).toEqual([
      'spec.replicas: must be integer (got a value unknown until apply (a preview run))',
    ]);
  });

  it('fails on values that are not plain JSON', () => {
    class Output {
      value = 'x';
    }
    expect(validateKubernetesObject(withValue(configMap, 'data', { redisHost: new Output() }))).toEqual([
      'data.redisHost: must be string (got an object)',
      'data.redisHost: not plain JSON data (a Output)',
    ]);
  });

  it('knows every kind the program is expected to register', () => {
    expect(knownKinds()).toEqual(
      expect.arrayContaining([
        'v1/Namespace',
        'v1/ServiceAccount',
        'v1/Service',
        'v1/ConfigMap',
        'v1/Secret',
        'apps/v1/Deployment',
        'apps/v1/DaemonSet',
        'apps/v1/StatefulSet',
        'batch/v1/Job',
        'autoscaling/v2/HorizontalPodAutoscaler',
        'policy/v1/PodDisruptionBudget',
        'networking.k8s.io/v1/NetworkPolicy',
        'networking.k8s.io/v1/Ingress',
        'rbac.authorization.k8s.io/v1/Role',
        'rbac.authorization.k8s.io/v1/RoleBinding',
        'rbac.authorization.k8s.io/v1/ClusterRole',
        'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
        'monitoring.coreos.com/v1/ServiceMonitor',
        'monitoring.coreos.com/v1/PodMonitor',
        'monitoring.coreos.com/v1/PrometheusRule',
        'configuration.konghq.com/v1/KongPlugin',
        'configuration.konghq.com/v1/KongClusterPlugin',
        'configuration.konghq.com/v1beta1/KongUpstreamPolicy',
        'secrets-store.csi.x-k8s.io/v1/SecretProviderClass',
      ]),
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
