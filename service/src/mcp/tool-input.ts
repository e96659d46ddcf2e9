import type { z } from 'zod';
import type { ToolDefinition } from './tool-definition.js';

export type ParsedToolInput<Input> = { ok: true; value: Input } | { ok: false; message: string };

/** One zod issue as the SDK words it: `path.to.field: message`. */
function formatIssue(issue: z.core.$ZodIssue): string {
  if (issue.path.length === 0) return issue.message;
  return `${issue.path.map(String).join('.')}: ${issue.message}`;
}

/**
 * Validates a tool's arguments against its input schema, with the SDK's own wording for a refusal (clients and
 * models already read it), so the refusal can be audited with the caller's identity (see listedInputSchema).
 */
export function parseToolInput<Input extends z.ZodObject>(
  tool: Pick<ToolDefinition<Input>, 'name' | 'inputSchema'>,
  input: unknown,
): ParsedToolInput<z.infer<Input>> {
  const parsed = tool.inputSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map(formatIssue).join(', ');
  return { ok: false, message: `Input validation error: Invalid arguments for tool ${tool.name}: ${issues}` };
}

/** The document id a refused call named, if any: the audit keeps it (quoted, when it is not a uuid). */
export function documentIdsNamedIn(input: unknown): string[] {
  const id = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? [id] : [];
}
