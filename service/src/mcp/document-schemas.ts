import { z } from 'zod';
import { CLASSIFICATIONS } from '../data/document-model.js';

/**
 * Schemas shared by the document tools. Built once at module load: a server instance is built per
 * request, and rebuilding zod schemas per request was measured at about a quarter of the CPU.
 */

export const documentId = z.uuid().describe('The document id (a UUID).');
export const classification = z.enum(CLASSIFICATIONS).describe('Data classification of the document.');
export const title = z.string().trim().min(1).max(200).describe('The title, 1-200 characters.');
export const body = z.string().max(100_000).describe('The text of the document, up to 100,000 characters.');
export const tags = z
  .array(
    z
      .string()
      .regex(/^[\w.:-]{1,50}$/, 'tags are 1-50 characters of letters, digits, _ . : -')
      .describe('A tag'),
  )
  .max(20)
  .describe('Tags, up to 20, each 1-50 characters of letters, digits, _ . : -');

/** A bare date is midnight UTC: what a person asking for "documents since March 1" means. */
export const instant = (meaning: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })])
    .describe(
      `${meaning}: an ISO 8601 date (2026-03-01, midnight UTC) or date-time with offset (2026-03-01T09:30:00Z).`,
    );

export const documentSummary = z.object({
  id: z.string(),
  ownerId: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  classification,
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const documentFull = documentSummary.extend({ body: z.string() });

export type DocumentSummaryOutput = z.infer<typeof documentSummary>;
export type DocumentOutput = z.infer<typeof documentFull>;
