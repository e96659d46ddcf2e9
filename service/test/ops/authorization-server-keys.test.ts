import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCookieKeys } from '../../src/authorization-server/signing-keys/cookie-keys.js';
import { loadSigningKeys } from '../../src/authorization-server/signing-keys/load-signing-keys.js';
import { newSigningKey } from '../../src/authorization-server/signing-keys/new-signing-key.js';
import { OPERATION_EXIT_CODES, SECRET_NAMES } from '../../src/contract.js';
import {
  type AuthorizationServerKeysOutcome,
  runAuthorizationServerKeys,
} from '../../src/ops/authorization-server-keys.js';
import { type NewKey, SIGNING_KEY_POLICY } from '../../src/ops/authorization-server-keys-signing-plan.js';
import { KEYS_CONTENT_TYPE } from '../../src/ops/authorization-server-keys-vault.js';
import { createOpsLogger } from '../../src/ops/ops-log.js';
import { runOperation } from '../../src/ops/run-operation.js';
import type { SecretsProvider } from '../../src/secrets/secrets-provider.js';
import { KEY_VAULT_RESOURCE, startWritableFakeKeyVault, type WritableFakeKeyVault } from './writable-fake-key-vault.js';

const SIGNING = SECRET_NAMES.authorizationServerSigningKeys;
const COOKIES = SECRET_NAMES.authorizationServerCookieKeys;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.parse('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const iso = (ms: number) => at(ms).toISOString();
const TOKEN = 'fake-token-for-the-keys-job';

interface Entry {
  kid: string;
  d: string;
  use_from: string;
  retire_after?: string;
}

/** The secret as the authorization server reads it. */
const asSecrets = (text: string): SecretsProvider => ({ find: async () => text, get: async () => text, sources: [] });

describe('the authorization server keys job against a Key Vault over HTTPS', () => {
  let vault: WritableFakeKeyVault;
  const scopes: string[] = [];
  const credential: TokenCredential = {
    async getToken(scope): Promise<AccessToken> {
      scopes.push(...[scope].flat());
      return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };

  beforeAll(async () => {
    vault = await startWritableFakeKeyVault();
  });
  afterAll(async () => {
    await vault?.close();
  });
  beforeEach(() => {
    vault.versions.clear();
    vault.failReads.clear();
    vault.failWrites.clear();
    vault.requests.length = 0;
  });

  /** One run of the Job as its CLI runs it (runOperation: exit code and error line), at a chosen instant. */
  async function runJob(now: number, options: { newKey?: NewKey; fastRetries?: boolean } = {}) {
    const lines: string[] = [];
    const log = createOpsLogger((line) => lines.push(line));
    let outcome: AuthorizationServerKeysOutcome | undefined;
    const code = await runOperation({
      name: 'authorization server keys',
      log,
      loadConfig: () => ({ vaultUrl: vault.url }),
      run: async (config) => {
        outcome = await runAuthorizationServerKeys(config, {
          log,
          credential,
          now: () => at(now),
          newKey: options.newKey,
          clientOptions: {
            tlsOptions: { ca: vault.ca },
            // The double answers on localhost, not at a host the SDK accepts as a Key Vault resource.
            disableChallengeResourceVerification: true,
            ...(options.fastRetries === false ? {} : { retryOptions: { maxRetries: 0 } }),
          },
        });
      },
    });
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    return { code, outcome, lines, entries, messages: entries.map((entry) => entry.msg) };
  }

  const entriesOf = (): Entry[] => (JSON.parse(vault.current(SIGNING) ?? '{"keys":[]}') as { keys: Entry[] }).keys;
  const versionCount = (name: string) => vault.versions.get(name)?.length ?? 0;
  const selectionAt = (ms: number) => loadSigningKeys(asSecrets(vault.current(SIGNING) ?? ''), at(ms));

  it('creates both secrets from nothing: one ES256 key usable now, one 32-byte cookie key', async () => {
    const { code, outcome, lines, messages } = await runJob(0);

    expect(code).toBe(OPERATION_EXIT_CODES.ok);
    expect(versionCount(SIGNING)).toBe(1);
    expect(versionCount(COOKIES)).toBe(1);
    expect(vault.versions.get(SIGNING)?.[0]?.contentType).toBe(KEYS_CONTENT_TYPE);
    expect(vault.versions.get(COOKIES)?.[0]?.contentType).toBe(KEYS_CONTENT_TYPE);

    const [key] = entriesOf();
    expect(entriesOf()).toHaveLength(1);
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', use_from: iso(0) });
    expect(key?.retire_after).toBeUndefined();
    const selection = await selectionAt(0);
    expect(selection.signing.kid).toBe(key?.kid);
    expect(outcome?.signingKeys).toMatchObject({
      changes: [{ action: 'created', kid: key?.kid }],
      signingKid: key?.kid,
    });

    const cookies = JSON.parse(vault.current(COOKIES) ?? '') as { keys: string[] };
    expect(cookies.keys).toHaveLength(1);
    expect(Buffer.from(cookies.keys[0] ?? '', 'base64url')).toHaveLength(32);
    expect((await loadCookieKeys(asSecrets(vault.current(COOKIES) ?? ''))).cookies).toEqual(cookies.keys);

    // Authenticated with the job's token, asked for the vault resource the challenge named.
    expect(scopes).toContain(`${KEY_VAULT_RESOURCE}/.default`);
    expect(vault.requests.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(true);

    expect(messages).toEqual([
      'authorization server keys started',
      'signing key set created with a key usable now',
      'secret written',
      'signing keys in effect',
      'cookie keys created',
      'secret written',
      'authorization server keys finished',
    ]);
    const log = lines.join('');
    expect(log).toContain(key?.kid);
    expect(log).not.toContain(key?.d);
    expect(log).not.toContain(cookies.keys[0]);
  });

  it('changes nothing on a second run right after: no new secret version', async () => {
    await runJob(0);
    const before = vault.current(SIGNING);
    const { code, outcome, messages } = await runJob(MINUTE);

    expect(code).toBe(0);
    expect(versionCount(SIGNING)).toBe(1);
    expect(versionCount(COOKIES)).toBe(1);
    expect(vault.current(SIGNING)).toBe(before);
    expect(vault.requests.filter((request) => request.method === 'PUT')).toHaveLength(2);
    expect(outcome?.signingKeys.changes).toEqual([]);
    expect(outcome?.cookieKeys).toEqual({ action: 'unchanged' });
    expect(messages).toContain('signing keys unchanged');
    expect(messages).toContain('cookie keys unchanged');
    expect(messages).not.toContain('secret written');
  });

  it('rotates on schedule: announces a successor ahead, retires the old key after it, prunes it later', async () => {
    const { rotationPeriodMs: period, announceLeadMs: lead, retireMarginMs: margin, pruneAfterMs } = SIGNING_KEY_POLICY;
    await runJob(0);
    const [a] = entriesOf();

    // Younger than the rotation period: nothing to do.
    await runJob(period - MINUTE);
    expect(versionCount(SIGNING)).toBe(1);

    // Due: B is announced `lead` ahead, A retires `margin` after B starts.
    const due = await runJob(period);
    expect(due.code).toBe(0);
    expect(versionCount(SIGNING)).toBe(2);
    const afterRotation = entriesOf();
    expect(afterRotation).toHaveLength(2);
    const b = afterRotation.find((entry) => entry.kid !== a?.kid);
    expect(b?.use_from).toBe(iso(period + lead));
    expect(afterRotation.find((entry) => entry.kid === a?.kid)?.retire_after).toBe(iso(period + lead + margin));
    expect(due.outcome?.signingKeys.changes).toEqual([
      { action: 'retirement_scheduled', kid: a?.kid, retireAfter: iso(period + lead + margin) },
      { action: 'announced', kid: b?.kid, useFrom: iso(period + lead) },
    ]);
    expect(due.messages).toEqual(expect.arrayContaining(['signing key announced', 'signing key retirement scheduled']));

    // While B is announced, runs change nothing (A still signs, B is published).
    for (const when of [period + MINUTE, period + lead / 2, period + lead - MINUTE]) {
      await runJob(when);
      expect(versionCount(SIGNING)).toBe(2);
    }
    const announced = await selectionAt(period + lead - MINUTE);
    expect(announced.signing.kid).toBe(a?.kid);
    expect(announced.published.map((key) => key.kid)).toEqual([b?.kid, a?.kid]);

    // Minute by minute across the switch: there is always a signing key, and it changes from A to B at B's use_from.
    const signers = new Set<string>();
    for (let t = period + lead - 3 * MINUTE; t <= period + lead + margin + 3 * MINUTE; t += MINUTE) {
      const selection = await selectionAt(t);
      signers.add(selection.signing.kid);
      expect(selection.signing.kid).toBe(t < period + lead ? a?.kid : b?.kid);
    }
    expect(signers.size).toBe(2);

    // A stays in the secret until pruneAfterMs after its retire_after, then goes.
    await runJob(period + lead + margin + pruneAfterMs - MINUTE);
    expect(versionCount(SIGNING)).toBe(2);
    const pruned = await runJob(period + lead + margin + pruneAfterMs);
    expect(versionCount(SIGNING)).toBe(3);
    expect(entriesOf().map((entry) => entry.kid)).toEqual([b?.kid]);
    expect(pruned.outcome?.signingKeys.changes).toEqual([
      { action: 'pruned', kid: a?.kid, retireAfter: iso(period + lead + margin) },
    ]);
    expect(pruned.messages).toContain('retired signing key removed');

    // B's turn comes a rotation period after it started signing.
    await runJob(period + lead + period - MINUTE);
    expect(versionCount(SIGNING)).toBe(3);
    await runJob(period + lead + period);
    expect(entriesOf()).toHaveLength(2);
    expect(entriesOf().find((entry) => entry.kid === b?.kid)?.retire_after).toBe(iso(2 * period + 2 * lead + margin));
    // Cookie keys were created once and left alone throughout.
    expect(versionCount(COOKIES)).toBe(1);
  });

  it('prunes only keys retired longer than the prune delay, keeps a scheduled retirement and the signer', async () => {
    const old = await newSigningKey({ alg: 'ES256', useFrom: at(-90 * DAY), retireAfter: at(-60 * DAY) });
    const recent = await newSigningKey({ alg: 'ES256', useFrom: at(-60 * DAY + MINUTE), retireAfter: at(-MINUTE) });
    const current = await newSigningKey({ alg: 'ES256', useFrom: at(-2 * MINUTE), retireAfter: at(10 * DAY) });
    vault.put(SIGNING, JSON.stringify({ keys: [old, recent, current] }));
    const { code, outcome } = await runJob(0);

    expect(code).toBe(0);
    expect(entriesOf().map((entry) => entry.kid)).toEqual([recent.kid, current.kid]);
    expect(outcome?.signingKeys.changes).toEqual([{ action: 'pruned', kid: old.kid, retireAfter: old.retire_after }]);
    expect(outcome?.signingKeys.signingKid).toBe(current.kid);
    // What was kept is kept byte for byte (a set an operator wrote is not reformatted into new kids or fields).
    expect(entriesOf()[1]).toEqual(current);
  });

  it('adds a key usable now when every stored key is retired, pruning the long-retired ones', async () => {
    const gone = await newSigningKey({ alg: 'ES256', useFrom: at(-90 * DAY), retireAfter: at(-60 * DAY) });
    const retired = await newSigningKey({ alg: 'ES256', useFrom: at(-30 * DAY), retireAfter: at(-MINUTE) });
    vault.put(SIGNING, JSON.stringify({ keys: [gone, retired] }));
    const { code, outcome } = await runJob(0);

    expect(code).toBe(0);
    const kids = entriesOf().map((entry) => entry.kid);
    expect(kids).toHaveLength(2);
    expect(kids).toContain(retired.kid);
    expect(kids).not.toContain(gone.kid);
    const added = entriesOf().find((entry) => entry.kid !== retired.kid);
    expect(added?.use_from).toBe(iso(0));
    expect(outcome?.signingKeys.changes.map((change) => change.action)).toEqual(['pruned', 'added_usable_now']);
    expect((await selectionAt(0)).signing.kid).toBe(added?.kid);
  });

  it('refuses to write a set the server would refuse (a rotation past 20 keys), and writes nothing at all', async () => {
    const keys = [];
    for (let i = 20; i >= 1; i--) keys.push(await newSigningKey({ alg: 'ES256', useFrom: at(-40 * DAY - i * MINUTE) }));
    vault.put(SIGNING, JSON.stringify({ keys }));
    const stored = vault.current(SIGNING);
    const { code, entries } = await runJob(0);

    expect(code).toBe(OPERATION_EXIT_CODES.failed);
    expect(entries.at(-1)).toMatchObject({
      level: 50,
      msg: 'authorization server keys failed',
      err: { code: 'planned_keys_invalid', message: expect.stringContaining('at most 20 keys') },
    });
    expect(vault.current(SIGNING)).toBe(stored);
    expect(versionCount(SIGNING)).toBe(1);
    // The missing cookie secret is not created either: the run stops before its first write.
    expect(versionCount(COOKIES)).toBe(0);
    expect(vault.requests.filter((request) => request.method === 'PUT')).toEqual([]);
  });

  it('refuses to write a new key that does not import as a private key', async () => {
    const brokenKey: NewKey = async (options) => {
      const entry = await newSigningKey(options);
      // Well-formed base64url, but not the private scalar of this public point.
      return { ...entry, d: Buffer.alloc(32, 0xff).toString('base64url') };
    };
    const { code, entries } = await runJob(0, { newKey: brokenKey });

    expect(code).toBe(1);
    expect(entries.at(-1)).toMatchObject({
      err: { code: 'planned_keys_invalid', message: expect.stringContaining('not a valid ES256 private key') },
    });
    expect(vault.versions.size).toBe(0);
  });

  it('does not overwrite a stored set it cannot read, and says which entry is wrong without quoting it', async () => {
    const key = await newSigningKey({ alg: 'ES256', useFrom: at(-DAY) });
    const publicOnly = { ...key, d: undefined };
    vault.put(SIGNING, JSON.stringify({ keys: [publicOnly] }));
    const { code, entries, lines } = await runJob(0);

    expect(code).toBe(1);
    expect(entries.at(-1)).toMatchObject({
      err: { code: 'stored_keys_invalid', message: expect.stringContaining(`keys[0] (kid "${key.kid}")`) },
    });
    expect(versionCount(SIGNING)).toBe(1);
    expect(lines.join('')).not.toContain(String(key.x));
  });

  it('does not overwrite cookie keys it cannot read', async () => {
    vault.put(COOKIES, JSON.stringify({ keys: ['too-short'] }));
    const { code, entries } = await runJob(0);

    expect(code).toBe(1);
    expect(entries.at(-1)).toMatchObject({
      err: { code: 'stored_keys_invalid', message: expect.stringContaining(`"${COOKIES}"`) },
    });
    expect(JSON.stringify(entries)).not.toContain('too-short');
    expect(versionCount(COOKIES)).toBe(1);
    // Planned before any write: the missing signing set is not created either.
    expect(versionCount(SIGNING)).toBe(0);
  });

  it('fails with code key_vault_forbidden on a 403 write, writing nothing', async () => {
    vault.failWrites.set('*', {
      status: 403,
      code: 'Forbidden',
      message:
        'Caller is not authorized to perform action on resource. Action: Microsoft.KeyVault/vaults/secrets/setSecret/action',
    });
    const { code, entries } = await runJob(0);

    expect(code).toBe(1);
    expect(entries.at(-1)).toMatchObject({
      err: { code: 'key_vault_forbidden', message: expect.stringContaining('Key Vault Secrets Officer') },
    });
    expect(vault.versions.size).toBe(0);
    // Stopped at the first refused write: the cookie secret was not attempted.
    expect(vault.requests.filter((request) => request.method === 'PUT').map((request) => request.name)).toEqual([
      SIGNING,
    ]);
  });

  it('fails with code key_vault_unavailable when a read keeps failing (after its retries), writing nothing', async () => {
    vault.failReads.set(COOKIES, {
      status: 503,
      code: 'ServiceUnavailable',
      message: 'The service is temporarily unavailable.',
    });
    const { code, entries } = await runJob(0, { fastRetries: false });

    expect(code).toBe(1);
    expect(entries.at(-1)).toMatchObject({
      err: { code: 'key_vault_unavailable', message: expect.stringContaining(`"${COOKIES}"`) },
    });
    // The signing secret was missing and would have been created: it was not, since a read failed first.
    expect(vault.versions.size).toBe(0);
    expect(vault.requests.filter((request) => request.name === COOKIES)).toHaveLength(3);
  });
});
