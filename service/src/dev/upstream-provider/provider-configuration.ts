import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { htmlHeaders } from './response-headers.js';
import { renderProblemPage } from './sign-in-page.js';
import { DEV_UPSTREAM_TENANT_CLAIM, devUpstreamClaims, findDevUpstreamUser } from './upstream-users.js';

/** The authorization server's client id at this provider: its only client. */
export const DEV_UPSTREAM_CLIENT_ID = 'mcp-authorization-server';
export const DEV_UPSTREAM_SCOPES = ['openid', 'profile'] as const;

export interface ProviderConfigurationInput {
  signingKey: JWK;
  redirectUris: readonly string[];
}

/** oidc-provider's configuration: one public PKCE client, the sample users, ES256 ID tokens, our own interaction. */
export function providerConfiguration({ signingKey, redirectUris }: ProviderConfigurationInput): Configuration {
  const formActionSources = new Set(redirectUris.map((uri) => new URL(uri).origin));
  return {
    clients: [
      {
        client_id: DEV_UPSTREAM_CLIENT_ID,
        client_name: 'MCP authorization server',
        // A public client: the authorization server in development has no secret to keep; PKCE protects the code.
        token_endpoint_auth_method: 'none',
        redirect_uris: [...redirectUris],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey] },
    // Only S256 exists in oidc-provider 9 (plain is refused), and every request must carry a challenge.
    pkce: { required: () => true },
    responseTypes: ['code'],
    scopes: [...DEV_UPSTREAM_SCOPES],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', DEV_UPSTREAM_TENANT_CLAIM, 'roles'] },
    // Put the profile claims in the ID token, as Entra does, instead of only at the userinfo endpoint: the identity
    // mapping reads the ID token.
    conformIdTokenClaims: false,
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    // Signs the interaction and session cookies; a new secret per start only ends sign-ins in progress.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: { devInteractions: { enabled: false } },
    // Short, as for a real upstream: the code is exchanged at once, the ID token read once; the session lets a
    // developer sign in again without the form for a working day.
    ttl: {
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      IdToken: 10 * 60,
      AccessToken: 10 * 60,
      Grant: 8 * 60 * 60,
      Session: 8 * 60 * 60,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const user = findDevUpstreamUser(sub);
      if (user === undefined) return undefined;
      return { accountId: user.sub, claims: () => devUpstreamClaims(user) };
    },
    // The only client is our own authorization server: consent is granted without asking.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, provider } = ctx.oidc;
      if (client === undefined || session?.accountId === undefined) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing !== undefined) {
        const grant = await provider.Grant.find(existing);
        if (grant !== undefined) return grant;
      }
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(DEV_UPSTREAM_SCOPES.join(' '));
      await grant.save();
      return grant;
    },
    // oidc-provider's default error page is fine, but ours carries the CSP and no details beyond the OAuth error.
    async renderError(ctx, out) {
      for (const [name, value] of Object.entries(htmlHeaders(formActionSources))) ctx.set(name, value);
      ctx.type = 'html';
      ctx.body = renderProblemPage('Sign-in failed', `${out.error}: ${out.error_description ?? 'no description'}`);
    },
  };
}
