import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUpstreamSignIn,
  parseUpstreamSettings,
} from '../../../src/authorization-server/upstream/upstream-sign-in.js';

/**
 * In Azure the authorization server authenticates to Entra ID with the pod's projected service account token as a
 * federated client assertion (no secret). Entra cannot run here: a stand-in issuer records the token request, and the
 * test checks what Entra would receive.
 */
describe('upstream sign-in with the workload identity as the client assertion', () => {
  let server: Server;
  let issuer: string;
  let dir: string;
  const tokenRequests: URLSearchParams[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'federated-token-'));
    server = createServer((request, response) => {
      if (request.url === '/.well-known/openid-configuration') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/keys`,
            response_types_supported: ['code'],
            code_challenge_methods_supported: ['S256'],
            token_endpoint_auth_methods_supported: ['private_key_jwt'],
          }),
        );
        return;
      }
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        tokenRequests.push(new URLSearchParams(body));
        // Refused: only what was sent matters here.
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const workloadIdentitySignIn = (federatedTokenFile: string | undefined) =>
    createUpstreamSignIn({
      settings: parseUpstreamSettings({
        issuer,
        clientId: 'app-client-id',
        clientAuthentication: 'workload-identity',
        identity: { kind: 'oidc', issuer, tenant: { fixed: 'acme' } },
      }),
      redirectUri: 'https://mcp.example.com/oauth/callback',
      allowInsecureRequests: true,
      federatedTokenFile,
    });

  it('sends the projected token as a jwt-bearer client assertion, read afresh at each exchange, and no secret', async () => {
    const tokenFile = join(dir, 'azure-identity-token');
    const signIn = workloadIdentitySignIn(tokenFile);
    for (const projected of ['eyJ.first-projected-token.sig', 'eyJ.rotated-by-the-kubelet.sig']) {
      await writeFile(tokenFile, `${projected}\n`);
      const { url, state, pending } = await signIn.begin('interaction-1');
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      const callback = new URL(`https://mcp.example.com/oauth/callback?code=upstream-code&state=${state}`);
      await expect(signIn.complete(callback, state, pending)).rejects.toThrow();
      const sent = tokenRequests.at(-1) as URLSearchParams;
      expect(Object.fromEntries(sent)).toMatchObject({
        grant_type: 'authorization_code',
        code: 'upstream-code',
        code_verifier: pending.codeVerifier,
        redirect_uri: 'https://mcp.example.com/oauth/callback',
        client_id: 'app-client-id',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: projected,
      });
      expect(sent.has('client_secret')).toBe(false);
    }
  });

  it('refuses to sign in without the token file the workload identity webhook mounts', async () => {
    const signIn = workloadIdentitySignIn(undefined);
    const saved = process.env.AZURE_FEDERATED_TOKEN_FILE;
    delete process.env.AZURE_FEDERATED_TOKEN_FILE;
    try {
      await expect(signIn.begin('interaction-2')).rejects.toThrow(/AZURE_FEDERATED_TOKEN_FILE/);
    } finally {
      if (saved !== undefined) process.env.AZURE_FEDERATED_TOKEN_FILE = saved;
    }
  });
});
