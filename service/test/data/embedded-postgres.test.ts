import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDocuments } from '../../src/data/document-repository.js';
import { startEmbeddedPostgres } from '../../src/data/embedded-postgres.js';
import { runMigrations } from '../../src/data/migrate.js';
import { createDatabasePool } from '../../src/data/pool.js';
import { SAMPLE_USERS, seedSampleDocuments } from '../../src/data/sample-data.js';
import { withTenantTransaction } from '../../src/data/tenant-transaction.js';

describe('embedded Postgres', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcp-pglite-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the pg driver over the wire protocol and keeps data in dataDir across restarts', async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      expect(first.connectionString).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable$/);
      expect(first.maxConnections).toBe(1);
      expect((await runMigrations({ connectionString: first.connectionString })).length).toBeGreaterThan(0);
      await seedSampleDocuments({ connectionString: first.connectionString });
    } finally {
      await first.close();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    const pool = createDatabasePool({
      connectionString: second.connectionString,
      maxConnections: second.maxConnections,
    });
    try {
      const { rows } = await pool.query<{ version: string }>('SELECT version()');
      expect(rows[0]!.version).toContain('PGlite');
      expect(await runMigrations({ connectionString: second.connectionString })).toEqual([]);
      const ctx = { ...SAMPLE_USERS.carol, roles: [], clientId: 'test', correlationId: 'test' };
      const page = await withTenantTransaction(pool, ctx, (c) => listDocuments(c));
      expect(page.items.map((d) => d.title).sort()).toEqual(['Globex holiday calendar', 'Globex merger plan']);
    } finally {
      await pool.end();
      await second.close();
    }
  });
});
