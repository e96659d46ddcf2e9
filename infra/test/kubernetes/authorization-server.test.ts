/**
 * The authorization server for MCP clients (issue 13) under Pulumi mocks, for every profile: its Deployment, key Job,
 * Key Vault grants, gateway routes, network paths and Entra registration, asserted on the registered inputs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ROLES,
  AUTHORIZATION_SERVER,
  CLUSTER_NAMESPACES,
  DATABASE,
  ENV,
  GATEWAY,
  MONITORING,
  OPERATIONS,
  PATHS,
  PORTS,
  SECRET_NAMES,
  WORKLOAD,
} from '../../../service/src/contract';
import { type EnvironmentName, PROFILES } from '../../../stacks';
import {
  AUTHORIZATION_SERVER_METRICS_PORT_NAME,
  AUTHORIZATION_SERVER_PORT_NAME,
} from '../../kubernetes/authorization-server';
import {
  AUTHORIZATION_SERVER_KEYS_CONTAINER,
  AUTHORIZATION_SERVER_KEYS_LABELS,
  INITIAL_RUN_BACKOFF_LIMIT,
  KEY_ROTATION_SCHEDULE,
} from '../../kubernetes/authorization-server-keys';
import {
  AUTHORIZATION_SERVER_MAX_BODY_KILOBYTES,
  AUTHORIZATION_SERVER_PLUGIN_NAMES,
  AUTHORIZATION_SERVER_UPSTREAM_POLICY_NAME,
} from '../../kubernetes/authorization-server-routes';
import { GATEWAY_TLS_SECRET } from '../../kubernetes/gateway-routes';
import { AUTHORIZATION_SERVER_KEY_SECRETS } from '../../kubernetes/layer';
import { SHUTDOWN, WORKLOAD_IDENTITY_LABEL } from '../../kubernetes/mcp-service';
import { buildAuthorizationServerAlertRuleGroups } from '../../kubernetes/observability/authorization-server-alert-rules';
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
import { MOCK_TENANT_ID } from '../mock-cloud';
import { runAllProfiles } from '../program-runs';

const K = {
  serviceAccount: 'kubernetes:core/v1:ServiceAccount',
  service: 'kubernetes:core/v1:Service',
  deployment: 'kubernetes:apps/v1:Deployment',
  pdb: 'kubernetes:policy/v1:PodDisruptionBudget',
  networkPolicy: 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
  ingress: 'kubernetes:networking.k8s.io/v1:Ingress',
  kongPlugin: 'kubernetes:configuration.konghq.com/v1:KongPlugin',
  upstreamPolicy: 'kubernetes:configuration.konghq.com/v1beta1:KongUpstreamPolicy',
  job: 'kubernetes:batch/v1:Job',
  serviceMonitor: 'kubernetes:monitoring.coreos.com/v1:ServiceMonitor',
  prometheusRule: 'kubernetes:monitoring.coreos.com/v1:PrometheusRule',
  chart: 'kubernetes:helm.sh/v4:Chart',
  cronJob: 'kubernetes:batch/v1:CronJob',
  sleep: 'time:index/sleep:Sleep',
  roleAssignment: 'azure-native:authorization:RoleAssignment',
  identity: 'azure-native:managedidentity:UserAssignedIdentity',
  application: 'azuread:index/application:Application',
  appFederation: 'azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential',
} as const;

// biome-ignore lint/suspicious/noExplicitAny: test access to deeply nested engine inputs
type Loose = any;
const inputs = (resource: RegisteredResource): Loose => unwrapSecrets(resource.inputs);
const environments: EnvironmentName[] = ['dev', 'staging', 'prod'];

let runs: Record<EnvironmentName, ProgramRun>;
beforeAll(async () => {
  runs = await runAllProfiles();
});

const named = (env: EnvironmentName, type: string, name: string): RegisteredResource => {
  const found = resourcesOfType(runs[env], type).filter((r) => inputs(r).metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0] as RegisteredResource;
};
const identity = (env: EnvironmentName, name: string): Loose =>
  resourcesOfType(runs[env], K.identity).find((i) => i.name === name)?.state;
const deployment = (env: EnvironmentName) => named(env, K.deployment, AUTHORIZATION_SERVER.name);
const podSpec = (env: EnvironmentName) => inputs(deployment(env)).spec.template.spec;
const container = (env: EnvironmentName) => podSpec(env).containers[0];
const variablesOf = (c: Loose): Record<string, string> =>
  Object.fromEntries(c.env.map((v: Loose) => [v.name, v.value]));
const envOf = (env: EnvironmentName) => variablesOf(container(env));
const keysJob = (env: EnvironmentName) => {
  const found = resourcesOfType(runs[env], K.job).filter((r) =>
    inputs(r).metadata.name.startsWith(`${OPERATIONS.authorizationServerKeys.serviceAccount}-`),
  );
  expect(found).toHaveLength(1);
  return found[0] as RegisteredResource;
};

describe.each(environments)('the %s authorization server', (env) => {
  const profile = PROFILES[env];

  it('runs the MCP service’s image, by digest, with its own entry point, replicas and resources', () => {
    const mcp = inputs(named(env, K.deployment, WORKLOAD.name)).spec.template.spec.containers[0];
    const c = container(env);
    expect(c.image).toBe(mcp.image);
    expect(c.image).toMatch(new RegExp(`@${TEST_IMAGE_DIGEST}$`));
    expect(c.args).toEqual([AUTHORIZATION_SERVER.entryPoint]);
    expect(c.name).toBe(AUTHORIZATION_SERVER.container);
    expect(inputs(deployment(env)).spec.replicas).toBe(profile.authorizationServer.replicas);
    expect(profile.authorizationServer.replicas).toBeGreaterThanOrEqual(2);
    expect(c.resources).toEqual(profile.authorizationServer.resources);
    expect(c.ports).toEqual([
      { name: AUTHORIZATION_SERVER_PORT_NAME, containerPort: AUTHORIZATION_SERVER.port, protocol: 'TCP' },
      { name: WORKLOAD.metricsPortName, containerPort: PORTS.metrics, protocol: 'TCP' },
    ]);
    // The port it declares is the one it listens on.
    expect(envOf(env)[ENV.metricsPort]).toBe(String(PORTS.metrics));
  });

  it('probes /health for liveness and startup, /ready for readiness, and drains before SIGTERM', () => {
    const c = container(env);
    const port = AUTHORIZATION_SERVER_PORT_NAME;
    expect(c.livenessProbe.httpGet).toEqual({ path: PATHS.health, port });
    expect(c.startupProbe.httpGet).toEqual({ path: PATHS.health, port });
    expect(c.readinessProbe.httpGet).toEqual({ path: PATHS.ready, port });
    expect(c.lifecycle.preStop.sleep.seconds).toBe(SHUTDOWN.drainSeconds);
    expect(envOf(env)[ENV.drainSeconds]).toBe(String(SHUTDOWN.drainSeconds));
  });

  it('runs restricted, under its own service account and workload identity, spread and with a PDB', () => {
    const spec = podSpec(env);
    const c = container(env);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe(AUTHORIZATION_SERVER.serviceAccount);
    expect(spec.serviceAccountName).not.toBe(WORKLOAD.serviceAccount);
    expect(inputs(deployment(env)).spec.template.metadata.labels[WORKLOAD_IDENTITY_LABEL]).toBe('true');
    const account = inputs(named(env, K.serviceAccount, AUTHORIZATION_SERVER.serviceAccount));
    const clientId = account.metadata.annotations['azure.workload.identity/client-id'];
    expect(clientId).toBe(identity(env, 'identity-authorization-server').clientId);
    expect(clientId).not.toBe(identity(env, 'identity-workload').clientId);
    expect(account.automountServiceAccountToken).toBe(false);
    // No CSI mount: its keys come from Key Vault directly, so a missing secret cannot keep the pod from starting.
    expect(spec.volumes.filter((v: Loose) => v.csi)).toEqual([]);
    expect(spec.topologySpreadConstraints.map((t: Loose) => t.topologyKey)).toEqual([
      ...(profile.aks.availabilityZones.length > 0 ? ['topology.kubernetes.io/zone'] : []),
      'kubernetes.io/hostname',
    ]);
    expect(inputs(named(env, K.pdb, AUTHORIZATION_SERVER.name)).spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { ...AUTHORIZATION_SERVER.labels } },
    });
  });

  it('is configured with its issuer, Entra ID as upstream through workload identity, and no secret', () => {
    const variables = envOf(env);
    const app = onlyResourceOfType(runs[env], K.application).state as Loose;
    expect(variables[AUTHORIZATION_SERVER.env.issuer]).toBe(`https://mcp.${env}.example.com`);
    expect(variables[ENV.resourceUrl]).toBe(`https://mcp.${env}.example.com/mcp`);
    expect(variables[ENV.port]).toBe(String(AUTHORIZATION_SERVER.port));
    expect(variables[AUTHORIZATION_SERVER.env.dynamicRegistration]).toBe('false');
    const entra = `https://login.microsoftonline.com/${MOCK_TENANT_ID}/v2.0`;
    expect(JSON.parse(variables[AUTHORIZATION_SERVER.env.upstream] as string)).toEqual({
      issuer: entra,
      clientId: app.clientId,
      clientAuthentication: 'workload-identity',
      identity: {
        kind: 'entra',
        issuer: entra,
        appRoles: { [APP_ROLES.manager]: APP_ROLES.manager, [APP_ROLES.admin]: APP_ROLES.admin },
        allowedTenants: [MOCK_TENANT_ID],
      },
    });
    const vault = onlyResourceOfType(runs[env], 'azure-native:keyvault:Vault').state as Loose;
    expect(variables[ENV.keyVaultUrl]).toBe(vault.properties.vaultUri);
    expect(variables[ENV.issuers]).toBeUndefined();
    expect(Object.keys(variables).filter((name) => /CLIENT_SECRET|PASSWORD/.test(name))).toEqual([]);
    expect(JSON.stringify(container(env).env)).not.toContain(MOCK_SECRET_MARKER);
    const known = new Set<string>([...Object.values(ENV), ...Object.values(AUTHORIZATION_SERVER.env)]);
    for (const name of Object.keys(variables)) expect(known, name).toContain(name);
  });

  it('logs into Postgres as its own Entra login in every profile, and reads no password', () => {
    const variables = envOf(env);
    const user = DATABASE.authorizationServerLogin;
    expect(variables[ENV.databaseUrl]).toMatch(
      new RegExp(`^postgres://${user}@[^/]+:5432/${DATABASE.name}\\?sslmode=verify-full$`),
    );
    expect(variables[ENV.databaseAuth]).toBe('entra');
    const server = identity(env, 'identity-authorization-server');
    const passwordGrants = resourcesOfType(runs[env], K.roleAssignment).filter(
      (g) => inputs(g).principalId === server.principalId && !/authorization-server-.*-keys$/.test(inputs(g).scope),
    );
    expect(passwordGrants).toEqual([]);
    expect(variables[ENV.databasePoolMax]).toBe(String(profile.authorizationServer.databasePoolMax));
    const setup = resourcesOfType(runs[env], K.job).find((r) =>
      inputs(r).metadata.name.startsWith(`${OPERATIONS.databaseSetup.serviceAccount}-`),
    ) as RegisteredResource;
    expect(deployment(env).dependencies).toContain(setup.urn);
  });

  it('creates and rotates its keys with a Job per version and a daily CronJob, under the key identity', () => {
    const jobResource = keysJob(env);
    const job = inputs(jobResource);
    const account = OPERATIONS.authorizationServerKeys.serviceAccount;
    expect(job.metadata.name).toBe(`${account}-${TEST_IMAGE_DIGEST.slice(7, 19)}`);
    expect(jobResource.options.deleteBeforeReplace).toBe(true);
    expect(job.spec.backoffLimit).toBe(INITIAL_RUN_BACKOFF_LIMIT);
    const cronJob = inputs(named(env, K.cronJob, account));
    expect(cronJob.spec).toMatchObject({ schedule: KEY_ROTATION_SCHEDULE, concurrencyPolicy: 'Forbid' });
    const keysIdentity = identity(env, 'identity-authorization-server-keys');
    const vault = onlyResourceOfType(runs[env], 'azure-native:keyvault:Vault').state as Loose;
    for (const pod of [job.spec.template.spec, cronJob.spec.jobTemplate.spec.template.spec]) {
      expect(pod.serviceAccountName).toBe(account);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.containers[0].args).toEqual([OPERATIONS.authorizationServerKeys.entryPoint]);
      expect(pod.containers[0].image).toBe(container(env).image);
      expect(variablesOf(pod.containers[0])[ENV.keyVaultUrl]).toBe(vault.properties.vaultUri);
    }
    expect(job.spec.template.metadata.labels).toMatchObject({
      ...AUTHORIZATION_SERVER_KEYS_LABELS,
      [WORKLOAD_IDENTITY_LABEL]: 'true',
    });
    expect(job.spec.podFailurePolicy.rules[0].onExitCodes).toEqual({
      containerName: AUTHORIZATION_SERVER_KEYS_CONTAINER,
      operator: 'In',
      values: [CONFIG_ERROR_EXIT_CODE],
    });
    expect(
      inputs(named(env, K.serviceAccount, account)).metadata.annotations['azure.workload.identity/client-id'],
    ).toBe(keysIdentity.clientId);
  });

  it('reads exactly its two key secrets, granted after the key Job made them, and starts after the grants', () => {
    const vault = onlyResourceOfType(runs[env], 'azure-native:keyvault:Vault');
    const server = identity(env, 'identity-authorization-server');
    const grants = resourcesOfType(runs[env], K.roleAssignment).filter(
      (g) => inputs(g).principalId === server.principalId && /authorization-server-.*-keys$/.test(inputs(g).scope),
    );
    expect(grants.map((g) => inputs(g).scope).sort()).toEqual(
      AUTHORIZATION_SERVER_KEY_SECRETS.map((name) => `${vault.id}/secrets/${name}`).sort(),
    );
    const job = keysJob(env);
    for (const grant of grants) {
      expect(grant.dependencies).toContain(job.urn);
      expect(inputs(grant).roleDefinitionId).toMatch(/4633458b-17de-408a-b874-0445c86b69e6$/);
    }
    const sleep = resourcesOfType(runs[env], K.sleep).find(
      (s) => s.name === 'authorization-server-grant-propagation',
    ) as RegisteredResource;
    expect(inputs(sleep).createDuration).toBe(RBAC_PROPAGATION_DELAY);
    expect(sleep.dependencies).toEqual(expect.arrayContaining(grants.map((g) => g.urn)));
    expect(deployment(env).dependencies).toEqual(expect.arrayContaining([job.urn, sleep.urn]));
    expect(AUTHORIZATION_SERVER_KEY_SECRETS).toEqual([
      SECRET_NAMES.authorizationServerSigningKeys,
      SECRET_NAMES.authorizationServerCookieKeys,
    ]);
  });

  it('is routed by Kong on the MCP host: its prefix and metadata, TLS only, tighter limits, no gateway CORS', () => {
    const ingress = inputs(named(env, K.ingress, AUTHORIZATION_SERVER.name));
    expect(ingress.spec.ingressClassName).toBe(GATEWAY.ingressClass);
    expect(ingress.spec.tls).toEqual([{ hosts: [`mcp.${env}.example.com`], secretName: GATEWAY_TLS_SECRET }]);
    expect(ingress.spec.rules[0].host).toBe(`mcp.${env}.example.com`);
    expect(ingress.spec.rules[0].http.paths.map((p: Loose) => [p.path, p.pathType])).toEqual([
      [AUTHORIZATION_SERVER.prefix, 'Prefix'],
      [AUTHORIZATION_SERVER.paths.metadata, 'Exact'],
      [AUTHORIZATION_SERVER.paths.openidConfiguration, 'Exact'],
    ]);
    expect(AUTHORIZATION_SERVER.paths.upstreamCallback.startsWith(`${AUTHORIZATION_SERVER.prefix}/`)).toBe(true);
    for (const path of ingress.spec.rules[0].http.paths) {
      expect(path.backend.service).toEqual({
        name: AUTHORIZATION_SERVER.name,
        port: { name: AUTHORIZATION_SERVER_PORT_NAME },
      });
      expect(path.backend.service.port.name).not.toBe(AUTHORIZATION_SERVER_METRICS_PORT_NAME);
    }
    expect(ingress.spec.defaultBackend).toBeUndefined();
    expect(ingress.metadata.annotations['konghq.com/protocols']).toBe('https');
    expect(ingress.metadata.annotations['konghq.com/plugins'].split(',')).toEqual([
      AUTHORIZATION_SERVER_PLUGIN_NAMES.rateLimiting,
      AUTHORIZATION_SERVER_PLUGIN_NAMES.requestSize,
    ]);
    const limit = inputs(named(env, K.kongPlugin, AUTHORIZATION_SERVER_PLUGIN_NAMES.rateLimiting));
    expect(limit.config).toMatchObject({
      minute: profile.authorizationServer.rateLimit.perMinute,
      hour: profile.authorizationServer.rateLimit.perHour,
      limit_by: 'ip',
      policy: 'redis',
      fault_tolerant: true,
    });
    expect(profile.authorizationServer.rateLimit.perMinute).toBeLessThan(profile.gateway.rateLimit.perMinute);
    const size = inputs(named(env, K.kongPlugin, AUTHORIZATION_SERVER_PLUGIN_NAMES.requestSize));
    expect(size.config).toMatchObject({
      allowed_payload_size: AUTHORIZATION_SERVER_MAX_BODY_KILOBYTES,
      size_unit: 'kilobytes',
    });
    const service = inputs(named(env, K.service, AUTHORIZATION_SERVER.name));
    expect(service.spec.ports).toEqual([
      {
        name: AUTHORIZATION_SERVER_PORT_NAME,
        port: AUTHORIZATION_SERVER.port,
        targetPort: AUTHORIZATION_SERVER_PORT_NAME,
        protocol: 'TCP',
      },
      {
        name: AUTHORIZATION_SERVER_METRICS_PORT_NAME,
        port: PORTS.metrics,
        targetPort: AUTHORIZATION_SERVER_METRICS_PORT_NAME,
        protocol: 'TCP',
      },
    ]);
    expect(service.metadata.annotations['konghq.com/upstream-policy']).toBe(AUTHORIZATION_SERVER_UPSTREAM_POLICY_NAME);
    const upstream = inputs(named(env, K.upstreamPolicy, AUTHORIZATION_SERVER_UPSTREAM_POLICY_NAME));
    expect(upstream.spec.healthchecks.active).toMatchObject({ type: 'http', httpPath: PATHS.ready });
  });

  it('takes traffic from the gateway and scrapes from monitoring only, and reaches DNS, Postgres, Key Vault and public HTTPS only', () => {
    const policies = resourcesOfType(runs[env], K.networkPolicy).map(inputs);
    const server = policies.find((p) => p.metadata.name === AUTHORIZATION_SERVER.name);
    expect(server.metadata.namespace).toBe(CLUSTER_NAMESPACES.service);
    expect(server.spec.podSelector).toEqual({ matchLabels: { ...AUTHORIZATION_SERVER.labels } });
    expect(server.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': CLUSTER_NAMESPACES.gateway } } }],
        ports: [{ port: AUTHORIZATION_SERVER_PORT_NAME, protocol: 'TCP' }],
      },
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': CLUSTER_NAMESPACES.monitoring } } },
        ],
        ports: [{ port: AUTHORIZATION_SERVER_METRICS_PORT_NAME, protocol: 'TCP' }],
      },
    ]);
    const subnets = profile.network.subnets;
    const egress = server.spec.egress.map((r: Loose) => [
      (r.to ?? []).map((t: Loose) => t.ipBlock?.cidr ?? 'dns'),
      r.ports.map((p: Loose) => p.port),
    ]);
    expect(egress).toEqual([
      [['dns'], [53, 53]],
      [[subnets.postgres], [5432]],
      [[subnets.privateEndpoints], [443]],
      [['0.0.0.0/0'], [443]],
    ]);
    // Public addresses only: a client id naming a private or link-local address (IMDS) is unreachable here too.
    const internet = server.spec.egress[3].to[0].ipBlock;
    expect(internet.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12']));
    const keys = policies.find((p) => p.metadata.name === 'authorization-server-keys');
    expect(keys.spec.podSelector).toEqual({ matchLabels: { ...AUTHORIZATION_SERVER_KEYS_LABELS } });
    expect(keys.spec.ingress).toEqual([]);
    expect(keys.spec.egress.flatMap((r: Loose) => r.ports.map((p: Loose) => p.port)).sort()).toEqual(
      [443, 443, 53, 53].sort(),
    );
    // The gateway may reach the authorization server's port in the service namespace.
    const gateway = policies.find((p) => p.metadata.name === 'gateway');
    const toService = gateway.spec.egress.find(
      (r: Loose) =>
        r.to?.[0]?.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === CLUSTER_NAMESPACES.service,
    );
    expect(toService.ports.map((p: Loose) => p.port)).toContain(AUTHORIZATION_SERVER.port);
  });

  it('is scraped on its metrics port by a ServiceMonitor of its own, with the release label the chart selects on', () => {
    const monitorResource = named(env, K.serviceMonitor, AUTHORIZATION_SERVER.name);
    const monitor = inputs(monitorResource);
    expect(monitor.metadata.namespace).toBe(CLUSTER_NAMESPACES.service);
    expect(monitor.metadata.labels.release).toBe(MONITORING.release);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [CLUSTER_NAMESPACES.service] });
    expect(monitor.spec.selector).toEqual({ matchLabels: { ...AUTHORIZATION_SERVER.labels } });
    expect(monitor.spec.endpoints).toEqual([
      { port: AUTHORIZATION_SERVER_METRICS_PORT_NAME, path: PATHS.metrics, interval: '30s', scrapeTimeout: '10s' },
    ]);
    // What Prometheus will find: the selector picks the authorization server's Service (not the MCP server's), and
    // that Service has the port the endpoint names.
    const selects = (labels: Record<string, string>) =>
      Object.entries(monitor.spec.selector.matchLabels).every(([key, value]) => labels[key] === value);
    const services = resourcesOfType(runs[env], K.service)
      .map(inputs)
      .filter((service) => service.metadata.namespace === CLUSTER_NAMESPACES.service);
    const selected = services.filter((service) => selects(service.metadata.labels));
    expect(selected.map((service) => service.metadata.name)).toEqual([AUTHORIZATION_SERVER.name]);
    expect(selected[0].spec.ports.map((p: Loose) => p.name)).toContain(monitor.spec.endpoints[0].port);
    // The MCP server's ServiceMonitor does not pick the authorization server's Service up as well.
    const mcpMonitor = inputs(named(env, K.serviceMonitor, WORKLOAD.name));
    expect(
      Object.entries(mcpMonitor.spec.selector.matchLabels).every(
        ([key, value]) => selected[0].metadata.labels[key] === value,
      ),
    ).toBe(false);
    // The prometheus-operator CRDs come with the kube-prometheus-stack chart.
    const chart = resourcesOfType(runs[env], K.chart).find((c) => inputs(c).name === MONITORING.release);
    expect(chart, 'kube-prometheus-stack chart').toBeDefined();
    expect(monitorResource.dependencies).toContain(chart?.urn);
  });

  it('has its own alert rules, linked to their runbook sections', () => {
    const rules = inputs(named(env, K.prometheusRule, AUTHORIZATION_SERVER.name));
    expect(rules.metadata.namespace).toBe(CLUSTER_NAMESPACES.service);
    expect(rules.metadata.labels.release).toBe(MONITORING.release);
    const runbookBaseUrl = rules.spec.groups[0].rules[0].annotations.runbook_url.split('#')[0];
    expect(rules.spec.groups).toEqual(buildAuthorizationServerAlertRuleGroups({ runbookBaseUrl }));
    expect(rules.spec.groups.flatMap((g: Loose) => g.rules.map((r: Loose) => r.alert))).toEqual(
      expect.arrayContaining(['McpAuthorizationServerNoReadyPods', 'McpAuthorizationServerTokenReuse']),
    );
    // The MCP server's rules stay where they were, without the authorization server's.
    const mcpRules = inputs(named(env, K.prometheusRule, WORKLOAD.name));
    expect(JSON.stringify(mcpRules.spec.groups)).not.toContain('McpAuthorizationServer');
  });

  it('signs users in with the MCP API’s app registration: its callback, and a federated credential, no secret', () => {
    const app = inputs(onlyResourceOfType(runs[env], K.application));
    expect(app.web.redirectUris).toEqual([
      `https://mcp.${env}.example.com${AUTHORIZATION_SERVER.paths.upstreamCallback}`,
    ]);
    expect(app.web.implicitGrant).toEqual({ accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false });
    expect(app.passwordCredentials ?? []).toEqual([]);
    const cluster = onlyResourceOfType(runs[env], 'azure-native:containerservice:ManagedCluster').state as Loose;
    const federation = inputs(onlyResourceOfType(runs[env], K.appFederation));
    expect(federation).toMatchObject({
      applicationId: onlyResourceOfType(runs[env], K.application).id,
      issuer: cluster.oidcIssuerProfile.issuerURL,
      subject: `system:serviceaccount:${CLUSTER_NAMESPACES.service}:${AUTHORIZATION_SERVER.serviceAccount}`,
      audiences: ['api://AzureADTokenExchange'],
    });
    expect(resourcesOfType(runs[env], 'azuread:index/applicationPassword:ApplicationPassword')).toEqual([]);
  });
});

describe('a stack whose tokens come from an external issuer', () => {
  it('deploys no authorization server of its own, and trusts that issuer alone', async () => {
    const run = await runProgramUnderMocks({
      stack: 'staging',
      config: { authorizationServer: 'external', oauthIssuerUrl: 'https://issuer.example.org/' },
    });
    const names = run.resources.filter((r) => r.type.startsWith('kubernetes:')).map((r) => inputs(r).metadata?.name);
    expect(names).not.toContain(AUTHORIZATION_SERVER.name);
    // Nor its ServiceMonitor and alerts: its absence alert would fire forever.
    expect(resourcesOfType(run, K.serviceMonitor).map((r) => inputs(r).metadata.name)).toEqual([WORKLOAD.name]);
    expect(resourcesOfType(run, K.prometheusRule).map((r) => inputs(r).metadata.name)).toEqual([WORKLOAD.name]);
    const policy = resourcesOfType(run, K.networkPolicy).map(inputs);
    expect(policy.map((p) => p.metadata.name)).not.toContain(AUTHORIZATION_SERVER.name);
    expect(names.filter((n) => String(n).startsWith(OPERATIONS.authorizationServerKeys.serviceAccount))).toEqual([]);
    expect(resourcesOfType(run, K.identity).map((i) => i.name)).not.toContain('identity-authorization-server');
    const mcp = resourcesOfType(run, K.deployment).map(inputs);
    expect(mcp).toHaveLength(1);
    const issuers = variablesOf(mcp[0].spec.template.spec.containers[0])[ENV.issuers];
    expect(issuers).toBe('https://issuer.example.org/');
  }, 120_000);
});
