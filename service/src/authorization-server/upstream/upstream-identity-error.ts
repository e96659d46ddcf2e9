/**
 * Why an upstream sign-in cannot become an identity here, or why nothing may be granted. One class, one code per
 * failure kind, so `/authorize` can map codes to OAuth errors without parsing messages. Messages name the claim and
 * the rule, never the claim's value: values come from the identity provider and may be hostile or personal.
 */
export type UpstreamIdentityErrorCode = 'unmappable_profile' | 'tenant_not_allowed' | 'no_scope_allowed';

export class UpstreamIdentityError extends Error {
  constructor(
    readonly code: UpstreamIdentityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamIdentityError';
  }
}
