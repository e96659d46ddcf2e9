import { DOCUMENT_TOOLS } from '../src/mcp/document-tools.js';
import type { RpcAnswer, RpcMessage } from './mcp-call.js';
import { COMMON_MODULUS, createdAt, createdWindow, PLANTED, type SeedPlan } from './seed-plan.js';

export type Target = 'reference' | 'service';
type Matching = keyof typeof P99_BOUND_MS;

/** The search goal's bounds, applied to list_documents' filters alike: by how many documents match. */
export const P99_BOUND_MS = { rare: 50, common: 150 } as const;

export interface Scenario {
  name: string;
  target: Target;
  message: RpcMessage;
  /** Why a single answer is wrong, checked before the load (a wrong answer is not measured). */
  problem(answer: RpcAnswer): string | undefined;
  /** How many documents match: the p99 goal it is held to. Absent for the request-path scenarios. */
  matching?: Matching;
}

interface Summary {
  id: string;
  ownerId: string;
  title: string;
  tags: string[];
  classification: string;
  createdAt: string;
}

const TOOL_NAMES = DOCUMENT_TOOLS.map((tool) => tool.name).sort();

export function toolCall(name: string, args: Record<string, unknown>): RpcMessage {
  return { method: 'tools/call', params: { name, arguments: args } };
}

export interface ScenarioInputs {
  plan: SeedPlan;
  /** A document of the caller's tenant. */
  documentId: string;
  /** nextCursor of the unfiltered first page. */
  cursor: string;
}

export function buildScenarios({ plan, documentId, cursor }: ScenarioInputs): Scenario[] {
  const rare = plan.rarePositions;
  const commonWindow = createdWindow(
    plan.commonWindowStart,
    plan.commonWindowStart + plan.callerDocuments / COMMON_MODULUS - 1,
  );
  const rareWindow = createdWindow(rare.window, rare.window);
  const inWindow = (window: { createdAfter: string; createdBefore: string }) => (doc: Summary) =>
    doc.createdAt > window.createdAfter && doc.createdAt < window.createdBefore;
  // A rare value is in one document; a common one fills the page of 20.
  const list = (name: string, matching: Matching, args: Record<string, unknown>, each?: (doc: Summary) => boolean) =>
    listScenario(name, matching, args, matching === 'rare' ? 1 : 20, each);
  return [
    toolsList('ref tools/list', 'reference'),
    toolsList('svc tools/list', 'service'),
    getDocument('ref get_document', 'reference', documentId),
    getDocument('svc get_document', 'service', documentId),
    search('search rare', 'rare', PLANTED.rareSearchTerm, 1),
    search('search common', 'common', PLANTED.commonSearchTerm, 10),
    // Every document matches an unfiltered page: "common" is the sensible bound.
    list('list', 'common', { limit: 20 }),
    list('list cursor', 'common', { limit: 20, cursor }, (doc) => doc.createdAt < createdAt(19).toISOString()),
    list('list tag rare', 'rare', { tag: PLANTED.rareTag }, (doc) => doc.tags.includes(PLANTED.rareTag)),
    list('list tag common', 'common', { tag: PLANTED.commonTag }, (doc) => doc.tags.includes(PLANTED.commonTag)),
    list('list title rare', 'rare', { titleContains: PLANTED.rareTitle.toLowerCase() }, (doc) =>
      doc.title.includes(PLANTED.rareTitle),
    ),
    list('list title common', 'common', { titleContains: PLANTED.commonTitle.toLowerCase() }, (doc) =>
      doc.title.includes(PLANTED.commonTitle),
    ),
    list('list owner rare', 'rare', { ownerId: PLANTED.rareOwner }, (doc) => doc.ownerId === PLANTED.rareOwner),
    list('list owner common', 'common', { ownerId: PLANTED.commonOwner }, (doc) => doc.ownerId === PLANTED.commonOwner),
    list(
      'list class rare',
      'rare',
      { classification: PLANTED.rareClassification },
      (doc) => doc.classification === PLANTED.rareClassification,
    ),
    list(
      'list class common',
      'common',
      { classification: PLANTED.commonClassification },
      (doc) => doc.classification === PLANTED.commonClassification,
    ),
    list('list window rare', 'rare', rareWindow, inWindow(rareWindow)),
    list('list window common', 'common', commonWindow, inWindow(commonWindow)),
  ];
}

/** A mixed load for the soak: the request path, search and listing, in turn on every connection. */
export function soakMessages(scenarios: readonly Scenario[]): RpcMessage[] {
  const wanted = [
    'svc tools/list',
    'svc get_document',
    'search rare',
    'search common',
    'list',
    'list tag rare',
    'list window common',
  ];
  return scenarios.filter((scenario) => wanted.includes(scenario.name)).map((scenario) => scenario.message);
}

function toolsList(name: string, target: Target): Scenario {
  return {
    name,
    target,
    message: { method: 'tools/list' },
    problem(answer) {
      if (answer.status !== 200 || !answer.result) return `answered ${answer.status}: ${answer.raw.slice(0, 300)}`;
      const tools = answer.result.tools as Array<{ name: string }> | undefined;
      const names = (tools ?? []).map((tool) => tool.name).sort();
      return names.join() === TOOL_NAMES.join()
        ? undefined
        : `lists tools [${names.join(', ')}], not [${TOOL_NAMES.join(', ')}]`;
    },
  };
}

function getDocument(name: string, target: Target, id: string): Scenario {
  return {
    name,
    target,
    message: toolCall('get_document', { id }),
    problem(answer) {
      const problem = toolProblem(answer, 'get_document');
      if (problem || target === 'reference') return problem;
      const { document } = structured<{ document?: Summary }>(answer);
      return document?.id === id ? undefined : `returned another document than ${id}`;
    },
  };
}

function search(name: string, matching: Matching, query: string, expected: number): Scenario {
  return {
    name,
    target: 'service',
    message: toolCall('search_documents', { query }),
    matching,
    problem(answer) {
      const problem = toolProblem(answer, 'search_documents');
      if (problem) return problem;
      const { results = [] } = structured<{ results?: unknown[] }>(answer);
      return results.length === expected ? undefined : `found ${results.length} documents, expected ${expected}`;
    },
  };
}

function listScenario(
  name: string,
  matching: Matching,
  args: Record<string, unknown>,
  expected: number,
  each?: (doc: Summary) => boolean,
): Scenario {
  return {
    name,
    target: 'service',
    message: toolCall('list_documents', args),
    matching,
    problem(answer) {
      const problem = toolProblem(answer, 'list_documents');
      if (problem) return problem;
      const page = structured<{ documents: Summary[]; nextCursor?: string }>(answer);
      if (page.documents.length !== expected) return `listed ${page.documents.length} documents, expected ${expected}`;
      // A rare value sits in one document: no next page. A common one fills the page and has more.
      if ((page.nextCursor !== undefined) !== (expected === 20)) return 'nextCursor is not as expected';
      const stray = each && page.documents.find((doc) => !each(doc));
      return stray ? `listed ${stray.id}, which does not match the filter` : undefined;
    },
  };
}

/** Why a get_document answer is not a valid document (no other check: the reference's is a constant). */
export function getDocumentProblem(answer: RpcAnswer): string | undefined {
  return toolProblem(answer, 'get_document');
}

/** The structured content of an answer toolProblem passed: its output schema vouches for the shape. */
function structured<T>(answer: RpcAnswer): T {
  return (answer.result?.structuredContent ?? {}) as T;
}

/** A 200 with a tool result that is no tool error and whose structured content passes the tool's output schema. */
function toolProblem(answer: RpcAnswer, toolName: string): string | undefined {
  if (answer.status !== 200) return `answered ${answer.status}: ${answer.raw.slice(0, 300)}`;
  if (!answer.result) return `answered no result: ${answer.raw.slice(0, 300)}`;
  if (answer.result.isError) return `answered a tool error: ${JSON.stringify(answer.result.content).slice(0, 300)}`;
  const tool = DOCUMENT_TOOLS.find((candidate) => candidate.name === toolName)!;
  const checked = tool.outputSchema.safeParse(answer.result.structuredContent);
  return checked.success
    ? undefined
    : `structured content fails the output schema: ${checked.error.message.slice(0, 300)}`;
}
