/**
 * The data layer's own failures, each with a stable code the caller can map to a tool error or an HTTP status.
 * Database errors the caller cannot act on (connection lost, constraint bugs) are passed through unchanged.
 */
export type DataErrorCode =
  /** A pagination cursor that this service did not produce (or that was altered). */
  | 'invalid_cursor'
  /** A filter, limit or document field outside its documented range. */
  | 'invalid_input'
  /** A tenant context without tenant or user, or with a role name that cannot be carried safely. */
  | 'invalid_tenant_context'
  /** The tenant already holds its share of the pool's connections and none came free in time; retry shortly. */
  | 'tenant_connections_busy'
  /** A connection string or TLS setting the data layer refuses to use. */
  | 'invalid_database_config'
  /** The application role exists with powers that would defeat row-level security, or migrations run as it. */
  | 'unsafe_app_role'
  /** The workload's login is the tables' owner, or has powers that would defeat row-level security. */
  | 'unsafe_workload_login'
  /** The server cannot create Microsoft Entra principals: not Azure, or Entra authentication is off. */
  | 'entra_principals_unavailable'
  /** The SQL migration files are not where the service expects them. */
  | 'migrations_not_found';

export class DataLayerError extends Error {
  override readonly name = 'DataLayerError';
  readonly code: DataErrorCode;

  constructor(code: DataErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isDataLayerError(error: unknown, code?: DataErrorCode): error is DataLayerError {
  return error instanceof DataLayerError && (code === undefined || error.code === code);
}
