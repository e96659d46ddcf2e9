-- Up Migration

-- The authorization server's state (issue 13): oidc-provider's models (sessions, interactions, grants, authorization
-- codes, refresh tokens, registered clients) and the accounts that signed in. Not tenant data: one record serves a
-- browser or a client before anyone is known, and an account is looked up by its id before its tenant is known, so
-- these tables have no row-level security. Instead only the authorization server reaches them: their rights belong to
-- the NOLOGIN role named by mcp.authorization_server_role, granted to the authorization server's login alone, never to
-- the MCP server's application role.
--
-- A record is found by its id, and the id is the secret (a refresh token, an authorization code, a session cookie):
-- only its SHA-256 is stored, and the payload is stored without it (the store removes `jti`), so a copy of this table
-- yields no usable token.
CREATE TABLE oauth_records (
  model text NOT NULL CHECK (char_length(model) BETWEEN 1 AND 64),
  id_hash bytea NOT NULL CHECK (octet_length(id_hash) = 32),
  payload jsonb NOT NULL,
  grant_id text,
  uid text,
  user_code_hash bytea,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id_hash)
);
CREATE INDEX oauth_records_grant ON oauth_records (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oauth_records_uid ON oauth_records (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX oauth_records_expiry ON oauth_records (expires_at) WHERE expires_at IS NOT NULL;

-- Who signed in, as the upstream identity mapped to this system: oidc-provider knows an account by its id only, and
-- the tokens it issues carry the tenant and roles read from here. Updated at every sign-in.
CREATE TABLE oauth_accounts (
  account_id text PRIMARY KEY CHECK (char_length(account_id) BETWEEN 1 AND 255),
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  user_id text NOT NULL CHECK (user_id <> ''),
  roles text[] NOT NULL DEFAULT '{}',
  display_name text NOT NULL,
  issuer text NOT NULL,
  signed_in_at timestamptz NOT NULL DEFAULT now()
);

REVOKE ALL ON oauth_records, oauth_accounts FROM PUBLIC;
DO $grant$
DECLARE
  as_role text := current_setting('mcp.authorization_server_role');
BEGIN
  -- Cluster-wide, so parallel migrations of other databases may create it at the same moment (as in 0004).
  BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE', as_role);
  EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
  END;
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON oauth_records TO %I', as_role);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON oauth_accounts TO %I', as_role);
END
$grant$;

-- Down Migration

DROP TABLE oauth_accounts;
DROP TABLE oauth_records;
