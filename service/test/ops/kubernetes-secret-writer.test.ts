import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inClusterApiBaseUrl, KubernetesApiError, patchSecretData } from '../../src/ops/kubernetes-secret-writer.js';
import { kubernetesStatus, startFakeKubernetesApi } from './fake-kubernetes-api.js';

const secret = { namespace: 'kong', name: 'kong-redis-credentials' };

/** A self-signed certificate for 127.0.0.1: the API server's certificate and, as its own CA, the mounted ca.crt. */
function selfSignedCertificate(name: string): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), `mcp-kube-${name}-`));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1']
      .concat(['-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1'])
      .concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
    { stdio: 'ignore' },
  );
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}

describe('patchSecretData against a local stand-in for the API server', () => {
  let api: Awaited<ReturnType<typeof startFakeKubernetesApi>>;
  beforeAll(async () => {
    api = await startFakeKubernetesApi();
  });
  afterAll(async () => {
    await api?.close();
  });
  const options = () => ({ baseUrl: api.baseUrl, token: 'service-account-token' });

  it('sends one JSON merge patch of the data keys, base64-encoded, with the service account token', async () => {
    api.answer({ status: 200, body: { kind: 'Secret' } });
    const before = api.requests.length;
    await patchSecretData(secret, { username: 'user-1', password: 'pässword' }, options());

    expect(api.requests).toHaveLength(before + 1);
    const request = api.requests.at(-1)!;
    expect(request.method).toBe('PATCH');
    expect(request.path).toBe('/api/v1/namespaces/kong/secrets/kong-redis-credentials');
    expect(request.headers['content-type']).toBe('application/merge-patch+json');
    expect(request.headers.authorization).toBe('Bearer service-account-token');
    const body = JSON.parse(request.body);
    expect(Object.keys(body)).toEqual(['data']);
    expect(
      Object.fromEntries(
        Object.entries(body.data as Record<string, string>).map(([key, value]) => [
          key,
          Buffer.from(value, 'base64').toString('utf8'),
        ]),
      ),
    ).toEqual({ username: 'user-1', password: 'pässword' });
  });

  it.each([
    [
      404,
      'NotFound',
      'not_found',
      /The Secret kong\/kong-redis-credentials does not exist: the Pulumi program creates it/,
    ],
    [403, 'Forbidden', 'forbidden', /may not patch the Secret kong\/kong-redis-credentials: its RBAC Role must allow/],
    [401, 'Unauthorized', 'unauthorized', /rejected the service account token \(401\)/],
    [
      500,
      'InternalError',
      'api_error',
      /answered 500 to PATCH \/api\/v1\/namespaces\/kong\/secrets\/kong-redis-credentials/,
    ],
  ])('turns %i into a clear error carrying the API message', async (status, reason, failure, message) => {
    api.answer({ status, body: kubernetesStatus(status, reason, `the api says ${reason}`) });
    const error = await patchSecretData(secret, { password: 'p' }, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubernetesApiError);
    expect(error).toMatchObject({ failure, status });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(`(API: the api says ${reason})`);
  });

  it('gives up on an API server that never answers, after the timeout', async () => {
    api.answer('hang');
    const started = Date.now();
    const error = await patchSecretData(secret, { password: 'p' }, { ...options(), timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ failure: 'timeout' });
    expect((error as Error).message).toMatch(/did not answer PATCH .* within 200 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses plain http to anything but loopback (the token would travel in clear)', async () => {
    await expect(
      patchSecretData(secret, { password: 'p' }, { baseUrl: 'http://kubernetes.default.svc', token: 't' }),
    ).rejects.toThrow(/must use https/);
  });
});

describe('patchSecretData over https with the cluster CA', () => {
  const apiServer = selfSignedCertificate('api-server');
  const stranger = selfSignedCertificate('stranger');
  const server = createServer(apiServer, (request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end('{}'));
  });
  let baseUrl: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('trusts the given CA and no other; in-cluster the CA is the mounted ca.crt', async () => {
    await patchSecretData(secret, { password: 'p' }, { baseUrl, token: 't', ca: apiServer.cert });
    const otherCa = await patchSecretData(secret, { password: 'p' }, { baseUrl, token: 't', ca: stranger.cert }).catch(
      (e: unknown) => e,
    );
    expect((otherCa as Error).message).toMatch(/certificate/i);
    const noCa = await patchSecretData(secret, { password: 'p' }, { baseUrl, token: 't' }).catch((e: unknown) => e);
    // Outside a pod the file is missing; inside one it is the real cluster's CA, which did not sign this server.
    expect((noCa as Error).message).toMatch(/serviceaccount\/ca\.crt|certificate/i);
  });
});

describe('inClusterApiBaseUrl', () => {
  it('uses the variables the kubelet sets, bracketing an IPv6 address', () => {
    expect(inClusterApiBaseUrl({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' })).toBe(
      'https://10.0.0.1:443',
    );
    expect(inClusterApiBaseUrl({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' })).toBe(
      'https://[fd00::1]:443',
    );
  });

  it('says it is not in a pod when they are missing', () => {
    expect(() => inClusterApiBaseUrl({})).toThrow(/KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set/);
  });
});
