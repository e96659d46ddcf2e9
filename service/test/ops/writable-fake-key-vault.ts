import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import { freePort } from '../helpers/free-port.js';
import { json, makeCertificates, sendKeyVaultChallenge } from '../secrets/fake-key-vault.js';

/** What the challenge names; the SDK asks its credential for `<resource>/.default`. */
const FAKE_TENANT = 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002';

export { KEY_VAULT_RESOURCE } from '../secrets/fake-key-vault.js';

export interface StoredVersion {
  version: string;
  value: string;
  contentType: string | undefined;
}

export interface VaultFailure {
  status: number;
  code: string;
  message: string;
}

export interface WritableFakeKeyVault {
  /** https://localhost:<port>, trusted only through `ca`. */
  readonly url: string;
  /** PEM of the server's self-signed certificate: the client's only trust anchor. */
  readonly ca: string;
  readonly caFile: string;
  /** Every version of every secret, oldest first: what a run wrote, and that a no-op run wrote nothing. */
  readonly versions: Map<string, StoredVersion[]>;
  /** The current value of a secret, as getSecret without a version answers. */
  current(name: string): string | undefined;
  /** Stages a value as if an operator had set it (counts as a version). */
  put(name: string, value: string): void;
  /** Authenticated requests, in order (the challenge round trips are not counted). */
  readonly requests: Array<{ method: string; name: string; authorization: string }>;
  /** Answers every authenticated GET / PUT of these secrets (or '*') with this error until cleared. */
  readonly failReads: Map<string, VaultFailure>;
  readonly failWrites: Map<string, VaultFailure>;
  /**
   * false: answers without the challenge handshake, so the client never asks its credential (a CLI process with its
   * real workload identity). Reads only: the SDK sends a write's body only after a challenge, so a write then fails.
   */
  challenge: boolean;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * An HTTPS server speaking the part of Key Vault's secrets REST API that getSecret and setSecret use: the challenge
 * handshake (401 naming tenant and resource to a request without a token), `GET /secrets/{name}/?api-version=` (the
 * latest version; 404 SecretNotFound) and `PUT /secrets/{name}?api-version=` with `{ value, contentType }` (a new
 * version; 200 with the secret bundle).
 */
export async function startWritableFakeKeyVault(): Promise<WritableFakeKeyVault> {
  const { caFile, key, cert } = makeCertificates();
  const port = await freePort();
  const url = `https://localhost:${port}`;
  const versions = new Map<string, StoredVersion[]>();
  let counter = 0;
  const store = (name: string, value: string, contentType: string | undefined): StoredVersion => {
    counter += 1;
    const stored = { version: counter.toString(16).padStart(32, '0'), value, contentType };
    versions.set(name, [...(versions.get(name) ?? []), stored]);
    return stored;
  };
  const bundle = (name: string, stored: StoredVersion) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      value: stored.value,
      id: `${url}/secrets/${name}/${stored.version}`,
      ...(stored.contentType === undefined ? {} : { contentType: stored.contentType }),
      attributes: { enabled: true, created: now, updated: now, recoveryLevel: 'Recoverable+Purgeable' },
    };
  };

  const vault: WritableFakeKeyVault = {
    url,
    ca: readFileSync(caFile, 'utf8'),
    caFile,
    versions,
    current: (name) => versions.get(name)?.at(-1)?.value,
    put: (name, value) => void store(name, value, 'application/json'),
    requests: [],
    failReads: new Map(),
    failWrites: new Map(),
    challenge: true,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer({ key, cert }, async (req, res) => {
    const path = new URL(req.url ?? '/', url);
    const body = await readBody(req);
    const get = /^\/secrets\/([^/]+)\/?$/.exec(path.pathname);
    const known = (req.method === 'GET' || req.method === 'PUT') && get && path.searchParams.get('api-version');
    if (!known) {
      json(res, 400, { error: { code: 'BadParameter', message: `unexpected ${req.method} ${req.url}` } });
      return;
    }
    const authorization = req.headers.authorization;
    if (!authorization && vault.challenge) {
      sendKeyVaultChallenge(res, FAKE_TENANT);
      return;
    }
    const name = decodeURIComponent(get[1] ?? '');
    vault.requests.push({ method: req.method ?? '', name, authorization: authorization ?? '' });
    const failure =
      req.method === 'GET'
        ? (vault.failReads.get(name) ?? vault.failReads.get('*'))
        : (vault.failWrites.get(name) ?? vault.failWrites.get('*'));
    if (failure) {
      json(res, failure.status, { error: { code: failure.code, message: failure.message } });
      return;
    }
    if (req.method === 'GET') {
      const stored = versions.get(name)?.at(-1);
      if (!stored) {
        json(res, 404, {
          error: {
            code: 'SecretNotFound',
            message: `A secret with (name/id) ${name} was not found in this key vault.`,
          },
        });
        return;
      }
      json(res, 200, bundle(name, stored));
      return;
    }
    let parsed: { value?: unknown; contentType?: unknown } = {};
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      // An empty or broken body is answered like a missing value.
    }
    if (typeof parsed.value !== 'string') {
      json(res, 400, { error: { code: 'BadParameter', message: 'value is required' } });
      return;
    }
    json(
      res,
      200,
      bundle(name, store(name, parsed.value, typeof parsed.contentType === 'string' ? parsed.contentType : undefined)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return vault;
}
