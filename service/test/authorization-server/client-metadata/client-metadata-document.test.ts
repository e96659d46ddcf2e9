/**
 * Validation of a fetched document: one valid baseline, then one property changed per failing case.
 */
import { describe, expect, it } from 'vitest';
import { parseClientMetadataDocument } from '../../../src/authorization-server/client-metadata/client-metadata-document.js';
import { ClientMetadataError } from '../../../src/authorization-server/client-metadata/client-metadata-error.js';

const CLIENT_ID = 'https://app.example.com/oauth/client.json';
const BASELINE = {
  client_id: CLIENT_ID,
  client_name: 'Example MCP client',
  redirect_uris: ['https://app.example.com/callback', 'http://127.0.0.1/callback'],
};

function refusal(document: unknown, clientId = CLIENT_ID): ClientMetadataError {
  try {
    parseClientMetadataDocument(document, clientId);
  } catch (error) {
    expect(error).toBeInstanceOf(ClientMetadataError);
    return error as ClientMetadataError;
  }
  throw new Error('the document was accepted');
}

describe('client metadata document', () => {
  it('accepts the baseline and fills the defaults', () => {
    const document = parseClientMetadataDocument({ ...BASELINE, unknown_field: 'dropped' }, CLIENT_ID);
    expect(document).toEqual({
      ...BASELINE,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    });
  });

  it('accepts private_key_jwt with a jwks_uri, and with jwks', () => {
    const method = { token_endpoint_auth_method: 'private_key_jwt' };
    expect(
      parseClientMetadataDocument({ ...BASELINE, ...method, jwks_uri: 'https://app.example.com/jwks' }, CLIENT_ID)
        .token_endpoint_auth_method,
    ).toBe('private_key_jwt');
    const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] };
    expect(parseClientMetadataDocument({ ...BASELINE, ...method, jwks }, CLIENT_ID).jwks).toEqual(jwks);
  });

  it('accepts loopback, localhost and reverse-domain private-use redirect URIs', () => {
    const redirect_uris = ['http://[::1]:8080/cb', 'http://localhost/cb', 'com.example.app:/oauth2redirect'];
    expect(parseClientMetadataDocument({ ...BASELINE, redirect_uris }, CLIENT_ID).redirect_uris).toEqual(redirect_uris);
  });

  it('refuses a document whose client_id differs from its URL, even by a character', () => {
    for (const other of [
      'https://evil.example.com/oauth/client.json',
      `${CLIENT_ID}/`,
      CLIENT_ID.toUpperCase(),
      'https://app.example.com/oauth/client.json?x',
    ]) {
      const error = refusal({ ...BASELINE, client_id: other });
      expect(error.code).toBe('client_id_mismatch');
    }
  });

  it.each([
    ['not an object', ['a'], /JSON object/],
    ['null', null, /JSON object/],
    ['no client_id', { redirect_uris: BASELINE.redirect_uris }, /client_id is missing/],
    ['no redirect_uris', { client_id: CLIENT_ID }, /redirect_uris/],
    ['empty redirect_uris', { ...BASELINE, redirect_uris: [] }, /at least one/],
    ['a relative redirect URI', { ...BASELINE, redirect_uris: ['/callback'] }, /absolute URL/],
    ['a redirect URI with a fragment', { ...BASELINE, redirect_uris: ['https://a.example/cb#x'] }, /fragment/],
    ['http to a non-loopback host', { ...BASELINE, redirect_uris: ['http://app.example.com/cb'] }, /loopback/],
    ['a javascript: redirect URI', { ...BASELINE, redirect_uris: ['javascript:alert(1)'] }, /private-use/],
    ['a redirect URI with credentials', { ...BASELINE, redirect_uris: ['https://u:p@a.example/cb'] }, /credentials/],
    ['a client_secret', { ...BASELINE, client_secret: 's3cret' }, /client_secret/],
    ['client_secret_basic', { ...BASELINE, token_endpoint_auth_method: 'client_secret_basic' }, /shared secret/],
    ['client_secret_post', { ...BASELINE, token_endpoint_auth_method: 'client_secret_post' }, /shared secret/],
    ['client_secret_jwt', { ...BASELINE, token_endpoint_auth_method: 'client_secret_jwt' }, /shared secret/],
    [
      'an unknown auth method',
      { ...BASELINE, token_endpoint_auth_method: 'tls_client_auth' },
      /none or private_key_jwt/,
    ],
    [
      'private_key_jwt without keys',
      { ...BASELINE, token_endpoint_auth_method: 'private_key_jwt' },
      /jwks_uri or jwks/,
    ],
    [
      'a private key in jwks',
      { ...BASELINE, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', d: 'secret' }] } },
      /private key/,
    ],
    [
      'both jwks and jwks_uri',
      { ...BASELINE, jwks_uri: 'https://a.example/jwks', jwks: { keys: [{ kty: 'EC' }] } },
      /together/,
    ],
    ['an implicit grant', { ...BASELINE, grant_types: ['implicit'] }, /authorization_code/],
    ['a token response type', { ...BASELINE, response_types: ['token'] }, /code/],
    ['a long client_name', { ...BASELINE, client_name: 'x'.repeat(201) }, /client_name/],
    ['an http logo_uri', { ...BASELINE, logo_uri: 'http://a.example/logo.png' }, /https/],
  ])('refuses %s', (_name, document, message) => {
    const error = refusal(document);
    expect(error.code).toBe('invalid_document');
    expect(error.message).toMatch(message);
  });
});
