import * as pulumi from '@pulumi/pulumi';
import { Sleep } from '@pulumiverse/time';
import { DATABASE, OPERATIONS, SECRET_NAMES, WORKLOAD } from '../../service/src/contract';
import { grantRole } from '../azure/role-definitions';
import type { DeploymentConfig } from '../config';
import { type PlatformOutputs, RBAC_PROPAGATION_DELAY } from '../platform';
import { AuthorizationServer } from './authorization-server';
import { buildAuthorizationServerEnvironment } from './authorization-server-environment';
import { AuthorizationServerKeys } from './authorization-server-keys';
import { AuthorizationServerMonitoring } from './authorization-server-monitoring';
import { AuthorizationServerRoutes } from './authorization-server-routes';
import { Certificates } from './certificates';
import { DatabaseSetup } from './database-setup';
import { Gateway } from './gateway';
import { GatewayRedisCredentials } from './gateway-redis-credentials';
import { GatewayRoutes } from './gateway-routes';
import { McpService, SHUTDOWN } from './mcp-service';
import { Monitoring } from './monitoring';
import { Namespaces } from './namespaces';
import { NetworkPolicies } from './network-policies';
import { createKeyVaultSecretProviderClass } from './secrets-store';
import { buildServiceEnvironment, type DatabaseLogin, type ServiceAuthorization } from './service-environment';
import { ServiceMonitoring } from './service-monitoring';
import { Tracing } from './tracing';

/** Labels on every object of the layer: who manages it, and which system it belongs to. */
export const LAYER_LABELS = {
  'app.kubernetes.io/part-of': WORKLOAD.labels['app.kubernetes.io/part-of'],
  'app.kubernetes.io/managed-by': 'pulumi',
} as const;

export const SERVICE_SECRET_PROVIDER_CLASS = `${WORKLOAD.name}-secrets`;
export const DATABASE_SETUP_SECRET_PROVIDER_CLASS = `${OPERATIONS.databaseSetup.serviceAccount}-secrets`;

export interface KubernetesLayerOutputs {
  /** Where the service's image is pulled from: the stack's ACR, by digest. */
  serviceImage: pulumi.Output<string>;
  /** The namespaces of the layer, by role. */
  namespaces: Record<string, pulumi.Output<string>>;
}

/** The service image in the stack's registry, by digest: what the cluster runs is exactly what CI pushed. */
export function serviceImageReference(loginServer: pulumi.Input<string>, digest: string): pulumi.Output<string> {
  return pulumi.interpolate`${loginServer}/${WORKLOAD.name}@${digest}`;
}

/** The Key Vault secrets the authorization server reads; its key Job creates them, Pulumi never holds them. */
export const AUTHORIZATION_SERVER_KEY_SECRETS = [
  SECRET_NAMES.authorizationServerSigningKeys,
  SECRET_NAMES.authorizationServerCookieKeys,
] as const;

export function serviceAuthorization(platform: PlatformOutputs): ServiceAuthorization {
  const auth = platform.authorization;
  if (auth.entraClientId && auth.authorizationServer) {
    // Our authorization server first: the protected-resource metadata lists the issuers in this order and MCP clients
    // take the first. Its tokens are at+jwt, aud = the resource URL, sub = the user id (Entra's oid), tenant_id,
    // roles. Entra's v2 tokens (typ JWT, aud = the client id, oid, tid) stay valid for pre-registered clients, so the
    // type check stays off and the user claim is oid, then sub. No OAUTH_JWKS_URL: it would apply to both issuers;
    // each one's keys are discovered from its metadata. No v1 issuer: the registration asks for v2 access tokens
    // (requestedAccessTokenVersion 2), which Entra issues for this API whichever endpoint a client uses.
    return {
      resourceUrl: auth.resourceUrl,
      issuers: [auth.authorizationServer.issuer, auth.issuerUrl],
      additionalAudiences: [auth.entraClientId, pulumi.interpolate`api://${auth.entraClientId}`],
      requiredTokenType: 'none',
      userClaims: 'oid,sub',
    };
  }
  if (auth.entraClientId) {
    // Entra: v2 tokens (aud = client id) and v1 tokens (aud = api://<client id>, issuer sts.windows.net) of the tenant.
    return {
      resourceUrl: auth.resourceUrl,
      issuers: [auth.issuerUrl, pulumi.interpolate`https://sts.windows.net/${platform.tenantId}/`],
      ...(auth.jwksUrl ? { jwksUrl: auth.jwksUrl } : {}),
      additionalAudiences: [auth.entraClientId, pulumi.interpolate`api://${auth.entraClientId}`],
      requiredTokenType: 'none',
      userClaims: 'oid,sub',
    };
  }
  return {
    resourceUrl: auth.resourceUrl,
    issuers: [auth.issuerUrl],
    ...(auth.jwksUrl ? { jwksUrl: auth.jwksUrl } : {}),
    // An external issuer that cannot bind tokens to the resource URL names the resource by its own audience.
    additionalAudiences: [auth.audience],
    requiredTokenType: 'at+jwt',
    userClaims: 'sub',
  };
}

/**
 * The Kubernetes layer of one environment: namespaces, network policies, Kong, kube-prometheus-stack, Jaeger and the
 * MCP service with its routes, secrets and monitoring, all through the platform's Kubernetes provider.
 */
export function createKubernetesLayer(config: DeploymentConfig, platform: PlatformOutputs): KubernetesLayerOutputs {
  if (!config.serviceImageDigest) throw new Error('KUBERNETES_LAYER_NO_IMAGE: serviceImageDigest is not set');
  const { profile } = platform;
  const opts = { provider: platform.kubernetesProvider };
  const labels = { ...LAYER_LABELS };

  const namespaces = new Namespaces('namespaces', { labels }, opts);
  new NetworkPolicies(
    'network-policies',
    {
      namespaces: namespaces.names,
      network: profile.network,
      redisPort: platform.redis.port,
      labels,
      authorizationServer: platform.authorizationServer !== undefined,
    },
    opts,
  );

  const registry = platform.registry.loginServer;
  const zoned = profile.aks.availabilityZones.length > 0;
  const gateway = new Gateway(
    'gateway',
    {
      namespace: namespaces.names.gateway,
      profile: profile.gateway,
      registry,
      zoned,
      network: profile.network,
    },
    opts,
  );
  const monitoring = new Monitoring(
    'monitoring',
    { namespace: namespaces.names.monitoring, profile: profile.observability, registry },
    opts,
  );
  new Certificates(
    'certificates',
    {
      namespace: namespaces.names.certificates,
      serviceNamespace: namespaces.names.service,
      publicHostname: config.publicHostname,
      acmeServer: config.acmeServer,
      ...(config.acmeEmail ? { acmeEmail: config.acmeEmail } : {}),
      registry,
      zoned,
      labels,
      // Its ServiceMonitor needs the monitoring CRDs; its challenges need the gateway.
      dependsOn: [monitoring, gateway],
    },
    opts,
  );
  const tracing = new Tracing(
    'tracing',
    { namespace: namespaces.names.tracing, profile: profile.observability, registry },
    opts,
  );

  const secretProviderClass = (key: string, className: string, clientId: pulumi.Output<string>, names: string[]) =>
    names.length > 0
      ? createKeyVaultSecretProviderClass(
          key,
          {
            namespace: namespaces.names.service,
            className,
            keyVaultName: platform.keyVault.name,
            tenantId: platform.tenantId,
            clientId,
            secretNames: names,
            labels,
          },
          opts,
        )
      : undefined;
  const secretNames = platform.keyVault.secretNames;
  const serviceSecrets = secretProviderClass(
    'service-secrets',
    SERVICE_SECRET_PROVIDER_CLASS,
    platform.workloadIdentity.clientId,
    secretNames,
  );
  const setupIdentity = platform.operations.databaseSetup;
  const setupSecrets = secretProviderClass(
    'db-setup-secrets',
    DATABASE_SETUP_SECRET_PROVIDER_CLASS,
    setupIdentity.clientId,
    setupIdentity.secretNames,
  );

  const databaseLogin: DatabaseLogin = platform.postgres.passwordAuthEnabled
    ? { kind: 'password', user: DATABASE.appRole }
    : { kind: 'entra', user: DATABASE.workloadLogin };
  if (platform.postgres.passwordAuthEnabled && !secretNames.includes(SECRET_NAMES.databasePassword)) {
    throw new Error('KUBERNETES_LAYER_NO_DB_PASSWORD: password auth is on but the workload cannot read its password');
  }

  const serviceImage = serviceImageReference(registry, config.serviceImageDigest);
  const databaseSetup = new DatabaseSetup(
    'database-setup',
    {
      namespace: namespaces.names.service,
      image: serviceImage,
      imageDigest: config.serviceImageDigest,
      clientId: setupIdentity.clientId,
      loginName: setupIdentity.loginName,
      postgresHost: platform.postgres.host,
      ...(databaseLogin.kind === 'entra'
        ? { workloadLogin: { login: databaseLogin.user, objectId: platform.workloadIdentity.principalId } }
        : {}),
      // Postgres always takes Entra logins (password auth only adds the app role's password): the authorization
      // server has its own login in every profile, the only one granted its tables' role (migration 0009).
      ...(platform.authorizationServer
        ? {
            authorizationServerLogin: {
              login: DATABASE.authorizationServerLogin,
              objectId: platform.authorizationServer.principalId,
            },
          }
        : {}),
      ...(setupSecrets ? { secretProviderClass: DATABASE_SETUP_SECRET_PROVIDER_CLASS } : {}),
      labels,
      dependsOn: setupSecrets ? [setupSecrets] : [],
    },
    opts,
  );
  const gatewayRedis = platform.operations.gatewayRedis;
  const redisCredentials = new GatewayRedisCredentials(
    'gateway-redis-credentials',
    {
      namespace: namespaces.names.gateway,
      secretNamespace: namespaces.names.service,
      image: serviceImage,
      clientId: gatewayRedis.clientId,
      principalId: gatewayRedis.principalId,
      labels,
    },
    opts,
  );
  const routes = new GatewayRoutes(
    'gateway-routes',
    {
      namespace: namespaces.names.service,
      publicHostname: config.publicHostname,
      serviceName: WORKLOAD.name,
      profile: profile.gateway,
      redisHost: platform.redis.host,
      redisPort: platform.redis.port,
      allowedOrigins: config.allowedOrigins,
      labels,
      // The rate-limit plugin reads the Redis login the first run wrote.
      dependsOn: [gateway, redisCredentials.initialRun],
    },
    opts,
  );

  new McpService(
    'mcp-service',
    {
      namespace: namespaces.names.service,
      image: serviceImage,
      workloadIdentityClientId: platform.workloadIdentity.clientId,
      env: buildServiceEnvironment({
        authorization: serviceAuthorization(platform),
        postgresHost: platform.postgres.host,
        databaseLogin,
        databasePoolMax: profile.workload.databasePoolMax,
        redisHost: platform.redis.host,
        redisPort: platform.redis.port,
        redisUsername: platform.workloadIdentity.principalId,
        keyVaultUrl: platform.keyVault.uri,
        otlpEndpoint: tracing.otlpHttpEndpoint,
        allowedOrigins: config.allowedOrigins,
        drainSeconds: SHUTDOWN.drainSeconds,
      }),
      ...(serviceSecrets ? { secretProviderClass: SERVICE_SECRET_PROVIDER_CLASS } : {}),
      resources: profile.workload.resources,
      minReplicas: profile.workload.minReplicas,
      maxReplicas: profile.workload.maxReplicas,
      zoned,
      labels,
      serviceAnnotations: routes.serviceAnnotations,
      // A new version serves only after its migrations ran.
      dependsOn: [databaseSetup.job, ...(serviceSecrets ? [serviceSecrets] : [])],
    },
    opts,
  );

  if (platform.authorizationServer) {
    createAuthorizationServer(config, platform, {
      namespace: namespaces.names.service,
      image: serviceImage,
      zoned,
      labels,
      databaseSetup: databaseSetup.job,
      gatewayReady: [gateway, redisCredentials.initialRun],
      monitoringReady: [monitoring],
      opts,
    });
  }

  new ServiceMonitoring(
    'service-monitoring',
    {
      serviceNamespace: namespaces.names.service,
      monitoringNamespace: namespaces.names.monitoring,
      runbookBaseUrl: config.runbookBaseUrl,
      labels,
      dependsOn: [monitoring],
    },
    opts,
  );

  return { serviceImage, namespaces: { ...namespaces.names } };
}

interface AuthorizationServerPlacement {
  namespace: pulumi.Output<string>;
  image: pulumi.Output<string>;
  zoned: boolean;
  labels: Record<string, string>;
  databaseSetup: pulumi.Resource;
  gatewayReady: pulumi.Resource[];
  /** The prometheus-operator CRDs its ServiceMonitor and PrometheusRule need. */
  monitoringReady: pulumi.Resource[];
  opts: pulumi.ComponentResourceOptions;
}

/**
 * The authorization server for MCP clients: its key Job first (the keys must exist), then its read grant on exactly
 * those two secrets (a grant is scoped to a secret only once it exists) and a pause while Azure RBAC propagates, then
 * its Deployment, after the database setup has created its login. Its routes share the MCP host; Prometheus scrapes
 * and alerts on it like the MCP server.
 */
function createAuthorizationServer(
  config: DeploymentConfig,
  platform: PlatformOutputs,
  placement: AuthorizationServerPlacement,
): void {
  const identity = platform.authorizationServer;
  const keysIdentity = platform.operations.authorizationServerKeys;
  const server = platform.authorization.authorizationServer;
  if (!identity || !keysIdentity || !server || !config.serviceImageDigest) {
    throw new Error(
      'KUBERNETES_LAYER_AUTHORIZATION_SERVER_INCOMPLETE: the platform made the authorization server identity without its key identity or issuer',
    );
  }
  const { profile } = platform;
  const { opts, labels, namespace } = placement;
  const keys = new AuthorizationServerKeys(
    'authorization-server-keys',
    {
      namespace,
      image: placement.image,
      imageDigest: config.serviceImageDigest,
      clientId: keysIdentity.clientId,
      keyVaultUrl: platform.keyVault.uri,
      labels,
    },
    opts,
  );
  const grants = AUTHORIZATION_SERVER_KEY_SECRETS.map((secretName) =>
    grantRole(
      `authorization-server-reads-${secretName}`,
      {
        role: 'keyVaultSecretsUser',
        principalId: identity.principalId,
        principalType: 'ServicePrincipal',
        scope: pulumi.interpolate`${platform.keyVault.id}/secrets/${secretName}`,
        subscriptionId: platform.subscriptionId,
      },
      { dependsOn: [keys.initialRun] },
    ),
  );
  const propagation = new Sleep(
    'authorization-server-grant-propagation',
    {
      createDuration: RBAC_PROPAGATION_DELAY,
      triggers: { grants: pulumi.all(grants.map((grant) => grant.id)).apply((ids) => ids.join(',')) },
    },
    { dependsOn: grants },
  );
  const routes = new AuthorizationServerRoutes(
    'authorization-server-routes',
    {
      namespace,
      publicHostname: config.publicHostname,
      profile: profile.authorizationServer,
      redisHost: platform.redis.host,
      redisPort: platform.redis.port,
      labels,
      dependsOn: placement.gatewayReady,
    },
    opts,
  );
  new AuthorizationServer(
    'authorization-server',
    {
      namespace,
      image: placement.image,
      clientId: identity.clientId,
      env: buildAuthorizationServerEnvironment({
        issuer: server.issuer,
        resourceUrl: platform.authorization.resourceUrl,
        upstream: { issuer: server.upstreamIssuer, clientId: server.upstreamClientId, tenantId: server.tenantId },
        postgresHost: platform.postgres.host,
        databaseUser: DATABASE.authorizationServerLogin,
        databasePoolMax: profile.authorizationServer.databasePoolMax,
        keyVaultUrl: platform.keyVault.uri,
        dynamicRegistration: profile.authorizationServer.dynamicRegistration,
        drainSeconds: SHUTDOWN.drainSeconds,
      }),
      replicas: profile.authorizationServer.replicas,
      resources: profile.authorizationServer.resources,
      zoned: placement.zoned,
      labels,
      serviceAnnotations: routes.serviceAnnotations,
      dependsOn: [keys.initialRun, propagation, placement.databaseSetup],
    },
    opts,
  );
  new AuthorizationServerMonitoring(
    'authorization-server-monitoring',
    { namespace, runbookBaseUrl: config.runbookBaseUrl, labels, dependsOn: placement.monitoringReady },
    opts,
  );
}
