/**
 * Shapes of upstream ID token claims: one valid Entra baseline, then one claim changed per case.
 */
import { describe, expect, it } from 'vitest';
import { UpstreamIdentityError } from '../../../src/authorization-server/upstream/upstream-identity-error.js';
import { parseUpstreamProfile } from '../../../src/authorization-server/upstream/upstream-profile.js';

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OID = '00000000-0000-0000-66f3-3332eca7ea81';
const BASELINE = {
  iss: `https://login.microsoftonline.com/${TID}/v2.0`,
  aud: 'api://mcp-authorization-server',
  sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
  tid: TID,
  oid: OID,
  roles: ['Documents.Admin'],
  groups: ['a1b2c3d4-0000-0000-0000-000000000001'],
  name: 'Ada Lovelace',
  preferred_username: 'ada@contoso.example',
};

function refusal(claims: unknown, tenantClaim?: string): UpstreamIdentityError {
  try {
    parseUpstreamProfile(claims, tenantClaim);
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamIdentityError);
    expect((error as UpstreamIdentityError).code).toBe('unmappable_profile');
    return error as UpstreamIdentityError;
  }
  throw new Error('the profile was accepted');
}

describe('upstream profile', () => {
  it('reads the Entra baseline', () => {
    expect(parseUpstreamProfile(BASELINE)).toEqual({
      issuer: BASELINE.iss,
      subject: BASELINE.sub,
      tenant: TID,
      objectId: OID,
      roles: ['Documents.Admin'],
      groups: ['a1b2c3d4-0000-0000-0000-000000000001'],
      name: 'Ada Lovelace',
      preferredUsername: 'ada@contoso.example',
    });
  });

  it('treats absent roles, groups, tenant and display fields as absent, not as errors', () => {
    const { roles, groups, tid, oid, name, preferred_username, ...minimal } = BASELINE;
    expect(parseUpstreamProfile(minimal)).toEqual({
      issuer: BASELINE.iss,
      subject: BASELINE.sub,
      roles: [],
      groups: [],
    });
  });

  it('reads the tenant from the claim it is told to', () => {
    const profile = parseUpstreamProfile({ iss: 'https://id.example', sub: 'u1', org: 'acme' }, 'org');
    expect(profile.tenant).toBe('acme');
    // The Entra claim is not read when another is configured.
    expect(parseUpstreamProfile({ iss: 'https://id.example', sub: 'u1', tid: TID }, 'org').tenant).toBeUndefined();
  });

  it('lower-cases oid so one user cannot become two', () => {
    expect(parseUpstreamProfile({ ...BASELINE, oid: OID.toUpperCase() }).objectId).toBe(OID);
  });

  it.each([
    ['no claims object', 'not an object', /no claims object/],
    ['no claims object (array)', [BASELINE], /no claims object/],
    ['missing sub', { ...BASELINE, sub: undefined }, /the sub claim is missing/],
    ['missing iss', { ...BASELINE, iss: undefined }, /the iss claim is missing/],
    ['sub with a space', { ...BASELINE, sub: 'ada lovelace' }, /the sub claim must be 1 to 255/],
    ['sub over 255 characters', { ...BASELINE, sub: 'a'.repeat(256) }, /the sub claim must be 1 to 255/],
    ['sub a number', { ...BASELINE, sub: 42 }, /the sub claim must be a string/],
    ['tid with a quote', { ...BASELINE, tid: "acme'; DROP" }, /the tid claim must be a tenant id/],
    ['tid over 128 characters', { ...BASELINE, tid: 'a'.repeat(129) }, /the tid claim must be a tenant id/],
    ['tid an object', { ...BASELINE, tid: { id: TID } }, /the tid claim must be a string/],
    ['oid not a GUID', { ...BASELINE, oid: 'ada' }, /the oid claim must be a GUID/],
    ['roles a string', { ...BASELINE, roles: 'user admin' }, /the roles claim must be an array of strings/],
    ['roles with a number', { ...BASELINE, roles: ['admin', 1] }, /the roles claim must hold only strings/],
    ['roles with an object', { ...BASELINE, roles: [{ value: 'admin' }] }, /the roles claim must hold only strings/],
    ['roles with an empty string', { ...BASELINE, roles: [''] }, /the roles claim must not hold empty strings/],
    ['an overlong role', { ...BASELINE, roles: ['a'.repeat(257)] }, /the roles claim must not hold values over 256/],
    ['too many groups', { ...BASELINE, groups: Array(1001).fill('g') }, /the groups claim must not hold more than/],
    ['groups with null', { ...BASELINE, groups: [null] }, /the groups claim must hold only strings/],
  ])('refuses %s', (_case, claims, message) => {
    const error = refusal(claims);
    expect(error.message).toMatch(message);
  });

  it('names the configured tenant claim in its message', () => {
    expect(refusal({ iss: 'https://id.example', sub: 'u1', org: 'a b' }, 'org').message).toMatch(
      /the org claim must be a tenant id/,
    );
  });

  it('lists every problem at once and never echoes a claim value', () => {
    const error = refusal({ ...BASELINE, sub: '<script>x</script> y', tid: '<img src=x>' });
    expect(error.message).toMatch(/sub claim.*; the tid claim/);
    expect(error.message).not.toContain('<');
  });

  it('keeps roles with commas or spaces as single opaque values, for the mapping to drop', () => {
    expect(parseUpstreamProfile({ ...BASELINE, roles: ['admin,manager', 'admin manager'] }).roles).toEqual([
      'admin,manager',
      'admin manager',
    ]);
  });

  it.each([
    ['overlong', 'a'.repeat(257)],
    ['with a control character', 'Ada\u0000Lovelace'],
    ['not a string', ['Ada']],
  ])('drops a display name that is %s instead of refusing the sign-in', (_case, name) => {
    const profile = parseUpstreamProfile({ ...BASELINE, name, preferred_username: name });
    expect(profile.name).toBeUndefined();
    expect(profile.preferredUsername).toBeUndefined();
    expect(profile.subject).toBe(BASELINE.sub);
  });
});
