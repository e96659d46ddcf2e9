import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { z } from 'zod';

/**
 * What the SDK is given as a tool's input schema: the tool's own JSON Schema for `tools/list`, and a validation that
 * passes the arguments through unchanged. The SDK would otherwise refuse invalid arguments before any of our code
 * runs, so the refusal would leave no audit row; executeTool validates them with the same zod schema instead, where
 * the caller is known (see validateToolInput).
 */
export function listedInputSchema(schema: z.ZodObject): StandardSchemaWithJSON<Record<string, unknown>> {
  const zodStandard = schema['~standard'];
  return {
    '~standard': {
      version: 1,
      vendor: 'secure-mcp-documents',
      validate: (value) => ({ value: value as Record<string, unknown> }),
      jsonSchema: zodStandard.jsonSchema,
    },
  };
}
