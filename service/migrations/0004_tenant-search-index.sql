-- Up Migration

-- Full-text search under row-level security: the policies are applied before a query's own conditions, and `@@` is
-- not LEAKPROOF (only a superuser can mark it so, and Azure gives none), so the planner could not use the GIN index
-- ahead of the tenant policy: a search in a 100,000-document tenant was a sequential scan of the whole table.
--
-- The candidates now come from tenancy.search_document_ids, a SECURITY DEFINER function that applies the read rule
-- itself (tenancy.can_read_document, the function the select policy uses, on the same session settings), so the rule
-- and the text condition go through one GIN index over (tenant_id, search_vector) together. It runs as the search
-- role (NOLOGIN, owner of nothing, member of nothing), whose own policy shows it every row; nobody else is subject
-- to that policy, the owner included (FORCE stays). It returns ids and ranks only: the service then reads those
-- documents as the application role, under the policies, so the database still decides what a caller sees.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX documents_tenant_search_idx ON documents USING gin (tenant_id, search_vector);

CREATE FUNCTION tenancy.search_document_ids(query tsquery, max_rows integer)
  RETURNS TABLE (id uuid, rank real)
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  -- At most a page of results: the caller's read of those rows by primary key, not a scan of the tenant to join.
  ROWS 20
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT d.id, ts_rank_cd(d.search_vector, query) AS rank
      FROM public.documents d
     WHERE tenancy.can_read_document(d.tenant_id, d.owner_id)
       AND d.search_vector @@ query
     ORDER BY rank DESC, d.created_at DESC, d.id DESC
     LIMIT least(greatest(max_rows, 0), 100)
  $$;
REVOKE ALL ON FUNCTION tenancy.search_document_ids(tsquery, integer) FROM PUBLIC;
DO $grant$
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION tenancy.search_document_ids(tsquery, integer) TO %I',
                 current_setting('mcp.app_role'));
END
$grant$;

DO $search_role$
DECLARE
  search_role text := current_setting('mcp.search_role');
BEGIN
  -- Cluster-wide, so parallel migrations of other databases may create it at the same moment (see app-role.ts).
  BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT', search_role);
  EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
  END;
  EXECUTE format('GRANT USAGE ON SCHEMA tenancy TO %I', search_role);
  EXECUTE format('GRANT SELECT ON documents TO %I', search_role);
  EXECUTE format('CREATE POLICY documents_search ON documents FOR SELECT TO %I USING (true)', search_role);
END
$search_role$;

-- Gives a function of the tenancy schema to the search role (this migration's and later ones'). That takes
-- membership in the role and the role's CREATE on the schema, for that moment only: a member would be subject to
-- the role's policy above, so the owner does not stay one.
CREATE PROCEDURE tenancy.give_to_search_role(function_signature regprocedure)
  LANGUAGE plpgsql
  AS $$
  DECLARE
    search_role text := current_setting('mcp.search_role');
  BEGIN
    EXECUTE format('GRANT %I TO %I', search_role, current_user);
    EXECUTE format('GRANT CREATE ON SCHEMA tenancy TO %I', search_role);
    EXECUTE format('ALTER FUNCTION %s OWNER TO %I', function_signature, search_role);
    EXECUTE format('REVOKE CREATE ON SCHEMA tenancy FROM %I', search_role);
    EXECUTE format('REVOKE %I FROM %I', search_role, current_user);
  END
  $$;
REVOKE ALL ON PROCEDURE tenancy.give_to_search_role(regprocedure) FROM PUBLIC;
CALL tenancy.give_to_search_role('tenancy.search_document_ids(tsquery, integer)');

-- Down Migration

DO $search_role$
DECLARE
  search_role text := current_setting('mcp.search_role');
BEGIN
  -- The function belongs to the search role: dropping it needs membership, for that moment only.
  EXECUTE format('GRANT %I TO %I', search_role, current_user);
  DROP FUNCTION tenancy.search_document_ids(tsquery, integer);
  EXECUTE format('REVOKE %I FROM %I', search_role, current_user);
  DROP PROCEDURE tenancy.give_to_search_role(regprocedure);
  DROP POLICY documents_search ON documents;
  EXECUTE format('REVOKE ALL ON documents FROM %I', search_role);
  EXECUTE format('REVOKE ALL ON SCHEMA tenancy FROM %I', search_role);
END
$search_role$;
DROP INDEX documents_tenant_search_idx;
