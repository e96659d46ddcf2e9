/**
 * The resolver end to end against a local HTTPS server: URL rules, fetch, validation, redirect URI check, and the
 * cache (an injected clock ages it; sockets and timers are real).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ClientMetadataResolverOptions,
  createClientMetadataResolver,
} from '../../../src/authorization-server/client-metadata/resolve-client-metadata.js';
import type { LookupAllAddresses } from '../../../src/authorization-server/client-metadata/safe-fetch.js';
import { freePort } from '../../helpers/free-port.js';
import {
  createTestCertificates,
  type DocumentServer,
  failureOf,
  json,
  startDocumentServer,
  type TestCertificates,
} from './document-server.js';

let certificates: TestCertificates;
let server: DocumentServer;
let port: number;
let clock: number;
let path = 0;

const toLoopback: LookupAllAddresses = async () => [{ address: '127.0.0.1', family: 4 }];

function resolver(overrides: Partial<ClientMetadataResolverOptions> = {}) {
  return createClientMetadataResolver({
    mode: 'development',
    lookup: toLoopback,
    ca: certificates.ca,
    timeoutMs: 2_000,
    now: () => clock,
    ...overrides,
  });
}

/** A fresh path per test, so request counts start at zero. */
function serve(document: (clientId: string) => unknown, headers: Record<string, string> = {}) {
  const route = `/client-${++path}.json`;
  const clientId = `https://client.test:${port}${route}`;
  let requests = 0;
  server.routes.set(route, (request, response) => {
    requests++;
    json(document(clientId), headers)(request, response);
  });
  return { clientId, requests: () => requests, route };
}

const validDocument = (clientId: string) => ({
  client_id: clientId,
  client_name: 'Test client',
  redirect_uris: ['https://app.example.com/callback', 'http://127.0.0.1/callback'],
});

beforeAll(async () => {
  certificates = createTestCertificates();
  port = await freePort();
  server = await startDocumentServer(certificates, '127.0.0.1', port);
});

afterAll(async () => {
  await server?.close();
});

beforeEach(() => {
  clock = Date.parse('2026-11-30T12:00:00Z');
});

describe('resolving a client', () => {
  it('resolves a valid document and accepts a registered redirect URI, loopback port included', async () => {
    const { clientId } = serve(validDocument);
    const document = await resolver().resolveForAuthorization(clientId, 'http://127.0.0.1:49152/callback');
    expect(document.client_name).toBe('Test client');
    expect(document.client_id).toBe(clientId);
  });

  it('refuses a document whose client_id differs from its URL', async () => {
    const { clientId } = serve(() => validDocument('https://other.example.com/client.json'));
    expect((await failureOf(resolver().resolve(clientId))).code).toBe('client_id_mismatch');
  });

  it('refuses a redirect URI that is not in the document, and an open redirect through redirect_uri', async () => {
    const { clientId } = serve(validDocument);
    const resolve = resolver();
    for (const redirectUri of [
      'https://evil.example.com/callback',
      'https://app.example.com/callback?next=https://evil.example.com',
      'https://app.example.com/callback/../../evil',
      'https://app.example.com@evil.example.com/callback',
    ]) {
      expect((await failureOf(resolve.resolveForAuthorization(clientId, redirectUri))).code).toBe(
        'redirect_uri_not_registered',
      );
    }
  });

  it('refuses, in production, a client id resolving to a metadata address, without connecting', async () => {
    const { clientId, requests } = serve(validDocument);
    const before = server.connections();
    for (const address of ['169.254.169.254', '10.0.0.1', '127.0.0.1']) {
      const production = resolver({ mode: 'production', lookup: async () => [{ address, family: 4 }] });
      expect((await failureOf(production.resolve(clientId))).code).toBe('address_refused');
    }
    expect(server.connections()).toBe(before);
    expect(requests()).toBe(0);
  });

  it('refuses a malformed client id URL without fetching', async () => {
    let lookups = 0;
    const resolve = resolver({ lookup: async () => [{ address: `127.0.0.${++lookups}`, family: 4 }] });
    const error = await failureOf(resolve.resolve(`https://client.test:${port}/client.json#fragment`));
    expect(error.code).toBe('invalid_client_id_url');
    expect(lookups).toBe(0);
  });
});

describe('caching', () => {
  it('keeps a document for its max-age and fetches again after', async () => {
    const { clientId, requests } = serve(validDocument, { 'cache-control': 'max-age=600' });
    const resolve = resolver();
    await resolve.resolve(clientId);
    clock += 599_000;
    await resolve.resolve(clientId);
    expect(requests()).toBe(1);
    clock += 2_000;
    await resolve.resolve(clientId);
    expect(requests()).toBe(2);
  });

  it('holds a no-store document for the floor, and a year-long one for the ceiling only', async () => {
    const short = serve(validDocument, { 'cache-control': 'no-store' });
    const long = serve(validDocument, { 'cache-control': 'max-age=31536000' });
    const resolve = resolver();
    await resolve.resolve(short.clientId);
    await resolve.resolve(long.clientId);
    clock += 59_000;
    await resolve.resolve(short.clientId);
    expect(short.requests()).toBe(1);
    clock += 2_000;
    await resolve.resolve(short.clientId);
    expect(short.requests()).toBe(2);
    clock += 24 * 60 * 60 * 1_000;
    await resolve.resolve(long.clientId);
    expect(long.requests()).toBe(2);
  });

  it('shares one fetch among concurrent requests for one client id', async () => {
    const { clientId, requests } = serve(validDocument);
    const resolve = resolver();
    const documents = await Promise.all(Array.from({ length: 5 }, () => resolve.resolve(clientId)));
    expect(documents.every((document) => document.client_id === clientId)).toBe(true);
    expect(requests()).toBe(1);
  });

  it('remembers a failure briefly, then fetches again', async () => {
    let broken = true;
    const { clientId, requests } = serve((id) => (broken ? { client_id: id } : validDocument(id)));
    const resolve = resolver({ failureCacheSeconds: 10 });
    expect((await failureOf(resolve.resolve(clientId))).code).toBe('invalid_document');
    broken = false;
    clock += 9_000;
    expect((await failureOf(resolve.resolve(clientId))).code).toBe('invalid_document');
    expect(requests()).toBe(1);
    clock += 2_000;
    expect((await resolve.resolve(clientId)).client_id).toBe(clientId);
    expect(requests()).toBe(2);
  });
});
