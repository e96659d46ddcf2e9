import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlArrayLiteral, sqlLiteral } from '../../src/data/sql-literal.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../helpers/database.js';

const VALUES = [
  '',
  'plain',
  "o'brien",
  "''; DROP TABLE documents; --",
  'back\\slash',
  "\\'; SELECT 1; --",
  "E'\\x27'",
  '$$ dollar $$',
  'tab\tnewline\ncarriage\r',
  'é 🔑 中文',
];

describe.each(availableDatabaseBackends())('SQL literals on %s', (backend) => {
  let db: TestDatabase;
  let client: pg.PoolClient;

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    client = await db.adminPool.connect();
  });
  afterAll(async () => {
    client?.release();
    await db?.close();
  });

  it.each(['on', 'off'])(
    'reads back exactly what was written, with standard_conforming_strings %s',
    async (setting) => {
      await client.query(`SET standard_conforming_strings = ${setting}`);
      try {
        for (const value of VALUES) {
          const { rows } = await client.query<{ value: string }>(`SELECT ${sqlLiteral(value)} AS value`);
          expect({ value: rows[0]?.value }).toEqual({ value });
        }
        const { rows } = await client.query<{ values: string[] }>(
          `SELECT ${sqlArrayLiteral(VALUES, 'text')} AS values`,
        );
        expect(rows[0]?.values).toEqual(VALUES);
      } finally {
        await client.query('RESET standard_conforming_strings');
      }
    },
  );

  it('writes NULL for null and an empty typed array for no values', async () => {
    const { rows } = await client.query(`SELECT ${sqlLiteral(null)} AS nothing, ${sqlArrayLiteral([], 'uuid')} AS ids`);
    expect(rows).toEqual([{ nothing: null, ids: [] }]);
  });
});

describe('SQL literal refusals', () => {
  it('refuses NUL, which would end the protocol message early', () => {
    expect(() => sqlLiteral('before\u0000after')).toThrow('cannot hold a NUL');
  });

  it('refuses what is not a string instead of writing an empty literal', () => {
    expect(() => sqlLiteral(42 as unknown as string)).toThrow('must be a string, not number');
    expect(() => sqlLiteral(undefined as unknown as string)).toThrow('must be a string, not undefined');
  });
});
