import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';

export interface AuditResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** How the audit connects: its deadline, and a CA to trust besides the system's (a private deployment's). */
export interface Connection {
  timeoutMs: number;
  /** PEM certificates trusted in addition to Node's bundled roots. */
  ca?: string;
}

export interface AuditRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Sent as the Host header instead of the URL's (fetch refuses to forge it; node:http does not). */
  host?: string;
}

/** An answer larger than this is cut: the audit reads status, headers and the start of a body, never bulk data. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * One HTTP(S) request with full control of the headers, a deadline, and a capped body. Certificates are verified
 * (the TLS check reports on them separately); a connection error rejects with a message naming the URL.
 */
export function send(url: string, options: AuditRequest, connection: Connection): Promise<AuditResponse> {
  const { timeoutMs, ca } = connection;
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(options.host !== undefined && { host: options.host }) },
        // The real name for SNI and certificate checks even when the Host header is forged (SNI takes no address).
        ...(isIP(target.hostname.replace(/^\[|\]$/g, '')) === 0 && { servername: target.hostname }),
        timeout: timeoutMs,
        agent: false,
        ...(ca !== undefined && { ca: [...rootCertificates, ca] }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES),
          });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // Enough to judge: an endless event stream must not hold the audit until the deadline.
          if (size >= MAX_BODY_BYTES) {
            finish();
            req.destroy();
          }
        });
        res.on('end', finish);
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${target.origin} within ${timeoutMs} ms`)));
    req.on('error', (error) =>
      reject(new Error(`${options.method ?? 'GET'} ${withoutQuery(target)}: ${error.message}`)),
    );
    req.end(options.body);
  });
}

/** The URL for messages: its query may hold a token (the query-token check puts one there). */
function withoutQuery(url: URL): string {
  return `${url.origin}${url.pathname}${url.search === '' ? '' : '?…'}`;
}

/** A header's value as one string (repeated headers joined), or undefined. */
export function headerOf(response: AuditResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
