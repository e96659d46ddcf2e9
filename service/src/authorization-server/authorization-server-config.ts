import type { ClientMetadata } from 'oidc-provider';
import { z } from 'zod';
import { ConfigError, loadConfig, type ServiceConfig } from '../config.js';
import { AUTHORIZATION_SERVER, ENV } from '../contract.js';
import { parseUpstreamSettings, type UpstreamSettings } from './upstream/upstream-sign-in.js';

const { env: AS_ENV } = AUTHORIZATION_SERVER;

export interface AuthorizationServerConfig {
  /** What it shares with the MCP server: listener, log level, proxy trust, resource URL, database, secrets. */
  common: ServiceConfig;
  issuer: string;
  upstream: UpstreamSettings;
  preRegisteredClients: ClientMetadata[];
  dynamicRegistration: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const preRegisteredClient = z
  .object({
    client_id: z.string().min(1).max(255),
    redirect_uris: z.array(z.string().min(1)).min(1),
  })
  .passthrough()
  .refine(
    (client) => !('client_secret' in client),
    'pre-registered clients are public or use private_key_jwt: no client_secret',
  );

function parseJson(name: string, value: string | undefined, fallback: unknown, problems: string[]): unknown {
  if (value === undefined || value.trim() === '') return fallback;
  try {
    return JSON.parse(value);
  } catch {
    problems.push(`${name}: must be JSON`);
    return fallback;
  }
}

/**
 * The authorization server's settings. The ones it shares with the MCP server are read by the service's own loader
 * (so both validate them alike); its issuer stands in for OAUTH_ISSUERS there, which it does not otherwise need.
 */
export function loadAuthorizationServerConfig(env: NodeJS.ProcessEnv): AuthorizationServerConfig {
  const problems: string[] = [];
  const issuer = env[AS_ENV.issuer];
  if (issuer === undefined || !URL.canParse(issuer)) {
    problems.push(`${AS_ENV.issuer}: must be this server's public origin, e.g. https://mcp.example.com`);
  } else {
    const url = new URL(issuer);
    if (url.origin !== issuer) problems.push(`${AS_ENV.issuer}: must be an origin (no path, no trailing slash)`);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.host.replace(/:\d+$/, '')))) {
      problems.push(`${AS_ENV.issuer}: must use https`);
    }
  }
  let common: ServiceConfig | undefined;
  try {
    common = loadConfig({ ...env, [ENV.issuers]: issuer ?? '' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.filter((problem) => !problem.startsWith(ENV.issuers)));
  }
  let upstream: UpstreamSettings | undefined;
  const upstreamJson = parseJson(AS_ENV.upstream, env[AS_ENV.upstream], undefined, problems);
  if (upstreamJson === undefined) {
    problems.push(`${AS_ENV.upstream}: required, JSON { issuer, clientId, clientAuthentication, identity }`);
  } else {
    try {
      upstream = parseUpstreamSettings(upstreamJson);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((problem) => `${AS_ENV.upstream}: ${problem}`));
    }
  }
  const clients = z.array(preRegisteredClient).safeParse(parseJson(AS_ENV.clients, env[AS_ENV.clients], [], problems));
  if (!clients.success) {
    problems.push(
      ...clients.error.issues.map((issue) => `${AS_ENV.clients}[${issue.path.join('.')}]: ${issue.message}`),
    );
  }
  const registration = env[AS_ENV.dynamicRegistration] ?? 'false';
  if (registration !== 'true' && registration !== 'false') {
    problems.push(`${AS_ENV.dynamicRegistration}: must be true or false`);
  }
  if (problems.length > 0 || common === undefined || upstream === undefined || !clients.success) {
    throw new ConfigError(problems);
  }
  return {
    common,
    issuer: issuer as string,
    upstream,
    preRegisteredClients: clients.data as ClientMetadata[],
    dynamicRegistration: registration === 'true',
  };
}
