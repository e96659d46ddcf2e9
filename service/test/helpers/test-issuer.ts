/**
 * A local OAuth issuer for the service tests: real key pairs, a real HTTP server on 127.0.0.1 serving issuer metadata
 * and the JWKS (with fetch counters), and a minter that produces any token a test needs, good or bad.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  base64url,
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTHeaderParameters,
  SignJWT,
} from 'jose';

export type TestKeyAlgorithm = 'ES256' | 'RS256' | 'PS256';

export interface TestKey {
  kid: string;
  alg: TestKeyAlgorithm;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** Where issuer metadata is published: both well-known locations, or only one (to test discovery fallback). */
export type DiscoveryStyle = 'both' | 'openid-only' | 'oauth-only';

export interface TestIssuerOptions {
  /** The `aud` minted by default. */
  audience: string;
  discovery?: DiscoveryStyle;
}

export interface MintOptions {
  /** Signing key; default the ES256 key. */
  key?: TestKey;
  /** Merged over { alg: key.alg, kid: key.kid, typ: 'at+jwt' }; a value of undefined removes the parameter. */
  header?: Record<string, unknown>;
  /** Merged over the default claims; a value of undefined removes the claim. */
  claims?: Record<string, unknown>;
  /** The issuer this token claims (default the base issuer). */
  issuer?: string;
}

export interface TestIssuer {
  /** The base issuer, e.g. http://127.0.0.1:40123 */
  issuer: string;
  baseUrl: string;
  jwksUrl: string;
  /** Requests served so far, by kind: tests read these to prove caching and rate limiting. */
  readonly fetches: { jwks: number; metadata: number };
  keys: {
    es256: TestKey;
    rs256: TestKey;
    /** Same kid as es256, different key: what an attacker who guessed the kid would sign with. */
    attacker: TestKey;
  };
  /** Publishes metadata for another issuer under this server (e.g. Entra-like `/<tid>/v2.0`); returns its URL. */
  addIssuer(path: string): string;
  /** Replaces the published JWKS (key rotation). */
  publishKeys(keys: readonly TestKey[]): void;
  /** Makes the JWKS endpoint answer this status (e.g. 500) until reset with 200. */
  setJwksStatus(status: number): void;
  generateKey(alg: TestKeyAlgorithm, kid?: string): Promise<TestKey>;
  defaultClaims(): Record<string, unknown>;
  mintToken(options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

export async function createTestKey(alg: TestKeyAlgorithm, kid: string = `${alg.toLowerCase()}-${randomUUID()}`) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, publicJwk } satisfies TestKey;
}

function mergeDefined(base: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

function encodeSegment(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(segment))) as Record<string, unknown>;
}

/** An unsecured JWT (`alg: none`, empty signature), as RFC 7519 §6 defines it. */
export function unsecuredToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return `${encodeSegment({ alg: 'none', typ: 'at+jwt', ...header })}.${encodeSegment(claims)}.`;
}

/**
 * The classic key-confusion forgery: HS256 with the issuer's *public* key (its PEM, which anyone can fetch) as the
 * HMAC secret. A verifier that lets the token pick the algorithm would accept it.
 */
export async function hs256WithPublicKey(
  key: TestKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const secret = await exportSPKI(key.publicKey);
  const signingInput = `${encodeSegment({ alg: 'HS256', kid: key.kid, typ: 'at+jwt', ...header })}.${encodeSegment(claims)}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** Rewrites the payload of a signed token and keeps its signature: the signature no longer matches. */
export function tamperPayload(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new Error('not a JWS');
  return `${header}.${encodeSegment(mergeDefined(decodeSegment(payload), changes))}.${signature}`;
}

/** Flips bits in the middle of the signature (not the last character, whose low bits may be padding). */
export function tamperSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new Error('not a JWS');
  const bytes = base64url.decode(signature);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  return `${header}.${payload}.${base64url.encode(bytes)}`;
}

export function decodeTokenPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT');
  return decodeSegment(payload);
}

export async function createTestIssuer(options: TestIssuerOptions): Promise<TestIssuer> {
  const discovery = options.discovery ?? 'both';
  const es256 = await createTestKey('ES256');
  const rs256 = await createTestKey('RS256');
  const attacker = await createTestKey('ES256', es256.kid);
  let published: readonly TestKey[] = [es256, rs256];
  let jwksStatus = 200;
  const fetches = { jwks: 0, metadata: 0 };
  const metadataByPath = new Map<string, Record<string, unknown>>();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://test-issuer').pathname;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/keys') {
      fetches.jwks += 1;
      if (jwksStatus !== 200) return send(jwksStatus, { error: 'unavailable' });
      return send(200, { keys: published.map((key) => key.publicJwk) });
    }
    const metadata = metadataByPath.get(path);
    if (metadata !== undefined) {
      fetches.metadata += 1;
      return send(200, metadata);
    }
    return send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const jwksUrl = `${baseUrl}/keys`;

  const addIssuer = (path: string): string => {
    const issuer = `${baseUrl}${path}`;
    const trimmed = path.replace(/\/$/, '');
    const metadata = { issuer, jwks_uri: jwksUrl, response_types_supported: ['code'] };
    if (discovery !== 'oauth-only') metadataByPath.set(`${trimmed}/.well-known/openid-configuration`, metadata);
    if (discovery !== 'openid-only') metadataByPath.set(`/.well-known/oauth-authorization-server${trimmed}`, metadata);
    return issuer;
  };
  const issuer = addIssuer('');

  const defaultClaims = (): Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: issuer,
      sub: 'user-1',
      aud: options.audience,
      tenant_id: 'tenant-a',
      scope: 'mcp:read mcp:write',
      roles: [],
      client_id: 'test-client',
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
    };
  };

  return {
    issuer,
    baseUrl,
    jwksUrl,
    fetches,
    keys: { es256, rs256, attacker },
    addIssuer,
    publishKeys(keys) {
      published = [...keys];
    },
    setJwksStatus(status) {
      jwksStatus = status;
    },
    generateKey: createTestKey,
    defaultClaims,
    async mintToken(mint = {}) {
      const key = mint.key ?? es256;
      const header = mergeDefined({ alg: key.alg, kid: key.kid, typ: 'at+jwt' }, mint.header);
      const claims = mergeDefined({ ...defaultClaims(), ...(mint.issuer && { iss: mint.issuer }) }, mint.claims);
      return new SignJWT(claims).setProtectedHeader(header as JWTHeaderParameters).sign(key.privateKey);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
