import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeadersCheck } from '../../audit/checks/security-headers.js';
import { tlsCheck } from '../../audit/checks/tls.js';
import { parseAuditOptions } from '../../audit/options.js';
import { runAudit } from '../../audit/run-audit.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const openssl = hasOpenssl();
if (!openssl) console.info('audit TLS checks not tested: no openssl binary to make certificates');

interface Certificate {
  key: string;
  cert: string;
  /** The certificate's file, for --ca (each is self-signed: its own CA). */
  file: string;
}

function selfSigned(dir: string, name: string, days: number, altNames: string): Certificate {
  const key = join(dir, `${name}.key`);
  const file = join(dir, `${name}.pem`);
  // biome-ignore format: flags and their values read best side by side
  const args = [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', file, '-days', String(days), '-subj', `/CN=${name}`, '-addext', `subjectAltName=${altNames}`,
  ];
  execFileSync('openssl', args, { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(file, 'utf8'), file };
}

async function httpsServer(certificate: Certificate, headers: Record<string, string>): Promise<Server> {
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (_request, response) => {
    response.writeHead(401, { 'content-type': 'application/json', ...headers });
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const SAFE_HEADERS = { 'x-content-type-options': 'nosniff', 'content-security-policy': "frame-ancestors 'none'" };

describe.runIf(openssl)('audit: TLS and HSTS over https', () => {
  let dir: string;
  const servers: Server[] = [];
  let certs: Record<'good' | 'otherName' | 'expiring', Certificate>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-tls-'));
    certs = {
      good: selfSigned(dir, 'localhost', 365, 'DNS:localhost'),
      otherName: selfSigned(dir, 'other.example', 365, 'DNS:other.example'),
      expiring: selfSigned(dir, 'localhost-soon', 3, 'DNS:localhost'),
    };
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** The tls and security-headers checks against an https server with this certificate and these headers. */
  async function audit(certificate: Certificate, headers: Record<string, string>, ca?: Certificate) {
    const server = await httpsServer(certificate, headers);
    servers.push(server);
    const { port } = server.address() as AddressInfo;
    const options = parseAuditOptions([`https://localhost:${port}`, ...(ca ? ['--ca', ca.file] : [])], {});
    if (options === undefined) throw new Error('no options');
    const report = await runAudit(options, [tlsCheck, securityHeadersCheck]);
    return Object.fromEntries(report.results.map((r) => [r.id, r]));
  }

  const hsts = { ...SAFE_HEADERS, 'strict-transport-security': 'max-age=31536000; includeSubDomains' };

  it('passes a trusted, current certificate naming the host, with HSTS', async () => {
    const results = await audit(certs.good, hsts, certs.good);
    expect(results.tls).toMatchObject({
      outcome: 'pass',
      why: expect.stringMatching(/^TLSv1\.3, trusted certificate for localhost, 36[45] days left$/),
    });
    expect(results['security-headers']?.outcome).toBe('pass');
  });

  it('fails a certificate nobody vouches for', async () => {
    const results = await audit(certs.good, hsts);
    expect(results.tls).toMatchObject({ outcome: 'fail', why: expect.stringContaining('certificate not trusted') });
  });

  it('fails a certificate for another name', async () => {
    const results = await audit(certs.otherName, hsts, certs.otherName);
    expect(results.tls).toMatchObject({
      outcome: 'fail',
      why: expect.stringContaining('certificate does not name localhost'),
    });
  });

  it('fails a certificate about to expire', async () => {
    const results = await audit(certs.expiring, hsts, certs.expiring);
    expect(results.tls).toMatchObject({
      outcome: 'fail',
      why: expect.stringMatching(/certificate expires in [23] days/),
    });
  });

  it('fails https without HSTS, or with a short one', async () => {
    const without = await audit(certs.good, SAFE_HEADERS, certs.good);
    expect(without['security-headers']).toMatchObject({
      outcome: 'fail',
      why: expect.stringContaining('strict-transport-security max-age 0 < 15552000'),
    });
    const short = await audit(certs.good, { ...SAFE_HEADERS, 'strict-transport-security': 'max-age=300' }, certs.good);
    expect(short['security-headers']).toMatchObject({ outcome: 'fail', why: expect.stringContaining('max-age 300 <') });
  });
});
