import * as pulumi from '@pulumi/pulumi';
import { APP_ROLES, AUTHORIZATION_SERVER, DATABASE, ENV, PORTS } from '../../service/src/contract';
import type { EnvVar } from './service-environment';

/** How the authorization server authenticates to Entra ID: its pod's service account token, never a secret. */
export const UPSTREAM_CLIENT_AUTHENTICATION = 'workload-identity';

export interface AuthorizationServerEnvironmentArgs {
  /** `https://<publicHostname>`: the public origin it shares with the MCP server. */
  issuer: string;
  /** The MCP server's resource URL: the audience of every token it issues. */
  resourceUrl: string;
  /** Entra ID v2 of the tenant, the app registration users sign in with, and the only tenant allowed. */
  upstream: {
    issuer: pulumi.Input<string>;
    clientId: pulumi.Input<string>;
    tenantId: pulumi.Input<string>;
  };
  postgresHost: pulumi.Input<string>;
  /**
   * Its own Entra login (DATABASE.authorizationServerLogin), in every profile: Postgres always takes Entra tokens, and
   * only this login holds the role of its tables. Never the app role's password.
   */
  databaseUser: string;
  databasePoolMax: number;
  keyVaultUrl: pulumi.Input<string>;
  dynamicRegistration: boolean;
  drainSeconds: number;
}

/**
 * AUTHORIZATION_SERVER_UPSTREAM: Entra ID with the MCP API's own registration. Its app role values are the contract's
 * roles, so each maps to itself; users of other tenants are refused even if the registration is opened up later.
 */
export function upstreamSettings(upstream: AuthorizationServerEnvironmentArgs['upstream']): pulumi.Output<string> {
  return pulumi.all([upstream.issuer, upstream.clientId, upstream.tenantId]).apply(([issuer, clientId, tenantId]) =>
    JSON.stringify({
      issuer,
      clientId,
      clientAuthentication: UPSTREAM_CLIENT_AUTHENTICATION,
      identity: {
        kind: 'entra',
        issuer,
        appRoles: Object.fromEntries(Object.values(APP_ROLES).map((role) => [role, role])),
        allowedTenants: [tenantId],
      },
    }),
  );
}

/**
 * The authorization server's container environment: what it shares with the MCP server's loader (listener, proxy
 * trust, resource URL, database, Key Vault) and its own AUTHORIZATION_SERVER.env. Its key secrets are read from Key
 * Vault directly (KEY_VAULT_URL), not from a CSI mount, which would keep the pod from starting before the key Job has
 * created them. No value is a secret, and no client secret exists: Entra trusts the pod's federated token.
 */
export function buildAuthorizationServerEnvironment(args: AuthorizationServerEnvironmentArgs): EnvVar[] {
  const env: EnvVar[] = [
    { name: ENV.port, value: String(AUTHORIZATION_SERVER.port) },
    { name: ENV.host, value: '0.0.0.0' },
    // The port its container declares as `metrics`, stated rather than left to the loader's default.
    { name: ENV.metricsPort, value: String(PORTS.metrics) },
    { name: ENV.logLevel, value: 'info' },
    // One proxy hop: Kong. Its client address is what the audit records and oidc-provider sees.
    { name: ENV.trustProxy, value: '1' },
    { name: ENV.resourceUrl, value: args.resourceUrl },
    {
      name: ENV.databaseUrl,
      value: pulumi.interpolate`postgres://${args.databaseUser}@${args.postgresHost}:5432/${DATABASE.name}?sslmode=verify-full`,
    },
    { name: ENV.databaseAuth, value: 'entra' },
    { name: ENV.databasePoolMax, value: String(args.databasePoolMax) },
    { name: ENV.keyVaultUrl, value: args.keyVaultUrl },
    { name: ENV.drainSeconds, value: String(args.drainSeconds) },
    { name: AUTHORIZATION_SERVER.env.issuer, value: args.issuer },
    { name: AUTHORIZATION_SERVER.env.upstream, value: upstreamSettings(args.upstream) },
    { name: AUTHORIZATION_SERVER.env.dynamicRegistration, value: String(args.dynamicRegistration) },
  ];
  return env;
}
