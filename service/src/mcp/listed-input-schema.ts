import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { z } from 'zod';

type JsonSchemaConverter = StandardSchemaWithJSON['~standard']['jsonSchema'];
type JsonSchemaOptions = Parameters<JsonSchemaConverter['input']>[0];

/**
 * What the SDK is given as a tool's input schema: the tool's own JSON Schema for `tools/list`, and a validation that
 * passes the arguments through unchanged. The SDK would otherwise refuse invalid arguments before any of our code
 * runs, so the refusal would leave no audit row; executeTool validates them with the same zod schema instead, where
 * the caller is known (see validateToolInput).
 */
export function listedInputSchema(schema: z.ZodObject): StandardSchemaWithJSON<Record<string, unknown>> {
  return {
    '~standard': {
      version: 1,
      vendor: 'secure-mcp-documents',
      validate: (value) => ({ value: value as Record<string, unknown> }),
      jsonSchema: convertedOnce(schema['~standard'].jsonSchema),
    },
  };
}

/**
 * The tool's output schema as the SDK is given it: zod still validates every result, but its JSON Schema is
 * converted once per process instead of on every `tools/list`.
 */
export function listedOutputSchema<Output extends z.ZodObject>(
  schema: Output,
): StandardSchemaWithJSON<z.infer<Output>> {
  const zodStandard = schema['~standard'];
  return {
    '~standard': {
      version: 1,
      vendor: zodStandard.vendor,
      validate: (value) => zodStandard.validate(value),
      jsonSchema: convertedOnce(zodStandard.jsonSchema),
    },
  };
}

/**
 * Each server serves one request (the SDK's stateless model), so without this the SDK converts every tool's zod
 * schemas to JSON Schema on every `tools/list`: measured at 40 % of the CPU of a `tools/list` load. The result is
 * frozen because every request shares it: a mutation would change the next caller's listing, so it throws instead.
 */
function convertedOnce(convert: JsonSchemaConverter): JsonSchemaConverter {
  const cache = new Map<string, Record<string, unknown>>();
  const memo =
    (io: 'input' | 'output') =>
    (options: JsonSchemaOptions): Record<string, unknown> => {
      const key = `${io}:${options.target}:${JSON.stringify(options.libraryOptions ?? null)}`;
      let converted = cache.get(key);
      if (!converted) {
        converted = deepFreeze(convert[io](options));
        cache.set(key, converted);
      }
      return converted;
    };
  return { input: memo('input'), output: memo('output') };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
