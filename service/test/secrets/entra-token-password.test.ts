import type { AccessToken, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { createEntraTokenPassword, POSTGRES_ENTRA_SCOPE } from '../../src/secrets/entra-token-password.js';

/** A credential standing in for Entra: numbered tokens, each valid for an hour from the test clock. */
function countingCredential(clock: { now: number }) {
  const requests: string[] = [];
  const credential: TokenCredential = {
    async getToken(scopes): Promise<AccessToken> {
      requests.push(String(scopes));
      return { token: `token-${requests.length}`, expiresOnTimestamp: clock.now + 3_600_000 };
    },
  };
  return { credential, requests };
}

describe('Entra token as the database password', () => {
  it('asks for the Postgres scope once, reuses the token, and renews it shortly before it expires', async () => {
    const clock = { now: 1_000_000 };
    const { credential, requests } = countingCredential(clock);
    const password = createEntraTokenPassword(credential, undefined, () => clock.now);

    const burst = await Promise.all([password(), password(), password()]);
    expect(burst).toEqual(['token-1', 'token-1', 'token-1']);
    expect(requests).toEqual([POSTGRES_ENTRA_SCOPE]);

    clock.now += 50 * 60_000;
    expect(await password()).toBe('token-1');
    clock.now += 6 * 60_000; // within five minutes of expiry
    expect(await password()).toBe('token-2');
    expect(requests).toHaveLength(2);
  });

  it('surfaces a failed token request and tries again on the next connection', async () => {
    let fail = true;
    const password = createEntraTokenPassword({
      async getToken() {
        if (fail) throw new Error('AADSTS700016: application not found');
        return { token: 'recovered', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    });
    await expect(password()).rejects.toThrow(/AADSTS700016/);
    fail = false;
    expect(await password()).toBe('recovered');
  });
});
