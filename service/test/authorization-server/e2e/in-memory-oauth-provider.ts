import { randomBytes } from 'node:crypto';
import type {
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';

export interface InMemoryOAuthProviderOptions {
  /** The client id: the URL of the client's metadata document (CIMD). */
  clientId: string;
  redirectUri: string;
  clientName: string;
  /** Where `redirectToAuthorization` hands the authorization URL: the test's browser. */
  openBrowser(authorizationUrl: URL): void;
}

/**
 * What an MCP client application keeps for one user and server: the OAuth state the SDK asks for, in memory.
 *
 * The client id is given to the SDK as already-known client information rather than as `clientMetadataUrl`: the SDK
 * (2.4.0, `authInternal` in `@modelcontextprotocol/client/dist/public-*.mjs`, via `isHttpsUrl`) refuses a
 * `clientMetadataUrl` that is not https, with no exception for loopback, while our development authorization server
 * accepts http client ids on loopback only. Until one is saved, `clientInformation` answers exactly what the SDK's
 * CIMD branch would store, `{ client_id: clientMetadataUrl, issuer }` (when the server says
 * `client_id_metadata_document_supported`), so every request the SDK makes afterwards is the same.
 */
export class InMemoryOAuthProvider implements OAuthClientProvider {
  private client: StoredOAuthClientInformation | undefined;
  private stored: StoredOAuthTokens | undefined;
  private verifier: string | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  private lastState: string | undefined;
  /** Every token set the SDK saved, oldest first (to see a refresh rotate the refresh token). */
  readonly savedTokens: StoredOAuthTokens[] = [];

  constructor(private readonly options: InMemoryOAuthProviderOptions) {}

  get redirectUrl(): string {
    return this.options.redirectUri;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.clientName,
      redirect_uris: [this.options.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  /** The `state` sent with the latest authorization request; the SDK leaves checking it to the application. */
  get expectedState(): string | undefined {
    return this.lastState;
  }

  state(): string {
    this.lastState = randomBytes(16).toString('base64url');
    return this.lastState;
  }

  clientInformation(ctx?: OAuthClientInformationContext): StoredOAuthClientInformation | undefined {
    if (this.client !== undefined) return this.client;
    return ctx === undefined ? undefined : { client_id: this.options.clientId, issuer: ctx.issuer };
  }

  saveClientInformation(information: StoredOAuthClientInformation): void {
    this.client = information;
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.stored;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.stored = tokens;
    this.savedTokens.push(tokens);
  }

  /** Replaces the stored access token (keeping the refresh token), as an expired or revoked one would be. */
  spoilAccessToken(replacement: string): void {
    if (this.stored === undefined) throw new Error('no tokens stored yet: authorize first');
    this.stored = { ...this.stored, access_token: replacement };
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.options.openBrowser(authorizationUrl);
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (this.verifier === undefined) throw new Error('no PKCE code verifier saved: the authorization never started');
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') this.stored = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
    // The client id is the document URL: there is no registration to forget.
  }
}
