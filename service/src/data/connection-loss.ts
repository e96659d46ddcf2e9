/**
 * Whether an error means the database connection itself is gone (server restart, failover, a terminated backend,
 * a cut network), as opposed to a statement that failed on a healthy connection. A lost connection cannot be rolled
 * back or reused; the server has already rolled back whatever it had not committed.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // Class 08: connection exception. 57P01 admin shutdown (pg_terminate_backend, a fast stop, an HA failover),
    // 57P02 crash shutdown, 57P03 cannot connect now (starting up or shutting down).
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (SOCKET_ERROR_CODES.has(code)) return true;
  }
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.some((text) => message.includes(text));
}

const SOCKET_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

// What the pg driver itself says (it sets no code) once the socket has ended or the client has been marked broken.
const PG_CONNECTION_MESSAGES = ['Connection terminated', 'is not queryable', 'Client was closed'];
