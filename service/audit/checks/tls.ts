import { isIP } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate, rootCertificates, type TLSSocket } from 'node:tls';
import { type Check, fail, pass, skip } from '../check.js';
import type { Connection } from '../http-client.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A certificate closer to expiry than this fails: renewal has evidently not happened on schedule. */
const MIN_DAYS_LEFT = 14;
const ACCEPTED_PROTOCOLS = new Set(['TLSv1.2', 'TLSv1.3']);

interface Handshake {
  protocol: string | null;
  authorized: boolean;
  authorizationError?: string;
  certificate: PeerCertificate;
}

function handshake(host: string, port: number, connection: Connection): Promise<Handshake> {
  const { timeoutMs, ca } = connection;
  return new Promise((resolve, reject) => {
    // rejectUnauthorized off so an untrusted certificate is reported as such, not as a connection error.
    const socket: TLSSocket = connect({
      host,
      port,
      ...(isIP(host) === 0 && { servername: host }),
      rejectUnauthorized: false,
      timeout: timeoutMs,
      ...(ca !== undefined && { ca: [...rootCertificates, ca] }),
    });
    socket.once('secureConnect', () => {
      resolve({
        protocol: socket.getProtocol(),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError?.message ?? String(socket.authorizationError ?? ''),
        certificate: socket.getPeerCertificate(),
      });
      socket.end();
    });
    socket.once('timeout', () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.once('error', reject);
  });
}

export const tlsCheck: Check = {
  id: 'tls',
  title: 'TLS version and certificate',
  async run(target) {
    const url = new URL(target.origin);
    if (url.protocol === 'http:') {
      return LOOPBACK.has(url.hostname)
        ? skip(`plain http on loopback (${url.host}): no TLS to check`)
        : fail(`plain http on ${url.host}: tokens would cross the network in clear; expected https`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let result: Handshake;
    try {
      result = await handshake(host, Number(url.port || 443), target.options);
    } catch (error) {
      return fail(`TLS handshake with ${url.host} failed: ${(error as Error).message}`);
    }
    const problems: string[] = [];
    if (!result.protocol || !ACCEPTED_PROTOCOLS.has(result.protocol)) {
      problems.push(`negotiated ${result.protocol ?? 'no protocol'} (expected TLSv1.2 or TLSv1.3)`);
    }
    if (!result.authorized) problems.push(`certificate not trusted: ${result.authorizationError}`);
    const identity = checkServerIdentity(host, result.certificate);
    if (identity) problems.push(`certificate does not name ${host}: ${identity.message}`);
    const validTo = new Date(result.certificate.valid_to);
    const daysLeft = Math.floor((validTo.getTime() - Date.now()) / 86_400_000);
    if (Number.isNaN(daysLeft)) problems.push('certificate has no readable expiry');
    else if (daysLeft < MIN_DAYS_LEFT)
      problems.push(`certificate expires in ${daysLeft} days (${validTo.toISOString()})`);
    if (problems.length > 0) return fail(problems.join('; '));
    return pass(`${result.protocol}, trusted certificate for ${host}, ${daysLeft} days left`);
  },
};
