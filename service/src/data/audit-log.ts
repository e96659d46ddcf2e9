import type pg from 'pg';
import { isUuid } from './document-model.js';
import { sqlArrayLiteral, sqlLiteral } from './sql-literal.js';
import type { TenantContext } from './tenant-context.js';
import { withTenantTransaction } from './tenant-transaction.js';

export const AUDIT_OUTCOMES = ['ok', 'not_found', 'forbidden', 'invalid', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEventInput {
  tool: string;
  documentIds: readonly string[];
  outcome: AuditOutcome;
  detail?: string;
}

export interface AuditEvent {
  id: string;
  occurredAt: string;
  tenantId: string;
  userId: string;
  clientId: string;
  tool: string;
  documentIds: string[];
  outcome: AuditOutcome;
  correlationId: string;
  detail?: string;
}

const DETAIL_MAX_LENGTH = 2000;

/**
 * Appends one audit event in its own tenant transaction. Call it after the operation's transaction has ended
 * with an error, so that a rolled-back operation is still recorded.
 */
export async function recordAuditEvent(pool: pg.Pool, ctx: TenantContext, event: AuditEventInput): Promise<void> {
  // Outside the tenant's connection share: the record of a refusal or failure must not wait behind the tenant's own
  // slow calls (or time out because of them); it is one short INSERT.
  await withTenantTransaction(
    pool,
    ctx,
    async () => event,
    { outsideTenantShare: true },
    (recorded) => auditEventStatement(ctx, recorded),
  );
}

/**
 * The INSERT of one audit event, to run as the last statement of the caller's tenant transaction (withTenantTransaction's
 * final statement), so the access and its record commit (or roll back) together, in the round trip of the COMMIT.
 * Ids that are not uuids cannot name a document; they are kept, quoted, in the detail.
 */
export function auditEventStatement(ctx: TenantContext, event: AuditEventInput): string {
  const documentIds = event.documentIds.filter(isUuid);
  const rejectedIds = event.documentIds.filter((id) => !isUuid(id));
  const detailParts = [
    ...(event.detail ? [event.detail] : []),
    ...(rejectedIds.length > 0 ? [`non-uuid ids: ${JSON.stringify(rejectedIds)}`] : []),
  ];
  const detail = detailParts.length > 0 ? truncate(escapeNul(detailParts.join('; ')), DETAIL_MAX_LENGTH) : null;
  const values = [
    sqlLiteral(ctx.tenantId),
    sqlLiteral(ctx.userId),
    sqlLiteral(ctx.clientId),
    sqlLiteral(event.tool),
    sqlArrayLiteral(documentIds, 'uuid'),
    sqlLiteral(event.outcome),
    sqlLiteral(ctx.correlationId),
    sqlLiteral(detail),
  ];
  return `INSERT INTO audit_events (tenant_id, user_id, client_id, tool, document_ids, outcome, correlation_id, detail)
     VALUES (${values.join(', ')})`;
}

/** The caller's tenant's most recent audit events (row-level security limits them to the tenant). */
export async function listAuditEvents(client: pg.ClientBase, options: { limit?: number } = {}): Promise<AuditEvent[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 500);
  const { rows } = await client.query<{
    id: string;
    occurred_at: Date;
    tenant_id: string;
    user_id: string;
    client_id: string;
    tool: string;
    document_ids: string[];
    outcome: AuditOutcome;
    correlation_id: string;
    detail: string | null;
  }>(
    `SELECT id::text, occurred_at, tenant_id, user_id, client_id, tool, document_ids, outcome, correlation_id, detail
       FROM audit_events ORDER BY occurred_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    tenantId: row.tenant_id,
    userId: row.user_id,
    clientId: row.client_id,
    tool: row.tool,
    documentIds: row.document_ids,
    outcome: row.outcome,
    correlationId: row.correlation_id,
    ...(row.detail === null ? {} : { detail: row.detail }),
  }));
}

/** A detail may quote what a caller sent; Postgres text cannot hold NUL, and the record must still be written. */
function escapeNul(value: string): string {
  return value.replaceAll('\u0000', '\\u0000');
}

function truncate(value: string, maxLength: number): string {
  return value.length <= maxLength ? value : `${value.slice(0, maxLength - 1)}…`;
}
