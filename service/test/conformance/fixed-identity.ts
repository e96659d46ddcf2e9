import type { AuthInfo } from '@modelcontextprotocol/server';
import { MCP_SCOPES } from '../../src/contract.js';

/**
 * The identity the conformance run acts as. The suite's CLI cannot send an Authorization header, so the
 * test wiring sets this in place of a verified token; production code has no path to it.
 */
export const CONFORMANCE_TEST_IDENTITY: Readonly<AuthInfo> = Object.freeze({
  token: 'conformance-suite-fixed-identity',
  clientId: 'conformance-suite',
  scopes: Object.values(MCP_SCOPES),
});
