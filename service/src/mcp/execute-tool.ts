import type { AuthInfo, CallToolResult } from '@modelcontextprotocol/server';
import type { Pool } from 'pg';
import type { McpScope } from '../contract.js';
import { auditEventStatement, recordAuditEvent } from '../data/audit-log.js';
import { isDataLayerError } from '../data/errors.js';
import { withTenantTransaction } from '../data/tenant-transaction.js';
import { batchCallSlotsOf } from '../http/batch-call-slots.js';
import type { InFlightWork } from '../http/in-flight-work.js';
import { NO_OPERATION_TELEMETRY, type OperationTelemetry } from '../observability/operation-telemetry.js';
import { requestAuthExtra, toTenantContext } from './request-identity.js';
import { invalid, type ToolCall, type ToolDefinition, type ToolOutcome } from './tool-definition.js';
import { documentIdsNamedIn, parseToolInput } from './tool-input.js';
import { structuredResult, toolError } from './tool-result.js';

export interface ToolLogger {
  error(details: Record<string, unknown>, message: string): void;
}

export interface ToolDependencies {
  pool: Pool;
  logger: ToolLogger;
  /** Registers each data access, so shutdown waits for it before the pool closes. */
  work: InFlightWork;
  /** Spans and metrics of each data access; none when absent. */
  telemetry?: OperationTelemetry;
}

export type AuditedOutcome<Output> = ToolOutcome<Output> | { ok: false; outcome: 'error'; message: string };

/**
 * Runs one data access for the verified caller: scope check, the tenant transaction and the audit
 * record. Every outcome, refusals and failures included, is audited; if the audit record cannot be
 * written the call fails (and its transaction rolls back), so no data leaves without a trace.
 */
export function runAudited<Output>(
  operation: string,
  scope: McpScope,
  authInfo: AuthInfo | undefined,
  deps: ToolDependencies,
  work: (call: ToolCall) => Promise<ToolOutcome<Output>>,
): Promise<AuditedOutcome<Output>> {
  const telemetry = deps.telemetry ?? NO_OPERATION_TELEMETRY;
  const observed = () =>
    telemetry.observeOperation(
      operation,
      () => runAuditedNow(operation, scope, authInfo, deps, work),
      (outcome) => (outcome.ok ? 'ok' : outcome.outcome),
    );
  // The calls of one batch take turns (MCP_BATCH_CONCURRENCY at a time), so one request cannot hold the whole pool.
  const slots = batchCallSlotsOf(authInfo);
  return deps.work.track(slots ? slots.run(observed) : observed());
}

async function runAuditedNow<Output>(
  operation: string,
  scope: McpScope,
  authInfo: AuthInfo | undefined,
  deps: ToolDependencies,
  work: (call: ToolCall) => Promise<ToolOutcome<Output>>,
): Promise<AuditedOutcome<Output>> {
  const telemetry = deps.telemetry ?? NO_OPERATION_TELEMETRY;
  const auth = requestAuthExtra(authInfo);
  // The HTTP layer refuses unauthenticated requests; reaching here without an identity is a wiring bug.
  if (!auth) return { ok: false, outcome: 'error', message: 'This request is not authenticated.' };
  const tenant = toTenantContext(auth);

  const record = (outcome: AuditedOutcome<Output>) => ({
    tool: operation,
    documentIds: 'documentIds' in outcome ? outcome.documentIds : [],
    outcome: outcome.ok ? ('ok' as const) : outcome.outcome,
    detail: 'detail' in outcome ? outcome.detail : undefined,
  });

  // The HTTP layer already answered 403 for a missing scope; checking again keeps the data safe
  // even if an operation is ever reached another way.
  if (!auth.identity.scopes.includes(scope)) {
    const refused: AuditedOutcome<Output> = {
      ok: false,
      outcome: 'forbidden',
      message: `This needs the ${scope} scope.`,
      documentIds: [],
    };
    await telemetry.traceTransaction('audit', () => recordAuditEvent(deps.pool, tenant, record(refused)));
    return refused;
  }

  try {
    // The access and its audit record commit together (the record goes with COMMIT): no data leaves without its trace.
    return await telemetry.traceTransaction('transaction', () =>
      withTenantTransaction(
        deps.pool,
        tenant,
        (client) => work({ client, tenant, scopes: auth.identity.scopes }),
        {},
        (outcome) => auditEventStatement(tenant, record(outcome)),
      ),
    );
  } catch (error) {
    let failed: AuditedOutcome<Output>;
    // The data layer's own refusals (a forged cursor, a field out of range) are the caller's to fix.
    if (isDataLayerError(error, 'invalid_cursor') || isDataLayerError(error, 'invalid_input')) {
      failed = { ok: false, outcome: 'invalid', message: error.message, documentIds: [] };
    } else if (isDataLayerError(error, 'tenant_connections_busy')) {
      // The tenant's own calls hold its whole share of the pool: a load condition the caller can wait out, not a
      // fault (the data layer already logged it as a warning).
      failed = {
        ok: false,
        outcome: 'error',
        message: `${operation} is busy for your organisation: retry in a few seconds. Reference: ${tenant.correlationId}.`,
      };
    } else {
      deps.logger.error({ err: error, operation, correlationId: tenant.correlationId }, 'data access failed');
      failed = {
        ok: false,
        outcome: 'error',
        message: `${operation} failed unexpectedly. Reference: ${tenant.correlationId}.`,
      };
    }
    // The transaction rolled back, its audit row with it: record the failure on its own.
    await telemetry.traceTransaction('audit', () => recordAuditEvent(deps.pool, tenant, record(failed)));
    return failed;
  }
}

/**
 * A tool call: the arguments validated, the audited run, shaped into an MCP tool result (errors as isError results
 * the model can read). Arguments arrive unvalidated (see listedInputSchema), so a rejected one is audited too.
 */
export async function executeTool(
  tool: ToolDefinition,
  input: unknown,
  authInfo: AuthInfo | undefined,
  deps: ToolDependencies,
): Promise<CallToolResult> {
  const parsed = parseToolInput(tool, input);
  const work = parsed.ok
    ? (call: ToolCall) => tool.run(parsed.value, call)
    : async () => invalid(parsed.message, documentIdsNamedIn(input), parsed.message);
  try {
    const outcome = await runAudited(tool.name, tool.scope, authInfo, deps, work);
    return outcome.ok ? structuredResult(outcome.value) : toolError(outcome.message);
  } catch (error) {
    // Only the audit write can land here. The SDK would put a thrown error's message (a driver's, with hosts
    // and ports) in the result, so answer with a reference instead.
    const reference = requestAuthExtra(authInfo)?.correlationId ?? 'unknown';
    deps.logger.error({ err: error, tool: tool.name, correlationId: reference }, 'audit write failed');
    return toolError(`The ${tool.name} tool could not complete. Reference: ${reference}.`);
  }
}
