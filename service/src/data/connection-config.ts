import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import { DataLayerError } from './errors.js';

/** A password, or a function returning one per new connection (e.g. a Microsoft Entra access token). */
export type DatabasePassword = string | (() => string | Promise<string>);

/**
 * Turns a `postgres://` URL into an explicit pg client configuration.
 *
 * Why not hand the URL to pg: pg lets values parsed from `connectionString` override explicit options, so a
 * password in the URL would beat the one read from the secrets mount, and its `sslmode=require` handling is
 * in transition between two meanings. Here the rules are ours and explicit:
 * - `password` (when given) replaces any password in the URL.
 * - no `sslmode` or `sslmode=disable`: plain TCP (local development, the embedded server).
 * - `sslmode=require` and `sslmode=verify-full`: TLS, certificate chain AND host name verified. This is stricter
 *   than libpq's `require` on purpose: Azure Database for PostgreSQL presents a publicly trusted certificate,
 *   so verification costs nothing and stops a man in the middle.
 * - `sslmode=verify-ca`: TLS, chain verified, host name not (for servers reached through an alias).
 * - `sslrootcert=<file>`: trust that CA bundle instead of Node's default store.
 * - `allow` / `prefer` (TLS only when the server offers it) are refused: a downgrade must be a visible choice.
 */
export function resolveConnectionConfig(connectionString: string, password?: DatabasePassword): pg.ClientConfig {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch (error) {
    throw new DataLayerError(
      'invalid_database_config',
      'The database URL is not a valid URL; expected postgres://user@host:5432/database?sslmode=verify-full',
      { cause: error },
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new DataLayerError(
      'invalid_database_config',
      `The database URL must start with postgres:// or postgresql://, not ${url.protocol}//`,
    );
  }
  const params = url.searchParams;
  const host = params.get('host') ?? decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1');
  if (host === '') {
    throw new DataLayerError('invalid_database_config', 'The database URL has no host');
  }
  if (host.includes(',')) {
    throw new DataLayerError('invalid_database_config', 'Several hosts in one database URL are not supported');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const config: pg.ClientConfig = {
    host,
    port: url.port === '' ? 5432 : Number(url.port),
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
    database: database === '' ? undefined : database,
    password: password ?? (url.password === '' ? undefined : decodeURIComponent(url.password)),
    ssl: resolveTls(params.get('sslmode'), params.get('sslrootcert')),
  };
  const applicationName = params.get('application_name');
  if (applicationName !== null) config.application_name = applicationName;
  return config;
}

function resolveTls(sslMode: string | null, rootCertPath: string | null): false | ConnectionOptions {
  const ca = rootCertPath === null || rootCertPath === 'system' ? undefined : readCaBundle(rootCertPath);
  switch (sslMode) {
    case null:
    case 'disable':
      return false;
    case 'require':
    case 'verify-full':
      return { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...(ca ? { ca } : {}) };
    default:
      throw new DataLayerError(
        'invalid_database_config',
        `sslmode=${sslMode} is not supported; use disable (local only), require or verify-full (TLS, verified)`,
      );
  }
}

function readCaBundle(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new DataLayerError('invalid_database_config', `Cannot read the sslrootcert file ${path}`, { cause: error });
  }
}

/** The same URL with another user and database, for tools that connect next to the service (tests, seeding). */
export function withConnectionTarget(connectionString: string, target: { user?: string; database?: string }): string {
  const url = new URL(connectionString);
  if (target.user !== undefined) {
    url.username = encodeURIComponent(target.user);
    url.password = '';
  }
  if (target.database !== undefined) url.pathname = `/${encodeURIComponent(target.database)}`;
  return url.toString();
}
