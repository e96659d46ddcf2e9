import type { McpScope } from '../contract.js';
import type { ToolDefinition } from './tool-definition.js';
import { createDocumentTool } from './tools/create-document.js';
import { deleteDocumentTool } from './tools/delete-document.js';
import { getDocumentTool } from './tools/get-document.js';
import { listDocumentsTool } from './tools/list-documents.js';
import { searchDocumentsTool } from './tools/search-documents.js';
import { updateDocumentTool } from './tools/update-document.js';

/** Every tool the server offers. The HTTP layer reads their scopes to answer step-up challenges. */
export const DOCUMENT_TOOLS: readonly ToolDefinition[] = [
  listDocumentsTool,
  getDocumentTool,
  searchDocumentsTool,
  createDocumentTool,
  updateDocumentTool,
  deleteDocumentTool,
];

export const TOOL_SCOPES: ReadonlyMap<string, McpScope> = new Map(
  DOCUMENT_TOOLS.map((tool) => [tool.name, tool.scope]),
);
