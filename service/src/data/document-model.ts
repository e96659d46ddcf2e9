import { DataLayerError } from './errors.js';
import { hasNulCharacter } from './storable-values.js';

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export interface Document {
  id: string;
  tenantId: string;
  ownerId: string;
  title: string;
  body: string;
  tags: string[];
  classification: Classification;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A document without its body, for listings and search results. */
export type DocumentSummary = Omit<Document, 'body'>;

export interface NewDocument {
  title: string;
  body?: string;
  tags?: readonly string[];
  /** Default `internal`. */
  classification?: Classification;
}

export interface DocumentPatch {
  title?: string;
  body?: string;
  tags?: readonly string[];
  classification?: Classification;
}

/** Limits shared by validation here and the CHECK constraints in 0002_documents.sql. */
export const DOCUMENT_LIMITS = {
  titleMaxLength: 500,
  bodyMaxLength: 1_000_000,
  maxTags: 50,
  tagMaxLength: 64,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are only ever compared as uuids, so anything else cannot name a document (and never reaches SQL). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function isClassification(value: string): value is Classification {
  return (CLASSIFICATIONS as readonly string[]).includes(value);
}

/** Checks the fields a caller may set and returns them normalised (tags trimmed and de-duplicated). */
export function validateDocumentFields<T extends DocumentPatch>(fields: T): T {
  const problems: string[] = [];
  if (fields.title !== undefined) {
    const title = fields.title.trim();
    if (title.length === 0 || title.length > DOCUMENT_LIMITS.titleMaxLength) {
      problems.push(`title must be 1..${DOCUMENT_LIMITS.titleMaxLength} characters`);
    }
  }
  if (fields.body !== undefined && fields.body.length > DOCUMENT_LIMITS.bodyMaxLength) {
    problems.push(`body must be at most ${DOCUMENT_LIMITS.bodyMaxLength} characters`);
  }
  let tags: string[] | undefined;
  if (fields.tags !== undefined) {
    tags = [...new Set(fields.tags.map((tag) => tag.trim()))];
    if (tags.length > DOCUMENT_LIMITS.maxTags) problems.push(`at most ${DOCUMENT_LIMITS.maxTags} tags`);
    if (tags.some((tag) => tag.length === 0 || tag.length > DOCUMENT_LIMITS.tagMaxLength)) {
      problems.push(`each tag must be 1..${DOCUMENT_LIMITS.tagMaxLength} characters`);
    }
  }
  for (const name of ['title', 'body'] as const) {
    if (hasNulCharacter(fields[name])) problems.push(`${name} must not contain NUL characters (\\u0000)`);
  }
  if (fields.tags?.some(hasNulCharacter)) problems.push('tags must not contain NUL characters (\\u0000)');
  if (fields.classification !== undefined && !isClassification(fields.classification)) {
    problems.push(`classification must be one of ${CLASSIFICATIONS.join(', ')}`);
  }
  if (problems.length > 0) throw new DataLayerError('invalid_input', `Invalid document: ${problems.join('; ')}`);
  return {
    ...fields,
    ...(fields.title !== undefined ? { title: fields.title.trim() } : {}),
    ...(tags !== undefined ? { tags } : {}),
  };
}

/**
 * Timestamps leave the database as ISO 8601 UTC strings with Postgres's full microsecond precision. A JavaScript
 * Date would round them to milliseconds, and a `createdAfter` filter or a cursor built from a rounded value would
 * then include the very document it came from.
 */
export const ISO_TIMESTAMP_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const isoTimestamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO_TIMESTAMP_FORMAT})`;

/** The columns every query selects, in the shape `toDocument` reads. Use table-qualified names to sort or filter. */
export const DOCUMENT_SUMMARY_COLUMNS = `id, tenant_id, owner_id, title, tags, classification, version,
  ${isoTimestamp('created_at')} AS created_at, ${isoTimestamp('updated_at')} AS updated_at`;
export const DOCUMENT_COLUMNS = `${DOCUMENT_SUMMARY_COLUMNS}, body`;

export interface DocumentSummaryRow {
  id: string;
  tenant_id: string;
  owner_id: string;
  title: string;
  tags: string[];
  classification: Classification;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DocumentRow extends DocumentSummaryRow {
  body: string;
}

export function toDocumentSummary(row: DocumentSummaryRow): DocumentSummary {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ownerId: row.owner_id,
    title: row.title,
    tags: row.tags,
    classification: row.classification,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDocument(row: DocumentRow): Document {
  return { ...toDocumentSummary(row), body: row.body };
}
