import { DataLayerError } from './errors.js';

/** A tenant's claim on one pooled connection; give it back exactly once, after the connection is released. */
export interface TenantShareSlot {
  /** How long the caller waited for the slot (0 when one was free). */
  readonly waitedMs: number;
  release(): void;
}

interface Waiter {
  grant(): void;
}

interface TenantSlots {
  held: number;
  waiting: Waiter[];
}

/**
 * Caps how many pooled connections one tenant holds at once, so that a tenant running many slow queries (a JSON-RPC
 * batch, a heavy search loop) waits behind its own calls instead of taking the whole pool from every other tenant.
 * Waiters of a tenant are served first come, first served; a waiter gives up after its timeout with
 * `tenant_connections_busy`, so nothing waits unboundedly.
 */
export class TenantConnectionShare {
  readonly limit: number;
  readonly #tenants = new Map<string, TenantSlots>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`tenant share must be an integer >= 1: ${limit}`);
    this.limit = limit;
  }

  /** Connections the tenant holds now (for tests and diagnostics). */
  held(tenantId: string): number {
    return this.#tenants.get(tenantId)?.held ?? 0;
  }

  acquire(tenantId: string, timeoutMs: number): Promise<TenantShareSlot> {
    const slots = this.#tenants.get(tenantId) ?? { held: 0, waiting: [] };
    this.#tenants.set(tenantId, slots);
    if (slots.held < this.limit) {
      slots.held += 1;
      return Promise.resolve(this.#slot(tenantId, slots, 0));
    }
    const startedAt = performance.now();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(this.#slot(tenantId, slots, performance.now() - startedAt));
        },
      };
      const timer = setTimeout(() => {
        slots.waiting.splice(slots.waiting.indexOf(waiter), 1);
        reject(
          new DataLayerError(
            'tenant_connections_busy',
            `Tenant ${tenantId} already holds its share of ${this.limit} database connections; retry shortly`,
          ),
        );
      }, timeoutMs);
      slots.waiting.push(waiter);
    });
  }

  #slot(tenantId: string, slots: TenantSlots, waitedMs: number): TenantShareSlot {
    let released = false;
    return {
      waitedMs,
      release: () => {
        if (released) return;
        released = true;
        // The slot passes straight to the tenant's next waiter; the count only drops when nobody waits.
        const next = slots.waiting.shift();
        if (next) return next.grant();
        slots.held -= 1;
        if (slots.held === 0) this.#tenants.delete(tenantId);
      },
    };
  }
}
