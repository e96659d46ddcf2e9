/**
 * Why a client id metadata document could not be used. One class, one code per failure kind, so the authorization
 * endpoint can map codes to OAuth errors (`invalid_client`, `invalid_request`) without parsing messages. Messages say
 * what was wrong and why, in words safe to show the person at the browser: never a resolved address, a stack or the
 * remote body, because the client id URL is attacker-chosen and the answer must not turn the server into a scanner.
 */
export type ClientMetadataErrorCode =
  | 'invalid_client_id_url'
  | 'address_refused'
  | 'fetch_failed'
  | 'timeout'
  | 'too_large'
  | 'redirect_refused'
  | 'not_json'
  | 'invalid_document'
  | 'client_id_mismatch'
  | 'redirect_uri_not_registered';

export class ClientMetadataError extends Error {
  constructor(
    readonly code: ClientMetadataErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClientMetadataError';
  }
}

/** Local development (loopback servers, `http` loopback client ids) or anything reachable from the internet. */
export type ClientMetadataMode = 'production' | 'development';
