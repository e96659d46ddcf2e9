import type { Pool } from 'pg';
import type { Identity } from '../auth/identity.js';
import { recordAuditEvent } from '../data/audit-log.js';
import type { TenantContext } from '../data/tenant-context.js';
import { operationsOfMessage } from './message-operations.js';
import { toTenantContext } from './request-identity.js';

/** Refusals answered at the HTTP layer, before any tool runs, to a caller whose token was verified. */
export type HttpRefusalKind = 'insufficient_scope' | 'rate_limited';

export interface HttpRefusal {
  identity: Identity;
  correlationId: string;
  /** The parsed JSON-RPC body: names the operations refused. */
  message: unknown;
  kind: HttpRefusalKind;
  /** Why, for the audit row, e.g. "missing mcp:write"; never client-controlled text. */
  detail: string;
}

export interface RefusalAuditLogger {
  error(details: Record<string, unknown>, message: string): void;
}

export interface RefusalAuditOptions {
  pool: Pool;
  logger: RefusalAuditLogger;
  /** Refusals of one caller, operation and kind within this window after the first share one summary row. */
  windowMs?: number;
  /** Aggregation keys held at most; past it, refusals are written one by one until the next sweep. */
  maxKeys?: number;
}

export interface RefusalAudit {
  /**
   * Audits a refusal: written at once when first of its kind in the window, else counted into a summary row.
   * Resolves once the immediate row is written (at once when there is none); never rejects.
   */
  record(refusal: HttpRefusal): Promise<void>;
  /** Writes the summaries of every open window and waits for all writes; call before the pool closes. */
  flush(): Promise<void>;
}

interface OpenWindow {
  startedAt: number;
  ctx: TenantContext;
  operation: string;
  kind: HttpRefusalKind;
  detail: string;
  firstCorrelationId: string;
  /** Refusals after the first, not yet written. */
  suppressed: number;
}

const DEFAULT_WINDOW_MS = 60_000;
const DEFAULT_MAX_KEYS = 10_000;

function tenantContextOf(identity: Identity, correlationId: string): TenantContext {
  return toTenantContext({ identity, correlationId });
}

/**
 * The audit of refusals that happen before the MCP layer: the step-up 403 (insufficient_scope) and the rate limit's
 * 429. Both cost a client almost nothing to repeat, so writing a row for each would let one caller turn a flood of
 * refusals into a flood of database writes, the very load the rate limit protects against. Per caller (tenant and
 * user), operation and kind, the first refusal in a window is written at once with its own correlation id; the
 * following ones are counted and written as one summary row (outcome `forbidden`, detail "N more ...") when the
 * window closes, or at shutdown. At most 2 rows per caller, operation and kind per window.
 *
 * The first row is written before a step-up refusal is answered (so the request ends with its record, like a tool
 * call), just after a 429 (which the rate-limit hook has sent by then), the summary rows on a timer. A failed write is logged with the count of refusals it covered and the
 * refusal answered all the same: the caller is refused either way, and a database outage must not turn 403s and
 * 429s into errors.
 */
export function createRefusalAudit(options: RefusalAuditOptions): RefusalAudit {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const windows = new Map<string, OpenWindow>();
  const writes = new Set<Promise<void>>();
  let sweeper: NodeJS.Timeout | undefined;

  const write = (ctx: TenantContext, operation: string, detail: string, refusals: number): Promise<void> => {
    const pending = recordAuditEvent(options.pool, ctx, {
      tool: operation,
      documentIds: [],
      outcome: 'forbidden',
      detail,
    })
      .catch((error: unknown) => {
        options.logger.error(
          { err: error, operation, refusals, correlationId: ctx.correlationId },
          'refusal audit write failed',
        );
      })
      .finally(() => writes.delete(pending));
    writes.add(pending);
    return pending;
  };

  const close = (window: OpenWindow) => {
    if (window.suppressed === 0) return;
    const detail =
      `${window.kind}: ${window.suppressed} more like ${window.firstCorrelationId} within ` +
      `${windowMs / 1000} s (${window.detail})`;
    void write(window.ctx, window.operation, detail, window.suppressed);
  };

  const sweep = (now: number, all = false) => {
    for (const [key, window] of windows) {
      if (all || now - window.startedAt >= windowMs) {
        close(window);
        windows.delete(key);
      }
    }
    if (windows.size === 0 && sweeper !== undefined) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  const recordOne = (refusal: HttpRefusal, operation: string, now: number): Promise<void> | undefined => {
    const ctx = tenantContextOf(refusal.identity, refusal.correlationId);
    const key = JSON.stringify([ctx.tenantId, ctx.userId, operation, refusal.kind]);
    const open = windows.get(key);
    if (open !== undefined && now - open.startedAt < windowMs) {
      open.suppressed += 1;
      // The summary row carries the latest refused request's id, the first one is in its detail.
      open.ctx = ctx;
      return undefined;
    }
    if (open !== undefined) close(open);
    const written = write(ctx, operation, `${refusal.kind}: ${refusal.detail}`, 1);
    if (windows.size >= maxKeys) sweep(now);
    if (windows.size >= maxKeys) return written;
    windows.set(key, {
      startedAt: now,
      ctx,
      operation,
      kind: refusal.kind,
      detail: refusal.detail,
      firstCorrelationId: refusal.correlationId,
      suppressed: 0,
    });
    if (sweeper === undefined) {
      sweeper = setInterval(() => sweep(Date.now()), windowMs);
      sweeper.unref();
    }
    return written;
  };

  return {
    async record(refusal) {
      const now = Date.now();
      await Promise.all(operationsOfMessage(refusal.message).map((operation) => recordOne(refusal, operation, now)));
    },
    async flush() {
      sweep(Date.now(), true);
      while (writes.size > 0) await Promise.all(writes);
    },
  };
}
