/** Whose grant was revoked: read by the audit after oidc-provider's `grant.revoked` event, which names the id only. */
export interface RevokedGrantOwner {
  accountId: string;
  clientId: string;
}

/** A small, bounded memo from the store's revocation to the audit of it, a few microtasks later. */
export class RevokedGrants {
  private readonly owners = new Map<string, RevokedGrantOwner>();

  constructor(private readonly maxEntries = 1_000) {}

  remember(grantId: string, owner: RevokedGrantOwner): void {
    this.owners.delete(grantId);
    this.owners.set(grantId, owner);
    if (this.owners.size > this.maxEntries) {
      const oldest = this.owners.keys().next().value;
      if (oldest !== undefined) this.owners.delete(oldest);
    }
  }

  take(grantId: string): RevokedGrantOwner | undefined {
    const owner = this.owners.get(grantId);
    this.owners.delete(grantId);
    return owner;
  }
}
