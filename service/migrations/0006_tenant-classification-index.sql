-- Up Migration

-- list_documents by classification had no index of its own: the planner walked the tenant's documents newest first
-- until a page matched, so a classification held by one document in 100,000 read them all (318 ms measured with
-- `npm run bench`'s data; 1 ms with this index). Same order as the page (created_at, id), so a page is a range.
CREATE INDEX documents_tenant_classification_created_idx
  ON documents (tenant_id, classification, created_at DESC, id DESC);

-- Down Migration

DROP INDEX documents_tenant_classification_created_idx;
