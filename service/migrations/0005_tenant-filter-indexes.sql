-- Up Migration

-- list_documents filters by tag (`@>`) and title (ILIKE): neither operator is LEAKPROOF, so under the policies they
-- were evaluated row by row on the tenant's documents in date order (a rare tag or title scanned the whole tenant).
-- As for search (0004), tenancy.list_document_ids applies the read rule itself next to every filter, so a GIN index
-- over (tenant_id, tags) or (tenant_id, title trigrams) can serve them, and returns ids only; the service reads those
-- documents as the application role, under the policies. Dynamic SQL with bound parameters only, so each call is
-- planned for the filters it has.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX documents_tenant_tags_idx ON documents USING gin (tenant_id, tags);
CREATE INDEX documents_tenant_title_trgm_idx ON documents USING gin (tenant_id, title gin_trgm_ops);

CREATE FUNCTION tenancy.list_document_ids(
  tag text, title_pattern text, owner text, classification text,
  created_after timestamptz, created_before timestamptz,
  cursor_created_at timestamptz, cursor_id uuid, max_rows integer)
  RETURNS TABLE (document_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
  -- A page and one more row (which says whether there is a next page): read by primary key, not joined by a scan.
  ROWS 21
  SET search_path = pg_catalog, pg_temp
  AS $$
  DECLARE
    statement text := 'SELECT d.id FROM public.documents d WHERE tenancy.can_read_document(d.tenant_id, d.owner_id)';
  BEGIN
    IF tag IS NOT NULL THEN statement := statement || ' AND d.tags @> ARRAY[$1]'; END IF;
    IF title_pattern IS NOT NULL THEN statement := statement || ' AND d.title ILIKE $2'; END IF;
    IF owner IS NOT NULL THEN statement := statement || ' AND d.owner_id = $3'; END IF;
    IF classification IS NOT NULL THEN statement := statement || ' AND d.classification = $4'; END IF;
    IF created_after IS NOT NULL THEN statement := statement || ' AND d.created_at > $5'; END IF;
    IF created_before IS NOT NULL THEN statement := statement || ' AND d.created_at < $6'; END IF;
    IF cursor_created_at IS NOT NULL THEN statement := statement || ' AND (d.created_at, d.id) < ($7, $8)'; END IF;
    statement := statement || ' ORDER BY d.created_at DESC, d.id DESC LIMIT least(greatest($9, 0), 101)';
    RETURN QUERY EXECUTE statement
      USING tag, title_pattern, owner, classification, created_after, created_before, cursor_created_at, cursor_id,
            max_rows;
  END
  $$;
REVOKE ALL ON FUNCTION tenancy.list_document_ids(text, text, text, text, timestamptz, timestamptz, timestamptz, uuid, integer) FROM PUBLIC;

DO $grant$
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION tenancy.list_document_ids(text, text, text, text, timestamptz, timestamptz, timestamptz, uuid, integer) TO %I',
                 current_setting('mcp.app_role'));
END
$grant$;
-- The same search role as 0004 (its policy shows it every row; the function applies the read rule itself).
CALL tenancy.give_to_search_role('tenancy.list_document_ids(text, text, text, text, timestamptz, timestamptz, timestamptz, uuid, integer)');

-- Down Migration

DO $search_role$
DECLARE
  search_role text := current_setting('mcp.search_role');
BEGIN
  EXECUTE format('GRANT %I TO %I', search_role, current_user);
  DROP FUNCTION tenancy.list_document_ids(text, text, text, text, timestamptz, timestamptz, timestamptz, uuid, integer);
  EXECUTE format('REVOKE %I FROM %I', search_role, current_user);
END
$search_role$;
DROP INDEX documents_tenant_title_trgm_idx;
DROP INDEX documents_tenant_tags_idx;
