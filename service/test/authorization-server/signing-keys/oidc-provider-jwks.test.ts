/**
 * oidc-provider signs with the first key of its `jwks` that fits the algorithm: with two active ES256 keys (the new
 * one signing, the old one not yet retired), the JWT access tokens it issues must carry the signing key's kid and
 * verify against our public JWKS.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import Provider from 'oidc-provider';
import { describe, expect, it } from 'vitest';
import { loadSigningKeys } from '../../../src/authorization-server/signing-keys/load-signing-keys.js';
import { SECRET_NAMES } from '../../../src/contract.js';
import { ecEntry, minutes, secretsWith } from './signing-key-fixtures.js';

const ISSUER = 'https://auth.example.test';
const RESOURCE = 'https://mcp.example.test/mcp';
const resourceServerInfo = {
  scope: 'mcp:read',
  audience: RESOURCE,
  accessTokenFormat: 'jwt' as const,
  accessTokenTTL: 600,
  jwt: { sign: { alg: 'ES256' as const } },
};

describe('the jwks option in oidc-provider', () => {
  it('issues access tokens signed with the selected key, verifiable with the public JWKS', async () => {
    const [old, current] = [await ecEntry(minutes(0), minutes(70)), await ecEntry(minutes(60))];
    const secrets = secretsWith({
      [SECRET_NAMES.authorizationServerSigningKeys]: JSON.stringify({ keys: [old, current] }),
    });
    const loaded = await loadSigningKeys(secrets, minutes(65));
    expect(loaded.providerJwks.keys).toHaveLength(2); // both may sign: which one does is the point

    const provider = new Provider(ISSUER, {
      jwks: loaded.providerJwks,
      clients: [
        {
          client_id: 'machine',
          client_secret: 'not-used-here',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          id_token_signed_response_alg: 'ES256',
        },
      ],
      ttl: { ClientCredentials: 600 },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => RESOURCE,
          getResourceServerInfo: () => resourceServerInfo,
        },
      },
    });
    const client = await provider.Client.find('machine');
    if (client === undefined) throw new Error('the static client should exist');
    const accessToken = new provider.ClientCredentials({
      client,
      resourceServer: new provider.ResourceServer(RESOURCE, resourceServerInfo),
    });
    const jwt = await accessToken.save();

    const { protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(loaded.publicJwks), {
      issuer: ISSUER,
      audience: RESOURCE,
      typ: 'at+jwt',
    });
    expect(protectedHeader.kid).toBe(current.kid);
    expect(protectedHeader.kid).toBe(loaded.signing.kid);
  });
});
