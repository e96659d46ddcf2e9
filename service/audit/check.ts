import type { AuditOptions } from './options.js';

export type Outcome = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  outcome: Outcome;
  /** One line: what was sent, what came back, what was expected (or why the check does not apply). */
  why: string;
}

/** What every check knows about the target, derived once from the options. */
export interface AuditTarget {
  options: AuditOptions;
  /** The MCP endpoint audited, e.g. https://mcp.example.com/mcp: also the resource URL tokens are bound to. */
  mcpUrl: string;
  /** scheme://host[:port] of the deployment. */
  origin: string;
  /** What checks learnt that later checks use: the 401 challenge's resource_metadata URL, the metadata document. */
  learnt: { resourceMetadataUrl?: string; authorizationServers?: string[] };
}

export interface Check {
  id: string;
  title: string;
  run(target: AuditTarget): Promise<Omit<CheckResult, 'id' | 'title'>>;
}

export const pass = (why: string) => ({ outcome: 'pass', why }) as const;
export const fail = (why: string) => ({ outcome: 'fail', why }) as const;
export const skip = (why: string) => ({ outcome: 'skip', why }) as const;
