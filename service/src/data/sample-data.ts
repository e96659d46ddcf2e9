import type { NewDocument } from './document-model.js';
import { createDocument } from './document-repository.js';
import { createDatabasePool } from './pool.js';
import type { TenantContext } from './tenant-context.js';
import { withTenantTransaction } from './tenant-transaction.js';

/** The identities the sample documents belong to; dev tokens minted for them see the documents. */
export const SAMPLE_USERS = {
  alice: { tenantId: 'acme', userId: 'alice' },
  bob: { tenantId: 'acme', userId: 'bob' },
  carol: { tenantId: 'globex', userId: 'carol' },
} as const;

const SAMPLE_DOCUMENTS: ReadonlyArray<{ owner: keyof typeof SAMPLE_USERS; document: NewDocument }> = [
  {
    owner: 'alice',
    document: {
      title: 'Acme onboarding guide',
      body: 'Welcome to Acme. Your first week: laptop setup, security training, and meeting your onboarding buddy.',
      tags: ['onboarding', 'hr'],
      classification: 'internal',
    },
  },
  {
    owner: 'alice',
    document: {
      title: 'Postmortem: database failover in March',
      body: 'The primary database failed over after a storage stall. Connection pools did not reconnect for 4 minutes.',
      tags: ['incident', 'database'],
      classification: 'confidential',
    },
  },
  {
    owner: 'bob',
    document: {
      title: 'Kubernetes upgrade runbook',
      body: 'Drain one node pool at a time, watch the pod disruption budgets, then upgrade the control plane.',
      tags: ['runbook', 'kubernetes'],
      classification: 'internal',
    },
  },
  {
    owner: 'bob',
    document: {
      title: 'Acme brand guidelines',
      body: 'Use the orange logo on light backgrounds only. The typeface is Inter for all product surfaces.',
      tags: ['brand'],
      classification: 'public',
    },
  },
  {
    owner: 'carol',
    document: {
      title: 'Globex merger plan',
      body: 'Due diligence closes in Q3; the database migration of both companies follows in Q4.',
      tags: ['strategy', 'm-and-a'],
      classification: 'restricted',
    },
  },
  {
    owner: 'carol',
    document: {
      title: 'Globex holiday calendar',
      body: 'Offices close on national holidays and the last week of December.',
      tags: ['hr'],
      classification: 'public',
    },
  },
];

/**
 * Inserts the sample documents that are not there yet (matched by owner and title), through the same tenant
 * transactions and policies as the service. It needs a login that can switch to the service's role: the service's
 * own URL, or a superuser (embedded, local). A non-superuser owner such as Azure's admin is not a member of it.
 */
export async function seedSampleDocuments(options: { connectionString: string; password?: string }): Promise<void> {
  const pool = createDatabasePool({ ...options, maxConnections: 1, applicationName: 'mcp-seed' });
  try {
    for (const [name, user] of Object.entries(SAMPLE_USERS)) {
      const ctx: TenantContext = { ...user, roles: [], clientId: 'seed', correlationId: 'seed' };
      const documents = SAMPLE_DOCUMENTS.filter((sample) => sample.owner === name).map((sample) => sample.document);
      await withTenantTransaction(pool, ctx, async (client) => {
        // Without a manager or admin role the owner sees exactly its own documents.
        const { rows } = await client.query<{ title: string }>('SELECT title FROM documents');
        const existing = new Set(rows.map((row) => row.title));
        for (const document of documents) {
          if (!existing.has(document.title)) await createDocument(client, ctx, document);
        }
      });
    }
  } finally {
    await pool.end();
  }
}
