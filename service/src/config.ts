import { z } from 'zod';
import { ASYMMETRIC_JWS_ALGORITHMS } from './auth/token-verifier.js';
import { ENV, MCP_SCOPES, PORTS, SECRETS_MOUNT_PATH } from './contract.js';
import { DEFAULT_BATCH_CONCURRENCY } from './http/batch-call-slots.js';
import { DEFAULT_REDIS_BREAKER_OPEN_MS, type RateLimitTier } from './security/rate-limiter.js';
import { DEFAULT_REDIS_COMMAND_TIMEOUT_MS } from './security/redis-client.js';

/** Everything the service needs to run, validated once at start. */
export interface ServiceConfig {
  port: number;
  host: string;
  metricsPort: number;
  /** The metrics listener's own bind address: not HOST, so the service port can be narrowed without hiding metrics. */
  metricsHost: string;
  logLevel: string;
  /** true, false, a list of trusted proxy addresses/CIDRs, or a hop-count predicate. */
  trustProxy: boolean | string[] | ((address: string, hop: number) => boolean);
  resourceUrl: string;
  auth: {
    issuers: string[];
    additionalAudiences: string[];
    jwksUrl?: string;
    algorithms: string[];
    requiredTyp?: string;
    clockToleranceSeconds: number;
    scopeMap: Record<string, string>;
    claims: { scopes: string[]; roles: string[]; tenant: string[]; user: string[]; client: string[] };
    /** Keys are refetched after cacheMaxAgeMs; while the issuer is unreachable they serve until maxStaleMs old. */
    keySets: { cacheMaxAgeMs: number; maxStaleMs: number };
  };
  allowedOrigins: string[];
  allowedHosts: string[];
  /**
   * auth 'entra': the password is an Entra token of the workload identity (password auth off, as in prod); auth
   * 'password': the secret postgres-app-password, from the secrets provider (or the URL's password when no source has it).
   */
  database: {
    url: string;
    auth: 'password' | 'entra';
    poolMax: number;
    /** At most this many pooled connections per tenant at once; default half the pool, rounded up. */
    tenantMaxConnections: number;
    migrationUrl?: string;
  };
  /** auth 'entra': user = the workload identity's object id, password = its Entra token (access keys off). */
  redis?: {
    url: string;
    auth: 'password' | 'entra';
    username?: string;
    /** A rate-limit command unanswered this long falls back to local counters (a hung Redis keeps its socket). */
    commandTimeoutMs: number;
    /** After consecutive failures, rate limits skip Redis this long before probing it with one command. */
    breakerOpenMs: number;
  };
  rateLimit: { perUser: RateLimitTier; perTenant: RateLimitTier };
  secretsDir: string;
  keyVaultUrl?: string;
  /** Where passwords come from, first match wins: files under secretsDir, Key Vault (keyVaultUrl), env (fromEnv). */
  secrets: { cacheTtlMs: number; maxStaleMs: number; fromEnv: boolean };
  otlpEndpoint?: string;
  drainSeconds: number;
  /** How many calls of one JSON-RPC batch run at once; the rest of the batch waits its turn. */
  batchConcurrency: number;
}

/** Thrown when the environment is wrong; lists every problem at once so one restart fixes them all. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const isLoopbackUrl = (url: URL): boolean => LOOPBACK_HOSTS.has(url.hostname);

/** An http(s) URL; plain http only on loopback, because tokens and data travel over it. */
const secureUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a URL` });
    return;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url))) {
    ctx.addIssue({ code: 'custom', message: `"${value}" must use https (plain http is allowed on loopback only)` });
  }
  if (url.hash) ctx.addIssue({ code: 'custom', message: `"${value}" must not have a fragment` });
});

/** "120/60": so many requests per so many seconds. */
const rateLimitTier = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx): RateLimitTier => {
      const match = /^(\d+)\s*\/\s*(\d+)$/.exec(value.trim());
      const points = Number(match?.[1]);
      const durationSeconds = Number(match?.[2]);
      if (!match || points < 1 || durationSeconds < 1 || durationSeconds > 86_400) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not of the form <requests>/<seconds>, e.g. 120/60` });
        return z.NEVER;
      }
      return { points, durationSeconds };
    });

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Whole milliseconds within [min, max], named in the error so the fix is obvious. */
const milliseconds = (fallback: number, min: number, max: number) =>
  z.coerce
    .number()
    // A refinement, not .int(): zod reports a non-integer as invalid_type, which reads as "not set" below.
    .refine((value) => Number.isInteger(value) && value >= min && value <= max, {
      message: `must be a whole number of milliseconds between ${min} and ${max}`,
    })
    .default(fallback);

const keyValueMap = z.string().transform((value, ctx) => {
  const map: Record<string, string> = {};
  for (const pair of list(value)) {
    const [from, to, ...rest] = pair.split('=').map((part) => part.trim());
    if (!from || !to || rest.length > 0) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not of the form issuerScope=ourScope` });
      continue;
    }
    map[from] = to;
  }
  return map;
});

const envSchema = z.object({
  [ENV.port]: port(PORTS.http),
  [ENV.host]: z.string().min(1).default('0.0.0.0'),
  [ENV.metricsPort]: port(PORTS.metrics),
  // All interfaces by default: Prometheus scrapes the pod IP (the NetworkPolicy admits only the monitoring namespace).
  [ENV.metricsHost]: z.string().min(1).default('0.0.0.0'),
  [ENV.logLevel]: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  [ENV.trustProxy]: z.string().default('1'),
  [ENV.resourceUrl]: secureUrl,
  [ENV.issuers]: z.string().transform(list).pipe(z.array(secureUrl).min(1, 'at least one issuer is required')),
  [ENV.additionalAudiences]: z.string().default('').transform(list),
  [ENV.jwksUrl]: secureUrl.optional(),
  [ENV.algorithms]: z
    .string()
    .default('RS256,PS256,ES256')
    .transform(list)
    .pipe(z.array(z.enum(ASYMMETRIC_JWS_ALGORITHMS, 'only asymmetric JWS algorithms are allowed')).min(1)),
  [ENV.requiredTokenType]: z.string().default('at+jwt'),
  [ENV.scopeMap]: keyValueMap.default({}),
  [ENV.claimScopes]: z.string().default('scope,scp').transform(list),
  [ENV.claimRoles]: z.string().default('roles').transform(list),
  [ENV.claimTenant]: z.string().default('tenant_id,tid').transform(list),
  [ENV.claimUser]: z.string().default('sub').transform(list),
  [ENV.clockToleranceSeconds]: z.coerce.number().int().min(0).max(300).default(30),
  [ENV.jwksCacheMaxAgeSeconds]: z.coerce
    .number()
    .positive('must be a number of seconds above 0')
    .max(86_400, 'must be at most 86400 seconds (1 day)')
    .default(600),
  [ENV.jwksMaxStaleSeconds]: z.coerce
    .number()
    .positive('must be a number of seconds above 0')
    .max(604_800, 'must be at most 604800 seconds (7 days)')
    .default(86_400),
  [ENV.allowedOrigins]: z
    .string()
    .default('')
    .transform(list)
    .pipe(
      z.array(secureUrl.refine((value) => new URL(value).origin === value, 'must be an origin (scheme://host[:port])')),
    ),
  [ENV.allowedHosts]: z.string().default('').transform(list),
  [ENV.databaseUrl]: z.string().refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// URL'),
  [ENV.databaseMigrationUrl]: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// URL')
    .optional(),
  [ENV.databasePoolMax]: z.coerce.number().int().min(1).max(100).default(10),
  [ENV.databaseTenantMaxConnections]: z.coerce
    .number()
    .int('must be a whole number of connections, at least 1')
    .min(1, 'must be a whole number of connections, at least 1')
    .optional(),
  [ENV.databaseAuth]: z.enum(['password', 'entra']).default('password'),
  [ENV.redisUrl]: z
    .string()
    .refine((value) => /^rediss?:\/\//.test(value), 'must be a redis:// or rediss:// URL')
    .optional(),
  [ENV.redisAuth]: z.enum(['password', 'entra']).default('password'),
  [ENV.redisUsername]: z.string().min(1).optional(),
  [ENV.redisCommandTimeoutMs]: milliseconds(DEFAULT_REDIS_COMMAND_TIMEOUT_MS, 10, 10_000),
  [ENV.redisBreakerOpenMs]: milliseconds(DEFAULT_REDIS_BREAKER_OPEN_MS, 100, 60_000),
  [ENV.rateLimitUser]: rateLimitTier('120/60'),
  [ENV.rateLimitTenant]: rateLimitTier('1200/60'),
  [ENV.secretsDir]: z.string().default(SECRETS_MOUNT_PATH),
  [ENV.keyVaultUrl]: secureUrl.optional(),
  [ENV.keyVaultCacheTtlSeconds]: z.coerce
    .number()
    .positive('must be a number of seconds above 0')
    .max(86_400, 'must be at most 86400 seconds (1 day)')
    .default(300),
  [ENV.keyVaultMaxStaleSeconds]: z.coerce
    .number()
    .positive('must be a number of seconds above 0')
    .max(604_800, 'must be at most 604800 seconds (7 days)')
    .default(3_600),
  [ENV.secretsFromEnv]: z.enum(['true', 'false'], 'must be true or false').default('false'),
  [ENV.otlpEndpoint]: z.string().url().optional(),
  [ENV.drainSeconds]: z.coerce.number().min(0).max(120).default(5),
  [ENV.batchConcurrency]: z.coerce
    .number({ error: 'must be a whole number of calls between 1 and 100' })
    .int('must be a whole number of calls between 1 and 100')
    .min(1, 'must be a whole number of calls between 1 and 100')
    .max(100, 'must be a whole number of calls between 1 and 100 (a batch has at most 100)')
    .default(DEFAULT_BATCH_CONCURRENCY),
});

function parseTrustProxy(value: string): ServiceConfig['trustProxy'] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    // A hop count: trust the n proxies nearest to us (Kong is one), never what the client itself claims.
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return list(value);
}

/**
 * Validates the environment once. Unknown variables are ignored; every wrong or missing one is
 * reported together in a ConfigError.
 */
export function loadConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const blankToUndefined = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        // zod leaves issue.input out of its issues: whether the variable is set is read from the environment itself.
        const missing = issue.code === 'invalid_type' && blankToUndefined[name] === undefined;
        return `${name}: ${missing ? 'is required but not set' : issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const resource = new URL(e[ENV.resourceUrl]);
  const problems: string[] = [];
  for (const scope of Object.values(e[ENV.scopeMap])) {
    if (!Object.values(MCP_SCOPES).includes(scope as never)) {
      problems.push(`${ENV.scopeMap}: "${scope}" is not one of ${Object.values(MCP_SCOPES).join(', ')}`);
    }
  }
  const redisUrl = e[ENV.redisUrl];
  const redisAuth = e[ENV.redisAuth];
  if (redisUrl && redisAuth === 'entra' && !e[ENV.redisUsername]) {
    problems.push(`${ENV.redisUsername}: is required with ${ENV.redisAuth}=entra (the workload identity's object id)`);
  }
  if (e[ENV.keyVaultMaxStaleSeconds] < e[ENV.keyVaultCacheTtlSeconds]) {
    problems.push(
      `${ENV.keyVaultMaxStaleSeconds}: must be at least ${ENV.keyVaultCacheTtlSeconds} (${e[ENV.keyVaultCacheTtlSeconds]}); set them equal to serve no stale secrets`,
    );
  }
  if (e[ENV.jwksMaxStaleSeconds] < e[ENV.jwksCacheMaxAgeSeconds]) {
    problems.push(
      `${ENV.jwksMaxStaleSeconds}: must be at least ${ENV.jwksCacheMaxAgeSeconds} (${e[ENV.jwksCacheMaxAgeSeconds]}); set them equal to serve no stale keys`,
    );
  }
  const poolMax = e[ENV.databasePoolMax];
  const tenantMaxConnections = e[ENV.databaseTenantMaxConnections] ?? Math.ceil(poolMax / 2);
  if (tenantMaxConnections > poolMax) {
    problems.push(
      `${ENV.databaseTenantMaxConnections}: must be at most ${ENV.databasePoolMax} (${poolMax}); a tenant's share is part of the pool`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const requiredTyp = e[ENV.requiredTokenType];
  const allowedHosts = e[ENV.allowedHosts].length > 0 ? e[ENV.allowedHosts] : [resource.hostname];
  return {
    port: e[ENV.port],
    host: e[ENV.host],
    metricsPort: e[ENV.metricsPort],
    metricsHost: e[ENV.metricsHost],
    logLevel: e[ENV.logLevel],
    trustProxy: parseTrustProxy(e[ENV.trustProxy]),
    // Kept exactly as configured: the token audience must equal it character for character (RFC 8707).
    resourceUrl: e[ENV.resourceUrl],
    auth: {
      issuers: e[ENV.issuers],
      additionalAudiences: e[ENV.additionalAudiences],
      jwksUrl: e[ENV.jwksUrl],
      algorithms: e[ENV.algorithms],
      requiredTyp: requiredTyp === 'none' ? undefined : requiredTyp,
      clockToleranceSeconds: e[ENV.clockToleranceSeconds],
      scopeMap: e[ENV.scopeMap],
      claims: {
        scopes: e[ENV.claimScopes],
        roles: e[ENV.claimRoles],
        tenant: e[ENV.claimTenant],
        user: e[ENV.claimUser],
        client: ['client_id', 'azp', 'appid'],
      },
      keySets: {
        cacheMaxAgeMs: e[ENV.jwksCacheMaxAgeSeconds] * 1000,
        maxStaleMs: e[ENV.jwksMaxStaleSeconds] * 1000,
      },
    },
    allowedOrigins: e[ENV.allowedOrigins],
    allowedHosts,
    database: {
      url: e[ENV.databaseUrl],
      auth: e[ENV.databaseAuth],
      poolMax,
      tenantMaxConnections,
      migrationUrl: e[ENV.databaseMigrationUrl],
    },
    redis: redisUrl
      ? {
          url: redisUrl,
          auth: redisAuth,
          username: e[ENV.redisUsername],
          commandTimeoutMs: e[ENV.redisCommandTimeoutMs],
          breakerOpenMs: e[ENV.redisBreakerOpenMs],
        }
      : undefined,
    rateLimit: { perUser: e[ENV.rateLimitUser], perTenant: e[ENV.rateLimitTenant] },
    secretsDir: e[ENV.secretsDir],
    keyVaultUrl: e[ENV.keyVaultUrl],
    secrets: {
      cacheTtlMs: e[ENV.keyVaultCacheTtlSeconds] * 1000,
      maxStaleMs: e[ENV.keyVaultMaxStaleSeconds] * 1000,
      fromEnv: e[ENV.secretsFromEnv] === 'true',
    },
    otlpEndpoint: e[ENV.otlpEndpoint],
    drainSeconds: e[ENV.drainSeconds],
    batchConcurrency: e[ENV.batchConcurrency],
  };
}
