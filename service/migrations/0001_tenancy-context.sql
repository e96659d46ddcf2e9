-- Up Migration

-- The service runs every request in one transaction that sets the caller's tenant, user and roles with
-- set_config(..., true) (transaction-local). These functions read those settings for the row-level security
-- policies. `current_setting(name, true)` returns NULL when the setting was never defined and '' after a previous
-- transaction on the same connection defined it; both become NULL (or no roles), so every policy compares with
-- NULL and matches no row. A missing tenant therefore means "no rows", never "all rows" and never an error.
--
-- The role names 'manager' and 'admin' mirror APP_ROLES in service/src/contract.ts (SQL cannot import it); the
-- isolation tests use APP_ROLES, so a rename there without a new migration fails the tests.
--
-- The functions are plain SQL, STABLE and SECURITY INVOKER, so the planner inlines them into the policies and the
-- tenant comparison can use the (tenant_id, ...) indexes.

CREATE SCHEMA tenancy;
REVOKE ALL ON SCHEMA tenancy FROM PUBLIC;

CREATE FUNCTION tenancy.current_tenant_id() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '') $$;

CREATE FUNCTION tenancy.current_user_id() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.user_id', true), '') $$;

CREATE FUNCTION tenancy.current_roles() RETURNS text[]
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(string_to_array(nullif(current_setting('app.roles', true), ''), ','), '{}'::text[]) $$;

CREATE FUNCTION tenancy.has_role(role_name text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT role_name = ANY (tenancy.current_roles()) $$;

-- The grantee comes from the migration session (runMigrations sets mcp.app_role from DATABASE.appRole in
-- contract.ts), so the role name has one source of truth. Running this file outside runMigrations fails loudly here.
DO $grant$
DECLARE
  app_role text := current_setting('mcp.app_role');
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA tenancy TO %I', app_role);
  EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tenancy TO %I', app_role);
END
$grant$;

-- Down Migration

DROP SCHEMA tenancy CASCADE;
