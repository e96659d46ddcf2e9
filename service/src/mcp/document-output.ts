import type { Document, DocumentSummary } from '../data/document-repository.js';
import type { DocumentOutput, DocumentSummaryOutput } from './document-schemas.js';

/** What a tool returns of a document: never the tenant id or other storage details. */
export function toSummaryOutput(doc: DocumentSummary): DocumentSummaryOutput {
  return {
    id: doc.id,
    ownerId: doc.ownerId,
    title: doc.title,
    tags: doc.tags,
    classification: doc.classification,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export function toDocumentOutput(doc: Document): DocumentOutput {
  return { ...toSummaryOutput(doc), body: doc.body };
}
