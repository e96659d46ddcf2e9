import { newSigningKey } from '../../../src/authorization-server/signing-keys/new-signing-key.js';
import type { PrivateSigningJwk } from '../../../src/authorization-server/signing-keys/signing-key-set.js';
import { createSecretsProvider, type SecretsProvider } from '../../../src/secrets/secrets-provider.js';

export const T0 = new Date('2026-12-01T00:00:00Z');
export const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** The private members of every key type: none may ever appear in a public JWK or in an error message. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** A new ES256 entry, with its rotation fields set. */
export const ecEntry = (useFrom: Date, retireAfter?: Date) => newSigningKey({ alg: 'ES256', useFrom, retireAfter });

/** One PS256 key for the whole run: generating RSA keys is slow, so tests rewrite its dates instead. */
let rsa: Promise<PrivateSigningJwk> | undefined;
export async function rsaEntry(useFrom: Date, retireAfter?: Date): Promise<PrivateSigningJwk> {
  rsa ??= newSigningKey({ alg: 'PS256', useFrom: T0 });
  const { retire_after: _none, ...entry } = await rsa;
  return { ...entry, use_from: useFrom.toISOString(), ...(retireAfter && { retire_after: retireAfter.toISOString() }) };
}

/** A secrets provider holding only the given secrets, as Key Vault would. */
export function secretsWith(values: Record<string, string>): SecretsProvider {
  return createSecretsProvider([{ description: 'test secrets', read: async (name) => values[name] }]);
}

/** Every private member value of the entries, for asserting that none leaks into a text. */
export function privateValues(entries: readonly Record<string, unknown>[]): string[] {
  return entries.flatMap((entry) =>
    PRIVATE_MEMBERS.map((name) => entry[name]).filter((value): value is string => typeof value === 'string'),
  );
}
