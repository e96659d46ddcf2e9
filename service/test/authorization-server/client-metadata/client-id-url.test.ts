/** The rules on the client id URL itself (draft-ietf-oauth-client-id-metadata-document §3). */
import { describe, expect, it } from 'vitest';
import { parseClientIdUrl } from '../../../src/authorization-server/client-metadata/client-id-url.js';
import { ClientMetadataError } from '../../../src/authorization-server/client-metadata/client-metadata-error.js';

function refusal(clientId: string, mode: 'production' | 'development' = 'production'): string {
  try {
    parseClientIdUrl(clientId, mode);
  } catch (error) {
    expect(error).toBeInstanceOf(ClientMetadataError);
    expect((error as ClientMetadataError).code).toBe('invalid_client_id_url');
    return (error as ClientMetadataError).message;
  }
  throw new Error(`${clientId} was accepted`);
}

describe('client id URL', () => {
  it.each([
    'https://app.example.com/oauth/client.json',
    'https://app.example.com:8443/client',
    'https://app.example.com/.well-known/client',
    'https://app.example.com/@team/client.json',
  ])('accepts %s', (clientId) => {
    expect(parseClientIdUrl(clientId, 'production').href).toBe(clientId);
  });

  it.each([
    ['not a url', /absolute URL/],
    ['/client.json', /absolute URL/],
    ['http://app.example.com/client.json', /must use https/],
    ['ftp://app.example.com/client.json', /must use https/],
    ['https://app.example.com', /path/],
    ['https://app.example.com/', /path/],
    ['https://user:pass@app.example.com/client.json', /credentials/],
    ['https://user@app.example.com/client.json', /credentials/],
    ['https://@app.example.com/client.json', /canonical/],
    ['https://app.example.com/client.json#frag', /fragment/],
    ['https://app.example.com/client.json#', /fragment/],
    ['https://app.example.com/client.json?v=1', /query/],
    ['https://app.example.com/client.json?', /query/],
    ['https://app.example.com/a/../client.json', /path segments/],
    ['https://app.example.com/./client.json', /path segments/],
    ['https://app.example.com/a/%2e%2e/client.json', /path segments/],
    ['https://APP.example.com/client.json', /canonical/],
    ['HTTPS://app.example.com/client.json', /canonical/],
    ['https://app.example.com:443/client.json', /canonical/],
    [`https://app.example.com/${'a'.repeat(2_100)}`, /longer than/],
  ])('refuses %s', (clientId, message) => {
    expect(refusal(clientId)).toMatch(message);
  });

  it('allows http on a loopback host in development only', () => {
    for (const clientId of ['http://localhost:3000/client.json', 'http://127.0.0.1:3000/c', 'http://[::1]:3000/c']) {
      expect(parseClientIdUrl(clientId, 'development').href).toBe(clientId);
      expect(refusal(clientId, 'production')).toMatch(/must use https/);
    }
    expect(refusal('http://app.example.com/client.json', 'development')).toMatch(/loopback host in development/);
  });
});
