import { EventEmitter } from 'node:events';
import type Provider from 'oidc-provider';
import { describe, expect, it } from 'vitest';
import {
  countProviderErrors,
  createAuthorizationServerMetrics,
} from '../../../src/authorization-server/observability/authorization-server-metrics.js';

describe("the authorization server's error counters", () => {
  it('label OAuth error codes as they are and anything else as other, so a client cannot invent series', async () => {
    const metrics = createAuthorizationServerMetrics();
    const provider = new EventEmitter();
    countProviderErrors(provider as unknown as Provider, metrics);
    provider.emit('authorization.error', {}, { error: 'invalid_target' });
    provider.emit('authorization.error', {}, { error: 'made_up_by_a_client_<script>' });
    provider.emit('authorization.error', {}, new Error('no error member'));
    provider.emit('grant.error', {}, { error: 'invalid_grant' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^mcp_as_authorization_errors_total\{error="invalid_target"\} 1$/m);
    expect(text).toMatch(/^mcp_as_authorization_errors_total\{error="other"\} 2$/m);
    expect(text).toMatch(/^mcp_as_token_errors_total\{error="invalid_grant"\} 1$/m);
    expect(text).not.toContain('made_up');
  });
});
