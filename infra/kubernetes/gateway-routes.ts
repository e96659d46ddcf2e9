import { CustomResource } from '@pulumi/kubernetes/apiextensions';
import { Ingress } from '@pulumi/kubernetes/networking/v1';
import * as pulumi from '@pulumi/pulumi';
import { GATEWAY, PATHS, WORKLOAD } from '../../service/src/contract';
import type { GatewayProfile } from '../../stacks';

/** The TLS Secret (kubernetes.io/tls) of the public host, in the service's namespace. */
export const GATEWAY_TLS_SECRET = 'mcp-tls';
/** The Secret the gateway's Redis login is patched from (username + Entra token, renewed while running). */
export const GATEWAY_REDIS_CREDENTIALS_SECRET = 'kong-redis-credentials';

export const KONG_PLUGIN_NAMES = {
  rateLimiting: `${WORKLOAD.name}-rate-limiting`,
  requestSize: `${WORKLOAD.name}-request-size`,
  cors: `${WORKLOAD.name}-cors`,
} as const;
export const KONG_UPSTREAM_POLICY_NAME = `${WORKLOAD.name}-upstream`;

/** The only paths the gateway routes: the MCP endpoint and its protected-resource metadata. Never metrics. */
export const ROUTED_PATHS = [
  PATHS.mcp,
  PATHS.protectedResourceMetadata,
  `${PATHS.protectedResourceMetadata}${PATHS.mcp}`,
] as const;

export interface RateLimitingPluginArgs {
  name: string;
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  limits: { perMinute: number; perHour: number };
  redisHost: pulumi.Input<string>;
  redisPort: number;
}

/** Kong's request-size-limiting plugin: bodies over `size` are refused (413) before they reach the pods. */
export function requestSizePlugin(args: {
  name: string;
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  size: number;
  /** Kong's units (its schema): bytes, kilobytes or megabytes. */
  unit: 'bytes' | 'kilobytes' | 'megabytes';
}) {
  return {
    apiVersion: 'configuration.konghq.com/v1',
    kind: 'KongPlugin',
    metadata: { name: args.name, namespace: args.namespace, labels: args.labels },
    plugin: 'request-size-limiting',
    config: {
      allowed_payload_size: args.size,
      size_unit: args.unit,
      // Chunked bodies too: a body without Content-Length is counted as it streams.
      require_content_length: false,
    },
  };
}

/**
 * A KongPlugin `rate-limiting` counting per client address in the shared Managed Redis (so every gateway replica
 * sees the same count), whose Entra login comes from the Secret the gateway's credentials job renews.
 */
export function rateLimitingPlugin(args: RateLimitingPluginArgs) {
  return {
    apiVersion: 'configuration.konghq.com/v1',
    kind: 'KongPlugin',
    metadata: { name: args.name, namespace: args.namespace, labels: args.labels },
    plugin: 'rate-limiting',
    config: {
      minute: args.limits.perMinute,
      hour: args.limits.perHour,
      // By client address: the gateway runs before authentication (the service limits per user and tenant).
      limit_by: 'ip',
      policy: 'redis',
      redis: {
        host: args.redisHost,
        port: args.redisPort,
        ssl: true,
        ssl_verify: true,
        server_name: args.redisHost,
        timeout: 200,
      },
      // Redis down or slow: serve without the shared limit rather than fail every request.
      fault_tolerant: true,
      hide_client_headers: false,
    },
    // The login is an Entra token (Managed Redis has access keys off), renewed into this Secret while running.
    configPatches: [
      {
        path: '/redis/username',
        valueFrom: { secretKeyRef: { name: GATEWAY_REDIS_CREDENTIALS_SECRET, key: 'username' } },
      },
      {
        path: '/redis/password',
        valueFrom: { secretKeyRef: { name: GATEWAY_REDIS_CREDENTIALS_SECRET, key: 'password' } },
      },
    ],
  };
}

/**
 * A KongUpstreamPolicy: Kong probes /ready itself, so a draining or database-less pod stops getting requests within
 * seconds, before the kubelet's own readiness period removes it from the endpoints.
 */
export function upstreamHealthPolicy(name: string, namespace: pulumi.Input<string>, labels: Record<string, string>) {
  return {
    apiVersion: 'configuration.konghq.com/v1beta1',
    kind: 'KongUpstreamPolicy',
    metadata: { name, namespace, labels },
    spec: {
      algorithm: 'least-connections',
      healthchecks: {
        active: {
          type: 'http',
          httpPath: PATHS.ready,
          timeout: 2,
          concurrency: 10,
          healthy: { interval: 5, successes: 2, httpStatuses: [200] },
          unhealthy: { interval: 5, httpFailures: 2, tcpFailures: 2, timeouts: 2, httpStatuses: [500, 503] },
        },
        passive: {
          healthy: { successes: 5 },
          unhealthy: { httpFailures: 5, tcpFailures: 2, timeouts: 3, httpStatuses: [502, 503, 504] },
        },
      },
    },
  };
}

export interface GatewayRoutesArgs {
  namespace: pulumi.Input<string>;
  publicHostname: string;
  serviceName: pulumi.Input<string>;
  profile: GatewayProfile;
  redisHost: pulumi.Input<string>;
  redisPort: number;
  /** Browser origins allowed by CORS; none: no CORS headers at all (MCP clients are not browsers). */
  allowedOrigins: readonly string[];
  labels: Record<string, string>;
  /** The gateway's CRDs must exist first (the Kong chart). */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * What Kong does in front of the service: the Ingress (class kong, TLS, https only, exact paths), the plugins it
 * carries (rate limiting per client address in Redis, request size, CORS) and the upstream health checks on /ready.
 * The service still validates every token itself: the gateway is a first line, not the authority.
 */
export class GatewayRoutes extends pulumi.ComponentResource {
  /** Annotate the Service with this so Kong balances over healthy pods only. */
  readonly serviceAnnotations: Record<string, string> = { 'konghq.com/upstream-policy': KONG_UPSTREAM_POLICY_NAME };

  constructor(name: string, args: GatewayRoutesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:GatewayRoutes', name, {}, opts);
    const crdOpts = { parent: this, dependsOn: args.dependsOn };
    const metadata = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels: args.labels });

    new CustomResource(
      `${name}-rate-limiting`,
      rateLimitingPlugin({
        name: KONG_PLUGIN_NAMES.rateLimiting,
        namespace: args.namespace,
        labels: args.labels,
        limits: args.profile.rateLimit,
        redisHost: args.redisHost,
        redisPort: args.redisPort,
      }),
      crdOpts,
    );

    new CustomResource(
      `${name}-request-size`,
      requestSizePlugin({
        name: KONG_PLUGIN_NAMES.requestSize,
        namespace: args.namespace,
        labels: args.labels,
        size: args.profile.maxRequestBodyMegabytes,
        unit: 'megabytes',
      }),
      crdOpts,
    );

    const plugins: string[] = [KONG_PLUGIN_NAMES.rateLimiting, KONG_PLUGIN_NAMES.requestSize];
    if (args.allowedOrigins.length > 0) {
      new CustomResource(
        `${name}-cors`,
        {
          apiVersion: 'configuration.konghq.com/v1',
          kind: 'KongPlugin',
          metadata: metadata(KONG_PLUGIN_NAMES.cors),
          plugin: 'cors',
          config: {
            origins: [...args.allowedOrigins],
            methods: ['GET', 'POST', 'OPTIONS'],
            headers: ['Authorization', 'Content-Type', 'Mcp-Protocol-Version', 'Mcp-Session-Id', 'Last-Event-ID'],
            exposed_headers: ['WWW-Authenticate', 'Mcp-Session-Id', 'Retry-After'],
            credentials: false,
            max_age: 600,
          },
        },
        crdOpts,
      );
      plugins.push(KONG_PLUGIN_NAMES.cors);
    }

    new CustomResource(
      `${name}-upstream-policy`,
      upstreamHealthPolicy(KONG_UPSTREAM_POLICY_NAME, args.namespace, args.labels),
      crdOpts,
    );

    new Ingress(
      `${name}-ingress`,
      {
        metadata: {
          name: WORKLOAD.name,
          namespace: args.namespace,
          labels: args.labels,
          annotations: {
            'konghq.com/plugins': plugins.join(','),
            // TLS only: plain HTTP is refused by the route (426), never served.
            'konghq.com/protocols': 'https',
            'konghq.com/strip-path': 'false',
            'konghq.com/preserve-host': 'true',
            'konghq.com/read-timeout': '60000',
            'konghq.com/write-timeout': '60000',
            'konghq.com/connect-timeout': '5000',
          },
        },
        spec: {
          ingressClassName: GATEWAY.ingressClass,
          tls: [{ hosts: [args.publicHostname], secretName: GATEWAY_TLS_SECRET }],
          rules: [
            {
              host: args.publicHostname,
              http: {
                paths: ROUTED_PATHS.map((path) => ({
                  path,
                  pathType: 'Exact',
                  backend: { service: { name: args.serviceName, port: { name: WORKLOAD.httpPortName } } },
                })),
              },
            },
          ],
        },
      },
      crdOpts,
    );
    this.registerOutputs({});
  }
}
