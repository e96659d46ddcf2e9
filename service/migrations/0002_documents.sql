-- Up Migration

-- Who may do what with a document, in one place: the row-level security policies below and the repository's
-- "visible but not permitted" checks both call these, so they cannot drift apart.
--   read:   the owner; a manager or an admin of the same tenant
--   update: the owner; a manager of the same tenant
--   delete: the owner; an admin of the same tenant
CREATE FUNCTION tenancy.can_read_document(doc_tenant_id text, doc_owner_id text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT doc_tenant_id = tenancy.current_tenant_id()
      AND (doc_owner_id = tenancy.current_user_id() OR tenancy.has_role('manager') OR tenancy.has_role('admin'))
  $$;

CREATE FUNCTION tenancy.can_update_document(doc_tenant_id text, doc_owner_id text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT doc_tenant_id = tenancy.current_tenant_id()
      AND (doc_owner_id = tenancy.current_user_id() OR tenancy.has_role('manager'))
  $$;

CREATE FUNCTION tenancy.can_delete_document(doc_tenant_id text, doc_owner_id text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT doc_tenant_id = tenancy.current_tenant_id()
      AND (doc_owner_id = tenancy.current_user_id() OR tenancy.has_role('admin'))
  $$;

-- array_to_string is only STABLE (it formats any element type), so a generated column cannot call it directly;
-- for text[] the result is immutable, which this wrapper declares.
CREATE FUNCTION public.document_tags_text(tags text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT array_to_string(tags, ' ') $$;

CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  owner_id text NOT NULL CHECK (owner_id <> ''),
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
  body text NOT NULL DEFAULT '' CHECK (char_length(body) <= 1000000),
  tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 50 AND array_position(tags, NULL) IS NULL),
  classification text NOT NULL DEFAULT 'internal'
    CHECK (classification IN ('public', 'internal', 'confidential', 'restricted')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('english', body), 'B')
    || setweight(to_tsvector('english', public.document_tags_text(tags)), 'C')
  ) STORED
);

-- Listing is always within one tenant, newest first, keyset-paginated on (created_at, id).
CREATE INDEX documents_tenant_created_idx ON documents (tenant_id, created_at DESC, id DESC);
CREATE INDEX documents_tenant_owner_created_idx ON documents (tenant_id, owner_id, created_at DESC, id DESC);
CREATE INDEX documents_search_idx ON documents USING gin (search_vector);
CREATE INDEX documents_tags_idx ON documents USING gin (tags);

-- Version and timestamps are the database's business, whoever updates: optimistic concurrency relies on them.
CREATE FUNCTION public.documents_before_update() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    NEW.created_at := OLD.created_at;
    RETURN NEW;
  END
  $$;

CREATE TRIGGER documents_before_update
  BEFORE UPDATE ON documents
  FOR EACH ROW EXECUTE FUNCTION public.documents_before_update();

-- FORCE: the owner is subject to the policies too, so even a mistaken owner connection sees no tenant's rows
-- without a tenant context (superusers still bypass RLS; the service never is one, see tenant-transaction.ts).
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;

CREATE POLICY documents_select ON documents FOR SELECT
  USING (tenancy.can_read_document(tenant_id, owner_id));

CREATE POLICY documents_insert ON documents FOR INSERT
  WITH CHECK (tenant_id = tenancy.current_tenant_id() AND owner_id = tenancy.current_user_id());

CREATE POLICY documents_update ON documents FOR UPDATE
  USING (tenancy.can_update_document(tenant_id, owner_id))
  WITH CHECK (tenancy.can_update_document(tenant_id, owner_id));

CREATE POLICY documents_delete ON documents FOR DELETE
  USING (tenancy.can_delete_document(tenant_id, owner_id));

-- Column privileges: the service may not choose ids (a primary-key conflict would reveal that an id exists in
-- another tenant), nor move a document to another tenant or owner, nor write version or timestamps.
REVOKE ALL ON documents FROM PUBLIC;
DO $grant$
DECLARE
  app_role text := current_setting('mcp.app_role');
BEGIN
  EXECUTE format('GRANT SELECT, DELETE ON documents TO %I', app_role);
  EXECUTE format('GRANT INSERT (tenant_id, owner_id, title, body, tags, classification) ON documents TO %I', app_role);
  EXECUTE format('GRANT UPDATE (title, body, tags, classification) ON documents TO %I', app_role);
END
$grant$;

-- Down Migration

DROP TABLE documents;
DROP FUNCTION public.documents_before_update();
DROP FUNCTION public.document_tags_text(text[]);
DROP FUNCTION tenancy.can_delete_document(text, text);
DROP FUNCTION tenancy.can_update_document(text, text);
DROP FUNCTION tenancy.can_read_document(text, text);
