import { decodeJwt, decodeProtectedHeader, errors, type JWSAlgorithm, type JWTPayload, jwtVerify } from 'jose';
import { AuthConfigError, AuthUnavailableError, InvalidTokenError, type InvalidTokenReason } from './auth-errors.js';
import { type ClaimNames, identityFromClaims } from './claim-mapping.js';
import type { Identity } from './identity.js';
import { createIssuerKeySets, type IssuerKeySetsOptions, type IssuerKeyStatus } from './issuer-key-sets.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export interface TokenVerifierOptions {
  /** Accepted `iss` values, compared exactly (Entra v1 and v2 issuers of a tenant may both be listed). */
  issuers: string[];
  /** This server's resource URL: the token's `aud` must be (or contain) exactly this (RFC 8707). */
  audience: string;
  /**
   * Other values of `aud` that name this same resource, e.g. the Entra app's client id, which Entra v2 access
   * tokens carry instead of the identifier URI. Still an audience binding: each names this resource only.
   */
  additionalAudiences?: string[];
  /** The issuers' JWKS; when unset it is discovered from each issuer's metadata. */
  jwksUrl?: string;
  /** Asymmetric JWS algorithms only; see DEFAULT_ALGORITHMS. */
  algorithms: string[];
  clockToleranceSeconds: number;
  /**
   * Required `typ` header, e.g. 'at+jwt' (RFC 9068; 'application/at+jwt' matches too). Unset or empty means no check,
   * for issuers such as Entra ID whose access tokens say `JWT`; the service config supplies 'at+jwt' by default.
   */
  requiredTyp?: string | false;
  claims: ClaimNames;
  /** The issuer's scope names mapped onto ours, e.g. { 'Documents.Read': 'mcp:read' }. */
  scopeMap: Record<string, string>;
  /** Verified-token cache size; 0 disables the cache. */
  cacheMaxEntries?: number;
  /** Longest a verified token is trusted without re-checking its signature. */
  cacheMaxTtlSeconds?: number;
  /** Key fetching knobs (cooldown, max age, stale limit, timeouts, logger); the defaults are jose's, 24 h stale. */
  keySets?: Omit<IssuerKeySetsOptions, 'issuers' | 'jwksUrl'>;
}

export interface TokenVerifier {
  /** The caller's identity, or throws InvalidTokenError (401) / AuthUnavailableError (503). */
  verify(token: string): Promise<Identity>;
  /** Signing keys are loaded and usable, fresh or stale within the limit (used by /ready); never throws. */
  ready(): Promise<boolean>;
  /** Age and staleness of each configured issuer's keys, once loaded (read by the metrics at scrape time). */
  signingKeyStatus(): IssuerKeyStatus[];
}

/** Seams for tests: count real signature checks, move the clock. */
export interface TokenVerifierDependencies {
  jwtVerify?: typeof jwtVerify;
  now?: () => number;
}

/** RFC 9068 asks for RS256 support; PS256 and ES256 cover the common issuers. */
export const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256'] as const;
export const DEFAULT_REQUIRED_TYP = 'at+jwt';

/**
 * The JWS algorithms a token may use: asymmetric only. Symmetric (HS*) algorithms would let anyone holding the public
 * key mint tokens; `none` needs no key at all.
 */
export const ASYMMETRIC_JWS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
const ALLOWED_ALGORITHMS: ReadonlySet<string> = new Set(ASYMMETRIC_JWS_ALGORITHMS);

/** Far above any real access token (Entra tokens with many groups stay under 8 KB); bounds parsing work. */
const MAX_TOKEN_LENGTH = 12 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function validateOptions(options: TokenVerifierOptions): string[] {
  const problems: string[] = [];
  if (options.issuers.length === 0) problems.push('issuers: at least one issuer is required');
  for (const issuer of options.issuers) {
    if (!URL.canParse(issuer)) problems.push(`issuers: "${issuer}" is not a URL`);
  }
  if (!URL.canParse(options.audience)) problems.push(`audience: "${options.audience}" is not a URL`);
  for (const audience of options.additionalAudiences ?? []) {
    if (audience.trim() === '') problems.push('additionalAudiences: an audience must not be empty');
  }
  if (options.jwksUrl !== undefined && !URL.canParse(options.jwksUrl)) {
    problems.push(`jwksUrl: "${options.jwksUrl}" is not a URL`);
  }
  if (options.algorithms.length === 0) problems.push('algorithms: at least one algorithm is required');
  for (const algorithm of options.algorithms) {
    if (!ALLOWED_ALGORITHMS.has(algorithm)) {
      problems.push(`algorithms: "${algorithm}" is not allowed (asymmetric JWS algorithms only)`);
    }
  }
  if (!Number.isFinite(options.clockToleranceSeconds) || options.clockToleranceSeconds < 0) {
    problems.push('clockToleranceSeconds: must be a non-negative number');
  }
  for (const [name, list] of Object.entries(options.claims)) {
    if (list.length === 0) problems.push(`claims.${name}: name at least one claim`);
  }
  return problems;
}

/** Translates jose's verdicts into our reasons and safe descriptions. */
function toVerificationError(error: unknown): InvalidTokenError | AuthUnavailableError {
  if (error instanceof InvalidTokenError || error instanceof AuthUnavailableError) return error;
  const invalid = (reason: InvalidTokenReason, description: string) =>
    new InvalidTokenError(reason, description, { cause: error });
  if (error instanceof errors.JWTExpired) return invalid('expired', 'The access token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return invalid('missing_claim', `The access token has no ${error.claim} claim`);
    switch (error.claim) {
      case 'nbf':
        return invalid('not_yet_valid', 'The access token is not valid yet');
      case 'iss':
        return invalid('wrong_issuer', 'The access token comes from an issuer this server does not trust');
      case 'aud':
        return invalid('wrong_audience', 'The access token was not issued for this resource');
      case 'typ':
        return invalid('wrong_type', 'The token is not an access token (typ at+jwt required)');
      default:
        return invalid('invalid_claim', `The access token's ${error.claim} claim is invalid`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return invalid('algorithm_not_allowed', 'The access token is signed with an algorithm this server does not accept');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return invalid('unknown_key', 'The access token is signed with an unknown key');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSMultipleMatchingKeys) {
    return invalid('bad_signature', 'The access token signature is invalid');
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return invalid('malformed', 'The access token is malformed');
  }
  // Anything else is about fetching or reading the keys (timeouts, HTTP errors, a broken JWKS), not about the token.
  return new AuthUnavailableError(`Signing keys unavailable: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  });
}

/**
 * Reads the unverified header and issuer, only to refuse early and to pick the issuer's keys. Nothing read here is
 * trusted: jwtVerify checks the signature and re-checks `iss` against the issuer picked.
 */
function preflight(token: string, options: TokenVerifierOptions): { issuer: string } {
  if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed', 'The access token is not a signed JWT');
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch (error) {
    throw new InvalidTokenError('malformed', 'The access token is malformed', { cause: error });
  }
  if (typeof header.alg !== 'string' || !options.algorithms.includes(header.alg)) {
    throw new InvalidTokenError(
      'algorithm_not_allowed',
      'The access token is signed with an algorithm this server does not accept',
    );
  }
  if (typeof payload.iss !== 'string' || !options.issuers.includes(payload.iss)) {
    // Refused before any key lookup: an attacker cannot make this server fetch from issuers it chose.
    throw new InvalidTokenError('unknown_issuer', 'The access token comes from an issuer this server does not trust');
  }
  return { issuer: payload.iss };
}

/**
 * Verifies access tokens as an OAuth 2.1 resource server: signature against the issuer's JWKS, exact issuer and
 * audience, lifetime, token type, then the claims that make up the caller's identity. Tokens are only read, never
 * forwarded anywhere.
 */
export function createTokenVerifier(
  options: TokenVerifierOptions,
  dependencies: TokenVerifierDependencies = {},
): TokenVerifier {
  const problems = validateOptions(options);
  if (problems.length > 0) throw new AuthConfigError(problems);

  const verifyJwt = dependencies.jwtVerify ?? jwtVerify;
  const now = dependencies.now ?? Date.now;
  const keySets = createIssuerKeySets({ ...options.keySets, issuers: options.issuers, jwksUrl: options.jwksUrl });
  const cache = new VerifiedTokenCache(options.cacheMaxEntries ?? 10_000, options.cacheMaxTtlSeconds ?? 300);
  const requiredTyp = options.requiredTyp || undefined;
  const audiences = [options.audience, ...(options.additionalAudiences ?? [])];
  const algorithms = [...options.algorithms] as JWSAlgorithm[];

  const verifyUncached = async (token: string): Promise<Identity> => {
    const { issuer } = preflight(token, options);
    try {
      const keySet = await keySets.keySetFor(issuer);
      const { payload } = await verifyJwt(token, keySet, {
        issuer,
        audience: audiences,
        algorithms,
        clockTolerance: options.clockToleranceSeconds,
        typ: requiredTyp,
        requiredClaims: ['exp'],
        currentDate: new Date(now()),
      });
      return deepFreeze(identityFromClaims(payload, options.claims, options.scopeMap));
    } catch (error) {
      throw toVerificationError(error);
    }
  };

  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('too_large', 'The access token is too large');
      const key = VerifiedTokenCache.keyOf(token);
      const cached = cache.get(key, now());
      if (cached !== undefined) return cached;
      const identity = await verifyUncached(token);
      cache.set(key, identity, now());
      return identity;
    },
    ready: () => keySets.ready(),
    signingKeyStatus: () => keySets.status(),
  };
}

function deepFreeze(identity: Identity): Identity {
  Object.freeze(identity.roles);
  Object.freeze(identity.scopes);
  return Object.freeze(identity);
}
