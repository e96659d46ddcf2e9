import type { LoadToken } from './load-token.js';
import type { LoadKind } from './weighted-mix.js';

/** One caller of the load: its token, and the documents it has seen (what its reads ask for). */
export interface VirtualUser {
  token: LoadToken;
  knownIds: string[];
}

export interface PlannedCall {
  kind: LoadKind;
  tool: string;
  args: Record<string, unknown>;
  /** Learns from a successful result (ids to read later). */
  learn(result: Record<string, unknown>): void;
}

/** Words the created documents are written from, so searches find some of them (and the sample data's). */
export const SEARCH_TERMS = ['report', 'latency', 'database', 'incident', 'quarterly plan', 'onboarding'] as const;
export const LOAD_TAG = 'load-test';
/** Enough to spread reads over many rows without the list growing with the run. */
const MAX_KNOWN_IDS = 500;

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function remember(user: VirtualUser, id: unknown): void {
  if (typeof id !== 'string' || user.knownIds.includes(id)) return;
  if (user.knownIds.length >= MAX_KNOWN_IDS) user.knownIds.splice(Math.floor(Math.random() * MAX_KNOWN_IDS), 1);
  user.knownIds.push(id);
}

function structured(result: Record<string, unknown>): Record<string, unknown> {
  const content = result.structuredContent;
  return typeof content === 'object' && content !== null ? (content as Record<string, unknown>) : {};
}

/**
 * The guide's scenario over MCP tools. A read is get_document of a document the user has seen; until it has seen
 * one it lists its documents (the guide's read does the same: list, then fetch one). A create writes a small
 * document tagged load-test, titled with the run id so a run's documents can be found and deleted.
 */
export function createLoadScenario(runId: string, random: () => number = Math.random) {
  let created = 0;
  return (kind: LoadKind, user: VirtualUser): PlannedCall => {
    switch (kind) {
      case 'read':
        if (user.knownIds.length > 0) {
          return { kind, tool: 'get_document', args: { id: pick(user.knownIds, random) }, learn: () => {} };
        }
        return {
          kind,
          tool: 'list_documents',
          args: { limit: 50 },
          learn(result) {
            const documents = structured(result).documents;
            if (Array.isArray(documents)) for (const doc of documents) remember(user, (doc as { id?: unknown }).id);
          },
        };
      case 'create': {
        created += 1;
        const words = [pick(SEARCH_TERMS, random), pick(SEARCH_TERMS, random)];
        return {
          kind,
          tool: 'create_document',
          args: {
            title: `load test ${runId} #${created}`,
            body: `Written by the load test ${runId}: a ${words[0]} about the ${words[1]}.`,
            tags: [LOAD_TAG],
            classification: 'internal',
          },
          learn(result) {
            const document = structured(result).document;
            remember(user, (document as { id?: unknown } | undefined)?.id);
          },
        };
      }
      case 'search':
        return {
          kind,
          tool: 'search_documents',
          args: { query: pick(SEARCH_TERMS, random), limit: 10 },
          learn: () => {},
        };
    }
  };
}
