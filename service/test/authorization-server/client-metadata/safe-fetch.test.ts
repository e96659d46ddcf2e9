/**
 * The SSRF-safe fetch against a real local HTTPS server (throwaway CA from openssl). Names resolve through an injected
 * lookup, so `client.test` can be pointed at loopback (development mode, where loopback is allowed) or at any address
 * the production policy must refuse; the server counts TCP connections to prove a refused fetch never connected.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchClientMetadataDocument,
  type LookupAllAddresses,
  type SafeFetchOptions,
} from '../../../src/authorization-server/client-metadata/safe-fetch.js';
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

const resolveTo =
  (...addresses: string[]): LookupAllAddresses =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

function options(overrides: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
  return { mode: 'development', lookup: resolveTo('127.0.0.1'), ca: certificates.ca, timeoutMs: 2_000, ...overrides };
}

function documentUrl(path = '/client.json', host = 'client.test'): URL {
  return new URL(`https://${host}:${port}${path}`);
}

beforeAll(async () => {
  certificates = createTestCertificates();
  port = await freePort();
  server = await startDocumentServer(certificates, '127.0.0.1', port);
});

afterAll(async () => {
  await server?.close();
});

beforeEach(() => {
  server.routes.clear();
});

describe('fetching a document', () => {
  it('fetches JSON over TLS to the vetted address, naming the host in SNI and the Host header', async () => {
    server.routes.set('/client.json', json({ hello: 'world' }, { 'cache-control': 'max-age=600' }));
    const fetched = await fetchClientMetadataDocument(documentUrl(), options());
    expect(fetched.body).toEqual({ hello: 'world' });
    expect(fetched.cacheControl).toBe('max-age=600');
    expect(server.hosts.at(-1)).toBe(`client.test:${port}`);
  });

  it('checks the certificate against the URL host name, not the address it connects to', async () => {
    server.routes.set('/client.json', json({}));
    const error = await failureOf(fetchClientMetadataDocument(documentUrl('/client.json', 'other.test'), options()));
    expect(error.code).toBe('fetch_failed');
  });

  it('refuses a redirect instead of following it', async () => {
    server.routes.set('/moved.json', (_request, response) => {
      response.writeHead(302, { location: `https://client.test:${port}/client.json` }).end();
    });
    server.routes.set('/client.json', json({ followed: true }));
    const before = server.requests();
    const error = await failureOf(fetchClientMetadataDocument(documentUrl('/moved.json'), options()));
    expect(error.code).toBe('redirect_refused');
    expect(server.requests() - before).toBe(1);
  });

  it('refuses an answer other than 200', async () => {
    const error = await failureOf(fetchClientMetadataDocument(documentUrl('/missing.json'), options()));
    expect(error.code).toBe('fetch_failed');
    expect(error.message).toContain('404');
  });

  it('refuses a document that is not JSON, by content type or by content', async () => {
    server.routes.set('/page.html', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('{"client_id":"x"}');
    });
    server.routes.set('/broken.json', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('<html>');
    });
    expect((await failureOf(fetchClientMetadataDocument(documentUrl('/page.html'), options()))).code).toBe('not_json');
    expect((await failureOf(fetchClientMetadataDocument(documentUrl('/broken.json'), options()))).code).toBe(
      'not_json',
    );
  });

  it('accepts a +json media type with parameters', async () => {
    server.routes.set('/client.json', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.example+json; charset=utf-8' }).end('{"a":1}');
    });
    expect((await fetchClientMetadataDocument(documentUrl(), options())).body).toEqual({ a: 1 });
  });

  it('cuts off an oversized document that announces its length', async () => {
    server.routes.set('/big.json', json({ padding: 'x'.repeat(20_000) }));
    const error = await failureOf(fetchClientMetadataDocument(documentUrl('/big.json'), options({ maxBytes: 1_024 })));
    expect(error.code).toBe('too_large');
  });

  it('stops reading an oversized chunked document at the limit, before the server has finished sending', async () => {
    let finished = false;
    server.routes.set('/endless.json', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(`{"padding":"${'x'.repeat(4_096)}`);
      // The rest comes only once the first part was read; a fetch that waited for the end would time out instead.
      setTimeout(() => {
        finished = true;
        response.end('"}');
      }, 1_500).unref();
    });
    const started = performance.now();
    const error = await failureOf(
      fetchClientMetadataDocument(documentUrl('/endless.json'), options({ maxBytes: 1_024 })),
    );
    expect(error.code).toBe('too_large');
    expect(finished).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('times out a server that never answers, within the total time limit', async () => {
    server.routes.set('/hang.json', () => {});
    const started = performance.now();
    const error = await failureOf(fetchClientMetadataDocument(documentUrl('/hang.json'), options({ timeoutMs: 300 })));
    expect(error.code).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('times out a server that sends the headers and then trickles the body', async () => {
    server.routes.set('/trickle.json', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{');
    });
    const error = await failureOf(
      fetchClientMetadataDocument(documentUrl('/trickle.json'), options({ timeoutMs: 300 })),
    );
    expect(error.code).toBe('timeout');
  });

  it('times out a DNS lookup that never answers', async () => {
    const error = await failureOf(
      fetchClientMetadataDocument(documentUrl(), options({ timeoutMs: 200, lookup: () => new Promise(() => {}) })),
    );
    expect(error.code).toBe('timeout');
  });
});

describe('production address policy', () => {
  const refused = ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', '::ffff:127.0.0.1', '100.100.100.200'];

  it.each(refused)('refuses a host resolving to %s before any connection is made', async (address) => {
    server.routes.set('/client.json', json({}));
    const before = server.connections();
    const error = await failureOf(
      fetchClientMetadataDocument(documentUrl(), options({ mode: 'production', lookup: resolveTo(address) })),
    );
    expect(error.code).toBe('address_refused');
    expect(error.message).not.toContain(address);
    expect(server.connections()).toBe(before);
  });

  it('refuses when any one of the resolved addresses is refused, whatever the order', async () => {
    const before = server.connections();
    for (const lookup of [resolveTo('93.184.215.14', '127.0.0.1'), resolveTo('127.0.0.1', '93.184.215.14')]) {
      const error = await failureOf(
        fetchClientMetadataDocument(documentUrl(), options({ mode: 'production', lookup })),
      );
      expect(error.code).toBe('address_refused');
    }
    expect(server.connections()).toBe(before);
  });

  it('refuses an IP literal host without asking DNS', async () => {
    let lookups = 0;
    const before = server.connections();
    const error = await failureOf(
      fetchClientMetadataDocument(
        documentUrl('/client.json', '127.0.0.1'),
        options({
          mode: 'production',
          lookup: async () => {
            lookups++;
            return [{ address: '93.184.215.14', family: 4 }];
          },
        }),
      ),
    );
    expect(error.code).toBe('address_refused');
    expect(lookups).toBe(0);
    expect(server.connections()).toBe(before);
  });

  it('the same loopback fetch succeeds in development, so the refusals above are the policy at work', async () => {
    server.routes.set('/client.json', json({ ok: true }));
    expect((await fetchClientMetadataDocument(documentUrl(), options({ mode: 'development' }))).body).toEqual({
      ok: true,
    });
  });

  it('refuses http in production, and http to a host that is not loopback in development', async () => {
    const production = await failureOf(
      fetchClientMetadataDocument(new URL(`http://localhost:${port}/client.json`), options({ mode: 'production' })),
    );
    expect(production.code).toBe('invalid_client_id_url');
    const development = await failureOf(
      fetchClientMetadataDocument(new URL(`http://client.test:${port}/client.json`), options()),
    );
    expect(development.code).toBe('invalid_client_id_url');
  });
});

describe('DNS rebinding', () => {
  it('connects to the address it vetted, even when the name resolves elsewhere afterwards', async () => {
    // The honest server on 127.0.0.1 and an "internal" one on 127.0.0.2, on the same port: a fetch that resolved the
    // name again when connecting would land on the second, whose answer and connection count would show it.
    const internal = await startDocumentServer(certificates, '127.0.0.2', port);
    try {
      server.routes.set('/client.json', json({ from: 'vetted' }));
      internal.routes.set('/client.json', json({ from: 'rebound' }));
      let lookups = 0;
      const rebinding: LookupAllAddresses = async () => [
        { address: ++lookups === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 },
      ];
      const fetched = await fetchClientMetadataDocument(documentUrl(), options({ lookup: rebinding }));
      expect(fetched.body).toEqual({ from: 'vetted' });
      expect(internal.connections()).toBe(0);
      expect(lookups).toBe(1);
    } finally {
      await internal.close();
    }
  });
});
