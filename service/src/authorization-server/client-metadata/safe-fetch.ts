import { lookup as systemLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { addressRefusal } from './address-policy.js';
import { isLoopbackHost } from './client-id-url.js';
import { ClientMetadataError, type ClientMetadataMode } from './client-metadata-error.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Every address a host name resolves to; `dns.promises.lookup(host, { all: true })` in production. */
export type LookupAllAddresses = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface SafeFetchOptions {
  readonly mode: ClientMetadataMode;
  /** Injected in tests to make any name resolve to any address; the system resolver otherwise. */
  readonly lookup?: LookupAllAddresses;
  /** Extra trusted CA certificates (PEM); tests pass their throwaway CA. The system store otherwise. */
  readonly ca?: string | Buffer;
  /** Whole fetch, DNS to last byte. */
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

/** A document as fetched, before validation, with the headers the cache needs. */
export interface FetchedDocument {
  readonly body: unknown;
  readonly cacheControl: string | undefined;
  readonly expires: string | undefined;
  readonly date: string | undefined;
}

/** A document is a few hundred bytes; this bounds how long a slow or hostile host can hold a request open. */
export const DEFAULT_TIMEOUT_MS = 5_000;
/**
 * The draft (§8.7) suggests 5 KB, but documents in the wild were already larger (cloudflare/mcp#46: claude.ai's
 * document exceeded a 5,120-byte limit), so 16 KiB: room for a large `jwks`, still too little to matter in memory.
 */
export const DEFAULT_MAX_BYTES = 16 * 1_024;

const systemLookupAll: LookupAllAddresses = (hostname) => systemLookup(hostname, { all: true, verbatim: true });

function failure(code: ConstructorParameters<typeof ClientMetadataError>[0], message: string, cause?: unknown) {
  return new ClientMetadataError(code, message, cause === undefined ? undefined : { cause });
}

function timedOut(timeoutMs: number) {
  return failure('timeout', `The client metadata document did not arrive within ${timeoutMs} ms.`);
}

/** Resolves the host and vets every answer; one refused answer refuses the lot (an attacker controls the order). */
async function vettedAddress(
  hostname: string,
  lookup: LookupAllAddresses,
  mode: ClientMetadataMode,
): Promise<ResolvedAddress> {
  const literal = isIP(hostname);
  let addresses: readonly ResolvedAddress[];
  if (literal !== 0) {
    addresses = [{ address: hostname, family: literal }];
  } else {
    try {
      addresses = await lookup(hostname);
    } catch (error) {
      throw failure('fetch_failed', "The client_id URL's host name could not be resolved.", error);
    }
  }
  if (addresses.length === 0) throw failure('fetch_failed', "The client_id URL's host name could not be resolved.");
  for (const { address } of addresses) {
    const why = addressRefusal(address, mode);
    if (why !== undefined) {
      // The range goes to the cause (logs), not the message: the caller chose the host and need not learn our view.
      throw failure(
        'address_refused',
        "The client_id URL's host resolves to an address that is not on the public internet; it cannot be fetched.",
        new Error(`${address}: ${why}`),
      );
    }
  }
  return addresses[0]!;
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(mediaType);
}

/**
 * One GET to the vetted address. The connection goes to `pinned` by address (`host` is the IP), while TLS still
 * checks the certificate against the URL's host name (`servername`) and the Host header names it: so the name is
 * resolved exactly once, and a DNS answer that changes between the check and the connection (DNS rebinding) cannot
 * move the connection to an address that was never vetted.
 */
function getOnce(url: URL, pinned: ResolvedAddress, options: SafeFetchOptions, signal: AbortSignal) {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = url.protocol === 'https:';
  const requestOptions: https.RequestOptions = {
    host: pinned.address,
    family: pinned.family,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    path: `${url.pathname}${url.search}`,
    method: 'GET',
    headers: { host: url.host, accept: 'application/json', 'user-agent': 'secure-mcp-authorization-server' },
    servername: isIP(hostname) === 0 ? hostname : undefined,
    ca: options.ca,
    // No pooled sockets: each fetch connects afresh to the address vetted for it.
    agent: false,
    signal,
  };
  return new Promise<FetchedDocument>((resolve, reject) => {
    const fail = (error: unknown) =>
      reject(
        error instanceof ClientMetadataError
          ? error
          : signal.aborted
            ? timedOut(timeoutMs)
            : failure('fetch_failed', 'The client metadata document could not be fetched.', error),
      );
    const request = (secure ? https : http).request(requestOptions, (response) => {
      const status = response.statusCode ?? 0;
      const stop = (error: ClientMetadataError) => {
        request.destroy();
        fail(error);
      };
      // The draft (§5) accepts only a 200: a redirect would let the document live somewhere the client id does not name.
      if (status >= 300 && status < 400) {
        return stop(
          failure('redirect_refused', 'The client_id URL answered with a redirect; redirects are not followed.'),
        );
      }
      if (status !== 200) {
        return stop(failure('fetch_failed', `The client_id URL answered HTTP ${status}, not 200.`));
      }
      if (!isJsonMediaType(response.headers['content-type'])) {
        return stop(failure('not_json', 'The client_id URL did not answer with a JSON document (Content-Type).'));
      }
      const tooLarge = failure('too_large', `The client metadata document is larger than ${maxBytes} bytes.`);
      if (Number(response.headers['content-length'] ?? 0) > maxBytes) return stop(tooLarge);
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Stop reading at the limit: a chunked body has no length to check up front.
        if (size > maxBytes) return stop(tooLarge);
        chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch (error) {
          return fail(failure('not_json', 'The client metadata document is not valid JSON.', error));
        }
        resolve({
          body,
          cacheControl: response.headers['cache-control'],
          expires: response.headers.expires,
          date: response.headers.date,
        });
      });
    });
    request.on('error', fail);
    request.end();
  });
}

/**
 * Fetches a client id URL safely: https only (http only to a loopback host in development), every resolved address
 * vetted by the address policy before any connection, the connection pinned to a vetted address, no redirects, a
 * JSON content type, and limits on size and total time. The URL is expected to have passed `parseClientIdUrl`; the
 * scheme and credentials are checked again here so this function is safe on its own.
 */
export async function fetchClientMetadataDocument(url: URL, options: SafeFetchOptions): Promise<FetchedDocument> {
  const secure = url.protocol === 'https:';
  const localHttp = url.protocol === 'http:' && options.mode === 'development' && isLoopbackHost(url.hostname);
  if (!secure && !localHttp) throw failure('invalid_client_id_url', 'The client_id URL must use https.');
  if (url.username !== '' || url.password !== '' || url.hash !== '') {
    throw failure('invalid_client_id_url', 'The client_id URL must not contain credentials or a fragment.');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(timedOut(timeoutMs)), { once: true });
  });
  aborted.catch(() => {});
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const pinned = await Promise.race([
    vettedAddress(hostname, options.lookup ?? systemLookupAll, options.mode),
    aborted,
  ]);
  return await Promise.race([getOnce(url, pinned, options, signal), aborted]);
}
