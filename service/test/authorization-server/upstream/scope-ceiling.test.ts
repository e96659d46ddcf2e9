/**
 * The scope ceiling: every role set × every request, unknown scopes, duplicates, the default, and remembered consent
 * when roles have shrunk since.
 */
import { describe, expect, it } from 'vitest';
import {
  consentCoverage,
  DEFAULT_SCOPES,
  grantableScopes,
  requestedMcpScopes,
} from '../../../src/authorization-server/upstream/scope-ceiling.js';
import { UpstreamIdentityError } from '../../../src/authorization-server/upstream/upstream-identity-error.js';

const NONE: string[] = [];
const MANAGER = ['manager'];
const ADMIN = ['admin'];
const BOTH = ['manager', 'admin'];
const NOTHING = 'no_scope_allowed';

function grantOrCode(scope: string | undefined, roles: readonly string[]): string[] | string {
  try {
    return grantableScopes(scope, roles);
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamIdentityError);
    return (error as UpstreamIdentityError).code;
  }
}

describe('scope ceiling', () => {
  // request, then what is granted with no role, manager, admin, manager + admin
  it.each([
    ['mcp:read', ['mcp:read'], ['mcp:read'], ['mcp:read'], ['mcp:read']],
    ['mcp:write', ['mcp:write'], ['mcp:write'], ['mcp:write'], ['mcp:write']],
    ['mcp:admin', NOTHING, NOTHING, ['mcp:admin'], ['mcp:admin']],
    [
      'mcp:read mcp:write',
      ['mcp:read', 'mcp:write'],
      ['mcp:read', 'mcp:write'],
      ['mcp:read', 'mcp:write'],
      ['mcp:read', 'mcp:write'],
    ],
    ['mcp:read mcp:admin', ['mcp:read'], ['mcp:read'], ['mcp:read', 'mcp:admin'], ['mcp:read', 'mcp:admin']],
    [
      'mcp:admin mcp:write mcp:read',
      ['mcp:read', 'mcp:write'],
      ['mcp:read', 'mcp:write'],
      ['mcp:read', 'mcp:write', 'mcp:admin'],
      ['mcp:read', 'mcp:write', 'mcp:admin'],
    ],
    ['openid profile mcp:write offline_access', ['mcp:write'], ['mcp:write'], ['mcp:write'], ['mcp:write']],
    ['mcp:write mcp:write  mcp:write', ['mcp:write'], ['mcp:write'], ['mcp:write'], ['mcp:write']],
    ['openid profile', NOTHING, NOTHING, NOTHING, NOTHING],
    ['MCP:ADMIN mcp:admin, mcp:admin\tmcp:read', NOTHING, NOTHING, NOTHING, NOTHING],
    [undefined, ['mcp:read'], ['mcp:read'], ['mcp:read'], ['mcp:read']],
    ['', ['mcp:read'], ['mcp:read'], ['mcp:read'], ['mcp:read']],
    ['   ', ['mcp:read'], ['mcp:read'], ['mcp:read'], ['mcp:read']],
  ])('request %j → none %j, manager %j, admin %j, both %j', (scope, none, manager, admin, both) => {
    expect(grantOrCode(scope, NONE)).toEqual(none);
    expect(grantOrCode(scope, MANAGER)).toEqual(manager);
    expect(grantOrCode(scope, ADMIN)).toEqual(admin);
    expect(grantOrCode(scope, BOTH)).toEqual(both);
  });

  it('defaults to read only when the client omits scope', () => {
    expect(DEFAULT_SCOPES).toEqual(['mcp:read']);
  });

  it('grants admin only for the exact admin role', () => {
    expect(grantOrCode('mcp:admin', ['Admin'])).toBe(NOTHING);
    expect(grantOrCode('mcp:admin', ['admin '])).toBe(NOTHING);
    expect(grantOrCode('mcp:admin', ['mcp:admin'])).toBe(NOTHING);
  });

  it('tells a request with none of our scopes from one the roles refuse', () => {
    expect(requestedMcpScopes('openid profile')).toEqual([]);
    expect(requestedMcpScopes('mcp:admin openid')).toEqual(['mcp:admin']);
    expect(requestedMcpScopes(undefined)).toBeUndefined();
    expect(() => grantableScopes('openid', NONE)).toThrow(/no scope this service offers/);
    expect(() => grantableScopes('mcp:admin', NONE)).toThrow(/roles do not allow.*mcp:admin/);
  });
});

describe('remembered consent coverage', () => {
  it.each([
    ['no remembered consent', 'mcp:read', NONE, undefined, ['mcp:read'], true],
    ['remembered exactly', 'mcp:read mcp:write', NONE, ['mcp:read', 'mcp:write'], ['mcp:read', 'mcp:write'], false],
    ['remembered more than asked', 'mcp:read', NONE, ['mcp:read', 'mcp:write'], ['mcp:read'], false],
    ['asking for more than remembered', 'mcp:read mcp:write', NONE, ['mcp:read'], ['mcp:read', 'mcp:write'], true],
    ['the default, remembered', undefined, NONE, ['mcp:read'], ['mcp:read'], false],
    ['remembered unknown values only', 'mcp:read', NONE, ['openid', 'MCP:READ'], ['mcp:read'], true],
    [
      'an admin asking for admin, remembered',
      'mcp:read mcp:admin',
      ADMIN,
      ['mcp:admin', 'mcp:read'],
      ['mcp:read', 'mcp:admin'],
      false,
    ],
    [
      'a former admin asking for admin, remembered',
      'mcp:read mcp:admin',
      NONE,
      ['mcp:admin', 'mcp:read'],
      ['mcp:read'],
      false,
    ],
    [
      'a new admin asking for admin, remembered without it',
      'mcp:read mcp:admin',
      ADMIN,
      ['mcp:read'],
      ['mcp:read', 'mcp:admin'],
      true,
    ],
  ])('%s', (_case, scope, roles, remembered, scopes, consentRequired) => {
    expect(consentCoverage(scope, roles, remembered && { scopes: remembered })).toEqual({ scopes, consentRequired });
  });

  it('never grants from remembered consent what the roles no longer allow', () => {
    const error = (() => {
      try {
        consentCoverage('mcp:admin', MANAGER, { scopes: ['mcp:admin', 'mcp:read', 'mcp:write'] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UpstreamIdentityError);
    expect((error as UpstreamIdentityError).code).toBe('no_scope_allowed');
  });
});
