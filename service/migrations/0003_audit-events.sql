-- Up Migration

-- Append-only record of every tool call on documents, successful or not. The service may insert rows for its
-- own tenant and user and read its own tenant's rows; it has no UPDATE, DELETE or TRUNCATE privilege, and a
-- statement-level trigger rejects those for every other role too (statement-level, so it fires even when no row
-- matches). Retention is an explicit owner operation: ALTER TABLE ... DISABLE TRIGGER in a reviewed migration.
CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  user_id text NOT NULL CHECK (user_id <> ''),
  client_id text NOT NULL,
  tool text NOT NULL CHECK (char_length(tool) BETWEEN 1 AND 200),
  document_ids uuid[] NOT NULL DEFAULT '{}',
  outcome text NOT NULL CHECK (outcome IN ('ok', 'not_found', 'forbidden', 'invalid', 'error')),
  correlation_id text NOT NULL,
  detail text CHECK (char_length(detail) <= 2000)
);

CREATE INDEX audit_events_tenant_occurred_idx ON audit_events (tenant_id, occurred_at DESC, id DESC);

CREATE FUNCTION public.audit_events_reject_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
      USING ERRCODE = 'prohibited_sql_statement_attempted';
  END
  $$;

CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION public.audit_events_reject_change();

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;

CREATE POLICY audit_events_select ON audit_events FOR SELECT
  USING (tenant_id = tenancy.current_tenant_id());

CREATE POLICY audit_events_insert ON audit_events FOR INSERT
  WITH CHECK (tenant_id = tenancy.current_tenant_id() AND user_id = tenancy.current_user_id());

REVOKE ALL ON audit_events FROM PUBLIC;
DO $grant$
DECLARE
  app_role text := current_setting('mcp.app_role');
BEGIN
  EXECUTE format('GRANT SELECT ON audit_events TO %I', app_role);
  EXECUTE format(
    'GRANT INSERT (tenant_id, user_id, client_id, tool, document_ids, outcome, correlation_id, detail) ON audit_events TO %I',
    app_role
  );
END
$grant$;

-- Down Migration

DROP TABLE audit_events;
DROP FUNCTION public.audit_events_reject_change();
