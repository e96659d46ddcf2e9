import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** postgres://postgres@host:port/postgres, TLS off (loopback only). */
  connectionString: string;
  /** The pool size to use against this server: 1 (see below). */
  maxConnections: number;
  close(): Promise<void>;
}

/**
 * The single Postgres backend of PGlite serves every connection: pglite-socket 0.2.17 multiplexes the wire
 * protocol messages of all its clients onto it. Measured here: while one connection is inside a transaction the
 * others' messages wait (transactions are serialized), and session state (SET, prepared statements, the current
 * role) is shared by all of them. A second pooled connection therefore gains nothing and could observe another
 * connection's session state, so pools against this server use one connection.
 * The server itself accepts a few more, because node-postgres may open the next connection before the server has
 * noticed the previous one close, and the migration runner and seeding use their own short-lived connection;
 * beyond its limit pglite-socket answers with a bare "Too many connections" and a reset, not a Postgres error.
 */
export const EMBEDDED_POOL_SIZE = 1;
const EMBEDDED_SERVER_CONNECTION_SLOTS = 8;

/**
 * Starts PGlite (in memory, or persisted under `dataDir`) behind a Postgres wire-protocol server, so the service
 * and the tests use the same `pg` code path as in production. Loopback only: there is no authentication.
 */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; host?: string; port?: number } = {},
): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  // The extensions the migrations create (contract DATABASE.extensions), which PGlite loads only when asked.
  const db = await PGlite.create({
    extensions: { btree_gin, pg_trgm },
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port ?? 0,
    maxConnections: EMBEDDED_SERVER_CONNECTION_SLOTS,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const address = server.getServerConn();
  const port = address.slice(address.lastIndexOf(':') + 1);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    connectionString: `postgres://postgres@${urlHost}:${port}/postgres?sslmode=disable`,
    maxConnections: EMBEDDED_POOL_SIZE,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
