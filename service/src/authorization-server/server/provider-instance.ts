import type { IncomingMessage } from 'node:http';
import Provider, { type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import type pg from 'pg';
import { MCP_SCOPES } from '../../contract.js';
import type { AuthorizationAudit } from '../audit/authorization-audit.js';
import { auditProviderEvents } from '../audit/provider-audit.js';
import { isRedirectUriRegistered } from '../client-metadata/redirect-uri.js';
import type { ClientMetadataResolver } from '../client-metadata/resolve-client-metadata.js';
import { CONSENT_HEADERS } from '../consent/consent-headers.js';
import { renderConsentMessagePage } from '../consent/consent-page.js';
import { type AuthorizationServerMetrics, countProviderErrors } from '../observability/authorization-server-metrics.js';
import { providerConfiguration } from '../provider/provider-configuration.js';
import type { LoadedSigningKeys } from '../signing-keys/load-signing-keys.js';
import type { AccountStore } from '../storage/account-store.js';
import type { RevokedGrants } from '../storage/revoked-grants.js';

export interface ProviderInstanceInput {
  issuer: string;
  resource: string;
  pool: pg.Pool;
  accounts: AccountStore;
  clientMetadata: ClientMetadataResolver;
  cookieKeys: string[];
  preRegisteredClients: ClientMetadata[];
  dynamicRegistration: boolean;
  /** Behind the gateway: X-Forwarded-Proto says the request came over https. */
  trustProxy: boolean;
  audit: AuthorizationAudit;
  revokedGrants: RevokedGrants;
  correlationIdOf: (request: IncomingMessage) => string;
  metrics: AuthorizationServerMetrics;
}

/** One oidc-provider for one selection of signing keys; rebuilt, not changed, when the selection changes. */
export function createProviderInstance(input: ProviderInstanceInput, keys: LoadedSigningKeys): Provider {
  const provider = new Provider(
    input.issuer,
    providerConfiguration({
      resource: input.resource,
      pool: input.pool,
      accounts: input.accounts,
      clientMetadata: input.clientMetadata,
      revokedGrants: input.revokedGrants,
      signingJwks: keys.providerJwks,
      signingAlgorithm: keys.signing.alg,
      cookieKeys: input.cookieKeys,
      preRegisteredClients: input.preRegisteredClients,
      dynamicRegistration: input.dynamicRegistration,
      async renderError(ctx, out) {
        ctx.status = Math.max(ctx.status, 400);
        for (const [name, value] of Object.entries(CONSENT_HEADERS)) ctx.set(name, value);
        ctx.body = renderConsentMessagePage(
          'Sign-in failed',
          `${String(out.error)}: ${String(out.error_description ?? 'no description')}`,
        );
      },
    }),
  );
  provider.proxy = input.trustProxy;
  // Every response of oidc-provider's refuses framing, including the pages it renders itself (response_mode=form_post,
  // which carries the code). The empty script-src is where oidc-provider adds the hash of its one inline script.
  provider.use(async (ctx, next) => {
    ctx.set('x-frame-options', 'DENY');
    ctx.set('content-security-policy', "default-src 'none'; script-src; frame-ancestors 'none'; base-uri 'none'");
    await next();
  });
  // The metadata's scopes_supported: oidc-provider lists its OpenID scopes only (ours belong to the resource, see
  // getResourceServerInfo), and its discovery options cannot replace a member it computes.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'discovery' && typeof ctx.body === 'object' && ctx.body !== null) {
      (ctx.body as Record<string, unknown>).scopes_supported = [
        ...Object.values(MCP_SCOPES),
        'openid',
        'offline_access',
      ];
    }
  });
  // One redirect rule for every client (client-metadata/redirect-uri.ts): exact match, and any port for an http
  // loopback redirect (RFC 8252 §7.3) whatever the client's application_type.
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(this: { redirectUris?: string[] }, uri) {
    return isRedirectUriRegistered(uri, this.redirectUris ?? []);
  };
  auditProviderEvents(provider, input.audit, input.revokedGrants, (ctx: KoaContextWithOIDC) =>
    input.correlationIdOf(ctx.req),
  );
  countProviderErrors(provider, input.metrics);
  return provider;
}
