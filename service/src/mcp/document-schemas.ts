import { z } from 'zod';
import { CLASSIFICATIONS } from '../data/document-model.js';

/**
 * Schemas shared by the document tools. Built once at module load: a server instance is built per
 * request, and rebuilding zod schemas per request was measured at about a quarter of the CPU.
 */

export const documentId = z.uuid().describe('The document id (a UUID).');
export const classification = z.enum(CLASSIFICATIONS).describe('Data classification of the document.');
export const title = z.string().trim().min(1).max(200);
export const body = z.string().max(100_000);
export const tags = z
  .array(
    z
      .string()
      .regex(/^[\w.:-]{1,50}$/, 'tags are 1-50 characters of letters, digits, _ . : -')
      .describe('A tag'),
  )
  .max(20);

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
