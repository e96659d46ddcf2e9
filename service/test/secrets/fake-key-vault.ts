import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/free-port.js';

/** What Key Vault's challenge names: the SDK asks the credential for `<resource>/.default` of this tenant. */
export const FAKE_TENANT = 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001';
export const KEY_VAULT_RESOURCE = 'https://vault.azure.net';

export interface FakeKeyVault {
  /** https://localhost:<port>, trusted only through caFile. */
  readonly url: string;
  /** PEM of the throwaway CA that signed the server's certificate (NODE_EXTRA_CA_CERTS of the client process). */
  readonly caFile: string;
  /** Secret name → current value; set, change or delete to stage a rotation or a deletion. */
  readonly secrets: Map<string, string>;
  /** 'unavailable': every authenticated request gets 503, as during a regional outage. */
  mode: 'up' | 'unavailable';
  /**
   * false: answers without the challenge handshake, so the SDK never asks its credential for a token (a process
   * whose credential is the real workload identity can then be tested against it, e.g. main.ts).
   */
  challenge: boolean;
  /** Authenticated reads of a secret (the challenge round trips are not counted), with their Authorization header. */
  readonly reads: Array<{ name: string; authorization: string }>;
  readsOf(name: string): number;
  close(): Promise<void>;
}

/** A throwaway CA and a server certificate for localhost signed by it, made with openssl in a temporary directory. */
export function makeCertificates(): { caFile: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-key-vault-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=fake-key-vault test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  run('req', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'server.ext',
  );
  return {
    caFile: join(dir, 'ca.pem'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
  };
}

/**
 * An HTTPS server speaking the part of Key Vault's REST API the SDK's getSecret uses: the challenge handshake (an
 * unauthenticated request gets 401 naming the tenant and the vault resource), then
 * `GET /secrets/{name}/?api-version=...` → `{ value, id, attributes }`, 404 `SecretNotFound` for an unknown name.
 */
export async function startFakeKeyVault(): Promise<FakeKeyVault> {
  const { caFile, key, cert } = makeCertificates();
  const port = await freePort();
  const url = `https://localhost:${port}`;
  const secrets = new Map<string, string>();
  const reads: FakeKeyVault['reads'] = [];
  let version = 0;
  const vault: FakeKeyVault = {
    url,
    caFile,
    secrets,
    mode: 'up',
    challenge: true,
    reads,
    readsOf: (name) => reads.filter((read) => read.name === name).length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer({ key, cert }, (req, res) => {
    const path = new URL(req.url ?? '/', url);
    const match = /^\/secrets\/([^/]+)\/?([^/]*)$/.exec(path.pathname);
    if (req.method !== 'GET' || !match || !path.searchParams.get('api-version')) {
      json(res, 400, { error: { code: 'BadParameter', message: `unexpected ${req.method} ${req.url}` } });
      return;
    }
    const authorization = req.headers.authorization;
    if (!authorization && vault.challenge) {
      sendKeyVaultChallenge(res, FAKE_TENANT);
      return;
    }
    const name = decodeURIComponent(match[1] ?? '');
    reads.push({ name, authorization: authorization ?? '' });
    if (vault.mode === 'unavailable') {
      json(res, 503, { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' } });
      return;
    }
    const value = secrets.get(name);
    if (value === undefined) {
      json(res, 404, {
        error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found in this key vault.` },
      });
      return;
    }
    version += 1;
    const now = Math.floor(Date.now() / 1000);
    json(res, 200, {
      value,
      id: `${url}/secrets/${name}/${version.toString(16).padStart(32, '0')}`,
      attributes: { enabled: true, created: now, updated: now, recoveryLevel: 'Recoverable+Purgeable' },
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return vault;
}

/** A JSON answer, as Key Vault gives them. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** Key Vault's answer to a request without a token: 401 naming the tenant and the resource to ask a token for. */
export function sendKeyVaultChallenge(res: ServerResponse, tenant: string): void {
  res.setHeader('WWW-Authenticate', `Bearer authorization="${tenant}", resource="${KEY_VAULT_RESOURCE}"`);
  json(res, 401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } });
}
