import { readFile } from 'node:fs/promises';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { ConfigError } from '../../config.js';
import {
  type MappedIdentity,
  mapUpstreamIdentity,
  parseUpstreamIdentityConfig,
  type UpstreamIdentityConfig,
} from './identity-mapping.js';

/**
 * The upstream OpenID provider users sign in at (Entra ID in Azure, the local provider in development), as configured
 * by AUTHORIZATION_SERVER_UPSTREAM.
 */
const upstreamSchema = z
  .object({
    /** Where discovery starts (`/.well-known/openid-configuration` below it); the ID token's `iss` must equal it. */
    issuer: z.url({ error: 'must be an absolute URL' }),
    clientId: z.string().min(1).max(255),
    /**
     * `workload-identity`: the pod's Kubernetes service account token (AZURE_FEDERATED_TOKEN_FILE) is the client
     * assertion, trusted by the app registration's federated credential, so no client secret exists anywhere.
     * `none`: a public client (local development).
     */
    clientAuthentication: z.enum(['workload-identity', 'none']),
    identity: z.unknown(),
  })
  .strict();

export interface UpstreamSettings {
  issuer: string;
  clientId: string;
  clientAuthentication: 'workload-identity' | 'none';
  identity: UpstreamIdentityConfig;
}

export function parseUpstreamSettings(input: unknown): UpstreamSettings {
  const parsed = upstreamSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `upstream${issue.path.map((part) => `.${String(part)}`).join('')}: ${issue.message}`,
      ),
    );
  }
  const identity = parseUpstreamIdentityConfig(parsed.data.identity);
  if (identity.issuer !== parsed.data.issuer && !identity.issuer.includes('{tenantid}')) {
    throw new ConfigError(['upstream.identity.issuer: must equal upstream.issuer']);
  }
  return { ...parsed.data, identity };
}

/** What must survive the round trip to the upstream provider, kept server-side under the `state` value. */
export interface PendingUpstreamSignIn {
  interactionId: string;
  codeVerifier: string;
  nonce: string;
}

export interface UpstreamSignIn {
  readonly issuer: string;
  /** The upstream authorization URL for one sign-in, and what to keep for its callback. */
  begin(
    interactionId: string,
    options?: { forceLogin?: boolean },
  ): Promise<{ url: URL; state: string; pending: PendingUpstreamSignIn }>;
  /** Exchanges the callback's code (PKCE, state, nonce, ID token checked by openid-client) and maps the identity. */
  complete(callbackUrl: URL, state: string, pending: PendingUpstreamSignIn): Promise<MappedIdentity>;
}

export interface UpstreamSignInOptions {
  settings: UpstreamSettings;
  /** Our callback: `<issuer>/oauth/callback`, registered at the upstream provider. */
  redirectUri: string;
  /** Development: the local provider speaks http on loopback. */
  allowInsecureRequests?: boolean;
  /** Where the projected service account token is (default AZURE_FEDERATED_TOKEN_FILE). */
  federatedTokenFile?: string;
}

const UPSTREAM_SCOPES = 'openid profile';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Federated sign-in with openid-client (authorization code, PKCE S256, state, nonce). Discovery happens on the first
 * sign-in and is retried on the next if it failed, so the server starts even while the upstream is unreachable.
 */
export function createUpstreamSignIn(options: UpstreamSignInOptions): UpstreamSignIn {
  const { settings } = options;
  let configuration: Promise<oidc.Configuration> | undefined;

  const clientAuthentication = (): oidc.ClientAuth => {
    if (settings.clientAuthentication === 'none') return oidc.None();
    const file = options.federatedTokenFile ?? process.env.AZURE_FEDERATED_TOKEN_FILE;
    if (!file)
      throw new ConfigError(['upstream.clientAuthentication: workload-identity needs AZURE_FEDERATED_TOKEN_FILE']);
    // Read at each exchange: the kubelet rotates the projected token.
    return async (_as, client, body) => {
      body.set('client_id', client.client_id);
      body.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
      body.set('client_assertion', (await readFile(file, 'utf8')).trim());
    };
  };

  const configured = () => {
    configuration ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        { redirect_uris: [options.redirectUri], response_types: ['code'] },
        clientAuthentication(),
        options.allowInsecureRequests ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  };

  return {
    issuer: settings.issuer,
    async begin(interactionId, beginOptions = {}) {
      const config = await configured();
      const pending = { interactionId, codeVerifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() };
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: UPSTREAM_SCOPES,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce: pending.nonce,
        ...(beginOptions.forceLogin && { prompt: 'login' }),
      });
      return { url, state, pending };
    },
    async complete(callbackUrl, state, pending) {
      const config = await configured();
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      return mapUpstreamIdentity(tokens.claims(), settings.identity);
    },
  };
}
