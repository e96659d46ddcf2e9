import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export const DEV_SIGNING_ALGORITHM = 'ES256';
export const KEY_FILE = 'signing-key.json';

/** The development issuer's key pair; the private half never leaves this process and the 0600 file. */
export interface DevSigningKey {
  kid: string;
  alg: typeof DEV_SIGNING_ALGORITHM;
  privateKey: CryptoKey;
  /** What the JWKS publishes. */
  publicJwk: JWK;
}

export class DevSigningKeyError extends Error {
  readonly code = 'dev_signing_key_unusable';
  constructor(message: string) {
    super(message);
    this.name = 'DevSigningKeyError';
  }
}

async function fromPrivateJwk(privateJwk: JWK, file: string): Promise<DevSigningKey> {
  if (privateJwk.kty !== 'EC' || privateJwk.crv !== 'P-256' || typeof privateJwk.d !== 'string') {
    throw new DevSigningKeyError(`${file} is not an EC P-256 private key; delete it to have a new one created`);
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const privateKey = await importJWK(privateJwk, DEV_SIGNING_ALGORITHM);
  if (privateKey instanceof Uint8Array) throw new DevSigningKeyError(`${file} holds a symmetric key`);
  return {
    kid,
    alg: DEV_SIGNING_ALGORITHM,
    privateKey,
    publicJwk: {
      kty: publicJwk.kty,
      crv: publicJwk.crv,
      x: publicJwk.x,
      y: publicJwk.y,
      kid,
      alg: 'ES256',
      use: 'sig',
    },
  };
}

async function readExisting(file: string): Promise<DevSigningKey> {
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) {
    throw new DevSigningKeyError(`${file} is readable by other users; run: chmod 600 ${file}`);
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch {
    throw new DevSigningKeyError(`${file} is not JSON; delete it to have a new key created`);
  }
  return fromPrivateJwk(jwk, file);
}

/**
 * Loads the development signing key from `dataDir`, creating it on first use. Creation is atomic (write a private
 * temporary file, then hard-link it into place), so the dev server and the token CLI starting together end up with
 * the same key.
 */
export async function loadOrCreateDevSigningKey(dataDir: string): Promise<DevSigningKey> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, KEY_FILE);
  try {
    return await readExisting(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  const { privateKey } = await generateKeyPair(DEV_SIGNING_ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const { d: _private, ...publicJwk } = privateJwk;
  privateJwk.kid = await calculateJwkThumbprint(publicJwk);

  const temporary = join(dataDir, `.${KEY_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temporary, `${JSON.stringify(privateJwk)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(temporary, 0o600); // the umask cannot widen it, but be explicit about what the file must be
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  return readExisting(file);
}
