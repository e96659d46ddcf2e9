import type { ClientMetadata } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { ClientMetadataDocument } from '../client-metadata/client-metadata-document.js';
import { ClientMetadataError } from '../client-metadata/client-metadata-error.js';
import type { ClientMetadataResolver } from '../client-metadata/resolve-client-metadata.js';

/** A client id that is a URL is a Client ID Metadata Document; anything else is a pre-registered or DCR client. */
export function looksLikeClientIdUrl(clientId: string): boolean {
  return clientId.startsWith('https://') || clientId.startsWith('http://');
}

/**
 * oidc-provider's client metadata for a validated document. `application_type` follows the redirect URIs: a native
 * client (loopback http, private-use scheme) or a web one (https only), since oidc-provider checks redirect URI
 * schemes by it. Redirect matching itself is ours (redirect-uri.ts, wired in provider-configuration.ts).
 */
export function clientFromDocument(document: ClientMetadataDocument): ClientMetadata {
  const web = document.redirect_uris.every((uri) => uri.startsWith('https://'));
  return {
    client_id: document.client_id,
    client_name: document.client_name,
    client_uri: document.client_uri,
    logo_uri: document.logo_uri,
    redirect_uris: [...document.redirect_uris],
    grant_types: [...document.grant_types],
    response_types: ['code'],
    token_endpoint_auth_method: document.token_endpoint_auth_method,
    application_type: web ? 'web' : 'native',
    ...(document.jwks_uri !== undefined && { jwks_uri: document.jwks_uri }),
    ...(document.jwks !== undefined && { jwks: document.jwks as ClientMetadata['jwks'] }),
  };
}

/**
 * Resolves a client id URL for oidc-provider's Client adapter. A document that cannot be used is `invalid_client`
 * with the resolver's message, which is safe to show (it never holds the address or the remote body).
 */
export async function clientForClientIdUrl(
  resolver: ClientMetadataResolver,
  clientId: string,
): Promise<ClientMetadata> {
  try {
    return clientFromDocument(await resolver.resolve(clientId));
  } catch (error) {
    if (error instanceof ClientMetadataError) {
      throw new errors.InvalidClient(`client metadata document refused: ${error.message}`, { detail: error.code });
    }
    throw error;
  }
}
