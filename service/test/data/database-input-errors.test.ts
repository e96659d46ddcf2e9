import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputErrorFromDatabase } from '../../src/data/database-input-errors.js';
import { isDataLayerError } from '../../src/data/errors.js';
import { withTenantTransaction } from '../../src/data/tenant-transaction.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { users } from './tenant-fixtures.js';

describe('database input errors', () => {
  it.each([
    ['22021', /character the database cannot store/],
    ['22007', /not in a valid format/],
    ['22008', /out of range or does not exist/],
    ['22009', /time zone offset/],
  ])('turns SQLSTATE %s into invalid_input, keeping the driver error only as the cause', (code, message) => {
    const driverError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code });
    const mapped = inputErrorFromDatabase(driverError);
    expect(isDataLayerError(mapped, 'invalid_input')).toBe(true);
    expect(mapped?.message).toMatch(message);
    expect(mapped?.message).not.toMatch(/UTF8|0x00/);
    expect(mapped?.cause).toBe(driverError);
  });

  it.each(['57P01', '23505', '42501', '22012', undefined])('leaves SQLSTATE %s alone', (code) => {
    expect(inputErrorFromDatabase(Object.assign(new Error('x'), { code }))).toBeUndefined();
  });
});

describe.each(availableDatabaseBackends())(
  'a value the database refuses, inside a tenant transaction (%s)',
  (backend) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(backend);
    });
    afterAll(async () => {
      await db?.close();
    });

    it.each([
      ['a NUL in text', 'SELECT $1::text', ['a\u0000b']],
      ['a day that does not exist', 'SELECT $1::timestamptz', ['2026-02-30T00:00:00Z']],
    ])('%s fails as invalid_input, and the connection stays usable', async (_label, sql, params) => {
      const failure = await withTenantTransaction(db.appPool, users.alice, (client) => client.query(sql, params)).catch(
        (error: unknown) => error,
      );
      expect(isDataLayerError(failure, 'invalid_input')).toBe(true);
      await expect(
        withTenantTransaction(db.appPool, users.alice, (client) => client.query('SELECT 1')),
      ).resolves.toBeTruthy();
    });
  },
);
