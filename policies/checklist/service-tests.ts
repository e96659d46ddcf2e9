/**
 * The tests of the running service that prove the checklist items only the service can show. Each reference is a
 * test file and a part of a test's full name as the run reports it (describe titles, then the test's, with table
 * cases filled in). A reference counts only when that test passed in the run (checklist/proof-reporter.ts fails
 * `npm test` otherwise: renamed, skipped, failing or never run), and its file must exist (coverage.test.ts).
 */
import type { ChecklistItemId, ServiceTestReference } from './items';

export const SERVICE_TESTS: Partial<Record<ChecklistItemId, readonly ServiceTestReference[]>> = {
  'auth-oauth21': [
    { file: 'service/test/http/token-table-real-app.test.ts', title: 'token table against the real service' },
    { file: 'service/test/auth/token-table.test.ts', title: 'token table: POST /mcp with the bearer hook' },
    { file: 'service/test/auth/protected-resource-metadata.test.ts', title: 'resource_metadata' },
  ],
  'auth-jwt-claims': [
    { file: 'service/test/http/token-table-real-app.test.ts', title: 'wrong iss → 401' },
    { file: 'service/test/http/token-table-real-app.test.ts', title: 'missing tenant → 401' },
    { file: 'service/test/http/token-table-real-app.test.ts', title: 'missing sub → 401' },
  ],
  'auth-token-expiry': [
    { file: 'service/test/http/token-table-real-app.test.ts', title: 'expired → 401' },
    { file: 'service/test/http/token-table-real-app.test.ts', title: 'nbf in the future → 401' },
  ],
  'auth-resource-binding': [
    { file: 'service/test/http/token-table-real-app.test.ts', title: 'wrong aud → 401' },
    { file: 'service/test/http/token-table-real-app.test.ts', title: 'audience array containing ours (passes) → 200' },
  ],
  'auth-tenant-isolation': [
    { file: 'service/test/data/tenant-isolation.test.ts', title: 'never returns another tenant document' },
    { file: 'service/test/mcp/tenant-isolation-tools.test.ts', title: 'never put anything of one tenant in an answer' },
  ],
  'auth-rbac': [
    {
      file: 'service/test/data/tenant-isolation.test.ts',
      title: 'lets a manager update any document of the tenant, but an admin only delete others',
    },
    { file: 'service/test/http/token-table-real-app.test.ts', title: 'missing scope: read token' },
  ],
  'net-security-headers': [
    { file: 'service/test/http/http-surface.test.ts', title: 'sends security headers on MCP and plain routes alike' },
  ],
  'net-cors': [
    { file: 'service/test/http/http-surface.test.ts', title: 'serves an allowed browser origin with CORS headers' },
    { file: 'service/test/http/http-surface.test.ts', title: 'a foreign Origin before looking at the token' },
  ],
  'data-tenant-queries': [
    {
      file: 'service/test/data/tenant-isolation.test.ts',
      title: 'shows the application role no documents and no audit events without a tenant context',
    },
  ],
  'mon-structured-logging': [
    {
      file: 'service/test/http/structured-logs.test.ts',
      title: 'writes one JSON object per line, with the correlation id, and never a credential',
    },
    {
      file: 'service/test/http/http-surface.test.ts',
      title: "answers with a request id of its own, never the caller's",
    },
  ],
  'data-audit': [
    { file: 'service/test/data/audit-log.test.ts', title: 'records who did what' },
    {
      file: 'service/test/data/audit-log.test.ts',
      title: 'keeps the audit row of an operation whose transaction rolled back',
    },
  ],
  'net-rate-limit': [
    {
      file: 'service/test/security/rate-limit-endpoint.test.ts',
      title: 'answers 429 with Retry-After once a caller has spent its budget',
    },
  ],
  'mon-tracing': [
    {
      file: 'service/test/observability/request-tracing.test.ts',
      title: 'makes a server span, a tool span under it and a database span under that',
    },
    { file: 'service/test/observability/otlp-export.test.ts', title: 'sends the spans to <endpoint>/v1/traces' },
  ],
  'mon-metrics': [
    {
      file: 'service/test/observability/metrics-endpoint.test.ts',
      title: 'counts tool calls by tool and audit outcome, with their durations',
    },
  ],
};
