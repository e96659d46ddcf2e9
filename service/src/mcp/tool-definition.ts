import type { PoolClient } from 'pg';
import type { z } from 'zod';
import type { McpScope } from '../contract.js';
import type { AuditOutcome } from '../data/audit-log.js';
import type { TenantContext } from '../data/tenant-context.js';

/** What a tool's run function gets: the open tenant transaction and who is calling. */
export interface ToolCall {
  client: PoolClient;
  tenant: TenantContext;
  /** The scopes of the caller's token, for a tool whose need depends on the data (deleting another's document). */
  scopes: readonly string[];
}

/** A tool's answer, before it is shaped into an MCP result. Failures are expected outcomes, not exceptions. */
export type ToolOutcome<Output> =
  | { ok: true; value: Output; documentIds: string[] }
  | {
      ok: false;
      outcome: Exclude<AuditOutcome, 'ok' | 'error'>;
      message: string;
      documentIds: string[];
      /** Why, for the audit row (e.g. which argument was rejected); the message is what the caller reads. */
      detail?: string;
    };

export interface ToolAnnotationsInput {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** One tool: its MCP surface, the scope it needs, and the work it does inside the tenant transaction. */
export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  scope: McpScope;
  inputSchema: Input;
  outputSchema: Output;
  annotations: ToolAnnotationsInput;
  run(input: z.infer<Input>, call: ToolCall): Promise<ToolOutcome<z.infer<Output>>>;
}

export const succeeded = <Output>(value: Output, documentIds: string[]): ToolOutcome<Output> => ({
  ok: true,
  value,
  documentIds,
});

export const notFound = (id: string): ToolOutcome<never> => ({
  ok: false,
  outcome: 'not_found',
  message: `Document ${id} was not found.`,
  documentIds: [id],
});

export const forbidden = (message: string, documentIds: string[]): ToolOutcome<never> => ({
  ok: false,
  outcome: 'forbidden',
  message,
  documentIds,
});

export const invalid = (message: string, documentIds: string[] = [], detail?: string): ToolOutcome<never> => ({
  ok: false,
  outcome: 'invalid',
  message,
  documentIds,
  ...(detail === undefined ? {} : { detail }),
});
