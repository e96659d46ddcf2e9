import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredRecords, PostgresAdapter } from '../../../src/authorization-server/storage/postgres-adapter.js';
import { RevokedGrants } from '../../../src/authorization-server/storage/revoked-grants.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../../helpers/database.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest();

describe.each(availableDatabaseBackends())('oidc-provider store in Postgres (%s)', (backend) => {
  let db: TestDatabase;
  let revoked: RevokedGrants;
  const adapter = (model: string) => new PostgresAdapter(db.authorizationServerPool, model, revoked);

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    revoked = new RevokedGrants();
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('keeps a refresh token only as the hash of its value: no column or payload field holds it', async () => {
    const token = 'refresh-token-value-0123456789';
    await adapter('RefreshToken').upsert(token, { jti: token, grantId: 'g-1', accountId: 'alice', clientId: 'c' }, 60);
    const { rows } = await db.adminPool.query('SELECT * FROM oauth_records WHERE model = $1', ['RefreshToken']);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(token);
    expect(rows[0].id_hash).toEqual(sha256(token));
    expect(await adapter('RefreshToken').find(token)).toMatchObject({ jti: token, grantId: 'g-1', accountId: 'alice' });
    expect(await adapter('AuthorizationCode').find(token)).toBeUndefined();
  });

  it('consumes once: the second consume of the same token fails and revokes its grant', async () => {
    const code = 'code-for-grant-2';
    await adapter('Grant').upsert('g-2', { jti: 'g-2', accountId: 'bob', clientId: 'client-2' }, 60);
    await adapter('AuthorizationCode').upsert(code, { jti: code, grantId: 'g-2' }, 60);
    await adapter('AuthorizationCode').consume(code);
    expect(await adapter('AuthorizationCode').find(code)).toMatchObject({ consumed: expect.any(Number) });
    await expect(adapter('AuthorizationCode').consume(code)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await adapter('Grant').find('g-2')).toBeUndefined();
    expect(revoked.take('g-2')).toEqual({ accountId: 'bob', clientId: 'client-2' });
  });

  it('of two concurrent consumes exactly one wins', async () => {
    const token = 'concurrent-refresh';
    await adapter('RefreshToken').upsert(token, { jti: token, grantId: 'g-3' }, 60);
    const outcomes = await Promise.allSettled([
      adapter('RefreshToken').consume(token),
      adapter('RefreshToken').consume(token),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('revokes every record of a grant at once and finds nothing expired', async () => {
    await adapter('Grant').upsert('g-4', { jti: 'g-4', accountId: 'carol', clientId: 'c4' }, 60);
    await adapter('RefreshToken').upsert('rt-4', { jti: 'rt-4', grantId: 'g-4' }, 60);
    await adapter('AuthorizationCode').upsert('ac-4', { jti: 'ac-4', grantId: 'g-4' }, 60);
    await adapter('RefreshToken').revokeByGrantId('g-4');
    for (const [model, id] of [
      ['Grant', 'g-4'],
      ['RefreshToken', 'rt-4'],
      ['AuthorizationCode', 'ac-4'],
    ] as const) {
      expect(await adapter(model).find(id)).toBeUndefined();
    }
    await adapter('Session').upsert('old-session', { jti: 'old-session', uid: 'u-old' }, 60);
    await db.adminPool.query("UPDATE oauth_records SET expires_at = now() - interval '2 minutes' WHERE uid = 'u-old'");
    expect(await adapter('Session').find('old-session')).toBeUndefined();
    expect(await adapter('Session').findByUid('u-old')).toBeUndefined();
    expect(await deleteExpiredRecords(db.authorizationServerPool)).toBeGreaterThanOrEqual(1);
    const { rows } = await db.adminPool.query("SELECT 1 FROM oauth_records WHERE uid = 'u-old'");
    expect(rows).toEqual([]);
  });

  it('finds a session by uid with its id (the cookie value) and a client by its public id', async () => {
    await adapter('Session').upsert('session-id', { jti: 'session-id', uid: 'u-1', accountId: 'alice' }, 60);
    expect(await adapter('Session').findByUid('u-1')).toMatchObject({ jti: 'session-id', accountId: 'alice' });
    await adapter('Client').upsert('registered', { client_id: 'registered', redirect_uris: ['https://a.example/cb'] });
    expect(await adapter('Client').find('registered')).toEqual({
      client_id: 'registered',
      redirect_uris: ['https://a.example/cb'],
    });
  });
});
