import type pg from 'pg';
import { decodeDocumentCursor, encodeDocumentCursor } from './document-cursor.js';
import {
  CLASSIFICATIONS,
  type Classification,
  DOCUMENT_COLUMNS,
  DOCUMENT_SUMMARY_COLUMNS,
  type Document,
  type DocumentPatch,
  type DocumentRow,
  type DocumentSummary,
  type DocumentSummaryRow,
  isClassification,
  isUuid,
  type NewDocument,
  toDocument,
  toDocumentSummary,
  validateDocumentFields,
} from './document-model.js';
import { DataLayerError } from './errors.js';
import { assertStorableText, isStorableInstant } from './storable-values.js';
import type { TenantContext } from './tenant-context.js';

/**
 * Documents of the caller's tenant. Every function takes the client of a tenant transaction
 * (withTenantTransaction): which rows exist for the caller is decided by the row-level security policies in
 * 0002_documents.sql, not here. A document of another tenant, or another user's document the caller may not
 * read, is therefore simply absent: `not_found`, indistinguishable from an id that never existed. A document
 * the caller can read but not change is `forbidden`.
 */

export type { Classification, Document, DocumentPatch, DocumentSummary, NewDocument } from './document-model.js';

export const LIST_LIMITS = { default: 20, max: 100 } as const;
export const SEARCH_LIMITS = { max: 100, queryMaxLength: 500 } as const;

export interface ListDocumentsFilter {
  /** Documents carrying this tag. */
  tag?: string;
  ownerId?: string;
  classification?: Classification;
  /** ISO 8601 instants; created strictly after / before. */
  createdAfter?: string;
  createdBefore?: string;
  /** Case-insensitive substring of the title (no wildcards). */
  titleContains?: string;
  /** 1..100, default 20. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface DocumentPage {
  items: DocumentSummary[];
  /** Present when more documents follow. */
  nextCursor?: string;
}

export type UpdateDocumentResult =
  | { status: 'updated'; document: Document }
  | { status: 'not_found' | 'forbidden' | 'version_conflict' };

/** `others_need_admin_scope`: the role would allow it, but the caller's token does not carry mcp:admin. */
export type DeleteDocumentResult = { status: 'deleted' | 'not_found' | 'forbidden' | 'others_need_admin_scope' };

export interface DeleteOptions {
  /**
   * Whether the caller may delete documents it does not own (its token carries mcp:admin). An owner deletes its own
   * with less; another's document also needs the admin role, which the policy checks.
   */
  othersToo: boolean;
}

export interface SearchHit {
  document: DocumentSummary;
  rank: number;
  /** An excerpt of the body with the matched words between ** markers. */
  snippet: string;
}

export async function listDocuments(client: pg.ClientBase, filter: ListDocumentsFilter = {}): Promise<DocumentPage> {
  const limit = validateLimit(filter.limit ?? LIST_LIMITS.default, LIST_LIMITS.max);
  assertStorableText(filter.tag, 'tag');
  assertStorableText(filter.ownerId, 'ownerId');
  assertStorableText(filter.titleContains, 'titleContains');
  if (filter.classification !== undefined && !isClassification(filter.classification)) {
    throw new DataLayerError('invalid_input', `classification must be one of ${CLASSIFICATIONS.join(', ')}`);
  }
  const cursor = filter.cursor === undefined ? undefined : decodeDocumentCursor(filter.cursor);
  const titleContains = filter.titleContains === '' ? undefined : filter.titleContains;
  // The ids of the page come from tenancy.list_document_ids (migrations/0005), which applies the read rule next to
  // the filters so their indexes serve them (a tag or title filter could not use one under the policies alone); the
  // documents themselves are read here, as the application role, under the policies.
  const { rows } = await client.query<DocumentSummaryRow>(
    `SELECT ${DOCUMENT_SUMMARY_COLUMNS}
       FROM tenancy.list_document_ids($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7::timestamptz, $8::uuid, $9)
            AS candidate
       JOIN documents ON documents.id = candidate.document_id
      ORDER BY documents.created_at DESC, documents.id DESC`,
    [
      filter.tag ?? null,
      titleContains === undefined ? null : `%${escapeLikePattern(titleContains)}%`,
      filter.ownerId ?? null,
      filter.classification ?? null,
      filter.createdAfter === undefined ? null : parseInstant(filter.createdAfter, 'createdAfter'),
      filter.createdBefore === undefined ? null : parseInstant(filter.createdBefore, 'createdBefore'),
      cursor?.createdAt ?? null,
      cursor?.id ?? null,
      limit + 1,
    ],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toDocumentSummary),
    ...(rows.length > limit && last
      ? { nextCursor: encodeDocumentCursor({ createdAt: last.created_at, id: last.id }) }
      : {}),
  };
}

export async function getDocument(client: pg.ClientBase, id: string): Promise<Document | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await client.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = $1`, [id]);
  return rows[0] ? toDocument(rows[0]) : undefined;
}

/** Owner and tenant are the caller's; the insert policy rejects a `ctx` that is not the transaction's. */
export async function createDocument(client: pg.ClientBase, ctx: TenantContext, input: NewDocument): Promise<Document> {
  const fields = validateDocumentFields({ ...input, title: input.title ?? '' });
  const { rows } = await client.query<DocumentRow>(
    `INSERT INTO documents (tenant_id, owner_id, title, body, tags, classification)
     VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${DOCUMENT_COLUMNS}`,
    [ctx.tenantId, ctx.userId, fields.title, fields.body ?? '', fields.tags ?? [], fields.classification ?? 'internal'],
  );
  return toDocument(rows[0]!);
}

/**
 * Changes the given fields. With `expectedVersion`, the update applies only if the document is still at that
 * version (optimistic concurrency); the database bumps the version on every update.
 */
export async function updateDocument(
  client: pg.ClientBase,
  id: string,
  patch: DocumentPatch & { expectedVersion?: number },
): Promise<UpdateDocumentResult> {
  const { expectedVersion, ...changes } = patch;
  const fields = validateDocumentFields(changes);
  const assignments = (['title', 'body', 'tags', 'classification'] as const).filter((key) => fields[key] !== undefined);
  if (assignments.length === 0) {
    throw new DataLayerError(
      'invalid_input',
      'Nothing to update: give at least one of title, body, tags, classification',
    );
  }
  if (expectedVersion !== undefined && (!Number.isInteger(expectedVersion) || expectedVersion < 1)) {
    throw new DataLayerError('invalid_input', 'expectedVersion must be a positive integer');
  }
  if (!isUuid(id)) return { status: 'not_found' };

  const current = await readPermissions(client, id, 'tenancy.can_update_document');
  if (!current) return { status: 'not_found' };
  if (!current.permitted) return { status: 'forbidden' };
  if (expectedVersion !== undefined && current.version !== expectedVersion) return { status: 'version_conflict' };

  const params: unknown[] = [id, expectedVersion ?? null];
  const setClauses = assignments.map((key) => {
    params.push(fields[key]);
    return `${key} = $${params.length}`;
  });
  const { rows } = await client.query<DocumentRow>(
    `UPDATE documents SET ${setClauses.join(', ')}
      WHERE id = $1 AND ($2::integer IS NULL OR version = $2::integer)
      RETURNING ${DOCUMENT_COLUMNS}`,
    params,
  );
  if (rows[0]) return { status: 'updated', document: toDocument(rows[0]) };
  // Changed or deleted by a concurrent transaction between the check and the update.
  return (await readPermissions(client, id, 'tenancy.can_update_document'))
    ? { status: 'version_conflict' }
    : { status: 'not_found' };
}

export async function deleteDocument(
  client: pg.ClientBase,
  id: string,
  options: DeleteOptions,
): Promise<DeleteDocumentResult> {
  if (!isUuid(id)) return { status: 'not_found' };
  const current = await readPermissions(client, id, 'tenancy.can_delete_document');
  if (!current) return { status: 'not_found' };
  if (!current.permitted) return { status: 'forbidden' };
  if (!current.own && !options.othersToo) return { status: 'others_need_admin_scope' };
  const { rowCount } = await client.query('DELETE FROM documents WHERE id = $1', [id]);
  return rowCount === 1 ? { status: 'deleted' } : { status: 'not_found' };
}

/** Full-text search over title (weight A), body (B) and tags (C), best match first. */
export async function searchDocuments(
  client: pg.ClientBase,
  options: { query: string; limit: number },
): Promise<SearchHit[]> {
  const query = options.query.trim();
  if (query.length === 0 || query.length > SEARCH_LIMITS.queryMaxLength) {
    throw new DataLayerError('invalid_input', `query must be 1..${SEARCH_LIMITS.queryMaxLength} characters`);
  }
  assertStorableText(query, 'query');
  const limit = validateLimit(options.limit, SEARCH_LIMITS.max);
  // The candidates, ranked and cut, come from the tenant's part of the (tenant_id, search_vector) index
  // (migrations/0004: under the policies alone, `@@` could not use it); the documents themselves are read here, as
  // the application role, under the policies. Snippets (ts_headline re-parses the body) only for the rows returned.
  const { rows } = await client.query<DocumentSummaryRow & { rank: number; snippet: string }>(
    `WITH search AS (SELECT websearch_to_tsquery('english', $1) AS query),
     ranked AS (
       SELECT d.*, candidate.rank
         FROM search,
              tenancy.search_document_ids(search.query, $2) AS candidate
              JOIN documents d ON d.id = candidate.id
     )
     SELECT ${DOCUMENT_SUMMARY_COLUMNS}, rank,
            ts_headline('english', body, search.query,
                        'StartSel=**, StopSel=**, MinWords=8, MaxWords=30, MaxFragments=2, FragmentDelimiter=" … "')
              AS snippet
       FROM ranked, search
      ORDER BY ranked.rank DESC, ranked.created_at DESC, ranked.id DESC`,
    [query, limit],
  );
  return rows.map((row) => ({ document: toDocumentSummary(row), rank: Number(row.rank), snippet: row.snippet }));
}

async function readPermissions(
  client: pg.ClientBase,
  id: string,
  rule: 'tenancy.can_update_document' | 'tenancy.can_delete_document',
): Promise<{ version: number; permitted: boolean; own: boolean } | undefined> {
  // The same SQL function the write policy uses, evaluated on a row the read policy lets the caller see.
  const { rows } = await client.query<{ version: number; permitted: boolean; own: boolean }>(
    `SELECT version, ${rule}(tenant_id, owner_id) AS permitted, owner_id = tenancy.current_user_id() AS own
       FROM documents WHERE id = $1`,
    [id],
  );
  return rows[0];
}

function validateLimit(limit: number, max: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new DataLayerError('invalid_input', `limit must be an integer from 1 to ${max}`);
  }
  return limit;
}

/** Keeps the caller's precision (microseconds, as the documents' own timestamps carry); a bare date is UTC midnight. */
function parseInstant(value: string, name: string): string {
  if (!isStorableInstant(value)) {
    throw new DataLayerError(
      'invalid_input',
      `${name} must be an existing ISO 8601 date or date-time with offset (year 0001 to 9999, offset up to ±15:59), ` +
        'e.g. 2026-01-31T12:00:00Z',
    );
  }
  return value.length === 10 ? `${value}T00:00:00Z` : value;
}

function escapeLikePattern(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
