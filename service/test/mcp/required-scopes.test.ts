import { describe, expect, it } from 'vitest';
import { requiredScopesForMessage } from '../../src/mcp/required-scopes.js';

describe('requiredScopesForMessage', () => {
  it.each([
    ['list_documents', ['mcp:read']],
    ['search_documents', ['mcp:read']],
    ['create_document', ['mcp:write']],
    ['update_document', ['mcp:write']],
    // Owners delete their own with mcp:write; another's document asks mcp:admin in the tool (it depends on the data).
    ['delete_document', ['mcp:write']],
  ])('tools/call %s needs %j', (name, scopes) => {
    expect(requiredScopesForMessage({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } })).toEqual(scopes);
  });

  it('needs no scope for discovery and unknown tools (the MCP layer answers those)', () => {
    expect(requiredScopesForMessage({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })).toEqual([]);
    expect(requiredScopesForMessage({ jsonrpc: '2.0', id: 1, method: 'tools/list' })).toEqual([]);
    expect(requiredScopesForMessage({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'nope' } })).toEqual(
      [],
    );
    expect(requiredScopesForMessage(undefined)).toEqual([]);
    expect(requiredScopesForMessage('garbage')).toEqual([]);
  });

  it('needs mcp:read to read a document resource, and the union for a batch', () => {
    expect(
      requiredScopesForMessage({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'document://x' } }),
    ).toEqual(['mcp:read']);
    expect(
      requiredScopesForMessage([
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'delete_document' } },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_document' } },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_documents' } },
      ]).sort(),
    ).toEqual(['mcp:read', 'mcp:write']);
  });
});
