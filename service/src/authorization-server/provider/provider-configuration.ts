import type { Adapter, ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type pg from 'pg';
import { AUTHORIZATION_SERVER, MCP_SCOPES } from '../../contract.js';
import type { ClientMetadataResolver } from '../client-metadata/resolve-client-metadata.js';
import type { PublicJwk } from '../signing-keys/public-jwk.js';
import type { AccountStore } from '../storage/account-store.js';
import { PostgresAdapter } from '../storage/postgres-adapter.js';
import type { RevokedGrants } from '../storage/revoked-grants.js';
import { clientForClientIdUrl, looksLikeClientIdUrl } from './client-metadata-clients.js';
import { refreshTokenLifetime, TOKEN_LIFETIMES } from './token-lifetimes.js';

const { paths } = AUTHORIZATION_SERVER;
const OUR_SCOPES = Object.values(MCP_SCOPES);

export interface ProviderConfigurationInput {
  /** The MCP server's resource URL: the only `resource` (RFC 8707) tokens are issued for, and their `aud`. */
  resource: string;
  pool: pg.Pool;
  accounts: AccountStore;
  clientMetadata: ClientMetadataResolver;
  revokedGrants: RevokedGrants;
  /** The private JWKs that may sign now, the signing key first (signing-keys/load-signing-keys.ts). */
  signingJwks: { keys: PublicJwk[] };
  /** The algorithm of the signing key: access tokens are signed with it. */
  signingAlgorithm: 'ES256' | 'PS256';
  /** Cookie signing keys, newest first. */
  cookieKeys: string[];
  preRegisteredClients: ClientMetadata[];
  dynamicRegistration: boolean;
  renderError: NonNullable<Configuration['renderError']>;
}

/** The Client model: URL client ids are Client ID Metadata Documents, the rest are stored (dynamic registration). */
class ClientAdapter extends PostgresAdapter {
  constructor(
    pool: pg.Pool,
    private readonly resolver: ClientMetadataResolver,
  ) {
    super(pool, 'Client');
  }

  override async find(id: string) {
    if (looksLikeClientIdUrl(id)) return clientForClientIdUrl(this.resolver, id);
    return super.find(id);
  }
}

/**
 * oidc-provider's configuration for the MCP authorization server: authorization code with PKCE S256 only, public and
 * private_key_jwt clients, access tokens for exactly one resource as RFC 9068 JWTs, refresh tokens rotated on every use
 * (a reused one revokes its grant), revocation, and our interaction (upstream sign-in, consent) instead of the
 * built-in pages.
 */
export function providerConfiguration(input: ProviderConfigurationInput): Configuration {
  const { resource } = input;
  return {
    adapter: (name: string): Adapter =>
      name === 'Client'
        ? new ClientAdapter(input.pool, input.clientMetadata)
        : new PostgresAdapter(input.pool, name, input.revokedGrants),
    clients: input.preRegisteredClients,
    clientAuthMethods: ['none', 'private_key_jwt'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: input.signingAlgorithm,
    },
    // A browser-based client may call the token endpoint from the origin of one of its redirect URIs, nothing else.
    clientBasedCORS: (_ctx, origin, client) =>
      origin !== 'null' && (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    cookies: {
      keys: input.cookieKeys,
      // Our own names: cookies ignore ports, so on one host (development: the upstream provider on another port of
      // 127.0.0.1) oidc-provider's default names would overwrite each other.
      names: { session: 'mcp_as_session', interaction: 'mcp_as_interaction', resume: 'mcp_as_resume' },
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    discovery: { client_id_metadata_document_supported: true },
    enabledJWA: {
      clientAuthSigningAlgValues: ['ES256', 'PS256', 'EdDSA'],
      idTokenSigningAlgValues: [input.signingAlgorithm],
    },
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const account = await input.accounts.find(token.accountId);
      if (account === undefined) throw new errors.InvalidGrant('the account of this grant is unknown');
      // The claims the resource server reads (auth/claim-mapping.ts): tenant_id and roles; sub is the user id.
      return { tenant_id: account.tenantId, roles: account.roles };
    },
    features: {
      // Sign-in and consent are ours (interactions/), never oidc-provider's built-in pages.
      devInteractions: { enabled: false },
      // Open registration (RFC 7591) when switched on: MCP clients register without an initial access token.
      registration: { enabled: input.dynamicRegistration, initialAccessToken: false },
      resourceIndicators: {
        enabled: true,
        // The MCP spec makes clients send `resource`; one that does not gets this server's anyway.
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) {
            throw new errors.InvalidTarget(`this authorization server issues tokens for ${resource} only`);
          }
          return {
            scope: OUR_SCOPES.join(' '),
            audience: resource,
            accessTokenTTL: TOKEN_LIFETIMES.accessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: input.signingAlgorithm } },
          };
        },
      },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
    },
    async findAccount(_ctx, accountId) {
      const account = await input.accounts.find(accountId);
      if (account === undefined) return undefined;
      return { accountId, claims: () => ({ sub: accountId }) };
    },
    // Refresh tokens for every client allowed the grant type, without offline_access (MCP clients do not ask it).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // A refresh token outlives the browser session: signing out of this server does not end a client's access.
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    interactions: { url: (_ctx, interaction) => `${paths.interaction}/${interaction.uid}` },
    jwks: input.signingJwks as Configuration['jwks'],
    pkce: { required: () => true },
    responseTypes: ['code'],
    routes: {
      authorization: paths.authorize,
      token: paths.token,
      revocation: paths.revocation,
      jwks: paths.jwks,
      registration: paths.registration,
    },
    // OpenID scopes only: ours are the resource's (getResourceServerInfo), or oidc-provider would treat them as both.
    scopes: ['openid', 'offline_access'],
    ttl: {
      AccessToken: TOKEN_LIFETIMES.accessToken,
      AuthorizationCode: TOKEN_LIFETIMES.authorizationCode,
      Interaction: TOKEN_LIFETIMES.interaction,
      Session: TOKEN_LIFETIMES.session,
      Grant: TOKEN_LIFETIMES.grant,
      RefreshToken: (_ctx: KoaContextWithOIDC, token: { iiat?: number }) =>
        refreshTokenLifetime(token.iiat, Math.floor(Date.now() / 1_000)),
    },
    renderError: input.renderError,
  };
}
