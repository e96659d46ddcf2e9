import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';
import type pg from 'pg';
import type { ServiceConfig } from '../../config.js';
import { AUTHORIZATION_SERVER } from '../../contract.js';
import { checkDatabase } from '../../data/health.js';
import { CORRELATION_HEADER, correlationIdFor } from '../../http/correlation-id.js';
import { healthRoutes, type Lifecycle } from '../../http/health-routes.js';
import { type LogDestination, loggerOptions } from '../../http/logger-options.js';
import { registerHttpMetrics } from '../../observability/http-metrics.js';
import type { SecretsProvider } from '../../secrets/secrets-provider.js';
import { createAuthorizationAudit } from '../audit/authorization-audit.js';
import {
  type ClientMetadataResolverOptions,
  createClientMetadataResolver,
} from '../client-metadata/resolve-client-metadata.js';
import { createConsentStore } from '../consent/consent-store.js';
import { createCsrfTokens } from '../consent/csrf-token.js';
import { interactionRoutes } from '../interactions/interaction-routes.js';
import { rememberedConsentsRoutes } from '../interactions/remembered-consents-routes.js';
import {
  type AuthorizationServerMetrics,
  countedAudit,
  createAuthorizationServerMetrics,
} from '../observability/authorization-server-metrics.js';
import { TOKEN_LIFETIMES } from '../provider/token-lifetimes.js';
import { loadCookieKeys } from '../signing-keys/cookie-keys.js';
import { loadSigningKeys } from '../signing-keys/load-signing-keys.js';
import { createAccountStore } from '../storage/account-store.js';
import { deleteExpiredRecords, EXPIRED_RECORD_SWEEP_MS, PostgresAdapter } from '../storage/postgres-adapter.js';
import { RevokedGrants } from '../storage/revoked-grants.js';
import { createUpstreamSignIn, type UpstreamSettings } from '../upstream/upstream-sign-in.js';
import { withDefaultScope } from './default-scope.js';
import { authorizationServerErrorHandler } from './error-page.js';
import { createProviderInstance } from './provider-instance.js';
import { SigningKeyRotation } from './signing-key-rotation.js';

const { paths } = AUTHORIZATION_SERVER;

export interface AuthorizationServerOptions {
  /** `development` allows http loopback client ids (client-metadata); only the dev entry point passes it. */
  mode: 'production' | 'development';
  /** This server's issuer: the public origin, e.g. https://mcp.example.com (no path, no trailing slash). */
  issuer: string;
  /** The MCP server's resource URL (token audience). */
  resource: string;
  pool: pg.Pool;
  secrets: SecretsProvider;
  upstream: UpstreamSettings;
  preRegisteredClients?: ClientMetadata[];
  dynamicRegistration?: boolean;
  /** As the MCP server's TRUST_PROXY (hops, addresses or a predicate): whose X-Forwarded-For names the client. */
  trustProxy?: ServiceConfig['trustProxy'];
  logLevel?: string;
  logDestination?: LogDestination;
  /** Tests: DNS lookup and CA for client metadata documents. */
  clientMetadata?: Partial<ClientMetadataResolverOptions>;
  /** Development: the local upstream provider speaks http. */
  upstreamAllowsHttp?: boolean;
  /** Default: a registry of its own (served on the metrics port by the entry point). */
  metrics?: AuthorizationServerMetrics;
}

export interface AuthorizationServerApp {
  app: FastifyInstance;
  lifecycle: Lifecycle;
  metrics: AuthorizationServerMetrics;
  /** The provider of the moment (tests). */
  provider(): Provider;
  close(): Promise<void>;
}

/**
 * The authorization server for MCP clients as a Fastify app: oidc-provider for the OAuth endpoints (under /oauth and
 * the metadata paths), our interaction (upstream sign-in, consent) beside it, the public JWKS with announced and
 * recently retired keys, and health and readiness.
 */
export async function buildAuthorizationServer(options: AuthorizationServerOptions): Promise<AuthorizationServerApp> {
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'info', options.logDestination),
    trustProxy: options.trustProxy ?? false,
    genReqId: correlationIdFor,
    requestIdHeader: false,
    requestTimeout: 60_000,
    routerOptions: { ignoreTrailingSlash: false },
  });
  // oidc-provider's events see the raw request only: the audit finds the request's correlation id through it.
  const correlationIds = new WeakMap<IncomingMessage, string>();
  const correlationIdOf = (request: IncomingMessage) => correlationIds.get(request) ?? correlationIdFor();
  app.addHook('onRequest', async (request, reply) => {
    reply.header(CORRELATION_HEADER, request.id);
    correlationIds.set(request.raw, request.id);
  });
  app.setErrorHandler(authorizationServerErrorHandler);
  const metrics = options.metrics ?? createAuthorizationServerMetrics();
  registerHttpMetrics(app, metrics);

  const cookieKeys = await loadCookieKeys(options.secrets);
  const accounts = createAccountStore(options.pool);
  const revokedGrants = new RevokedGrants();
  const audit = countedAudit(createAuthorizationAudit(options.pool, accounts, app.log), metrics);
  const clientMetadata = createClientMetadataResolver({ mode: options.mode, ...options.clientMetadata });
  const instanceInput = {
    issuer: options.issuer,
    resource: options.resource,
    pool: options.pool,
    accounts,
    clientMetadata,
    cookieKeys: cookieKeys.cookies,
    preRegisteredClients: options.preRegisteredClients ?? [],
    dynamicRegistration: options.dynamicRegistration ?? false,
    // oidc-provider (Koa) only knows yes or no: behind the gateway, its X-Forwarded-Proto says https.
    trustProxy: (options.trustProxy ?? false) !== false,
    audit,
    revokedGrants,
    correlationIdOf,
    metrics,
  };
  const rotation = await SigningKeyRotation.start({
    load: (now) => loadSigningKeys(options.secrets, now),
    build: (keys) => createProviderInstance(instanceInput, keys),
    log: app.log,
  });

  const lifecycle: Lifecycle = { draining: false };
  healthRoutes(app, {
    lifecycle,
    checks: [{ name: 'database', check: () => checkDatabase(options.pool).then(() => true) }],
  });

  // oidc-provider publishes only the keys it may sign with; verifiers need the announced and retired ones too.
  app.get(paths.jwks, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(rotation.current().keys.publicJwks),
  );

  const consents = createConsentStore(options.pool);
  const csrf = createCsrfTokens({ secret: cookieKeys.consentCsrf, lifetimeSeconds: TOKEN_LIFETIMES.interaction });
  await app.register(rememberedConsentsRoutes, {
    provider: () => rotation.current().provider,
    pool: options.pool,
    accounts,
    consents,
    csrf,
    audit,
  });
  await app.register(interactionRoutes, {
    provider: () => rotation.current().provider,
    issuer: options.issuer,
    resource: options.resource,
    upstream: createUpstreamSignIn({
      settings: options.upstream,
      redirectUri: `${options.issuer}${paths.upstreamCallback}`,
      allowInsecureRequests: options.upstreamAllowsHttp ?? false,
    }),
    pendingSignIns: new PostgresAdapter(options.pool, 'UpstreamSignIn'),
    accounts,
    consents,
    csrf,
    audit,
  });

  // Everything else of oidc-provider's, handed the raw request: it reads the body itself, so none is parsed here.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    // Koa composes its middleware in callback(): once per provider, not per request.
    const handlers = new WeakMap<Provider, ReturnType<Provider['callback']>>();
    const forward = (raw: IncomingMessage, response: ServerResponse) => {
      const { provider } = rotation.current();
      let handler = handlers.get(provider);
      if (handler === undefined) {
        handler = provider.callback();
        handlers.set(provider, handler);
      }
      void handler(raw, response);
    };
    scope.all(`${AUTHORIZATION_SERVER.prefix}/*`, async (request, reply) => {
      reply.hijack();
      if (request.method === 'GET' && request.raw.url) request.raw.url = withDefaultScope(request.raw.url);
      forward(request.raw, reply.raw);
    });
    scope.get(paths.openidConfiguration, async (request, reply) => {
      reply.hijack();
      forward(request.raw, reply.raw);
    });
    // RFC 8414 §3: the metadata MCP clients ask for first; the same document as OpenID discovery.
    scope.get(paths.metadata, async (request, reply) => {
      reply.hijack();
      request.raw.url = paths.openidConfiguration;
      forward(request.raw, reply.raw);
    });
  });

  const sweep = setInterval(() => {
    deleteExpiredRecords(options.pool).catch((error: unknown) =>
      app.log.warn({ err: error }, 'expired record sweep failed'),
    );
  }, EXPIRED_RECORD_SWEEP_MS);
  sweep.unref();

  return {
    app,
    lifecycle,
    metrics,
    provider: () => rotation.current().provider,
    async close() {
      clearInterval(sweep);
      rotation.stop();
      await app.close();
    },
  };
}
