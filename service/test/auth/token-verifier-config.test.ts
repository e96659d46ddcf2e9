import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/auth/auth-errors.js';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-mapping.js';
import { createTokenVerifier, type TokenVerifierOptions } from '../../src/auth/token-verifier.js';

const valid: TokenVerifierOptions = {
  issuers: ['https://issuer.example.com'],
  audience: 'https://mcp.example.com/mcp',
  algorithms: ['ES256'],
  clockToleranceSeconds: 30,
  claims: DEFAULT_CLAIM_NAMES,
  scopeMap: {},
};

function problemsOf(options: TokenVerifierOptions): string[] {
  try {
    createTokenVerifier(options);
    return [];
  } catch (error) {
    if (error instanceof AuthConfigError) return error.problems;
    throw error;
  }
}

describe('token verifier configuration', () => {
  it('accepts a sound configuration', () => {
    expect(problemsOf(valid)).toEqual([]);
  });

  it.each(['HS256', 'HS512', 'none'])('refuses the %s algorithm', (algorithm) => {
    expect(problemsOf({ ...valid, algorithms: ['ES256', algorithm] })).toEqual([
      `algorithms: "${algorithm}" is not allowed (asymmetric JWS algorithms only)`,
    ]);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      ...valid,
      issuers: [],
      audience: 'not a url',
      algorithms: [],
      clockToleranceSeconds: -1,
      claims: { ...DEFAULT_CLAIM_NAMES, tenant: [] },
    });
    expect(problems).toHaveLength(5);
  });
});
