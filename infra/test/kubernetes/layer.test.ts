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
  OPERATIONS,
  PATHS,
  PORTS,
  SECRET_NAMES,
  SECRETS_MOUNT_PATH,
  SERVICE_NODE_OPTIONS,
  WORKLOAD,
} from '../../../service/src/contract';
import { type EnvironmentName, PROFILES } from '../../../stacks';
import { ACME_SOLVER_LABEL, ACME_SOLVER_PORT } from '../../kubernetes/certificates';
import { DATABASE_SETUP_LABELS } from '../../kubernetes/database-setup';
import { GATEWAY_REDIS_CREDENTIALS_LABELS, RENEWAL_SCHEDULE } from '../../kubernetes/gateway-redis-credentials';
import {
  GATEWAY_REDIS_CREDENTIALS_SECRET,
  GATEWAY_TLS_SECRET,
  KONG_PLUGIN_NAMES,
  KONG_UPSTREAM_POLICY_NAME,
  ROUTED_PATHS,
} from '../../kubernetes/gateway-routes';
import { DATABASE_SETUP_SECRET_PROVIDER_CLASS, SERVICE_SECRET_PROVIDER_CLASS } from '../../kubernetes/layer';
import { SHUTDOWN, TERMINATION_GRACE_SECONDS, WORKLOAD_IDENTITY_LABEL } from '../../kubernetes/mcp-service';
import { NAMESPACE_POD_SECURITY } from '../../kubernetes/namespaces';
import { CONFIG_ERROR_EXIT_CODE } from '../../kubernetes/operations-pod';
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
import { MOCK_DEPLOYER_OBJECT_ID, MOCK_TENANT_ID } from '../mock-cloud';
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
  secret: 'kubernetes:core/v1:Secret',
  job: 'kubernetes:batch/v1:Job',
  cronJob: 'kubernetes:batch/v1:CronJob',
  role: 'kubernetes:rbac.authorization.k8s.io/v1:Role',
  roleBinding: 'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding',
  certificate: 'kubernetes:cert-manager.io/v1:Certificate',
  issuer: 'kubernetes:cert-manager.io/v1:Issuer',
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
const podSpec = (env: EnvironmentName) => serviceDeployment(env).spec.template.spec;
const container = (env: EnvironmentName) => podSpec(env).containers[0];
const variablesOf = (c: Loose): Record<string, string> =>
  Object.fromEntries(c.env.map((v: Loose) => [v.name, v.value]));
const envOf = (env: EnvironmentName): Record<string, string> => variablesOf(container(env));
const named = (env: EnvironmentName, type: string, name: string): RegisteredResource => {
  const found = resourcesOfType(runs[env], type).filter((r) => inputs(r).metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0] as RegisteredResource;
};
// The MCP server's objects, by name: the authorization server has a Deployment, Service and Ingress of its own.
const serviceDeployment = (env: EnvironmentName) => inputs(named(env, K.deployment, WORKLOAD.name));
const identity = (env: EnvironmentName, name: string) =>
  resourcesOfType(runs[env], 'azure-native:managedidentity:UserAssignedIdentity').find((i) => i.name === name)
    ?.state as Loose;

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
    const account = inputs(named(env, K.serviceAccount, WORKLOAD.serviceAccount));
    expect(account.metadata).toMatchObject({ name: WORKLOAD.serviceAccount, namespace: WORKLOAD.namespace });
    expect(account.metadata.annotations['azure.workload.identity/client-id']).toBe(
      identity(env, 'identity-workload').clientId,
    );
    expect(account.automountServiceAccountToken).toBe(false);
  });

  it('runs the image CI pushed to this stack’s registry, by digest', () => {
    const registry = onlyResourceOfType(runs[env], 'azure-native:containerregistry:Registry').state.loginServer;
    expect(container(env).image).toBe(`${registry}/${WORKLOAD.name}@${TEST_IMAGE_DIGEST}`);
    expect(runs[env].outputs.serviceImage).toBe(container(env).image);
  });

  it('leaves the replica count to the autoscaler, with the profile’s bounds and the guide’s behaviour', () => {
    const deployment = serviceDeployment(env);
    expect(deployment.spec.replicas).toBeUndefined();
    expect(named(env, K.deployment, WORKLOAD.name).options.ignoreChanges).toContain('spec.replicas');
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
    expect(inputs(named(env, K.pdb, WORKLOAD.name)).spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { ...WORKLOAD.labels } },
    });
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
    expect(serviceDeployment(env).spec.template.metadata.labels[WORKLOAD_IDENTITY_LABEL]).toBe('true');
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
    // The authorization server beside it first (clients take the first issuer of the metadata), then Entra ID v2 for
    // pre-registered clients; each issuer's keys are discovered, so no single JWKS URL stands for both.
    expect(variables[ENV.issuers]?.split(',')).toEqual([
      `https://mcp.${env}.example.com`,
      `https://login.microsoftonline.com/${MOCK_TENANT_ID}/v2.0`,
    ]);
    expect(variables[ENV.jwksUrl]).toBeUndefined();
    expect(variables[ENV.additionalAudiences]?.split(',')).toHaveLength(2);
    expect(variables[ENV.requiredTokenType]).toBe('none');
    expect(variables[ENV.claimUser]).toBe('oid,sub');
    expect(variables[ENV.nodeOptions]).toBe(SERVICE_NODE_OPTIONS);
  });

  it('logs into Postgres with a password file where passwords exist, with the workload’s Entra token elsewhere', () => {
    const variables = envOf(env);
    const mounts = container(env).volumeMounts.map((m: Loose) => m.mountPath);
    const classes = resourcesOfType(runs[env], K.secretProviderClass)
      .map(inputs)
      .filter((c) => c.metadata.name === SERVICE_SECRET_PROVIDER_CLASS);
    if (profile.postgres.passwordAuth) {
      expect(variables[ENV.databaseAuth]).toBe('password');
      expect(variables[ENV.databaseUrl]).toMatch(new RegExp(`^postgres://${DATABASE.appRole}@`));
      expect(mounts).toContain(SECRETS_MOUNT_PATH);
      expect(classes).toHaveLength(1);
      const parameters = classes[0].spec.parameters;
      expect(parameters.usePodIdentity).toBe('false');
      expect(parameters.clientID).toBe(identity(env, 'identity-workload').clientId);
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
    const service = inputs(named(env, K.service, WORKLOAD.name));
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual({ ...WORKLOAD.labels });
    expect(service.spec.ports.map((p: Loose) => [p.name, p.port])).toEqual([
      [WORKLOAD.httpPortName, PORTS.http],
      [WORKLOAD.metricsPortName, PORTS.metrics],
    ]);
    expect(service.metadata.annotations['konghq.com/upstream-policy']).toBe(KONG_UPSTREAM_POLICY_NAME);
    const upstream = inputs(named(env, K.upstreamPolicy, KONG_UPSTREAM_POLICY_NAME));
    expect(upstream.spec.healthchecks.active).toMatchObject({ type: 'http', httpPath: PATHS.ready });
  });

  it('routes only the MCP endpoint and its metadata through Kong, over TLS, with the plugins attached', () => {
    const ingress = inputs(named(env, K.ingress, WORKLOAD.name));
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
    const declared = resourcesOfType(runs[env], K.kongPlugin)
      .map((p) => inputs(p).metadata.name)
      .filter((name: string) => name.startsWith(`${WORKLOAD.name}-`));
    expect(attached.sort()).toEqual(declared.sort());
    expect(attached).toEqual(expect.arrayContaining([KONG_PLUGIN_NAMES.rateLimiting, KONG_PLUGIN_NAMES.requestSize]));
  });

  it('rate-limits per client address in Managed Redis over TLS, fault tolerant, with the profile’s limits', () => {
    const plugin = inputs(named(env, K.kongPlugin, KONG_PLUGIN_NAMES.rateLimiting));
    const redisHost = onlyResourceOfType(runs[env], 'azure-native:redisenterprise:RedisEnterprise').state.hostName;
    expect(plugin.config).toMatchObject({
      minute: profile.gateway.rateLimit.perMinute,
      hour: profile.gateway.rateLimit.perHour,
      limit_by: 'ip',
      policy: 'redis',
      fault_tolerant: true,
      redis: { host: redisHost, port: 10000, ssl: true, ssl_verify: true },
    });
    const size = inputs(named(env, K.kongPlugin, KONG_PLUGIN_NAMES.requestSize));
    expect(size.config.allowed_payload_size).toBe(profile.gateway.maxRequestBodyMegabytes);
  });

  it('scrapes the metrics port with the release label the chart selects on, and alerts on it', () => {
    // The MCP server's; the authorization server has its own (authorization-server.test.ts).
    const monitor = inputs(named(env, K.serviceMonitor, WORKLOAD.name));
    expect(monitor.metadata.labels.release).toBe(MONITORING.release);
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({ port: WORKLOAD.metricsPortName, path: PATHS.metrics }),
    ]);
    const rules = inputs(named(env, K.prometheusRule, WORKLOAD.name));
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
        ['cert-manager', CLUSTER_NAMESPACES.certificates],
      ].sort(),
    );
    for (const chart of charts) {
      expect(chart.version, chart.name).toMatch(/^v?\d+\.\d+\.\d+$/);
      expect(JSON.stringify(chart.values)).toContain(registry);
    }
    const proxy = charts.find((c) => c.name === GATEWAY.release).values.gateway.proxy;
    expect(proxy.type).toBe('LoadBalancer');
    // Port 80 answers the ACME challenge; the MCP routes stay https-only (checked on the Ingress).
    expect(proxy.http.enabled).toBe(true);
    expect(proxy.tls.enabled).toBe(true);
    expect(proxy.annotations['service.beta.kubernetes.io/azure-load-balancer-internal'] === 'true').toBe(
      profile.gateway.loadBalancer === 'internal',
    );
  });

  it('waits for the cluster-admin grants to propagate before talking to the cluster', () => {
    const run = runs[env];
    const provider = resourcesOfType(run, K.provider).find((p) => p.name === 'aks');
    const sleep = resourcesOfType(run, K.sleep).find((s) => s.name === 'aks-rbac-propagation') as RegisteredResource;
    // The deployer's own grant where the profile keeps one (dev), the admin groups' (CI's identity) everywhere.
    const adminGrants = resourcesOfType(run, 'azure-native:authorization:RoleAssignment').filter((grant) =>
      [MOCK_DEPLOYER_OBJECT_ID, '11111111-1111-4111-8111-111111111111'].includes(inputs(grant).principalId),
    );
    expect(adminGrants.length).toBeGreaterThan(0);
    const urns = adminGrants.map((grant) => grant.urn);
    expect(provider?.dependencies).toEqual(expect.arrayContaining([sleep.urn, ...urns]));
    expect(sleep.dependencies).toEqual(expect.arrayContaining(urns));
    expect(inputs(sleep).createDuration).toBe(RBAC_PROPAGATION_DELAY);
    // Every Kubernetes object goes through that provider.
    for (const object of run.resources.filter((r) => r.custom && r.type.startsWith('kubernetes:'))) {
      expect(object.provider, object.name).toMatch(/::pulumi:providers:kubernetes::aks::/);
    }
  });
});

describe.each(environments)('the %s stack’s jobs, certificate and their network paths', (env) => {
  const profile = PROFILES[env];
  const jobOf = (name: RegExp) => {
    const found = resourcesOfType(runs[env], K.job).filter((r) => name.test(inputs(r).metadata.name));
    expect(found).toHaveLength(1);
    return found[0] as RegisteredResource;
  };
  const restricted = (pod: Loose) => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const [c] = pod.containers;
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.resources.limits).toBeDefined();
    expect(c.image).toBe(container(env).image);
  };

  it('runs migrations as the setup identity in a Job of this image, before the Deployment rolls', () => {
    const jobResource = jobOf(new RegExp(`^${OPERATIONS.databaseSetup.serviceAccount}-`));
    const job = inputs(jobResource);
    // One Job per image: a new version runs its own migrations.
    expect(job.metadata.name).toBe(`${OPERATIONS.databaseSetup.serviceAccount}-${TEST_IMAGE_DIGEST.slice(7, 19)}`);
    expect(jobResource.options.deleteBeforeReplace).toBe(true);
    const pod = job.spec.template.spec;
    restricted(pod);
    expect(pod.serviceAccountName).toBe(OPERATIONS.databaseSetup.serviceAccount);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].args).toEqual([OPERATIONS.databaseSetup.entryPoint]);
    expect(job.spec.template.metadata.labels).toMatchObject({
      ...DATABASE_SETUP_LABELS,
      [WORKLOAD_IDENTITY_LABEL]: 'true',
    });
    // A configuration error fails the Job at once; anything else is retried a few times.
    expect(job.spec.podFailurePolicy.rules).toEqual([
      {
        action: 'FailJob',
        onExitCodes: { containerName: 'db-setup', operator: 'In', values: [CONFIG_ERROR_EXIT_CODE] },
      },
    ]);
    const setup = identity(env, 'identity-db-setup');
    const account = inputs(named(env, K.serviceAccount, OPERATIONS.databaseSetup.serviceAccount));
    expect(account.metadata.annotations['azure.workload.identity/client-id']).toBe(setup.clientId);
    const variables = variablesOf(pod.containers[0]);
    expect(variables[ENV.databaseMigrationUrl]).toMatch(
      new RegExp(`^postgres://${setup.name}@[^/]+:5432/${DATABASE.name}\\?sslmode=verify-full$`),
    );
    expect(variables[ENV.databaseAuth]).toBe('entra');
    const deployment = named(env, K.deployment, WORKLOAD.name);
    expect(deployment.dependencies).toContain(jobResource.urn);
    const classes = resourcesOfType(runs[env], K.secretProviderClass)
      .map(inputs)
      .filter((c) => c.metadata.name === DATABASE_SETUP_SECRET_PROVIDER_CLASS);
    if (profile.postgres.passwordAuth) {
      // It sets the app role's password from Key Vault: that one secret, read as the setup identity.
      expect(variables[ENV.secretsDir]).toBe(SECRETS_MOUNT_PATH);
      expect(classes).toHaveLength(1);
      expect(classes[0].spec.parameters.clientID).toBe(setup.clientId);
      expect(classes[0].spec.parameters.objects).toBe(
        `array:\n  - |\n    objectName: ${SECRET_NAMES.databasePassword}\n    objectType: secret\n`,
      );
      expect(variables[ENV.databaseWorkloadLogin]).toBeUndefined();
    } else {
      // No passwords: it creates the workload identity's login, by object id.
      expect(classes).toHaveLength(0);
      expect(variables[ENV.databaseWorkloadLogin]).toBe(DATABASE.workloadLogin);
      expect(variables[ENV.databaseWorkloadObjectId]).toBe(identity(env, 'identity-workload').principalId);
    }
    // The authorization server's own Entra login in every profile, for its own identity (never the MCP pods').
    expect(variables[ENV.databaseAuthorizationServerLogin]).toBe(DATABASE.authorizationServerLogin);
    expect(variables[ENV.databaseAuthorizationServerObjectId]).toBe(
      identity(env, 'identity-authorization-server').principalId,
    );
  });

  it('renews the gateway’s Redis login into one Secret, which nothing else may touch', () => {
    const secretResource = named(env, K.secret, GATEWAY_REDIS_CREDENTIALS_SECRET);
    const secret = inputs(secretResource);
    expect(secret.metadata.namespace).toBe(CLUSTER_NAMESPACES.service);
    expect(secret.data).toBeUndefined();
    expect(secretResource.options.ignoreChanges).toEqual(expect.arrayContaining(['data', 'stringData']));
    const account = OPERATIONS.gatewayRedisCredentials.serviceAccount;
    const role = inputs(named(env, K.role, account));
    expect(role.metadata.namespace).toBe(CLUSTER_NAMESPACES.service);
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: [GATEWAY_REDIS_CREDENTIALS_SECRET],
        verbs: ['get', 'patch'],
      },
    ]);
    expect(inputs(named(env, K.roleBinding, account)).subjects).toEqual([
      { kind: 'ServiceAccount', name: account, namespace: CLUSTER_NAMESPACES.gateway },
    ]);
    const gatewayIdentity = identity(env, 'identity-gateway-redis');
    expect(
      inputs(named(env, K.serviceAccount, account)).metadata.annotations['azure.workload.identity/client-id'],
    ).toBe(gatewayIdentity.clientId);

    const cronJob = inputs(named(env, K.cronJob, account));
    expect(cronJob.metadata.namespace).toBe(CLUSTER_NAMESPACES.gateway);
    expect(cronJob.spec).toMatchObject({ schedule: RENEWAL_SCHEDULE, concurrencyPolicy: 'Forbid' });
    const initial = jobOf(new RegExp(`^${account}-initial$`));
    for (const pod of [cronJob.spec.jobTemplate.spec.template.spec, inputs(initial).spec.template.spec]) {
      restricted(pod);
      expect(pod.containers[0].args).toEqual([OPERATIONS.gatewayRedisCredentials.entryPoint]);
      expect(variablesOf(pod.containers[0])).toEqual({
        [ENV.redisUsername]: gatewayIdentity.principalId,
        [ENV.credentialsSecretName]: GATEWAY_REDIS_CREDENTIALS_SECRET,
        [ENV.credentialsSecretNamespace]: CLUSTER_NAMESPACES.service,
      });
      // No automounted token: one projected, short-lived API token for this container.
      const [projected] = pod.volumes.filter((v: Loose) => v.projected);
      expect(projected.projected.sources[0].serviceAccountToken.expirationSeconds).toBeLessThanOrEqual(600);
    }
    expect(cronJob.spec.jobTemplate.metadata.labels).toMatchObject(GATEWAY_REDIS_CREDENTIALS_LABELS);
    // Kong's rate-limit plugin reads that Secret, and is created after the first renewal wrote it.
    const pluginResource = resourcesOfType(runs[env], K.kongPlugin).find(
      (p) => inputs(p).metadata.name === KONG_PLUGIN_NAMES.rateLimiting,
    ) as RegisteredResource;
    const refs = inputs(pluginResource).configPatches.map((p: Loose) => p.valueFrom.secretKeyRef.name);
    expect(new Set(refs)).toEqual(new Set([GATEWAY_REDIS_CREDENTIALS_SECRET]));
    expect(pluginResource.dependencies).toContain(initial.urn);
  });

  it('orders the Ingress’s certificate from the ACME CA through Kong (HTTP-01) and keeps it renewed', () => {
    const issuer = only(env, K.issuer);
    expect(issuer.metadata.namespace).toBe(CLUSTER_NAMESPACES.service);
    expect(issuer.spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(issuer.spec.acme.solvers).toHaveLength(1);
    expect(issuer.spec.acme.solvers[0].http01.ingress.ingressClassName).toBe(GATEWAY.ingressClass);
    const certificate = only(env, K.certificate);
    expect(certificate.spec).toMatchObject({
      secretName: GATEWAY_TLS_SECRET,
      dnsNames: [`mcp.${env}.example.com`],
      issuerRef: { kind: 'Issuer', name: issuer.metadata.name },
      privateKey: { rotationPolicy: 'Always' },
    });
    expect(inputs(named(env, K.ingress, WORKLOAD.name)).spec.tls).toEqual([
      { hosts: [`mcp.${env}.example.com`], secretName: certificate.spec.secretName },
    ]);
    const chart = resourcesOfType(runs[env], K.chart)
      .map(inputs)
      .find((c) => c.name === 'cert-manager');
    const registry = onlyResourceOfType(runs[env], 'azure-native:containerregistry:Registry').state.loginServer;
    expect(chart.values).toMatchObject({
      imageRegistry: registry,
      crds: { enabled: true, keep: true },
      startupapicheck: { enabled: false },
      global: { leaderElection: { namespace: CLUSTER_NAMESPACES.certificates } },
    });
  });

  it('opens exactly the network paths the jobs and the certificate need', () => {
    const policies = resourcesOfType(runs[env], K.networkPolicy).map(inputs);
    const policy = (name: string) => policies.find((p) => p.metadata.name === name);
    const setup = policy('database-setup');
    expect(setup.spec.podSelector).toEqual({ matchLabels: { ...DATABASE_SETUP_LABELS } });
    expect(setup.spec.ingress).toEqual([]);
    expect(setup.spec.egress.flatMap((r: Loose) => r.ports.map((p: Loose) => p.port)).sort()).toEqual(
      [443, 5432, 53, 53].sort(),
    );
    const solver = policy('acme-http01-solver');
    expect(solver.metadata.namespace).toBe(CLUSTER_NAMESPACES.service);
    expect(solver.spec.podSelector).toEqual({ matchLabels: { [ACME_SOLVER_LABEL]: 'true' } });
    expect(solver.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': CLUSTER_NAMESPACES.gateway } } }],
        ports: [{ port: ACME_SOLVER_PORT, protocol: 'TCP' }],
      },
    ]);
    expect(solver.spec.egress).toEqual([]);
    const certManager = policy('cert-manager');
    expect(certManager.metadata.namespace).toBe(CLUSTER_NAMESPACES.certificates);
    expect(policy(`default-deny-${CLUSTER_NAMESPACES.certificates}`)).toBeDefined();
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

  it('reads a database password only where Postgres keeps passwords (dev), none where Entra is the only login', () => {
    // The service's and the setup Job's (which sets the app role's password): both read that one secret.
    expect(environments.map((env) => resourcesOfType(runs[env], K.secretProviderClass).length)).toEqual([2, 0, 0]);
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
