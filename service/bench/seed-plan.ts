/**
 * What the seed holds, computed from the number of documents alone: seed.ts writes it, the scenarios query it, and
 * both must agree on every planted value without asking the database.
 */

/** Bump when the generated data changes: a database seeded by another version is seeded again. */
export const SEED_VERSION = 2;

export const TENANT_COUNT = 100;
/** The caller's share of all documents (100,000 of 1,000,000). */
const CALLER_SHARE = 0.1;

/** The caller: a manager, so the whole tenant is visible (a plain user sees only their own documents). */
export const CALLER = {
  tenantId: tenantId(0),
  subject: ownerId(0),
  roles: ['manager'],
  scopes: 'mcp:read mcp:write',
} as const;

/**
 * Every "common" value is planted in the documents whose position in their tenant leaves this residue modulo 20:
 * exactly 5 % of them. Each kind has its own residue, so no two common values land on the same documents.
 */
export const COMMON_MODULUS = 20;
export const COMMON_RESIDUE = { owner: 1, classification: 3, tag: 7, title: 11, search: 13 } as const;

/** Made-up words and values that occur nowhere else in the generated text. */
export const PLANTED = {
  rareSearchTerm: 'xylofrost',
  commonSearchTerm: 'ambergale',
  rareTag: 'bench-rare',
  commonTag: 'bench-common',
  rareTitle: 'Kestrelwing',
  commonTitle: 'Harborlight',
  rareOwner: 'bench-solo',
  commonOwner: ownerId(COMMON_RESIDUE.owner),
  rareClassification: 'restricted',
  commonClassification: 'public',
} as const;

/** Documents are 5 minutes apart, newest first from this instant, in every tenant. */
const NEWEST = Date.UTC(2026, 0, 1);
const SPACING_MS = 5 * 60_000;

export interface SeedPlan {
  version: number;
  documents: number;
  callerDocuments: number;
  /** All other tenants together, spread evenly over TENANT_COUNT - 1. */
  otherDocuments: number;
  /**
   * Where each rare value sits in the caller's tenant: exactly one document each. The other tenants carry every rare
   * value in their newest document, so a leak across tenants would show as a second hit.
   */
  rarePositions: { search: number; tag: number; title: number; owner: number; classification: number; window: number };
  /** The first of the COMMON_MODULUS-th part of the caller's documents that the common date window spans. */
  commonWindowStart: number;
  /** A document get_document reads. */
  samplePosition: number;
}

export function seedPlan(documents: number): SeedPlan {
  const callerDocuments = Math.max(
    COMMON_MODULUS * 10,
    Math.round((documents * CALLER_SHARE) / COMMON_MODULUS) * COMMON_MODULUS,
  );
  // Rare values sit where no common value does (residue 19), spread through the tenant's history.
  const rareAt = (fraction: number) =>
    Math.floor((callerDocuments * fraction) / COMMON_MODULUS) * COMMON_MODULUS + COMMON_MODULUS - 1;
  return {
    version: SEED_VERSION,
    documents,
    callerDocuments,
    otherDocuments: documents - callerDocuments,
    rarePositions: {
      search: rareAt(0.13),
      tag: rareAt(0.29),
      title: rareAt(0.47),
      owner: rareAt(0.61),
      classification: rareAt(0.83),
      window: rareAt(0.71),
    },
    commonWindowStart: Math.floor(callerDocuments * 0.4),
    samplePosition: Math.floor(callerDocuments / 2) + 2,
  };
}

export function tenantId(index: number): string {
  return `bench-t${String(index).padStart(2, '0')}`;
}

export function ownerId(index: number): string {
  return `bench-u${String(index).padStart(2, '0')}`;
}

/** When the document at this position of its tenant was created. */
export function createdAt(position: number): Date {
  return new Date(NEWEST - position * SPACING_MS);
}

export const SPACING_SECONDS = SPACING_MS / 1000;
export const NEWEST_ISO = new Date(NEWEST).toISOString();

/** Both bounds exclusive, as list_documents takes them: exactly the documents at positions first..last. */
export function createdWindow(first: number, last: number): { createdAfter: string; createdBefore: string } {
  const margin = SPACING_MS / 5;
  return {
    createdAfter: new Date(createdAt(last).getTime() - margin).toISOString(),
    createdBefore: new Date(createdAt(first).getTime() + margin).toISOString(),
  };
}
