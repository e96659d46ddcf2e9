/**
 * The contract between the service and the infrastructure: every name both sides use.
 * The Pulumi program (CommonJS) and the service (ESM) both import this file, so it must stay
 * dependency-free: constants and types only, no imports.
 */

/** Ports the container listens on. Metrics sit on their own port so the gateway can never route to them. */
export const PORTS = {
  http: 8080,
  metrics: 9464,
} as const;

/** HTTP paths served by the container. */
export const PATHS = {
  mcp: '/mcp',
  health: '/health',
  ready: '/ready',
  metrics: '/metrics',
  protectedResourceMetadata: '/.well-known/oauth-protected-resource',
} as const;

/** The scopes a token may carry; each tool declares which one it needs. */
export const MCP_SCOPES = {
  read: 'mcp:read',
  write: 'mcp:write',
  admin: 'mcp:admin',
} as const;
export type McpScope = (typeof MCP_SCOPES)[keyof typeof MCP_SCOPES];

/** Application roles carried in the token's roles claim (Entra app roles in Azure). */
export const APP_ROLES = {
  manager: 'manager',
  admin: 'admin',
} as const;

/** Environment variables the service reads; infra sets them on the Deployment. */
export const ENV = {
  port: 'PORT',
  host: 'HOST',
  metricsPort: 'METRICS_PORT',
  metricsHost: 'METRICS_HOST',
  resourceUrl: 'MCP_RESOURCE_URL',
  issuers: 'OAUTH_ISSUERS',
  jwksUrl: 'OAUTH_JWKS_URL',
  algorithms: 'OAUTH_ALGORITHMS',
  scopeMap: 'OAUTH_SCOPE_MAP',
  claimScopes: 'OAUTH_CLAIM_SCOPES',
  claimRoles: 'OAUTH_CLAIM_ROLES',
  claimTenant: 'OAUTH_CLAIM_TENANT',
  claimUser: 'OAUTH_CLAIM_USER',
  clockToleranceSeconds: 'OAUTH_CLOCK_TOLERANCE_SECONDS',
  jwksCacheMaxAgeSeconds: 'OAUTH_JWKS_CACHE_MAX_AGE_SECONDS',
  jwksMaxStaleSeconds: 'OAUTH_JWKS_MAX_STALE_SECONDS',
  allowedOrigins: 'ALLOWED_ORIGINS',
  allowedHosts: 'ALLOWED_HOSTS',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  secretsDir: 'SECRETS_DIR',
  keyVaultUrl: 'KEY_VAULT_URL',
  keyVaultCacheTtlSeconds: 'KEY_VAULT_CACHE_TTL_SECONDS',
  keyVaultMaxStaleSeconds: 'KEY_VAULT_MAX_STALE_SECONDS',
  /** Development only: secrets may come from environment variables named after them (POSTGRES_APP_PASSWORD). */
  secretsFromEnv: 'SECRETS_FROM_ENV',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  logLevel: 'LOG_LEVEL',
  requiredTokenType: 'OAUTH_REQUIRED_TYP',
  additionalAudiences: 'OAUTH_ADDITIONAL_AUDIENCES',
  trustProxy: 'TRUST_PROXY',
  databaseMigrationUrl: 'DATABASE_MIGRATION_URL',
  databasePoolMax: 'DATABASE_POOL_MAX',
  databaseTenantMaxConnections: 'DATABASE_TENANT_MAX_CONNECTIONS',
  databaseAuth: 'DATABASE_AUTH',
  drainSeconds: 'SHUTDOWN_DRAIN_SECONDS',
  batchConcurrency: 'MCP_BATCH_CONCURRENCY',
  redisAuth: 'REDIS_AUTH',
  redisUsername: 'REDIS_USERNAME',
  redisCommandTimeoutMs: 'REDIS_COMMAND_TIMEOUT_MS',
  redisBreakerOpenMs: 'REDIS_BREAKER_OPEN_MS',
  rateLimitUser: 'RATE_LIMIT_USER',
  rateLimitTenant: 'RATE_LIMIT_TENANT',
  devIssuerPort: 'DEV_ISSUER_PORT',
  devAuthorizationServerPort: 'DEV_AUTHORIZATION_SERVER_PORT',
  devUpstreamProviderPort: 'DEV_UPSTREAM_PROVIDER_PORT',
  databaseWorkloadLogin: 'DATABASE_WORKLOAD_LOGIN',
  databaseWorkloadObjectId: 'DATABASE_WORKLOAD_OBJECT_ID',
  /** The database setup Job: the authorization server's Entra login (DATABASE.authorizationServerLogin) and its id. */
  databaseAuthorizationServerLogin: 'DATABASE_AUTHORIZATION_SERVER_LOGIN',
  databaseAuthorizationServerObjectId: 'DATABASE_AUTHORIZATION_SERVER_OBJECT_ID',
  credentialsSecretName: 'CREDENTIALS_SECRET_NAME',
  /** Node's own: the flags of SERVICE_NODE_OPTIONS, set on the service's container. */
  nodeOptions: 'NODE_OPTIONS',
  // Not *_SECRET_NAMESPACE: the pack reads env names with SECRET in them as secrets unless they end in _NAME, _DIR, ...
  credentialsSecretNamespace: 'TARGET_NAMESPACE',
} as const;

/**
 * How Node runs the service in its container (NODE_OPTIONS). In a 512 MiB container V8 keeps a 1 MiB young generation:
 * every request's short-lived objects (the SDK builds a server per request) outlive it and are collected by full
 * GCs. A 16 MiB one took garbage collection from a third of the CPU and tools/list from 2,400 to 3,500 requests per
 * second, for 4 MiB more RSS (`npm run bench` runs the service with the same flags, in a 512 MiB cgroup).
 */
export const SERVICE_NODE_OPTIONS = '--max-semi-space-size=16';

/** Where the Secrets Store CSI driver mounts the Key Vault secrets in the pod. */
export const SECRETS_MOUNT_PATH = '/mnt/secrets-store';

/**
 * Key Vault secret names. The CSI SecretProviderClass mounts each as a file of the same name
 * under SECRETS_MOUNT_PATH, which the service reads.
 */
export const SECRET_NAMES = {
  databasePassword: 'postgres-app-password',
  postgresAdminPassword: 'postgres-admin-password',
  redisPassword: 'redis-access-key',
  /** The authorization server's token signing keys: `{ "keys": [private JWK, ...] }` (authorization-server/signing-keys). */
  authorizationServerSigningKeys: 'authorization-server-signing-keys',
  /**
   * The authorization server's secret for its cookies and consent CSRF tokens: `{ "keys": ["<base64url, >= 32 bytes>", ...] }`,
   * newest first; older keys still verify, so a rotation keeps sign-ins in progress.
   */
  authorizationServerCookieKeys: 'authorization-server-cookie-keys',
} as const;

/** Names and labels of the workload in Kubernetes; Service, ServiceMonitor and NetworkPolicy select on these. */
export const WORKLOAD = {
  name: 'mcp-server',
  namespace: 'mcp',
  serviceAccount: 'mcp-server',
  container: 'mcp-server',
  httpPortName: 'http',
  metricsPortName: 'metrics',
  labels: {
    'app.kubernetes.io/name': 'mcp-server',
    'app.kubernetes.io/part-of': 'secure-mcp',
  },
} as const;

/** The Postgres database and the role the service connects as (no BYPASSRLS, not the owner of the tables). */
export const DATABASE = {
  name: 'mcp',
  appRole: 'mcp_app',
  /** The workload identity's Entra login (a member of appRole) where Postgres takes Entra tokens, not passwords. */
  workloadLogin: 'mcp-workload',
  /** The authorization server's own Entra login (a member of appRole too): its own identity, not the MCP pods'. */
  authorizationServerLogin: 'mcp-authorization-server',
  /**
   * NOLOGIN role with the rights on the authorization server's tables (oauth_records, oauth_accounts; migration 0009),
   * granted to the authorization server's login only: the MCP pods' role cannot read grants or accounts.
   */
  authorizationServerRole: 'mcp_authorization',
  /** NOLOGIN role that only the tenancy.*_document_ids functions run as (migrations/0004, 0005): no one logs in. */
  searchRole: 'mcp_search',
  /**
   * Extensions the migrations create; Azure's Flexible Server allows only those listed in its `azure.extensions`
   * parameter, which the infrastructure sets from this list. btree_gin: GIN indexes that lead with tenant_id;
   * pg_trgm: the title filter's trigram index.
   */
  extensions: ['btree_gin', 'pg_trgm'],
} as const;

/**
 * Jobs of the platform that run the service image with another entry point (`node <entryPoint>`), each under its
 * own service account and Entra identity, so the serving pods never hold their rights.
 */
export const OPERATIONS = {
  /** Migrations as the tables' owner, then the workload's Entra login (member of DATABASE.appRole). */
  databaseSetup: {
    entryPoint: 'dist/ops/database-setup-cli.js',
    serviceAccount: 'mcp-db-setup',
  },
  /** Kong OSS cannot fetch Entra tokens: this job writes a fresh one into the Secret its rate-limit plugin reads. */
  gatewayRedisCredentials: {
    entryPoint: 'dist/ops/gateway-redis-credentials-cli.js',
    serviceAccount: 'kong-redis-credentials',
    secretName: 'kong-redis-credentials',
  },
  /**
   * The authorization server's keys in Key Vault (SECRET_NAMES.authorizationServerSigningKeys and
   * ...CookieKeys): creates them when missing and rotates the signing keys on a schedule, so private keys never pass
   * through the Pulumi program or its state.
   */
  authorizationServerKeys: {
    entryPoint: 'dist/ops/authorization-server-keys-cli.js',
    serviceAccount: 'mcp-authorization-server-keys',
  },
} as const;

/** What the operations commands exit with: the Job fails at once on a bad setting, and retries a failed run. */
export const OPERATION_EXIT_CODES = { ok: 0, failed: 1, invalidConfig: 2 } as const;

/**
 * The authorization server for MCP clients (issue 13): the same image with another entry point, its own Deployment,
 * service account and Entra identity, so the MCP pods never hold its signing keys. Behind the gateway it shares the
 * MCP server's host: the gateway routes its metadata and everything under `prefix` to it, and its issuer is that
 * host's origin.
 */
export const AUTHORIZATION_SERVER = {
  entryPoint: 'dist/authorization-server/main.js',
  name: 'mcp-authorization-server',
  serviceAccount: 'mcp-authorization-server',
  container: 'mcp-authorization-server',
  port: 8081,
  labels: {
    'app.kubernetes.io/name': 'mcp-authorization-server',
    'app.kubernetes.io/part-of': 'secure-mcp',
  },
  /** Every oidc-provider endpoint, the sign-in callback and the consent page live under this path. */
  prefix: '/oauth',
  paths: {
    /** RFC 8414 metadata (what MCP clients ask first); `/.well-known/openid-configuration` serves the same. */
    metadata: '/.well-known/oauth-authorization-server',
    openidConfiguration: '/.well-known/openid-configuration',
    authorize: '/oauth/authorize',
    token: '/oauth/token',
    revocation: '/oauth/revoke',
    jwks: '/oauth/jwks',
    registration: '/oauth/register',
    /** The browser's steps: `<interaction>/<uid>`, `.../callback` (upstream answer), `.../consent`. */
    interaction: '/oauth/interaction',
    /** The redirect URI registered at the upstream identity provider (Entra ID). */
    upstreamCallback: '/oauth/callback',
  },
  env: {
    issuer: 'AUTHORIZATION_SERVER_ISSUER',
    /** JSON: `{ issuer, clientId, identity }` of the upstream OpenID provider; see authorization-server/README.md. */
    upstream: 'AUTHORIZATION_SERVER_UPSTREAM',
    /** JSON array of pre-registered clients (RFC 7591 metadata); default none. */
    clients: 'AUTHORIZATION_SERVER_CLIENTS',
    /** `true` switches on dynamic client registration (RFC 7591); off by default. */
    dynamicRegistration: 'AUTHORIZATION_SERVER_DYNAMIC_REGISTRATION',
  },
} as const;

/** The development token issuer (`npm run dev`, `npm run token`): loopback only, never deployed. */
export const DEV_ISSUER = {
  port: 8090,
  /** `npm run dev`'s authorization server (issue 13) and the local upstream OpenID provider it signs users in at. */
  authorizationServerPort: 8095,
  upstreamProviderPort: 8096,
} as const;

/**
 * The platform's namespaces and releases in the cluster: the Kubernetes layer creates them, the policy pack scopes
 * its exemptions by them, and NetworkPolicies name them (by the `kubernetes.io/metadata.name` label).
 */
export const CLUSTER_NAMESPACES = {
  service: 'mcp',
  gateway: 'kong',
  monitoring: 'monitoring',
  tracing: 'tracing',
  certificates: 'cert-manager',
} as const;

/** The API gateway (kong/ingress chart, release `kong`): its IngressClass and the proxy Service the chart names. */
export const GATEWAY = {
  release: 'kong',
  ingressClass: 'kong',
  proxyService: 'kong-gateway-proxy',
} as const;

/** kube-prometheus-stack: the release label its Prometheus selects on, and the Grafana dashboard sidecar's label. */
export const MONITORING = {
  release: 'kube-prometheus-stack',
  dashboardLabel: 'grafana_dashboard',
} as const;

/** Jaeger v2 (release `jaeger`): the OTLP/HTTP receiver the service exports spans to. */
export const TRACING = {
  release: 'jaeger',
  otlpHttpPort: 4318,
  otlpGrpcPort: 4317,
  queryPort: 16686,
} as const;
