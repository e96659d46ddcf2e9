import { CustomResource } from '@pulumi/kubernetes/apiextensions';
import { Ingress } from '@pulumi/kubernetes/networking/v1';
import * as pulumi from '@pulumi/pulumi';
import { AUTHORIZATION_SERVER, GATEWAY } from '../../service/src/contract';
import type { AuthorizationServerProfile } from '../../stacks';
import { AUTHORIZATION_SERVER_PORT_NAME } from './authorization-server';
import { GATEWAY_TLS_SECRET, rateLimitingPlugin, requestSizePlugin, upstreamHealthPolicy } from './gateway-routes';

export const AUTHORIZATION_SERVER_PLUGIN_NAMES = {
  rateLimiting: `${AUTHORIZATION_SERVER.name}-rate-limiting`,
  requestSize: `${AUTHORIZATION_SERVER.name}-request-size`,
} as const;
export const AUTHORIZATION_SERVER_UPSTREAM_POLICY_NAME = `${AUTHORIZATION_SERVER.name}-upstream`;
/**
 * Its requests are small forms and JSON (authorize, token, consent, revocation; a registration document at most):
 * 64 KiB is ample, and far below the MCP route's limit.
 */
export const AUTHORIZATION_SERVER_MAX_BODY_KILOBYTES = 64;

/** What the gateway routes to the authorization server on the MCP host: its prefix (every endpoint) and metadata. */
export const AUTHORIZATION_SERVER_ROUTES = [
  { path: AUTHORIZATION_SERVER.prefix, pathType: 'Prefix' },
  { path: AUTHORIZATION_SERVER.paths.metadata, pathType: 'Exact' },
  { path: AUTHORIZATION_SERVER.paths.openidConfiguration, pathType: 'Exact' },
] as const;

export interface AuthorizationServerRoutesArgs {
  namespace: pulumi.Input<string>;
  publicHostname: string;
  profile: AuthorizationServerProfile;
  redisHost: pulumi.Input<string>;
  redisPort: number;
  labels: Record<string, string>;
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The authorization server behind Kong, on the MCP host: its own Ingress, so its own plugins. A tighter rate limit
 * per client address than the MCP route (sign-in and token endpoints are where guessing happens), a 64 KiB body
 * limit, health checks on /ready. No Kong CORS plugin: oidc-provider answers CORS itself (the token, revocation
 * and JWKS endpoints and the metadata for browser-based public clients; never the authorize or consent pages), and a
 * gateway CORS plugin would answer preflights in its place with the MCP route's origin list.
 */
export class AuthorizationServerRoutes extends pulumi.ComponentResource {
  readonly serviceAnnotations: Record<string, string> = {
    'konghq.com/upstream-policy': AUTHORIZATION_SERVER_UPSTREAM_POLICY_NAME,
  };

  constructor(name: string, args: AuthorizationServerRoutesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:AuthorizationServerRoutes', name, {}, opts);
    const crdOpts = { parent: this, dependsOn: args.dependsOn };

    new CustomResource(
      `${name}-rate-limiting`,
      rateLimitingPlugin({
        name: AUTHORIZATION_SERVER_PLUGIN_NAMES.rateLimiting,
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
        name: AUTHORIZATION_SERVER_PLUGIN_NAMES.requestSize,
        namespace: args.namespace,
        labels: args.labels,
        size: AUTHORIZATION_SERVER_MAX_BODY_KILOBYTES,
        unit: 'kilobytes',
      }),
      crdOpts,
    );
    new CustomResource(
      `${name}-upstream-policy`,
      upstreamHealthPolicy(AUTHORIZATION_SERVER_UPSTREAM_POLICY_NAME, args.namespace, args.labels),
      crdOpts,
    );

    new Ingress(
      `${name}-ingress`,
      {
        metadata: {
          name: AUTHORIZATION_SERVER.name,
          namespace: args.namespace,
          labels: args.labels,
          annotations: {
            'konghq.com/plugins': Object.values(AUTHORIZATION_SERVER_PLUGIN_NAMES).join(','),
            'konghq.com/protocols': 'https',
            'konghq.com/strip-path': 'false',
            // oidc-provider builds its URLs from the issuer, but checks the Host the client used against it.
            'konghq.com/preserve-host': 'true',
            'konghq.com/read-timeout': '30000',
            'konghq.com/write-timeout': '30000',
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
                paths: AUTHORIZATION_SERVER_ROUTES.map(({ path, pathType }) => ({
                  path,
                  pathType,
                  backend: {
                    service: { name: AUTHORIZATION_SERVER.name, port: { name: AUTHORIZATION_SERVER_PORT_NAME } },
                  },
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
