/**
 * The Kubernetes layer under Pulumi mocks, for every profile: each object asserted on the properties that make it
 * secure and correct, the names from the contract module, and the differences between profiles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLUSTER_NAMESPACES,
  DATABASE,
  ENV,
  GATEWAY,
  MONITORING,
  PATHS,
  PORTS,
  SECRET_NAMES,
  SECRETS_MOUNT_PATH,
  WORKLOAD,
} from '../../../service/src/contract';
import { type EnvironmentName, PROFILES } from '../../../stacks';
import { KONG_PLUGIN_NAMES, KONG_UPSTREAM_POLICY_NAME, ROUTED_PATHS } from '../../kubernetes/gateway-routes';
import { SHUTDOWN, TERMINATION_GRACE_SECONDS, WORKLOAD_IDENTITY_LABEL } from '../../kubernetes/mcp-service';
import { NAMESPACE_POD_SECURITY } from '../../kubernetes/namespaces';
import { RBAC_PROPAGATION_DELAY } from '../../platform';
import {
  MOCK_SECRET_MARKER,
  onlyResourceOfType,
  type ProgramRun,
  type RegisteredResource,
  resourcesOfType,
  runProgramUnderMocks,
  TEST_IMAGE_DIGEST,
  unwrapSecrets,
} from '../harness';
import { MOCK_DEPLOYER_OBJECT_ID } from '../mock-cloud';
import { runAllProfiles } from '../program-runs';

const K = {
  namespace: 'kubernetes:core/v1:Namespace',
  serviceAccount: 'kubernetes:core/v1:ServiceAccount',
  service: 'kubernetes:core/v1:Service',
  configMap: 'kubernetes:core/v1:ConfigMap',
  deployment: 'kubernetes:apps/v1:Deployment',
  hpa: 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler',
  pdb: 'kubernetes:policy/v1:PodDisruptionBudget',
  networkPolicy: 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
  ingress: 'kubernetes:networking.k8s.io/v1:Ingress',
  kongPlugin: 'kubernetes:configuration.konghq.com/v1:KongPlugin',
  upstreamPolicy: 'kubernetes:configuration.konghq.com/v1beta1:KongUpstreamPolicy',
  serviceMonitor: 'kubernetes:monitoring.coreos.com/v1:ServiceMonitor',
  prometheusRule: 'kubernetes:monitoring.coreos.com/v1:PrometheusRule',
  secretProviderClass: 'kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass',
  chart: 'kubernetes:helm.sh/v4:Chart',
  provider: 'pulumi:providers:kubernetes',
  sleep: 'time:index/sleep:Sleep',
} as const;

// biome-ignore lint/suspicious/noExplicitAny: test access to deeply nested engine inputs
type Loose = any;
const inputs = (resource: RegisteredResource): Loose => unwrapSecrets(resource.inputs);
const environments: EnvironmentName[] = ['dev', 'staging', 'prod'];

let runs: Record<EnvironmentName, ProgramRun>;
beforeAll(async () => {
  runs = await runAllProfiles();
});

const only = (env: EnvironmentName, type: string) => inputs(onlyResourceOfType(runs[env], type));
const podSpec = (env: EnvironmentName) => only(env, K.deployment).spec.template.spec;
const container = (env: EnvironmentName) => podSpec(env).containers[0];
const envOf = (env: EnvironmentName): Record<string, string> =>
  Object.fromEntries(container(env).env.map((v: Loose) => [v.name, v.value]));

describe.each(environments)('the %s Kubernetes layer', (env) => {
  const profile = PROFILES[env];

  it('labels every namespace with its Pod Security level, restricted for the service', () => {
    const namespaces = resourcesOfType(runs[env], K.namespace).map(inputs);
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(Object.values(CLUSTER_NAMESPACES).sort());
    for (const namespace of namespaces) {
      const key = Object.entries(CLUSTER_NAMESPACES).find(([, name]) => name === namespace.metadata.name)?.[0];
      const level = NAMESPACE_POD_SECURITY[key as keyof typeof CLUSTER_NAMESPACES].level;
      expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe(level);
      expect(namespace.metadata.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
      expect(namespace.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    }
    expect(NAMESPACE_POD_SECURITY.service.level).toBe('restricted');
  });

  it('runs the service account under the workload identity, with no API token', () => {
    const account = only(env, K.serviceAccount);
    const workload = resourcesOfType(runs[env], 'azure-native:managedidentity:UserAssignedIdentity').find(
      (identity) => identity.name === 'identity-workload',
    );
    expect(account.metadata).toMatchObject({ name: WORKLOAD.serviceAccount, namespace: WORKLOAD.namespace });
    expect(account.metadata.annotations['azure.workload.identity/client-id']).toBe(workload?.state.clientId);
    expect(account.automountServiceAccountToken).toBe(false);
  });

  it('runs the image CI pushed to this stack’s registry, by digest', () => {
    const registry = onlyResourceOfType(runs[env], 'azure-native:containerregistry:Registry').state.loginServer;
    expect(container(env).image).toBe(`${registry}/${WORKLOAD.name}@${TEST_IMAGE_DIGEST}`);
    expect(runs[env].outputs.serviceImage).toBe(container(env).image);
  });

  it('leaves the replica count to the autoscaler, with the profile’s bounds and the guide’s behaviour', () => {
    const deployment = only(env, K.deployment);
    expect(deployment.spec.replicas).toBeUndefined();
    expect(onlyResourceOfType(runs[env], K.deployment).options.ignoreChanges).toContain('spec.replicas');
    const hpa = only(env, K.hpa);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: WORKLOAD.name });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([
      profile.workload.minReplicas,
      profile.workload.maxReplicas,
    ]);
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const targets = Object.fromEntries(
      hpa.spec.metrics.map((m: Loose) => [m.resource.name, m.resource.target.averageUtilization]),
    );
    expect(targets).toEqual({ cpu: 70, memory: 80 });
    expect(hpa.spec.behavior.scaleUp).toEqual({
      stabilizationWindowSeconds: 60,
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    });
    expect(hpa.spec.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 300,
      policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
    });
    expect(only(env, K.pdb).spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { ...WORKLOAD.labels } } });
  });

  it('sizes the container per profile and probes liveness, readiness and startup on the contract’s paths', () => {
    const c = container(env);
    expect(c.resources).toEqual(profile.workload.resources);
    expect(c.livenessProbe.httpGet).toEqual({ path: PATHS.health, port: WORKLOAD.httpPortName });
    expect(c.readinessProbe.httpGet).toEqual({ path: PATHS.ready, port: WORKLOAD.httpPortName });
    expect(c.startupProbe.httpGet).toEqual({ path: PATHS.health, port: WORKLOAD.httpPortName });
    expect(c.ports).toEqual([
      { name: WORKLOAD.httpPortName, containerPort: PORTS.http, protocol: 'TCP' },
      { name: WORKLOAD.metricsPortName, containerPort: PORTS.metrics, protocol: 'TCP' },
    ]);
  });

  it('runs restricted: non-root numeric uid, read-only root with only /tmp writable, no capabilities, seccomp', () => {
    const spec = podSpec(env);
    const c = container(env);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(Number.isInteger(spec.securityContext.runAsUser) && spec.securityContext.runAsUser > 0).toBe(true);
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const writable = c.volumeMounts.filter((m: Loose) => !m.readOnly).map((m: Loose) => m.mountPath);
    expect(writable).toEqual(['/tmp']);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe(WORKLOAD.serviceAccount);
    expect(only(env, K.deployment).spec.template.metadata.labels[WORKLOAD_IDENTITY_LABEL]).toBe('true');
  });

  it('spreads pods across zones where the profile has zones, and always across nodes', () => {
    const keys = podSpec(env).topologySpreadConstraints.map((c: Loose) => c.topologyKey);
    expect(keys).toEqual([
      ...(profile.aks.availabilityZones.length > 0 ? ['topology.kubernetes.io/zone'] : []),
      'kubernetes.io/hostname',
    ]);
  });

  it('pauses before SIGTERM as long as the service drains, and gives in-flight work time to finish', () => {
    const c = container(env);
    expect(c.lifecycle.preStop.sleep.seconds).toBe(SHUTDOWN.drainSeconds);
    expect(envOf(env)[ENV.drainSeconds]).toBe(String(SHUTDOWN.drainSeconds));
    const grace = podSpec(env).terminationGracePeriodSeconds;
    expect(grace).toBe(TERMINATION_GRACE_SECONDS);
    expect(grace).toBeGreaterThan(2 * SHUTDOWN.drainSeconds + SHUTDOWN.inFlightSeconds);
  });

  it('sets only contract env names, none holding a secret, and the settings the service needs here', () => {
    const variables = envOf(env);
    const contractNames = new Set<string>(Object.values(ENV));
    for (const name of Object.keys(variables)) expect(contractNames, name).toContain(name);
    expect(JSON.stringify(container(env).env)).not.toContain(MOCK_SECRET_MARKER);
    expect(container(env).env.every((v: Loose) => v.valueFrom === undefined)).toBe(true);
    expect(variables[ENV.port]).toBe(String(PORTS.http));
    expect(variables[ENV.metricsPort]).toBe(String(PORTS.metrics));
    expect(variables[ENV.resourceUrl]).toBe(`https://mcp.${env}.example.com/mcp`);
    expect(variables[ENV.secretsDir]).toBe(SECRETS_MOUNT_PATH);
    expect(variables[ENV.redisUrl]).toMatch(/^rediss:\/\/.+:10000$/);
    expect(variables[ENV.redisAuth]).toBe('entra');
    expect(variables[ENV.otlpEndpoint]).toBe('http://jaeger.tracing.svc.cluster.local:4318');
    expect(variables[ENV.databaseUrl]).toMatch(/sslmode=verify-full$/);
    expect(variables[ENV.databasePoolMax]).toBe(String(profile.workload.databasePoolMax));
    // Entra tokens: v1 and v2 issuers of the tenant, the app's client id and identifier URI as audiences.
    expect(variables[ENV.issuers]?.split(',')).toHaveLength(2);
    expect(variables[ENV.requiredTokenType]).toBe('none');
    expect(variables[ENV.claimUser]).toBe('oid,sub');
  });

  it('logs into Postgres with a password file where passwords exist, with the workload’s Entra token elsewhere', () => {
    const variables = envOf(env);
    const mounts = container(env).volumeMounts.map((m: Loose) => m.mountPath);
    const classes = resourcesOfType(runs[env], K.secretProviderClass).map(inputs);
    if (profile.postgres.passwordAuth) {
      expect(variables[ENV.databaseAuth]).toBe('password');
      expect(variables[ENV.databaseUrl]).toMatch(new RegExp(`^postgres://${DATABASE.appRole}@`));
      expect(mounts).toContain(SECRETS_MOUNT_PATH);
      expect(classes).toHaveLength(1);
      const parameters = classes[0].spec.parameters;
      expect(parameters.usePodIdentity).toBe('false');
      expect(parameters.clientID).toBe(
        inputs(onlyResourceOfType(runs[env], K.serviceAccount)).metadata.annotations[
          'azure.workload.identity/client-id'
        ],
      );
      // Exactly the secrets the service opens: never the administrator password.
      expect(parameters.objects).toContain(`objectName: ${SECRET_NAMES.databasePassword}`);
      expect(parameters.objects).not.toContain(SECRET_NAMES.postgresAdminPassword);
      expect(classes[0].spec.secretObjects).toBeUndefined();
    } else {
      expect(variables[ENV.databaseAuth]).toBe('entra');
      expect(variables[ENV.databaseUrl]).toMatch(new RegExp(`^postgres://${DATABASE.workloadLogin}@`));
      expect(mounts).not.toContain(SECRETS_MOUNT_PATH);
      expect(classes).toHaveLength(0);
    }
  });

  it('exposes the HTTP and metrics ports on a ClusterIP Service, health-checked by Kong', () => {
    const service = only(env, K.service);
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual({ ...WORKLOAD.labels });
    expect(service.spec.ports.map((p: Loose) => [p.name, p.port])).toEqual([
      [WORKLOAD.httpPortName, PORTS.http],
      [WORKLOAD.metricsPortName, PORTS.metrics],
    ]);
    expect(service.metadata.annotations['konghq.com/upstream-policy']).toBe(KONG_UPSTREAM_POLICY_NAME);
    const upstream = only(env, K.upstreamPolicy);
    expect(upstream.spec.healthchecks.active).toMatchObject({ type: 'http', httpPath: PATHS.ready });
  });

  it('routes only the MCP endpoint and its metadata through Kong, over TLS, with the plugins attached', () => {
    const ingress = only(env, K.ingress);
    expect(ingress.spec.ingressClassName).toBe(GATEWAY.ingressClass);
    expect(ingress.spec.tls).toEqual([{ hosts: [`mcp.${env}.example.com`], secretName: expect.any(String) }]);
    const paths = ingress.spec.rules[0].http.paths;
    expect(paths.map((p: Loose) => p.path)).toEqual([...ROUTED_PATHS]);
    expect(ROUTED_PATHS).not.toContain(PATHS.metrics);
    for (const path of paths) {
      expect(path.pathType).toBe('Exact');
      expect(path.backend.service.port).toEqual({ name: WORKLOAD.httpPortName });
    }
    expect(ingress.metadata.annotations['konghq.com/protocols']).toBe('https');
    const attached = ingress.metadata.annotations['konghq.com/plugins'].split(',');
    const declared = resourcesOfType(runs[env], K.kongPlugin).map((p) => inputs(p).metadata.name);
    expect(attached.sort()).toEqual(declared.sort());
    expect(attached).toEqual(expect.arrayContaining([KONG_PLUGIN_NAMES.rateLimiting, KONG_PLUGIN_NAMES.requestSize]));
  });

  it('rate-limits per client address in Managed Redis over TLS, fault tolerant, with the profile’s limits', () => {
    const plugin = resourcesOfType(runs[env], K.kongPlugin)
      .map(inputs)
      .find((p) => p.plugin === 'rate-limiting');
    const redisHost = onlyResourceOfType(runs[env], 'azure-native:redisenterprise:RedisEnterprise').state.hostName;
    expect(plugin.config).toMatchObject({
      minute: profile.gateway.rateLimit.perMinute,
      hour: profile.gateway.rateLimit.perHour,
      limit_by: 'ip',
      policy: 'redis',
      fault_tolerant: true,
      redis: { host: redisHost, port: 10000, ssl: true, ssl_verify: true },
    });
    const size = resourcesOfType(runs[env], K.kongPlugin)
      .map(inputs)
      .find((p) => p.plugin === 'request-size-limiting');
    expect(size.config.allowed_payload_size).toBe(profile.gateway.maxRequestBodyMegabytes);
  });

  it('scrapes the metrics port with the release label the chart selects on, and alerts on it', () => {
    const monitor = only(env, K.serviceMonitor);
    expect(monitor.metadata.labels.release).toBe(MONITORING.release);
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({ port: WORKLOAD.metricsPortName, path: PATHS.metrics }),
    ]);
    const rules = only(env, K.prometheusRule);
    expect(rules.metadata.labels.release).toBe(MONITORING.release);
    const alerts = rules.spec.groups.flatMap((g: Loose) => g.rules.map((r: Loose) => r.alert));
    expect(alerts.length).toBeGreaterThanOrEqual(6);
    const dashboard = only(env, K.configMap);
    expect(dashboard.metadata.namespace).toBe(CLUSTER_NAMESPACES.monitoring);
    expect(dashboard.metadata.labels[MONITORING.dashboardLabel]).toBe('1');
    expect(JSON.parse(Object.values(dashboard.data)[0] as string).uid).toBe('mcp-server');
  });

  it('denies all traffic by default in every namespace, then allows each flow by name', () => {
    const policies = resourcesOfType(runs[env], K.networkPolicy).map(inputs);
    for (const namespace of Object.values(CLUSTER_NAMESPACES)) {
      const deny = policies.find(
        (p) => p.metadata.namespace === namespace && p.metadata.name.startsWith('default-deny'),
      );
      expect(deny?.spec, namespace).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
    const service = policies.find((p) => p.metadata.name === WORKLOAD.name);
    const from = (rule: Loose) => rule.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'];
    expect(service.spec.ingress.map((r: Loose) => [from(r), r.ports.map((p: Loose) => p.port)])).toEqual([
      [CLUSTER_NAMESPACES.gateway, [WORKLOAD.httpPortName]],
      [CLUSTER_NAMESPACES.monitoring, [WORKLOAD.metricsPortName]],
    ]);
    const egressPorts = service.spec.egress.flatMap((r: Loose) => r.ports.map((p: Loose) => p.port)).sort();
    expect(egressPorts).toEqual([10000, 4318, 443, 443, 53, 53, 5432].sort());
    const subnets = profile.network.subnets;
    const cidrs = service.spec.egress
      .flatMap((r: Loose) => (r.to ?? []).map((t: Loose) => t.ipBlock?.cidr))
      .filter(Boolean);
    expect(cidrs).toEqual(expect.arrayContaining([subnets.postgres, subnets.privateEndpoints, '0.0.0.0/0']));
  });

  it('pins each chart and points its images at the stack’s registry', () => {
    const registry = onlyResourceOfType(runs[env], 'azure-native:containerregistry:Registry').state.loginServer;
    const charts = resourcesOfType(runs[env], K.chart).map(inputs);
    expect(charts.map((c) => [c.name, c.namespace]).sort()).toEqual(
      [
        [GATEWAY.release, CLUSTER_NAMESPACES.gateway],
        [MONITORING.release, CLUSTER_NAMESPACES.monitoring],
        ['jaeger', CLUSTER_NAMESPACES.tracing],
      ].sort(),
    );
    for (const chart of charts) {
      expect(chart.version, chart.name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(JSON.stringify(chart.values)).toContain(registry);
    }
    const proxy = charts.find((c) => c.name === GATEWAY.release).values.gateway.proxy;
    expect(proxy.type).toBe('LoadBalancer');
    expect(proxy.http.enabled).toBe(false);
    expect(proxy.annotations['service.beta.kubernetes.io/azure-load-balancer-internal'] === 'true').toBe(
      profile.gateway.loadBalancer === 'internal',
    );
  });

  it('waits for the deployer’s cluster-admin grant to propagate before talking to the cluster', () => {
    const run = runs[env];
    const provider = resourcesOfType(run, K.provider).find((p) => p.name === 'aks');
    const sleep = onlyResourceOfType(run, K.sleep);
    const deployerGrant = resourcesOfType(run, 'azure-native:authorization:RoleAssignment').find(
      (grant) => inputs(grant).principalId === MOCK_DEPLOYER_OBJECT_ID,
    );
    expect(provider?.dependencies).toEqual(expect.arrayContaining([sleep.urn, deployerGrant?.urn]));
    expect(sleep.dependencies).toContain(deployerGrant?.urn);
    expect(inputs(sleep).createDuration).toBe(RBAC_PROPAGATION_DELAY);
    // Every Kubernetes object goes through that provider.
    for (const object of run.resources.filter((r) => r.custom && r.type.startsWith('kubernetes:'))) {
      expect(object.provider, object.name).toMatch(/::pulumi:providers:kubernetes::aks::/);
    }
  });
});

describe('differences between profiles', () => {
  it('scales from the guide’s 3..50 in prod, smaller elsewhere but never to a single pod', () => {
    expect(environments.map((env) => [only(env, K.hpa).spec.minReplicas, only(env, K.hpa).spec.maxReplicas])).toEqual([
      [2, 4],
      [2, 10],
      [3, 50],
    ]);
  });

  it('reads a database password only where Postgres keeps passwords (dev, staging), none in prod', () => {
    expect(environments.map((env) => resourcesOfType(runs[env], K.secretProviderClass).length)).toEqual([1, 1, 0]);
  });
});

describe('a stack deployed in two phases (private API server)', () => {
  it('registers no Kubernetes object with the layer off, and requires the image digest with it on', async () => {
    const run = await runProgramUnderMocks({ stack: 'prod', config: { kubernetesLayer: 'false' } });
    expect(run.resources.filter((r) => r.type.startsWith('kubernetes:'))).toEqual([]);
    expect(run.outputs.serviceImage).toBeUndefined();
    await expect(runProgramUnderMocks({ stack: 'prod', config: { serviceImageDigest: undefined } })).rejects.toThrow(
      /serviceImageDigest is required/,
    );
  });
});
