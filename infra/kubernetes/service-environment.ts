import * as pulumi from '@pulumi/pulumi';
import { DATABASE, ENV, PORTS, SECRETS_MOUNT_PATH, SERVICE_NODE_OPTIONS } from '../../service/src/contract';

/** Where the service's database login comes from: a password file from Key Vault, or the workload's Entra token. */
export type DatabaseLogin = { kind: 'password'; user: string } | { kind: 'entra'; user: string };

/** The token issuer the service trusts (see AuthorizationOutputs). */
export interface ServiceAuthorization {
  resourceUrl: string;
  issuers: pulumi.Input<string>[];
  jwksUrl?: pulumi.Input<string>;
  /** Other `aud` values naming this resource (Entra v2 tokens carry the app's client id). */
  additionalAudiences: pulumi.Input<string>[];
  /** Entra access tokens have `typ: JWT`, not `at+jwt`. */
  requiredTokenType: 'at+jwt' | 'none';
  /** Entra identifies users by `oid` (stable across apps); other issuers by `sub`. */
  userClaims: string;
}

export interface ServiceEnvironmentArgs {
  authorization: ServiceAuthorization;
  postgresHost: pulumi.Input<string>;
  databaseLogin: DatabaseLogin;
  databasePoolMax: number;
  redisHost: pulumi.Input<string>;
  redisPort: number;
  /** Entra auth to Managed Redis: the username is the workload identity's object id. */
  redisUsername: pulumi.Input<string>;
  keyVaultUrl: pulumi.Input<string>;
  otlpEndpoint: pulumi.Input<string>;
  /** Browser origins allowed (CORS and Origin validation); none by default. */
  allowedOrigins: readonly string[];
  drainSeconds: number;
}

export interface EnvVar {
  name: string;
  value: pulumi.Input<string>;
}

/**
 * The container's environment: every name from the contract, no secret among the values (passwords are files in the
 * CSI mount, and with Entra auth no password exists at all).
 */
export function buildServiceEnvironment(args: ServiceEnvironmentArgs): EnvVar[] {
  const auth = args.authorization;
  const join = (values: pulumi.Input<string>[]) => pulumi.all(values).apply((list) => list.join(','));
  const env: EnvVar[] = [
    { name: ENV.port, value: String(PORTS.http) },
    { name: ENV.host, value: '0.0.0.0' },
    { name: ENV.metricsPort, value: String(PORTS.metrics) },
    { name: ENV.resourceUrl, value: auth.resourceUrl },
    { name: ENV.issuers, value: join(auth.issuers) },
    { name: ENV.requiredTokenType, value: auth.requiredTokenType },
    { name: ENV.claimUser, value: auth.userClaims },
    {
      name: ENV.databaseUrl,
      value: pulumi.interpolate`postgres://${args.databaseLogin.user}@${args.postgresHost}:5432/${DATABASE.name}?sslmode=verify-full`,
    },
    { name: ENV.databaseAuth, value: args.databaseLogin.kind },
    { name: ENV.databasePoolMax, value: String(args.databasePoolMax) },
    { name: ENV.redisUrl, value: pulumi.interpolate`rediss://${args.redisHost}:${args.redisPort}` },
    { name: ENV.redisAuth, value: 'entra' },
    { name: ENV.redisUsername, value: args.redisUsername },
    { name: ENV.secretsDir, value: SECRETS_MOUNT_PATH },
    { name: ENV.keyVaultUrl, value: args.keyVaultUrl },
    { name: ENV.otlpEndpoint, value: args.otlpEndpoint },
    { name: ENV.logLevel, value: 'info' },
    // One proxy hop: Kong. The client address Kong saw is the one rate limits and audit record.
    { name: ENV.trustProxy, value: '1' },
    { name: ENV.drainSeconds, value: String(args.drainSeconds) },
    { name: ENV.nodeOptions, value: SERVICE_NODE_OPTIONS },
  ];
  if (args.allowedOrigins.length > 0) env.push({ name: ENV.allowedOrigins, value: args.allowedOrigins.join(',') });
  if (auth.jwksUrl) env.push({ name: ENV.jwksUrl, value: auth.jwksUrl });
  if (auth.additionalAudiences.length > 0) {
    env.push({ name: ENV.additionalAudiences, value: join(auth.additionalAudiences) });
  }
  return env;
}
