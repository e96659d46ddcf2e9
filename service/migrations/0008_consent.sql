-- Up Migration

-- Remembered consent of the authorization server's consent page: which scopes a user granted a client (issue 13).
-- A user sees, changes and revokes only their own rows: every policy compares both tenant and user with the
-- transaction's identity (withTenantTransaction), so neither another user of the tenant nor another tenant can read
-- or revoke them. client_id is the client id URL (at most 2,048 characters, as the resolver allows).
CREATE TABLE consents (
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  user_id text NOT NULL CHECK (user_id <> ''),
  client_id text NOT NULL CHECK (char_length(client_id) BETWEEN 1 AND 2048),
  scopes text[] NOT NULL CHECK (cardinality(scopes) BETWEEN 1 AND 50 AND array_position(scopes, NULL) IS NULL),
  granted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, client_id)
);

ALTER TABLE consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE consents FORCE ROW LEVEL SECURITY;

CREATE POLICY consents_select ON consents FOR SELECT
  USING (tenant_id = tenancy.current_tenant_id() AND user_id = tenancy.current_user_id());
CREATE POLICY consents_insert ON consents FOR INSERT
  WITH CHECK (tenant_id = tenancy.current_tenant_id() AND user_id = tenancy.current_user_id());
CREATE POLICY consents_update ON consents FOR UPDATE
  USING (tenant_id = tenancy.current_tenant_id() AND user_id = tenancy.current_user_id())
  WITH CHECK (tenant_id = tenancy.current_tenant_id() AND user_id = tenancy.current_user_id());
CREATE POLICY consents_delete ON consents FOR DELETE
  USING (tenant_id = tenancy.current_tenant_id() AND user_id = tenancy.current_user_id());

REVOKE ALL ON consents FROM PUBLIC;
DO $grant$
DECLARE
  app_role text := current_setting('mcp.app_role');
BEGIN
  EXECUTE format('GRANT SELECT, DELETE ON consents TO %I', app_role);
  EXECUTE format('GRANT INSERT (tenant_id, user_id, client_id, scopes) ON consents TO %I', app_role);
  EXECUTE format('GRANT UPDATE (scopes, updated_at) ON consents TO %I', app_role);
END
$grant$;

-- Down Migration

DROP TABLE consents;
