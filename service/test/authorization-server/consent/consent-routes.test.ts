import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsentStore } from '../../../src/authorization-server/consent/consent-store.js';
import { MCP_SCOPES } from '../../../src/contract.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import {
  buildConsentTestApp,
  type ConsentTestApp,
  csrfTokenOf,
  DEFAULT_TENANT,
  DEFAULT_USER,
  formBody,
  SAMPLE_INTERACTION,
  TENANT_HEADER,
  USER_HEADER,
} from './consent-test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(availableDatabaseBackends())('consent routes with remembered consent (%s)', (backend) => {
  let db: TestDatabase;
  let target: ConsentTestApp;

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    target = await buildConsentTestApp(createConsentStore(db.appPool));
    target.interactions.set('interaction-2', { ...SAMPLE_INTERACTION, scopes: [MCP_SCOPES.read] });
  });
  afterAll(async () => {
    await target?.app.close();
    await db?.close();
  });
  beforeEach(async () => {
    // TRUNCATE is not subject to row-level security: a clean table for every test.
    await db.adminPool.query('TRUNCATE consents');
    target.outcomes.length = 0;
    target.clock.now = Date.now();
  });

  const show = (interactionId = 'interaction-1', headers: Record<string, string> = {}) =>
    target.app.inject({ method: 'GET', url: `/${interactionId}/consent`, headers });
  const decide = (
    fields: Record<string, string>,
    interactionId = 'interaction-1',
    headers: Record<string, string> = {},
  ) =>
    target.app.inject({
      method: 'POST',
      url: `/${interactionId}/consent`,
      headers: { ...FORM, ...headers },
      payload: formBody(fields),
    });
  const storedConsents = async () =>
    (await db.adminPool.query('SELECT tenant_id, user_id, client_id, scopes FROM consents ORDER BY 1, 2, 3')).rows;

  describe('consent without a valid CSRF token is refused: 403, nothing stored, nobody told', () => {
    it.each([
      ['missing', async () => ({ decision: 'approve' }), 'csrf_missing'],
      ['wrong', async () => ({ decision: 'approve', csrf_token: `v1.9999999999.${'A'.repeat(43)}` }), 'csrf_invalid'],
      ['malformed', async () => ({ decision: 'approve', csrf_token: '<script>' }), 'csrf_malformed'],
      [
        "another interaction's",
        async () => ({ decision: 'approve', csrf_token: csrfTokenOf((await show('interaction-2')).body) }),
        'csrf_invalid',
      ],
    ])('%s token', async (_name, fields, code) => {
      const response = await decide(await fields());
      expect(response.statusCode).toBe(403);
      expect(response.headers['x-consent-error']).toBe(code);
      expect(response.body).toContain('<h1>Request refused</h1>');
      expect(response.body).not.toMatch(/at .*\.ts|Error:/);
      expect(await storedConsents()).toEqual([]);
      expect(target.outcomes).toEqual([]);
    });

    it("another user's token (same interaction, another signed-in user)", async () => {
      const token = csrfTokenOf((await show('interaction-1', { [USER_HEADER]: 'mallory' })).body);
      const response = await decide({ decision: 'approve', csrf_token: token });
      expect(response.statusCode).toBe(403);
      expect(response.headers['x-consent-error']).toBe('csrf_invalid');
      expect(await storedConsents()).toEqual([]);
      expect(target.outcomes).toEqual([]);
    });

    it("another tenant's token", async () => {
      const token = csrfTokenOf((await show('interaction-1', { [TENANT_HEADER]: 'tenant-b' })).body);
      const response = await decide({ decision: 'approve', csrf_token: token });
      expect(response.statusCode).toBe(403);
      expect(await storedConsents()).toEqual([]);
    });

    it('expired token', async () => {
      const token = csrfTokenOf((await show()).body);
      target.clock.now += 11 * 60 * 1000;
      const response = await decide({ decision: 'approve', csrf_token: token });
      expect(response.statusCode).toBe(403);
      expect(response.headers['x-consent-error']).toBe('csrf_expired');
      expect(await storedConsents()).toEqual([]);
      expect(target.outcomes).toEqual([]);
    });
  });

  it('an unknown decision is refused with 400 and nothing stored', async () => {
    const token = csrfTokenOf((await show()).body);
    const response = await decide({ decision: 'maybe', csrf_token: token });
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-consent-error']).toBe('invalid_decision');
    expect(await storedConsents()).toEqual([]);
    expect(target.outcomes).toEqual([]);
  });

  it('an unknown interaction is 404 on GET and POST', async () => {
    expect((await show('nope')).statusCode).toBe(404);
    const response = await decide({ decision: 'approve', csrf_token: csrfTokenOf((await show()).body) }, 'nope');
    expect(response.statusCode).toBe(404);
    expect(await storedConsents()).toEqual([]);
  });

  it('deny tells the callback and remembers nothing', async () => {
    const response = await decide({ decision: 'deny', csrf_token: csrfTokenOf((await show()).body) });
    expect(response.statusCode).toBe(200);
    expect(target.outcomes.map((outcome) => outcome.decision)).toEqual(['denied']);
    expect(await storedConsents()).toEqual([]);
    expect((await show()).body).toContain('id="first-time"');
  });

  it('approve is remembered; "seen before" next time; revoke makes it "first time" again', async () => {
    const first = await show();
    expect(first.body).toContain('id="first-time"');
    const response = await decide({ decision: 'approve', csrf_token: csrfTokenOf(first.body) });
    expect(response.statusCode).toBe(200);
    expect(target.outcomes).toMatchObject([
      { decision: 'approved', interaction: { interactionId: 'interaction-1', userId: DEFAULT_USER } },
    ]);
    expect(await storedConsents()).toEqual([
      {
        tenant_id: DEFAULT_TENANT,
        user_id: DEFAULT_USER,
        client_id: SAMPLE_INTERACTION.clientId,
        scopes: [MCP_SCOPES.read, MCP_SCOPES.write],
      },
    ]);

    const again = await show();
    expect(again.body).toContain('id="seen-before"');
    expect(again.body).not.toContain('id="first-time"');

    // Another user of the tenant, and the same user id in another tenant, have not seen this client.
    expect((await show('interaction-1', { [USER_HEADER]: 'bob' })).body).toContain('id="first-time"');
    expect((await show('interaction-1', { [TENANT_HEADER]: 'tenant-b' })).body).toContain('id="first-time"');

    const store = createConsentStore(db.appPool);
    const alice = { tenantId: DEFAULT_TENANT, userId: DEFAULT_USER, correlationId: 'test' };
    expect(await store.revoke(alice, SAMPLE_INTERACTION.clientId)).toBe(true);
    expect((await show()).body).toContain('id="first-time"');
    expect(await storedConsents()).toEqual([]);
  });

  it('refuses a form post over 4 KiB with 413, before reading its token: nothing stored, nobody told', async () => {
    const csrf = csrfTokenOf((await show()).body);
    const response = await decide({ decision: 'approve', csrf_token: csrf, padding: 'x'.repeat(4 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(await storedConsents()).toEqual([]);
    expect(target.outcomes).toEqual([]);
    // The same post without the padding goes through: the limit, not the token, refused it.
    expect((await decide({ decision: 'approve', csrf_token: csrf })).statusCode).not.toBe(413);
  });
});
