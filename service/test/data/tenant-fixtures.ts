import { randomUUID } from 'node:crypto';
import { APP_ROLES } from '../../src/contract.js';
import type { TenantContext } from '../../src/data/tenant-context.js';

function context(tenantId: string, userId: string, roles: string[] = []): TenantContext {
  return { tenantId, userId, roles, clientId: 'test-client', correlationId: randomUUID() };
}

/** Two tenants; in acme two plain users, a manager and an admin; in globex a user and an admin. */
export const users = {
  alice: context('acme', 'alice'),
  bob: context('acme', 'bob'),
  acmeManager: context('acme', 'mia', [APP_ROLES.manager]),
  acmeAdmin: context('acme', 'adam', [APP_ROLES.admin]),
  carol: context('globex', 'carol'),
  globexAdmin: context('globex', 'gina', [APP_ROLES.admin, APP_ROLES.manager]),
} as const;
